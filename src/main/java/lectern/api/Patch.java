package lectern.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How every resource reads a PATCH body: a JSON object whose fields are the ones to change (a field left out stays
 * as it is; one sent as null clears it, where it may be cleared), read into a record {@code T} whose components are
 * the fields that can be changed, and validated like any request body. {@link #has} tells a field sent as null
 * from one left out.
 */
public final class Patch<T extends Record> {

    private final T body;
    private final Set<String> sent;

    private Patch(T body, Set<String> sent) {
        this.body = body;
        this.sent = sent;
    }

    public T body() {
        return body;
    }

    /** Whether the client sent the field, null or not. */
    public boolean has(String field) {
        return sent.contains(field);
    }

    /** Reads PATCH bodies for the resources (Jackson's mapper and the validator are beans). */
    @ApplicationScoped
    public static class Reader {

        @Inject
        ObjectMapper objectMapper;

        @Inject
        Validator validator;

        /**
         * Reads {@code json} into {@code type}; a field that is not one of its components is ignored, as in any other
         * request body. No body, or one that is not a JSON object: a 400 that says {@code notAnObject}.
         */
        public <T extends Record> Patch<T> read(JsonNode json, Class<T> type, String notAnObject)
                throws JsonProcessingException {
            return read(json, type, notAnObject, null);
        }

        /**
         * As {@link #read}, but a field that is not a component of {@code type} is a 400 naming it and the fields
         * that can be changed ({@code of}: what the body changes, "a paper").
         */
        public <T extends Record> Patch<T> readOnly(JsonNode json, Class<T> type, String notAnObject, String of)
                throws JsonProcessingException {
            return read(json, type, notAnObject, of);
        }

        private <T extends Record> Patch<T> read(JsonNode json, Class<T> type, String notAnObject, String strictOf)
                throws JsonProcessingException {
            if (json == null || !json.isObject()) {
                throw ProblemException.badRequest(notAnObject);
            }
            Set<String> sent = new HashSet<>();
            json.fieldNames().forEachRemaining(sent::add);
            if (strictOf != null) {
                List<String> fields = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).sorted().toList();
                for (String name : sent) {
                    if (!fields.contains(name)) {
                        throw ProblemException.badField(name, "is not a field of " + strictOf + " that can be changed; use one of "
                                + String.join(", ", fields));
                    }
                }
            }
            T body = objectMapper.treeToValue(json, type);
            Set<ConstraintViolation<T>> violations = validator.validate(body);
            if (!violations.isEmpty()) {
                throw new ConstraintViolationException(Set.<ConstraintViolation<?>>copyOf(violations));
            }
            return new Patch<>(body, sent);
        }
    }
}
