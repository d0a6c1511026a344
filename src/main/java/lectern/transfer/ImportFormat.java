package lectern.transfer;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The files Lectern imports, told apart by their content (never by their name): the import page and the
 * command line's {@code import} send a file where it belongs, and each importer refuses a file of another format
 * with the endpoint that takes it. Only the start of a file is needed ({@link #HEAD_CHARS} characters).
 */
public enum ImportFormat {
    GOODREADS("goodreads", "a Goodreads export", "/api/import/goodreads", "text/csv"),
    STORYGRAPH("storygraph", "a StoryGraph export", "/api/import/storygraph", "text/csv"),
    KINDLE("kindle", "a Kindle \"My Clippings.txt\"", "/api/import/kindle", "text/plain"),
    BIBTEX("bibtex", "a BibTeX file", "/api/import/bibtex", "application/x-bibtex"),
    BACKUP("backup", "a Lectern backup (JSON)", "/api/import", "application/json");

    /** How much of a file {@link #recognize} looks at. */
    public static final int HEAD_CHARS = 64 * 1024;

    private static final Pattern BIBTEX_ENTRY = Pattern.compile("(?m)^[ \\t]*@[A-Za-z]+\\s*[{(]");
    private static final Pattern KINDLE_SEPARATOR = Pattern.compile("(?m)^={10}\\s*$");
    private static final Pattern KINDLE_META = Pattern.compile("(?m)^- [^\\n]*(\\||Added on|Your (Highlight|Note|Bookmark))");
    private static final Pattern BACKUP_FORMAT = Pattern.compile("\"format\"\\s*:\\s*\"" + Backup.FORMAT + "\"");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,12}");

    /** The name in URLs, the command line's --format and the JSON answer. */
    public final String id;
    /** What the file is, in words: "a Goodreads export". */
    public final String description;
    /** Where it is imported. */
    public final String endpoint;
    /** The content type to send it with. */
    public final String contentType;

    ImportFormat(String id, String description, String endpoint, String contentType) {
        this.id = id;
        this.description = description;
        this.endpoint = endpoint;
        this.contentType = contentType;
    }

    /** The format the text (a whole file or its start) is in, or null when it is none of them. */
    public static ImportFormat recognize(String text) {
        if (text == null) {
            return null;
        }
        String head = text.length() > HEAD_CHARS ? text.substring(0, HEAD_CHARS) : text;
        if (head.startsWith("\uFEFF")) {
            head = head.substring(1);
        }
        String start = head.stripLeading();
        if (start.isEmpty()) {
            return null;
        }
        if (start.startsWith("{")) {
            return BACKUP_FORMAT.matcher(head).find() || head.contains("\"formatVersion\"") ? BACKUP : null;
        }
        ImportFormat csv = byHeader(CsvRecords.firstRecord(head));
        if (csv != null) {
            return csv;
        }
        if (KINDLE_SEPARATOR.matcher(head).find() && KINDLE_META.matcher(head).find()) {
            return KINDLE;
        }
        if (BIBTEX_ENTRY.matcher(head).find()) {
            return BIBTEX;
        }
        return null;
    }

    /** A CSV header of one of the two services, or a Goodreads row without its header (a numeric Book Id first). */
    private static ImportFormat byHeader(List<String> cells) {
        if (cells.size() < 5) {
            return null;
        }
        List<String> names = cells.stream().map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
        if (names.contains("read status") && (names.contains("isbn/uid") || names.contains("star rating"))) {
            return STORYGRAPH;
        }
        if (names.contains("book id") || names.contains("exclusive shelf") || names.contains("my rating")) {
            return GOODREADS;
        }
        boolean goodreadsShape = cells.size() == GoodreadsCsv.LAYOUT_23.size() || cells.size() == 24 || cells.size() == 31;
        return goodreadsShape && NUMBER.matcher(cells.get(0).strip()).matches() ? GOODREADS : null;
    }

    /** The formats, listed for a message: "a Goodreads export, a StoryGraph export, ...". */
    public static String known() {
        StringBuilder out = new StringBuilder();
        for (ImportFormat f : values()) {
            out.append(out.isEmpty() ? "" : f.ordinal() == values().length - 1 ? " or " : ", ").append(f.description);
        }
        return out.toString();
    }

    public static ImportFormat ofId(String id) {
        for (ImportFormat f : values()) {
            if (f.id.equalsIgnoreCase(id)) {
                return f;
            }
        }
        return null;
    }

    /**
     * Throws {@link WrongFormat} when the text is recognizably another format than {@code expected}; a text that
     * is no known format is left to the importer, whose own messages say what is wrong with it.
     */
    public static void require(ImportFormat expected, String text) {
        ImportFormat actual = recognize(text);
        if (actual != null && actual != expected) {
            throw new WrongFormat(actual, expected);
        }
    }

    /** A file sent to the importer of another format. */
    public static final class WrongFormat extends RuntimeException {
        public final ImportFormat actual;

        WrongFormat(ImportFormat actual, ImportFormat expected) {
            super("This looks like " + actual.description + "; use " + actual.endpoint + " for it ("
                    + expected.endpoint + " takes " + expected.description + ")");
            this.actual = actual;
        }
    }
}
