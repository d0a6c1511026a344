package lectern.transfer;

import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and writes Goodreads library exports. Real exports vary: the classic 31-column layout, a 24-column
 * one, the newest 23 columns without {@code Average Rating}; ISBNs written as spreadsheet formulas
 * ({@code ="0062445316"}, {@code =""}); cells padded with spaces before the opening quote; files that lost
 * their header row (recognised by their shape). Each physical line is parsed on its own with Commons CSV
 * (joined with the next while a quoted cell is still open) so that one broken row is reported and the
 * rest still reads.
 */
public final class GoodreadsCsv {

    public static final String BOOK_ID = "Book Id";
    public static final String TITLE = "Title";
    public static final String AUTHOR = "Author";
    public static final String AUTHOR_LF = "Author l-f";
    public static final String ADDITIONAL_AUTHORS = "Additional Authors";
    public static final String ISBN = "ISBN";
    public static final String ISBN13 = "ISBN13";
    public static final String MY_RATING = "My Rating";
    public static final String AVERAGE_RATING = "Average Rating";
    public static final String PUBLISHER = "Publisher";
    public static final String BINDING = "Binding";
    public static final String PAGES = "Number of Pages";
    public static final String YEAR_PUBLISHED = "Year Published";
    public static final String ORIGINAL_YEAR = "Original Publication Year";
    public static final String DATE_READ = "Date Read";
    public static final String DATE_ADDED = "Date Added";
    public static final String BOOKSHELVES = "Bookshelves";
    public static final String BOOKSHELVES_POSITIONS = "Bookshelves with positions";
    public static final String EXCLUSIVE_SHELF = "Exclusive Shelf";
    public static final String MY_REVIEW = "My Review";
    public static final String SPOILER = "Spoiler";
    public static final String PRIVATE_NOTES = "Private Notes";
    public static final String READ_COUNT = "Read Count";
    public static final String OWNED_COPIES = "Owned Copies";

    /** The classic export (until about 2023). */
    static final List<String> LAYOUT_31 = List.of(BOOK_ID, TITLE, AUTHOR, AUTHOR_LF, ADDITIONAL_AUTHORS, ISBN, ISBN13,
            MY_RATING, AVERAGE_RATING, PUBLISHER, BINDING, PAGES, YEAR_PUBLISHED, ORIGINAL_YEAR, DATE_READ, DATE_ADDED,
            BOOKSHELVES, BOOKSHELVES_POSITIONS, EXCLUSIVE_SHELF, MY_REVIEW, SPOILER, PRIVATE_NOTES, READ_COUNT,
            "Recommended For", "Recommended By", OWNED_COPIES, "Original Purchase Date", "Original Purchase Location",
            "Condition", "Condition Description", "BCID");
    /** The later export without the recommendation and purchase columns. */
    static final List<String> LAYOUT_24 = List.of(BOOK_ID, TITLE, AUTHOR, AUTHOR_LF, ADDITIONAL_AUTHORS, ISBN, ISBN13,
            MY_RATING, AVERAGE_RATING, PUBLISHER, BINDING, PAGES, YEAR_PUBLISHED, ORIGINAL_YEAR, DATE_READ, DATE_ADDED,
            BOOKSHELVES, BOOKSHELVES_POSITIONS, EXCLUSIVE_SHELF, MY_REVIEW, SPOILER, PRIVATE_NOTES, READ_COUNT, OWNED_COPIES);
    /** The newest export: as the 24 columns, without Average Rating. Lectern writes this one. */
    public static final List<String> LAYOUT_23 = LAYOUT_24.stream().filter(c -> !c.equals(AVERAGE_RATING)).toList();

    private static final Pattern BOOK_ID_SHAPE = Pattern.compile("\\d{1,12}");
    private static final Pattern RATING_SHAPE = Pattern.compile("\\d(\\.\\d+)?");

    private GoodreadsCsv() {
    }

    /** The rows that could be read, the ones that could not, and the layout the file was read as. */
    public record ParsedFile(String layout, List<GoodreadsRow> rows, List<ImportResult.Failure> failures) {
    }

    /** A file that cannot be read as a Goodreads export at all (no usable header and no known shape). */
    public static class NotGoodreadsException extends RuntimeException {
        public NotGoodreadsException(String message) {
            super(message);
        }
    }

