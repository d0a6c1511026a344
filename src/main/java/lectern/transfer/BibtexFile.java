package lectern.transfer;

import lectern.papers.ArxivId;
import lectern.papers.Doi;
import org.jbibtex.BibTeXDatabase;
import org.jbibtex.BibTeXEntry;
import org.jbibtex.BibTeXParser;
import org.jbibtex.BibTeXString;
import org.jbibtex.Key;
import org.jbibtex.ObjectResolutionException;
import org.jbibtex.ParseException;
import org.jbibtex.TokenMgrException;
import org.jbibtex.Value;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads .bib files into papers with jbibtex (entries, {@code @string} macros, {@code month = nov}, concatenation)
 * and writes the library back in arXiv's own style. arXiv ids are found wherever the exporters put them:
 * {@code eprint} with {@code archivePrefix} (any case), {@code journal = {arXiv preprint arXiv:1610.02391}},
 * DBLP's {@code journal = {CoRR}, volume = {abs/1512.03385}}, arxiv.org links and 10.48550/arXiv DOIs.
 */
public final class BibtexFile {

    /** Entry types that describe papers (and books); others (software, manuals, datasets) are skipped. */
    static final Set<String> PAPER_TYPES = Set.of("article", "misc", "inproceedings", "conference", "book", "incollection",
            "inbook", "techreport", "report", "unpublished", "phdthesis", "mastersthesis", "thesis", "online",
            "preprint", "proceedings", "electronic");

    private static final Pattern ENTRY_START = Pattern.compile("@\\s*(\\w+)\\s*[{(]\\s*([^,\\s{}()]*)\\s*,");
    private static final Pattern AUTHOR_SEPARATOR = Pattern.compile("\\s+and\\s+", Pattern.CASE_INSENSITIVE);
    private static final Pattern YEAR = Pattern.compile("\\b(1[5-9]\\d\\d|2\\d\\d\\d)\\b");
    private static final Pattern DOI_INSIDE = Pattern.compile("10\\.\\d{4,9}(?:\\.\\d+)*/[^\\s,;]+");
    private static final Pattern CORR_VOLUME = Pattern.compile("abs/(.+)", Pattern.CASE_INSENSITIVE);

    private BibtexFile() {
    }

    /** One paper of a .bib file, decoded. {@code line} is where its {@code @type{key,} starts. */
    public record Entry(int line, String type, String key, String title, List<String> authors, Integer year,
                        ArxivId arxivId, Doi doi, String url, String primaryClass) {
    }

    public record ParsedFile(List<Entry> entries, int skipped, List<ImportResult.Failure> failures) {
    }

    /**
     * Parses a .bib file entry by entry, so that one broken entry (cut off, unbalanced, "@misc{" alone, "@@@") costs
     * only itself: it is reported by its line, and every well-formed entry around it is read. Parenthesized entries,
     * {@code @inproceedings(key, title = "A")}, are valid BibTeX and read like braced ones. {@code @string} macros
     * apply to every entry after them, as in BibTeX.
     */
    public static ParsedFile parse(String text) {
        List<ImportResult.Failure> failures = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        int skipped = 0;
        StringBuilder macros = new StringBuilder();
        for (Chunk chunk : chunks(text)) {
            if (!chunk.complete()) {
                failures.add(ImportResult.Failure.line(chunk.line(), "is not valid BibTeX (this entry was skipped): the entry "
                        + "is not closed; close it with " + (chunk.text().contains("(") && !chunk.text().contains("{") ? ")" : "}")));
                continue;
            }
            String body = braced(chunk.text());
            boolean isMacro = chunk.type().equalsIgnoreCase("string");
            String prefix = isMacro ? "" : macros.toString();
            int prefixLines = (int) prefix.chars().filter(c -> c == '\n').count();
            BibTeXParser parser = lenientParser();
            BibTeXDatabase database;
            try {
                database = parser.parseFully(new StringReader(prefix + body));
            } catch (ObjectResolutionException | TokenMgrException e) {
                failures.add(ImportResult.Failure.line(Math.max(chunk.line(), chunk.line() + lineOf(e) - 1 - prefixLines),
                        "is not valid BibTeX (this entry was skipped): " + firstLine(e.getMessage())));
                continue;
            } catch (RuntimeException | StackOverflowError e) { // jbibtex's own bugs on odd input must not cost the other entries
                Throwable cause = e.getCause() instanceof ParseException pe ? pe : e;
                String message = cause == e ? "could not be read as BibTeX" : "is not valid BibTeX";
                int at = cause instanceof ParseException pe ? lineOf(pe) : 1;
                failures.add(ImportResult.Failure.line(Math.max(chunk.line(), chunk.line() + at - 1 - prefixLines),
                        message + " (this entry was skipped): " + firstLine(cause.getMessage())));
                continue;
            }
            boolean failed = false;
            for (Exception e : parser.getExceptions()) {
                int line = Math.max(chunk.line(), chunk.line() + lineOf(e) - 1 - prefixLines);
                failures.add(ImportResult.Failure.line(line, "is not valid BibTeX (this entry was skipped): "
                        + firstLine(e.getMessage())));
                failed = true;
            }
            if (isMacro) {
                if (!failed) {
                    macros.append(body).append('\n');
                }
                continue;
            }
            for (BibTeXEntry entry : database.getEntries().values()) {
                String type = entry.getType().getValue().toLowerCase(Locale.ROOT);
                String key = entry.getKey().getValue();
                if (!PAPER_TYPES.contains(type)) {
                    skipped++;
                    continue;
                }
                try {
                    entries.add(toEntry(chunk.line(), type, key, entry));
                } catch (IllegalArgumentException e) {
                    failures.add(ImportResult.Failure.line(chunk.line(), "@" + type + "{" + key + "}: " + e.getMessage()));
                }
            }
        }
        entries.sort(java.util.Comparator.comparingInt(Entry::line));
        failures.sort(java.util.Comparator.comparingInt(ImportResult.Failure::line));
        return new ParsedFile(entries, skipped, failures);
    }

