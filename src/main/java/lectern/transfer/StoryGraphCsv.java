package lectern.transfer;

import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes StoryGraph's "Export StoryGraph Library" CSV. Rows are read as Goodreads rows are
 * ({@link CsvRecords}: one broken row is reported with its number and the others still read); columns are found by
 * their header names, so a column more or less in a later export does not break the import.
 */
public final class StoryGraphCsv {

    public static final String TITLE = "Title";
    public static final String AUTHORS = "Authors";
    public static final String CONTRIBUTORS = "Contributors";
    public static final String ISBN_UID = "ISBN/UID";
    public static final String FORMAT = "Format";
    public static final String READ_STATUS = "Read Status";
    public static final String DATE_ADDED = "Date Added";
    public static final String LAST_DATE_READ = "Last Date Read";
    public static final String DATES_READ = "Dates Read";
    public static final String READ_COUNT = "Read Count";
    public static final String MOODS = "Moods";
    public static final String PACE = "Pace";
    public static final String CHARACTER_OR_PLOT = "Character- or Plot-Driven?";
    public static final String STRONG_DEVELOPMENT = "Strong Character Development?";
    public static final String LOVEABLE = "Loveable Characters?";
    public static final String DIVERSE = "Diverse Characters?";
    public static final String FLAWED = "Flawed Characters?";
    public static final String STAR_RATING = "Star Rating";
    public static final String REVIEW = "Review";
    public static final String CONTENT_WARNINGS = "Content Warnings";
    public static final String CONTENT_WARNING_DESCRIPTION = "Content Warning Description";
    public static final String TAGS = "Tags";
    public static final String OWNED = "Owned?";

    /** The export's columns, in its order; Lectern writes them so. */
    public static final List<String> COLUMNS = List.of(TITLE, AUTHORS, CONTRIBUTORS, ISBN_UID, FORMAT, READ_STATUS,
            DATE_ADDED, LAST_DATE_READ, DATES_READ, READ_COUNT, MOODS, PACE, CHARACTER_OR_PLOT, STRONG_DEVELOPMENT,
            LOVEABLE, DIVERSE, FLAWED, STAR_RATING, REVIEW, CONTENT_WARNINGS, CONTENT_WARNING_DESCRIPTION, TAGS, OWNED);

    /** StoryGraph's statuses; the import also takes "paused", which Lectern writes for its paused books. */
    public static final List<String> STATUSES = List.of("read", "currently-reading", "to-read", "did-not-finish", "paused");

    private static final String DATE = "\\d{4}/\\d{1,2}/\\d{1,2}|\\d{4}-\\d{2}-\\d{2}";
    private static final Pattern RANGE = Pattern.compile("(" + DATE + ")?\\s*(-|–|to)?\\s*(" + DATE + ")?");
    private static final Pattern QUARTER_STARS = Pattern.compile("\\d(\\.\\d{1,2})?");

    private StoryGraphCsv() {
    }

    /** The rows that could be read and the ones that could not. */
    public record ParsedFile(List<StoryGraphRow> rows, List<ImportResult.Failure> failures) {
    }

    /** A file that is not a StoryGraph export: no header with its columns. */
    public static class NotStoryGraphException extends RuntimeException {
        public NotStoryGraphException(String message) {
            super(message);
        }
    }

    public static ParsedFile parse(String text) {
        List<ImportResult.Failure> failures = new ArrayList<>();
        List<StoryGraphRow> rows = new ArrayList<>();
        Map<String, Integer> columns = null;
        int expectedCells = -1;
        for (CsvRecords.Line line : CsvRecords.read(text, failures)) {
            List<String> cells = line.cells();
            if (columns == null) {
                columns = CsvRecords.columnsByName(cells, COLUMNS);
                if (!columns.containsKey(TITLE) || !columns.containsKey(READ_STATUS)) {
                    throw new NotStoryGraphException("The first row is not StoryGraph's header (Title, Authors, ..., "
                            + "Read Status, ...); export the library again from StoryGraph (Manage Account > Export "
                            + "StoryGraph Library) and send that file");
                }
                expectedCells = cells.size();
                continue;
            }
            if (cells.size() != expectedCells) {
                failures.add(ImportResult.Failure.row(line.row(), "has " + cells.size() + " columns where the header has "
                        + expectedCells + "; a comma or a quote is probably missing or extra"));
                continue;
            }
            try {
                rows.add(toRow(line.row(), new CsvRecords.Cells(cells, columns)));
            } catch (CsvRecords.BadCellException e) {
                failures.add(ImportResult.Failure.row(line.row(), e.getMessage()));
            }
        }
        if (columns == null) {
            throw new NotStoryGraphException("The file is empty");
        }
        failures.sort(java.util.Comparator.comparing(ImportResult.Failure::row));
        return new ParsedFile(rows, failures);
    }

