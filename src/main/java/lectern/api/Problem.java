package lectern.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * An RFC 9457 problem body: every 4xx/5xx answer of the API has this shape.
 * {@code errors} names the fields (or import rows/lines) at fault, when there are any.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String title, int status, String detail, List<FieldError> errors, Long existingId) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One thing wrong with the input: a field (JSON path like {@code finished[3]}), or a row/line of an import. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(String field, Integer row, Integer line, String message) {
        public static FieldError field(String field, String message) {
            return new FieldError(field, null, null, message);
        }

        public static FieldError row(int row, String message) {
            return new FieldError(null, row, null, message);
        }

        public static FieldError line(int line, String message) {
            return new FieldError(null, null, line, message);
        }
    }
}
