package lectern.transfer;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import lectern.books.Book;
import lectern.books.Reading;
import lectern.books.Review;
import lectern.logs.LogMarkdown;
import lectern.logs.LogStore;
import lectern.logs.LogView;
import lectern.notes.Note;
import lectern.papers.ArxivId;
import lectern.papers.Paper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The account as an Obsidian vault, zipped: {@code Books/<title>.md} and {@code Papers/<title>.md} with YAML front
 * matter (title, authors, status, rating, dates, tags, arXiv id, DOI) and the notes as a list with their pages, each
 * arXiv id in a note linked to the paper's file ({@code [[Attention Is All You Need|arXiv:1706.03762]]}) when the
 * paper is in the library; and one daily note per log day, {@code Daily notes/YYYY-MM-DD.md}, in exactly the markdown
 * that {@code PUT /api/logs/{date}} reads back ({@link LogMarkdown}). File names are unique in the whole vault, so
 * the links need no folder.
 */
@ApplicationScoped
public class ObsidianVault {

    static final String BOOKS = "Books/";
    static final String PAPERS = "Papers/";
    static final String DAILY = "Daily notes/";

    /** What Obsidian (and Windows, macOS) do not take in a file name, or what breaks a [[link]]. */
    private static final Pattern NOT_IN_NAME = Pattern.compile("[\\\\/:*?\"<>|#^\\[\\]\\p{Cntrl}]+");
    private static final int MAX_NAME = 120;

    @Inject
    LogStore logs;

    public void write(long ownerId, OutputStream out) {
        List<Book> books = Book.list("ownerId = ?1 and deletedAt is null", Sort.by("title").and("id"), ownerId);
        List<Paper> papers = Paper.list("ownerId = ?1 and deletedAt is null", Sort.by("title").and("id"), ownerId);
        List<LogView> days = logs.range(ownerId, LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31));
        Map<Long, Review> reviews = Review.<Review>list("ownerId", ownerId).stream()
                .collect(Collectors.toMap(r -> r.bookId, Function.identity()));
        Map<Long, List<Reading>> readings = Reading.<Reading>list("ownerId", Sort.by("startedOn").and("id"), ownerId)
                .stream().collect(Collectors.groupingBy(r -> r.bookId));
        Map<Long, List<Note>> bookNotes = new HashMap<>();
        Map<Long, List<Note>> paperNotes = new HashMap<>();
        for (Note note : Note.<Note>list("ownerId = ?1 and deletedAt is null", Sort.by("createdAt").and("id"), ownerId)) {
            (note.bookId != null ? bookNotes.computeIfAbsent(note.bookId, k -> new ArrayList<>())
                    : paperNotes.computeIfAbsent(note.paperId, k -> new ArrayList<>())).add(note);
        }
        Map<Long, String> locations = kindleLocations(ownerId);

