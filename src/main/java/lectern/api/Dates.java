package lectern.api;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** ISO dates from paths and query strings, refused with a 400 that names the parameter. */
public final class Dates {

    private Dates() {
    }

    public static LocalDate parse(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.badField(field, "is required, as a date YYYY-MM-DD");
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.badField(field, "'" + value + "' is not a date; use YYYY-MM-DD, e.g. 2026-11-29");
        }
    }

    public static LocalDate parseOptional(String field, String value) {
        return value == null || value.isBlank() ? null : parse(field, value);
    }
}
