package lectern.transfer;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The records of an exported CSV file (Goodreads, StoryGraph), read so that one broken row is reported and the rest
 * still reads: each physical line is parsed on its own with Commons CSV, joined with the next while a quoted cell is
 * still open. A UTF-8 BOM is dropped, blank lines are skipped, cells padded with spaces are trimmed.
 */
final class CsvRecords {

    /** One record and its row number as a spreadsheet shows it (the first line is row 1). */
    record Line(int row, List<String> cells) {
    }

    private static final CSVFormat READ_FORMAT = CSVFormat.DEFAULT.builder()
            .setIgnoreSurroundingSpaces(true)
            .setIgnoreEmptyLines(false)
            .get();
    static final CSVFormat WRITE_FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();

    /** A quoted cell may hold line breaks; more than this many lines in one row is a quote left open. */
    private static final int MAX_LINES_PER_ROW = 200;
    /** Both services write dates as 2020/10/25 (Goodreads also drops the leading zeros). */
    static final DateTimeFormatter SLASHED_DATE = DateTimeFormatter.ofPattern("uuuu/M/d", Locale.ROOT);
    static final DateTimeFormatter WRITE_DATE = DateTimeFormatter.ofPattern("uuuu/MM/dd", Locale.ROOT);

    private CsvRecords() {
    }

    /** The records of the text; rows that are not valid CSV go to {@code failures}. */
    static List<Line> read(String text, List<ImportResult.Failure> failures) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r\n|\n|\r", -1);
        List<Line> records = new ArrayList<>();
        int i = 0;
        while (i < lines.length) {
            int rowNumber = i + 1;
            if (lines[i].isBlank()) {
                i++;
                continue;
            }
            List<String> cells;
            StringBuilder record = new StringBuilder(lines[i]);
            int used = 1;
            while (true) {
                try {
                    cells = parseRecord(record.toString());
                    break;
                } catch (UnclosedQuoteException e) {
                    if (i + used >= lines.length || used >= MAX_LINES_PER_ROW) {
                        cells = null;
                        break;
                    }
                    record.append('\n').append(lines[i + used]);
                    used++;
                } catch (MalformedRowException e) {
                    if (used > 1) {
                        // Joining the next lines did not give a valid row either: the quote was simply left open.
                        cells = null;
                        break;
                    }
                    failures.add(ImportResult.Failure.row(rowNumber, "is not valid CSV: " + e.getMessage()));
                    cells = List.of();
                    break;
                }
            }
            if (cells == null) {
                // The quote never closed: report it and go on from the next line rather than swallowing the file.
                failures.add(ImportResult.Failure.row(rowNumber,
                        "has a quoted cell that is never closed (a \" is missing); fix the quotes in this row"));
                i++;
                continue;
            }
            i += used;
            if (!cells.isEmpty()) {
                records.add(new Line(rowNumber, cells));
            }
        }
        return records;
    }

    /** The cells of the first non-blank line, or an empty list (for recognizing a file by its header). */
    static List<String> firstRecord(String text) {
        for (String line : text.split("\r\n|\n|\r", 20)) {
            if (!line.isBlank()) {
                try {
                    return parseRecord(line.startsWith("\uFEFF") ? line.substring(1) : line);
                } catch (RuntimeException e) {
                    return List.of();
                }
            }
        }
        return List.of();
    }

    /** Column indexes by name; header names that match a known column but for case are spelled as it is. */
    static Map<String, Integer> columnsByName(List<String> header, List<String> known) {
        Map<String, Integer> columns = new java.util.HashMap<>();
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c).strip();
            for (String column : known) {
                if (column.equalsIgnoreCase(name)) {
                    name = column;
                }
            }
            columns.putIfAbsent(name, c);
        }
        return columns;
    }

    private static List<String> parseRecord(String line) {
        try (CSVParser parser = CSVParser.parse(line, READ_FORMAT)) {
            List<CSVRecord> records = parser.getRecords();
            if (records.isEmpty()) {
                return List.of();
            }
            if (records.size() > 1) {
                throw new MalformedRowException("it holds more than one record");
            }
            return records.get(0).toList();
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (message.contains("EOF reached before encapsulated token finished")) {
                throw new UnclosedQuoteException();
            }
            throw new MalformedRowException(message.replaceAll("\\s*\\(line \\d+\\)", ""));
        }
    }

    /** The cells of one row, by column name, cleaned: blanks are null. */
    record Cells(List<String> cells, Map<String, Integer> columns) {

        String text(String column) {
            Integer index = columns.get(column);
            if (index == null || index >= cells.size()) {
                return null;
            }
            String value = cells.get(index).strip();
            return value.isEmpty() ? null : value;
        }

        /** {@code ="0062445316"} is how Goodreads keeps spreadsheets from eating leading zeros. */
        String isbn(String column) {
            String value = text(column);
            if (value == null) {
                return null;
            }
            if (value.startsWith("=")) {
                value = value.substring(1);
            }
            value = value.replace("\"", "").strip();
            return value.isEmpty() ? null : value;
        }

        Integer integer(String column) {
            String value = text(column);
            if (value == null) {
                return null;
            }
            try {
                return Integer.valueOf(value);
            } catch (NumberFormatException e) {
                throw new BadCellException(column + " '" + value + "' is not a whole number");
            }
        }

        LocalDate date(String column) {
            String value = text(column);
            return value == null ? null : date(column, value);
        }

        static LocalDate date(String column, String value) {
            try {
                return value.contains("/") ? LocalDate.parse(value, SLASHED_DATE) : LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw new BadCellException(column + " '" + value + "' is not a date like 2020/10/25");
            }
        }

        List<String> list(String column) {
            String value = text(column);
            if (value == null) {
                return List.of();
            }
            return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
        }
    }

    /** A cell that cannot be read; the message names the column and the value. */
    static final class BadCellException extends RuntimeException {
        BadCellException(String message) {
            super(message, null, false, false);
        }
    }

    private static final class UnclosedQuoteException extends RuntimeException {
        UnclosedQuoteException() {
            super(null, null, false, false);
        }
    }

    private static final class MalformedRowException extends RuntimeException {
        MalformedRowException(String message) {
            super(message, null, false, false);
        }
    }
}
