package lectern.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import lectern.api.Problem.FieldError;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** One place that turns every failure into the same problem+json shape (RFC 9457). */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** PostgreSQL's SQLSTATE for a character its encoding cannot hold (in practice U+0000 in a text value). */
    private static final String UNTRANSLATABLE_CHARACTER = "22021";

    public static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response response = respond(e.problem());
        if (e.retryAfterSeconds() != null) {
            return Response.fromResponse(response).header("Retry-After", e.retryAfterSeconds()).build();
        }
        return response;
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> FieldError.field(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field))
                .toList();
        String detail = errors.stream().map(err -> err.field() + " " + err.message()).collect(Collectors.joining("; "));
        return respond(new Problem("Invalid input", 400, detail, errors, null));
    }

    /** Malformed JSON: say where it broke. */
    @ServerExceptionMapper
    public Response malformedJson(com.fasterxml.jackson.core.JsonParseException e) {
        var location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return respond(new Problem("Malformed JSON", 400,
                "The request body is not valid JSON" + where + ": " + e.getOriginalMessage(), null, null));
    }

    /** A value of the wrong type or an unknown enum constant: name the field and, for enums, the allowed values. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        String field = jsonPath(e);
        String message;
        Class<?> target = e.getTargetType();
        if (target != null && target.isEnum()) {
            String allowed = Arrays.stream(target.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
            String given = e instanceof InvalidFormatException ife ? "'" + ife.getValue() + "'" : "the value";
            message = given + " is not one of: " + allowed;
        } else if (e instanceof InvalidFormatException ife) {
            message = "'" + ife.getValue() + "' is not a valid " + describe(target);
        } else if (field.isEmpty()) {
            return respond(new Problem("Malformed JSON", 400,
                    "The request body must be a JSON " + describe(target) + ": " + e.getOriginalMessage(), null, null));
        } else {
            message = "expected " + describe(target);
        }
        return respond(new Problem("Invalid input", 400, field + ": " + message,
                List.of(FieldError.field(field, message)), null));
    }

    @ServerExceptionMapper
    public Response jsonMapping(JsonMappingException e) {
        String field = jsonPath(e);
        // A constructor/setter refusing a value (e.g. a value object validating itself) lands here.
        Throwable cause = e.getCause();
        if (cause instanceof ProblemException pe) {
            return respond(pe.problem());
        }
        String message = cause != null && cause.getMessage() != null ? cause.getMessage() : e.getOriginalMessage();
        if (field.isEmpty()) {
            return respond(new Problem("Invalid input", 400, message, null, null));
        }
        return respond(new Problem("Invalid input", 400, field + ": " + message, List.of(FieldError.field(field, message)), null));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return respond(new Problem("Malformed JSON", 400, "The request body is not valid JSON: " + e.getOriginalMessage(), null, null));
    }

    @ServerExceptionMapper
    public Response staleUpdate(OptimisticLockException e) {
        return conflictWithConcurrentEdit();
    }

    @ServerExceptionMapper
    public Response staleState(StaleStateException e) {
        return conflictWithConcurrentEdit();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        // Quarkus wraps body-reading failures (bad JSON, wrong types) in a 400 WebApplicationException.
        if (e.getCause() instanceof MismatchedInputException mismatch) {
            return mismatchedInput(mismatch);
        }
        if (e.getCause() instanceof com.fasterxml.jackson.core.JsonParseException parse) {
            return malformedJson(parse);
        }
        if (e.getCause() instanceof JsonMappingException mapping) {
            return jsonMapping(mapping);
        }
        if (e.getCause() instanceof JsonProcessingException processing) {
            return json(processing);
        }
        int status = e.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type != null ? type.getReasonPhrase() : "Error";
        String detail = switch (status) {
            case 404 -> "No such resource";
            case 405 -> "This method is not allowed on this path";
            case 406 -> "Cannot produce the requested media type";
            case 415 -> "Unsupported Content-Type: send application/json (or the type this endpoint documents)";
            default -> e.getMessage();
        };
        return respond(new Problem(title, status, detail, null, null));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof ProblemException pe) {
                return respond(pe.problem());
            }
            root = root.getCause();
        }
        if (root instanceof ProblemException pe) {
            return respond(pe.problem());
        }
        if (root instanceof OptimisticLockException || root instanceof StaleStateException) {
            return conflictWithConcurrentEdit();
        }
        if (root instanceof java.sql.SQLException sql && UNTRANSLATABLE_CHARACTER.equals(sql.getSQLState())) {
            // PostgreSQL text cannot hold U+0000; the statement failed, so nothing of the request was stored
            return respond(new Problem("Bad Request", 400, "Text must not contain the NUL character (U+0000): remove it "
                    + "and send the request again", null, null));
        }
        LOG.error("Unexpected error", e);
        return respond(new Problem("Internal error", 500, "Something went wrong on the server; it has been logged", null, null));
    }

    private static Response conflictWithConcurrentEdit() {
        return respond(new Problem("Conflict", 409,
                "Someone else changed this resource at the same time; fetch it again and retry", null, null));
    }

    static String fieldName(ConstraintViolation<?> violation) {
        // Paths look like "create.body.title" or "update.arg1.authors[0]": keep the part after the parameter.
        String last = null;
        StringBuilder field = new StringBuilder();
        int depth = 0;
        for (Path.Node node : violation.getPropertyPath()) {
            depth++;
            if (depth <= 2 && (node.getKind() == jakarta.validation.ElementKind.METHOD
                    || node.getKind() == jakarta.validation.ElementKind.PARAMETER)) {
                last = node.getName();
                continue;
            }
            if (node.getName() != null && !node.getName().startsWith("<")) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(node.getName());
            }
            if (node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            }
        }
        return field.isEmpty() ? (last == null ? "body" : last) : field.toString();
    }

    static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type == String.class) {
            return "string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "whole number";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class
                || type == java.math.BigDecimal.class) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == java.time.LocalDate.class) {
            return "date (YYYY-MM-DD)";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        return "object";
    }
}
