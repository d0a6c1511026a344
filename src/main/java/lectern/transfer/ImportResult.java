package lectern.transfer;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What an import did: books or papers created, existing ones updated, rows that changed nothing (already there,
 * or changed in Lectern since) skipped, and the rows/lines that could not be imported, each with what to fix.
 */
public record ImportResult(int created, int updated, int skipped, List<Failure> failed) {

    /** A row of a CSV file (as a spreadsheet numbers it) or a line of a .bib file, and why it was not imported. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failure(Integer row, Integer line, String message) {
        public static Failure row(int row, String message) {
            return new Failure(row, null, message);
        }

        public static Failure line(int line, String message) {
            return new Failure(null, line, message);
        }
    }

    /** Counts that the import services add up batch by batch. */
    public static final class Tally {
        public int created;
        public int updated;
        public int skipped;
        public final List<Failure> failed = new java.util.ArrayList<>();

        public ImportResult result() {
            List<Failure> sorted = failed.stream()
                    .sorted(java.util.Comparator.comparing((Failure f) -> f.row() != null ? f.row() : f.line()))
                    .toList();
            return new ImportResult(created, updated, skipped, sorted);
        }
    }
}