    private static StoryGraphRow toRow(int row, CsvRecords.Cells c) {
        String title = c.text(TITLE);
        if (title == null) {
            throw new CsvRecords.BadCellException("has an empty Title; every book needs one");
        }
        if (title.length() > 500) {
            throw new CsvRecords.BadCellException("has a Title longer than 500 characters");
        }
        String status = c.text(READ_STATUS);
        if (status != null) {
            status = status.toLowerCase(Locale.ROOT).replace(' ', '-');
            if (!STATUSES.contains(status)) {
                throw new CsvRecords.BadCellException("Read Status '" + c.text(READ_STATUS) + "' is not one of "
                        + String.join(", ", STATUSES));
            }
        }
        return new StoryGraphRow(row, title, c.list(AUTHORS), c.text(CONTRIBUTORS), c.isbn(ISBN_UID), c.text(FORMAT),
                status, c.date(DATE_ADDED), c.date(LAST_DATE_READ), ranges(c.text(DATES_READ)), c.integer(READ_COUNT),
                c.list(MOODS), c.text(PACE), c.text(CHARACTER_OR_PLOT), c.text(STRONG_DEVELOPMENT), c.text(LOVEABLE),
                c.text(DIVERSE), c.text(FLAWED), rating(c.text(STAR_RATING)), c.text(REVIEW), c.text(CONTENT_WARNINGS),
                c.text(CONTENT_WARNING_DESCRIPTION), c.list(TAGS), c.text(OWNED));
    }

    /** Quarter stars kept exact: 4.25 stays 4.25. 0 and blank are "not rated". */
    static BigDecimal rating(String value) {
        if (value == null) {
            return null;
        }
        BigDecimal stars;
        try {
            stars = QUARTER_STARS.matcher(value).matches() ? new BigDecimal(value) : null;
        } catch (NumberFormatException e) {
            stars = null;
        }
        if (stars == null || stars.compareTo(BigDecimal.valueOf(5)) > 0
                || stars.multiply(BigDecimal.valueOf(4)).stripTrailingZeros().scale() > 0) {
            throw new CsvRecords.BadCellException("Star Rating '" + value + "' is not 0.25 to 5 stars in quarter stars");
        }
        return stars.signum() == 0 ? null : stars;
    }

    /** "2023/01/05-2023/01/20, 2024/02/01-2024/02/11": one range per read-through, oldest first. */
    static List<StoryGraphRow.ReadRange> ranges(String value) {
        if (value == null) {
            return List.of();
        }
        List<StoryGraphRow.ReadRange> ranges = new ArrayList<>();
        for (String part : value.split("[,;]")) {
            String range = part.strip();
            if (range.isEmpty()) {
                continue;
            }
            Matcher m = RANGE.matcher(range);
            if (!m.matches() || (m.group(1) == null && m.group(3) == null)) {
                throw new CsvRecords.BadCellException("Dates Read '" + range + "' is not a range like 2023/01/05-2023/01/20");
            }
            LocalDate started = m.group(1) == null ? null : CsvRecords.Cells.date(DATES_READ, m.group(1));
            LocalDate finished = m.group(3) == null ? null : CsvRecords.Cells.date(DATES_READ, m.group(3));
            if (started != null && finished == null && m.group(2) == null) {
                finished = started; // one date: started and finished that day
            }
            if (started != null && finished != null && finished.isBefore(started)) {
                throw new CsvRecords.BadCellException("Dates Read '" + range + "' ends before it starts");
            }
            ranges.add(new StoryGraphRow.ReadRange(started, finished));
        }
        ranges.sort(java.util.Comparator.comparing((StoryGraphRow.ReadRange r) -> r.started() != null ? r.started() : r.finished()));
        return List.copyOf(ranges);
    }

    /** Writes rows in the export's columns and order. */
    public static String write(List<StoryGraphRow> rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CsvRecords.WRITE_FORMAT)) {
            printer.printRecord(COLUMNS);
            for (StoryGraphRow r : rows) {
                printer.printRecord(r.title(), String.join(", ", r.authors()), r.contributors(), r.uid(), r.format(),
                        r.readStatus(), date(r.dateAdded()), date(r.lastDateRead()), ranges(r.datesRead()),
                        r.readCount(), String.join(", ", r.moods()), r.pace(), r.characterOrPlot(), r.strongDevelopment(),
                        r.loveableCharacters(), r.diverseCharacters(), r.flawedCharacters(),
                        r.starRating() == null ? null : r.starRating().stripTrailingZeros().toPlainString(), r.review(),
                        r.contentWarnings(), r.contentWarningDescription(), String.join(", ", r.tags()), r.owned());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String ranges(List<StoryGraphRow.ReadRange> ranges) {
        List<String> parts = new ArrayList<>();
        for (StoryGraphRow.ReadRange r : ranges) {
            parts.add(r.started() != null && r.started().equals(r.finished()) ? date(r.started())
                    : (r.started() == null ? "" : date(r.started())) + "-" + (r.finished() == null ? "" : date(r.finished())));
        }
        return String.join(", ", parts);
    }

    private static String date(LocalDate date) {
        return date == null ? null : CsvRecords.WRITE_DATE.format(date);
    }
}
