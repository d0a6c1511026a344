package lectern.transfer;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * One book of a StoryGraph library export, cleaned: blanks as null, authors and lists split, dates parsed, the
 * rating exact (quarter stars). {@code row} is the row number as a spreadsheet shows it (the header is row 1).
 * Columns Lectern has no place for are kept as written, so that an export gives them back.
 */
public record StoryGraphRow(
        int row,
        String title,
        List<String> authors,
        String contributors,
        String uid,
        String format,
        String readStatus,
        LocalDate dateAdded,
        LocalDate lastDateRead,
        List<ReadRange> datesRead,
        Integer readCount,
        List<String> moods,
        String pace,
        String characterOrPlot,
        String strongDevelopment,
        String loveableCharacters,
        String diverseCharacters,
        String flawedCharacters,
        BigDecimal starRating,
        String review,
        String contentWarnings,
        String contentWarningDescription,
        List<String> tags,
        String owned) {

    /** One read-through from "Dates Read": {@code 2023/01/05-2023/01/20}; either end may be missing. */
    public record ReadRange(LocalDate started, LocalDate finished) {
    }
}
