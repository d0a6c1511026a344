package lectern.books;

/**
 * A progress entry read both ways: a page gives a percent when the book's page count is known, and a
 * percent gives a page. Either may be null when it cannot be derived.
 */
public record Position(Integer page, Double percent) {

    public static Position of(Integer page, Double percent, Integer bookPages) {
        if (page != null) {
            Double derived = bookPages == null ? null : round1(Math.min(100.0, page * 100.0 / bookPages));
            return new Position(page, derived);
        }
        if (percent != null) {
            Integer derived = bookPages == null ? null : (int) Math.round(percent * bookPages / 100.0);
            return new Position(derived, round1(percent));
        }
        return new Position(null, null);
    }

    /**
     * The position in the unit stats measure reading in: pages when the book's page count is known or the
     * entry is a page, otherwise null (a percent of a book of unknown length is no number of pages).
     */
    public static Double inPages(Integer page, Double percent, Integer bookPages) {
        if (page != null) {
            return page.doubleValue();
        }
        if (percent != null && bookPages != null) {
            return percent * bookPages / 100.0;
        }
        return null;
    }

    static double round1(double value) {
        return Math.round(value * 10.0) / 10.0;
    }
}