    public static ParsedFile parse(String text) {
        List<ImportResult.Failure> failures = new ArrayList<>();
        List<GoodreadsRow> rows = new ArrayList<>();
        Map<String, Integer> columns = null;
        String layout = null;
        int expectedCells = -1;
        for (CsvRecords.Line line : CsvRecords.read(text, failures)) {
            int rowNumber = line.row();
            List<String> cells = line.cells();
            if (columns == null) {
                if (looksLikeHeader(cells)) {
                    columns = CsvRecords.columnsByName(cells, LAYOUT_31);
                    if (!columns.containsKey(TITLE)) {
                        throw new NotGoodreadsException("The header row has no 'Title' column; is this a Goodreads "
                                + "library export (My Books > Import and export)?");
                    }
                    expectedCells = cells.size();
                    layout = "header with " + cells.size() + " columns";
                    continue;
                }
                List<String> shape = layoutByShape(cells);
                if (shape == null) {
                    throw new NotGoodreadsException("The file has no header row and its first row has " + cells.size()
                            + " columns, which is not a Goodreads layout (23, 24 or 31 columns); "
                            + "add Goodreads' header row (Book Id,Title,Author,...) and import it again");
                }
                columns = CsvRecords.columnsByName(shape, LAYOUT_31);
                expectedCells = shape.size();
                layout = "no header, " + shape.size() + " columns";
            }
            if (cells.size() != expectedCells) {
                failures.add(ImportResult.Failure.row(rowNumber, "has " + cells.size() + " columns where the "
                        + (layout.startsWith("header") ? "header has " : "file's layout has ") + expectedCells
                        + "; a comma or a quote is probably missing or extra"));
                continue;
            }
            try {
                rows.add(toRow(rowNumber, cells, columns));
            } catch (CsvRecords.BadCellException e) {
                failures.add(ImportResult.Failure.row(rowNumber, e.getMessage()));
            }
        }
        if (columns == null) {
            throw new NotGoodreadsException("The file is empty");
        }
        failures.sort(java.util.Comparator.comparing(ImportResult.Failure::row));
        return new ParsedFile(layout, rows, failures);
    }

    private static boolean looksLikeHeader(List<String> cells) {
        return cells.stream().map(String::strip).anyMatch(c -> c.equalsIgnoreCase(BOOK_ID) || c.equalsIgnoreCase(TITLE));
    }

    /** A row without a header: a Goodreads layout with a numeric Book Id first. */
    private static List<String> layoutByShape(List<String> cells) {
        if (!BOOK_ID_SHAPE.matcher(cells.get(0).strip()).matches()) {
            return null;
        }
        return switch (cells.size()) {
            case 31 -> LAYOUT_31;
            case 24 -> LAYOUT_24;
            case 23 -> LAYOUT_23;
            default -> null;
        };
    }

    private static GoodreadsRow toRow(int row, List<String> cells, Map<String, Integer> columns) {
        CsvRecords.Cells c = new CsvRecords.Cells(cells, columns);
        String title = c.text(TITLE);
        if (title == null) {
            throw new CsvRecords.BadCellException("has an empty Title; every book needs one");
        }
        String myRating = c.text(MY_RATING);
        int rating = 0;
        if (myRating != null) {
            if (!RATING_SHAPE.matcher(myRating).matches() || Double.parseDouble(myRating) > 5) {
                throw new CsvRecords.BadCellException("My Rating '" + myRating + "' is not 0 to 5 stars");
            }
            rating = (int) Math.round(Double.parseDouble(myRating));
        }
        String bookId = c.text(BOOK_ID);
        if (bookId != null && !BOOK_ID_SHAPE.matcher(bookId).matches()) {
            throw new CsvRecords.BadCellException("Book Id '" + bookId + "' is not a Goodreads book number");
        }
        Integer pages = c.integer(PAGES);
        if (pages != null && pages <= 0) {
            pages = null; // Goodreads writes 0 for "unknown"
        }
        String exclusive = c.text(EXCLUSIVE_SHELF);
        return new GoodreadsRow(row, bookId, title, c.text(AUTHOR), c.list(ADDITIONAL_AUTHORS),
                c.isbn(ISBN), c.isbn(ISBN13), rating, c.text(PUBLISHER), c.text(BINDING), pages,
                c.integer(YEAR_PUBLISHED), c.integer(ORIGINAL_YEAR), c.date(DATE_READ), c.date(DATE_ADDED),
                c.list(BOOKSHELVES), exclusive == null ? null : exclusive.toLowerCase(Locale.ROOT),
                c.text(MY_REVIEW), "true".equalsIgnoreCase(c.text(SPOILER)), c.text(PRIVATE_NOTES),
                c.integer(READ_COUNT), c.integer(OWNED_COPIES));
    }

    /** Writes rows in the newest Goodreads layout (23 columns), ISBNs in Goodreads' {@code ="..."} form. */
    public static String write(List<GoodreadsRow> rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CsvRecords.WRITE_FORMAT)) {
            printer.printRecord(LAYOUT_23);
            for (GoodreadsRow r : rows) {
                printer.printRecord(
                        r.bookId(), r.title(), r.author(), authorLastFirst(r.author()), String.join(", ", r.additionalAuthors()),
                        formula(r.isbn()), formula(r.isbn13()), r.myRating(), r.publisher(), r.binding(),
                        r.pages(), r.yearPublished(), r.originalPublicationYear(), date(r.dateRead()), date(r.dateAdded()),
                        String.join(", ", r.bookshelves()), null, r.exclusiveShelf(),
                        r.myReview(), r.spoiler() ? "true" : "", r.privateNotes(), r.readCount(), r.ownedCopies());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String formula(String isbn) {
        return "=\"" + (isbn == null ? "" : isbn) + "\"";
    }

    private static String date(LocalDate date) {
        return date == null ? null : CsvRecords.WRITE_DATE.format(date);
    }

    /** "Ursula K. Le Guin" -> "Guin, Ursula K. Le" is what Goodreads itself does: last word first. */
    static String authorLastFirst(String author) {
        if (author == null || author.isBlank()) {
            return null;
        }
        String name = author.strip();
        int space = name.lastIndexOf(' ');
        return space < 0 ? name : name.substring(space + 1) + ", " + name.substring(0, space);
    }
}