        // Daily notes keep their dates as names; books and papers get the rest, unique without regard to case.
        Set<String> taken = new HashSet<>();
        days.forEach(d -> taken.add(d.date().toString()));
        Map<Long, String> bookNames = new HashMap<>();
        books.forEach(b -> bookNames.put(b.id, uniqueName(b.title, taken)));
        Map<Long, String> paperNames = new HashMap<>();
        Map<String, String> paperByArxivId = new HashMap<>();
        for (Paper p : papers) {
            paperNames.put(p.id, uniqueName(p.title, taken));
            if (p.arxivId != null) {
                paperByArxivId.put(p.arxivId, paperNames.get(p.id));
            }
        }
        try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
            for (Book b : books) {
                put(zip, BOOKS + bookNames.get(b.id) + ".md", book(b, reviews.get(b.id), readings.getOrDefault(b.id, List.of()),
                        bookNotes.getOrDefault(b.id, List.of()), locations, paperByArxivId));
            }
            for (Paper p : papers) {
                put(zip, PAPERS + paperNames.get(p.id) + ".md", paper(p, paperNotes.getOrDefault(p.id, List.of()), paperByArxivId));
            }
            for (LogView day : days) {
                put(zip, DAILY + day.date() + ".md", LogMarkdown.render(day.date(), day.parsed()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String book(Book book, Review review, List<Reading> readings, List<Note> notes, Map<Long, String> locations,
                       Map<String, String> paperByArxivId) {
        FrontMatter yaml = new FrontMatter();
        yaml.text("title", book.title);
        yaml.list("authors", book.authors);
        yaml.plain("status", book.status.name());
        if (review != null) {
            yaml.plain("rating", yamlNumber(review.rating));
        }
        yaml.text("isbn", book.isbn13);
        yaml.plain("pages", book.pages);
        yaml.plain("year", book.year);
        if (!readings.isEmpty()) {
            Reading last = readings.get(readings.size() - 1);
            yaml.plain("started", last.startedOn);
            yaml.plain("finished", last.finishedOn);
            yaml.list("read-throughs", readings.stream().map(r -> r.startedOn + " to "
                    + (r.finishedOn == null ? "now" : r.finishedOn) + " (" + r.status + ")").toList());
        }
        yaml.list("tags", tags(book.tags));
        StringBuilder md = yaml.end();
        md.append("\n# ").append(book.title).append('\n');
        if (!book.authors.isEmpty()) {
            md.append("\n*").append(String.join(", ", book.authors)).append("*\n");
        }
        if (review != null) {
            md.append("\n## Review\n\n").append(yamlNumber(review.rating)).append(" stars\n");
            if (review.text != null) {
                md.append('\n').append(review.text.strip()).append('\n');
            }
        }
        notes(md, notes, locations, paperByArxivId);
        return md.toString();
    }

    static String paper(Paper paper, List<Note> notes, Map<String, String> paperByArxivId) {
        FrontMatter yaml = new FrontMatter();
        yaml.text("title", paper.title);
        yaml.list("authors", paper.authors);
        yaml.plain("status", paper.status.toString());
        yaml.text("arxiv", paper.arxivId == null ? null : paper.arxivVersion == null ? paper.arxivId : paper.arxivId + "v" + paper.arxivVersion);
        yaml.text("doi", paper.doi);
        yaml.plain("year", paper.year);
        yaml.text("url", paper.url != null ? paper.url : paper.arxivId != null ? "https://arxiv.org/abs/" + paper.arxivId : null);
        yaml.plain("started", paper.startedOn);
        yaml.plain("read", paper.readOn);
        yaml.list("tags", tags(paper.tags));
        StringBuilder md = yaml.end();
        md.append("\n# ").append(paper.title).append('\n');
        if (!paper.authors.isEmpty()) {
            md.append("\n*").append(String.join(", ", paper.authors)).append("*\n");
        }
        notes(md, notes, Map.of(), paperByArxivId);
        return md.toString();
    }

    /** "- (p. 12, highlight) text", later lines of a note indented under it; arXiv ids as links to the paper's file. */
    private static void notes(StringBuilder md, List<Note> notes, Map<Long, String> locations, Map<String, String> paperByArxivId) {
        if (notes.isEmpty()) {
            return;
        }
        md.append("\n## Notes\n\n");
        for (Note note : notes) {
            List<String> where = new ArrayList<>();
            if (note.page != null) {
                where.add("p. " + note.page);
            }
            if (locations.containsKey(note.id)) {
                where.add(locations.get(note.id));
            }
            where.add(note.kind.name());
            String text = ArxivId.replaceAll(note.text.strip(), (id, named) -> paperByArxivId.containsKey(id.id())
                    ? "[[" + paperByArxivId.get(id.id()) + "|" + named.replace("|", "/") + "]]" : null);
            md.append("- (").append(String.join(", ", where)).append(") ")
                    .append(text.replace("\r\n", "\n").replace("\n", "\n  ")).append('\n');
        }
    }

    /** "loc. 170-172" for the notes made from Kindle clippings. */
    @SuppressWarnings("unchecked")
    private static Map<Long, String> kindleLocations(long ownerId) {
        Map<Long, String> locations = new HashMap<>();
        List<Object[]> rows = Note.getEntityManager().createNativeQuery(
                        "select note_id, location_start, location_end from kindle_clipping where owner_id = ?1 and location_start is not null")
                .setParameter(1, ownerId).getResultList();
        for (Object[] r : rows) {
            locations.put(((Number) r[0]).longValue(), "loc. " + r[1] + (r[2] == null || r[2].equals(r[1]) ? "" : "-" + r[2]));
        }
        return locations;
    }

    /** Obsidian's tags take no spaces. */
    private static List<String> tags(List<String> tags) {
        return tags.stream().map(t -> t.strip().replaceAll("\\s+", "-")).distinct().toList();
    }

    /** A file name for the title, unique in the vault without regard to case. */
    static String uniqueName(String title, Set<String> taken) {
        String name = NOT_IN_NAME.matcher(title).replaceAll(" ").replaceAll("\\s+", " ").strip();
        name = name.replaceAll("^\\.+", "").strip();
        if (name.length() > MAX_NAME) {
            name = name.substring(0, MAX_NAME).strip();
        }
        if (name.isEmpty()) {
            name = "Untitled";
        }
        String unique = name;
        for (int n = 2; !taken.add(unique.toLowerCase(Locale.ROOT)); n++) {
            unique = name + " (" + n + ")";
        }
        return unique;
    }

    private static String yamlNumber(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static void put(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    /** YAML front matter: strings double-quoted (any title is safe), numbers and dates plain, empty fields left out. */
    static final class FrontMatter {
        private final StringBuilder out = new StringBuilder("---\n");

        void text(String key, String value) {
            if (value != null && !value.isBlank()) {
                out.append(key).append(": ").append(quoted(value)).append('\n');
            }
        }

        void plain(String key, Object value) {
            if (value != null) {
                out.append(key).append(": ").append(value).append('\n');
            }
        }

        void list(String key, List<String> values) {
            if (values == null || values.isEmpty()) {
                return;
            }
            out.append(key).append(":\n");
            values.forEach(v -> out.append("  - ").append(quoted(v)).append('\n'));
        }

        StringBuilder end() {
            return out.append("---\n");
        }

        static String quoted(String value) {
            return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "")
                    .replace("\t", "\\t") + "\"";
        }
    }
}