    /** One {@code @type...} of a file: where it starts, its type, its text, and whether its delimiters close. */
    private record Chunk(int line, String type, String text, boolean complete) {
    }

    /**
     * Splits a file into its {@code @} entries. Outside entries anything goes (BibTeX treats it as a comment). An entry
     * is "@", a type, then "{" or "(" and everything up to the matching closer (braces nest; quotes hide parentheses);
     * one that never closes runs to the next "@" at the start of a line and is incomplete.
     */
    private static List<Chunk> chunks(String text) {
        List<Chunk> out = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
                continue;
            }
            if (c != '@') {
                i++;
                continue;
            }
            int start = i;
            int startLine = line;
            int j = i + 1;
            while (j < n && Character.isWhitespace(text.charAt(j)) && text.charAt(j) != '\n') {
                j++;
            }
            int typeStart = j;
            while (j < n && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
                j++;
            }
            String type = text.substring(typeStart, j);
            while (j < n && Character.isWhitespace(text.charAt(j))) {
                j++;
            }
            if (type.isEmpty() || j >= n || (text.charAt(j) != '{' && text.charAt(j) != '(')) {
                // "@@@", "@ ", an email address in a comment: not an entry; report it only when it looks like one
                int end = j;
                while (end < n && text.charAt(end) != '\n') {
                    end++;
                }
                String rest = text.substring(start, end).strip();
                if (rest.startsWith("@") && (type.isEmpty() || rest.length() == type.length() + 1) && isEntryStart(text, start)) {
                    out.add(new Chunk(startLine, type, rest, false));
                }
                i = Math.max(i + 1, typeStart);
                continue;
            }
            char open = text.charAt(j);
            int end = closer(text, j, open);
            if (end < 0) {
                // never closed: up to the next "@" that starts a line (the next entry), which is read on its own
                int next = text.indexOf("\n@", j);
                int stop = next < 0 ? n : next + 1;
                out.add(new Chunk(startLine, type, text.substring(start, stop), false));
                for (int k = i; k < stop; k++) {
                    if (text.charAt(k) == '\n') {
                        line++;
                    }
                }
                i = stop;
                continue;
            }
            out.add(new Chunk(startLine, type, text.substring(start, end + 1), true));
            for (int k = i; k <= end; k++) {
                if (text.charAt(k) == '\n') {
                    line++;
                }
            }
            i = end + 1;
        }
        return out;
    }

    /** An "@" at the start of a line (after blanks) begins an entry; elsewhere it is prose in a comment. */
    private static boolean isEntryStart(String text, int at) {
        for (int k = at - 1; k >= 0; k--) {
            char c = text.charAt(k);
            if (c == '\n') {
                return true;
            }
            if (!Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    private static final Pattern NEXT_ENTRY = Pattern.compile("[ \t]*@[A-Za-z]+\\s*[{(]");

    /**
     * The index of the closer matching {@code open} at {@code from}, or -1. A line that starts a new entry
     * ({@code @type{}) while this one is open means this one was never closed (a cut-off value, a missing brace):
     * -1, so that a broken entry cannot swallow the good ones after it up to some stray brace.
     */
    private static int closer(String text, int from, char open) {
        int depth = 0;
        boolean quoted = false;
        for (int k = from; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c == '\n' && NEXT_ENTRY.matcher(text).region(k + 1, text.length()).lookingAt()) {
                return -1;
            }
            if (c == '\\' && k + 1 < text.length()) {
                k++; // an escaped character (\{, \") is text
                continue;
            }
            if (open == '(') {
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                } else if (c == '"' && depth == 0) {
                    quoted = !quoted;
                } else if (c == ')' && depth == 0 && !quoted) {
                    return k;
                }
            } else {
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                    if (depth == 0) {
                        return k;
                    }
                }
            }
        }
        return -1;
    }

    /** A parenthesized entry with its outer parentheses made braces (jbibtex reads only braces). */
    private static String braced(String chunk) {
        int open = chunk.indexOf('(');
        int brace = chunk.indexOf('{');
        if (open < 0 || (brace >= 0 && brace < open) || !chunk.endsWith(")")) {
            return chunk;
        }
        return chunk.substring(0, open) + "{" + chunk.substring(open + 1, chunk.length() - 1) + "}";
    }

    private static BibTeXParser lenientParser() {
        try {
            return new BibTeXParser() {
                @Override
                public void checkStringResolution(Key key, BibTeXString string) {
                    // An undefined macro (month = sept, a journal abbreviation) is kept as its name, not an error.
                }

                @Override
                public void checkCrossReferenceResolution(Key key, BibTeXEntry entry) {
                }
            };
        } catch (ParseException e) {
            throw new IllegalStateException("jbibtex could not set up its month macros", e);
        }
    }

    private static Entry toEntry(int line, String type, String key, BibTeXEntry entry) {
        String title = LatexText.decode(field(entry, "title"));
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("has no title; add title = {...}");
        }
        if (title.length() > 500) {
            throw new IllegalArgumentException("the title is longer than 500 characters");
        }
        List<String> authors = authors(field(entry, "author"));
        Integer year = year(field(entry, "year"), field(entry, "date"));
        Doi doi = doi(field(entry, "doi"));
        String url = field(entry, "url");
        url = url == null || url.isBlank() ? null : url.strip();
        if (url != null && !url.matches("(?i)https?://\\S+")) {
            url = null; // a local path or a mangled link is no use in the library
        }
        ArxivId arxivId = arxivId(entry, doi, url);
        String primaryClass = field(entry, "primaryclass");
        return new Entry(line, type, key, title, authors, year, arxivId, doi, url,
                primaryClass == null || primaryClass.isBlank() ? null : primaryClass.strip());
    }

    /** The DOI, also out of a publisher's link to it; a field that holds none is ignored rather than fatal. */
    private static Doi doi(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Optional<Doi> doi = tryDoi(text.strip());
        if (doi.isEmpty()) {
            Matcher m = DOI_INSIDE.matcher(text);
            if (m.find()) {
                doi = tryDoi(m.group());
            }
        }
        return doi.orElse(null);
    }

    private static Optional<Doi> tryDoi(String text) {
        try {
            return Optional.of(Doi.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static ArxivId arxivId(BibTeXEntry entry, Doi doi, String url) {
        String eprint = field(entry, "eprint");
        String prefix = Optional.ofNullable(field(entry, "archiveprefix")).orElse(field(entry, "eprinttype"));
        if (eprint != null && (prefix == null || prefix.strip().equalsIgnoreCase("arxiv"))) {
            Optional<ArxivId> id = ArxivId.tryParse(eprint.strip());
            if (id.isPresent()) {
                return id.get();
            }
        }
        if (doi != null && doi.arxivId().isPresent()) {
            return doi.arxivId().get();
        }
        String journal = field(entry, "journal");
        if (journal != null && journal.strip().equalsIgnoreCase("corr")) {
            String volume = field(entry, "volume");
            Matcher m = volume == null ? null : CORR_VOLUME.matcher(volume.strip());
            if (m != null && m.matches()) {
                Optional<ArxivId> id = ArxivId.tryParse(m.group(1));
                if (id.isPresent()) {
                    return id.get();
                }
            }
        }
        for (String field : List.of("journal", "number", "note", "howpublished", "booktitle", "url", "eprint", "pages")) {
            String value = field(entry, field);
            if (value == null || !value.toLowerCase(Locale.ROOT).contains("arxiv")) {
                continue;
            }
            List<ArxivId> found = ArxivId.findAll(value);
            if (!found.isEmpty()) {
                return found.get(0);
            }
        }
        return null;
    }

    /** "Vaswani, Ashish and Shazeer, Noam and others" -> [Ashish Vaswani, Noam Shazeer]. */
    static List<String> authors(String field) {
        if (field == null || field.isBlank()) {
            return List.of();
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String raw : splitTopLevel(field.strip())) {
            if (raw.isBlank() || raw.strip().equalsIgnoreCase("others")) {
                continue;
            }
            List<String> parts = splitCommas(raw);
            String name;
            if (parts.size() == 1) {
                name = parts.get(0);
            } else if (parts.size() == 2) {
                name = parts.get(1) + " " + parts.get(0); // Last, First
            } else {
                name = parts.get(2) + " " + parts.get(0) + " " + parts.get(1); // von Last, Jr, First
            }
            String decoded = LatexText.decode(name);
            if (!decoded.isBlank()) {
                names.add(decoded);
            }
        }
        return List.copyOf(names);
    }

    /** Splits on " and " outside braces: {Barnes and Noble} is one author. */
    private static List<String> splitTopLevel(String field) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (depth == 0 && Character.isWhitespace(c)) {
                Matcher m = AUTHOR_SEPARATOR.matcher(field).region(i, field.length());
                if (m.lookingAt()) {
                    parts.add(field.substring(start, i));
                    start = m.end();
                    i = m.end() - 1;
                }
            }
        }
        parts.add(field.substring(start));
        return parts;
    }

    private static List<String> splitCommas(String name) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(name.substring(start, i).strip());
                start = i + 1;
            }
        }
        parts.add(name.substring(start).strip());
        parts.removeIf(String::isEmpty);
        return parts.isEmpty() ? List.of("") : parts;
    }

    private static Integer year(String year, String date) {
        for (String value : new String[] {year, date}) {
            if (value != null) {
                Matcher m = YEAR.matcher(value);
                if (m.find()) {
                    return Integer.valueOf(m.group(1));
                }
            }
        }
        return null;
    }

    /** A field's text with macros resolved (month = nov -> November); keys are case-insensitive. */
    static String field(BibTeXEntry entry, String name) {
        for (Map.Entry<Key, Value> field : entry.getFields().entrySet()) {
            if (field.getKey().getValue().equalsIgnoreCase(name)) {
                try {
                    return field.getValue().toUserString();
                } catch (RuntimeException e) {
                    return null; // an unresolved macro
                }
            }
        }
        return null;
    }

    private static int lineOf(Exception e) {
        if (e instanceof ParseException pe && pe.currentToken != null) {
            return pe.currentToken.next != null ? pe.currentToken.next.beginLine : pe.currentToken.beginLine;
        }
        Matcher m = Pattern.compile("line (\\d+)").matcher(String.valueOf(e.getMessage()));
        return m.find() ? Integer.parseInt(m.group(1)) : 1;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        return message.strip().split("\\R", 2)[0];
    }

    /** A paper to write: what the library holds, plus the citation key and class it came with. */
    public record ExportEntry(String key, String title, List<String> authors, Integer year, String arxivId,
                              Integer arxivVersion, String doi, String url, String primaryClass) {
    }

    /** arXiv's own style: {@code @misc{key, title=, author={A and B}, year=, eprint=, archivePrefix={arXiv}, ...}}. */
    public static String write(List<ExportEntry> entries) {
        StringBuilder out = new StringBuilder();
        for (ExportEntry e : entries) {
            out.append("@misc{").append(e.key()).append(",\n");
            field(out, "title", LatexText.encode(e.title()));
            if (!e.authors().isEmpty()) {
                field(out, "author", String.join(" and ", e.authors().stream().map(BibtexFile::protectAuthor).toList()));
            }
            if (e.year() != null) {
                field(out, "year", e.year().toString());
            }
            if (e.arxivId() != null) {
                field(out, "eprint", e.arxivId());
                field(out, "archivePrefix", "arXiv");
                if (e.primaryClass() != null) {
                    field(out, "primaryClass", e.primaryClass());
                }
            }
            if (e.doi() != null) {
                field(out, "doi", e.doi());
            }
            String url = e.url() != null ? e.url() : e.arxivId() != null ? "https://arxiv.org/abs/" + e.arxivId() : null;
            if (url != null) {
                field(out, "url", url);
            }
            out.append("}\n\n");
        }
        return out.toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append("      ").append(name).append("={").append(value).append("},\n");
    }

    /**
     * Names are written "First Last"; one with a comma or an " and " inside is braced so that BibTeX
     * reads it back as one name, as written.
     */
    private static String protectAuthor(String name) {
        String encoded = LatexText.encode(name);
        if (name.contains(",") || AUTHOR_SEPARATOR.matcher(name).find()) {
            return "{" + encoded + "}";
        }
        return encoded;
    }
}
