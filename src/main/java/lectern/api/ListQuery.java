package lectern.api;

/**
 * The pieces every list endpoint shares: a page (limit/offset from the query string) and a
 * case-insensitive "contains" pattern for LIKE/ILIKE. Query parameters arrive as strings because
 * JAX-RS answers a failed conversion with a bare 404; here a bad value is a 400 naming it.
 */
public final class ListQuery {

    private ListQuery() {
    }

    public record Page(int limit, int offset) {
    }

    public static Page page(String limit, String offset, int defaultLimit, int maxLimit) {
        int size = limit == null || limit.isBlank() ? defaultLimit : wholeNumber("limit", limit);
        if (size < 1 || size > maxLimit) {
            throw ProblemException.badField("limit", "must be between 1 and " + maxLimit);
        }
        int skip = offset == null || offset.isBlank() ? 0 : wholeNumber("offset", offset);
        if (skip < 0) {
            throw ProblemException.badField("offset", "must be 0 or more");
        }
        return new Page(size, skip);
    }

    public static int wholeNumber(String field, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.badField(field, "'" + value + "' is not a whole number");
        }
    }

    /** {@code %text%} with LIKE's wildcards escaped (use with {@code ESCAPE '\'}, PostgreSQL's default). */
    public static String containsPattern(String text) {
        return "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
