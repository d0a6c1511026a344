package lectern.papers;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import lectern.api.ProblemException;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Where a paper stands; in JSON, query strings and the database as {@code to-read}, {@code reading}, {@code read}. */
public enum PaperStatus {
    @JsonProperty("to-read") TO_READ("to-read"),
    @JsonProperty("reading") READING("reading"),
    @JsonProperty("read") READ("read");

    private final String name;

    PaperStatus(String name) {
        this.name = name;
    }

    /** Parses a query parameter or column value; a 400 naming {@code field} when it is none of the statuses. */
    public static PaperStatus parse(String field, String value) {
        return Arrays.stream(values()).filter(s -> s.name.equals(value)).findFirst()
                .orElseThrow(() -> ProblemException.badField(field, "'" + value + "' is not one of: " + allowed()));
    }

    static String allowed() {
        return Arrays.stream(values()).map(PaperStatus::toString).collect(Collectors.joining(", "));
    }

    /** The JSON name: the problem body for an unknown status lists these. */
    @Override
    public String toString() {
        return name;
    }

    @Converter(autoApply = true)
    public static class Column implements AttributeConverter<PaperStatus, String> {
        @Override
        public String convertToDatabaseColumn(PaperStatus status) {
            return status == null ? null : status.name;
        }

        @Override
        public PaperStatus convertToEntityAttribute(String value) {
            return value == null ? null : parse("status", value);
        }
    }
}
