package lectern.transfer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import lectern.books.Book;
import lectern.books.BookDetails;
import lectern.books.BookStatus;
import lectern.books.NewBooks;
import lectern.notes.Note;
import lectern.notes.NoteKind;
import lectern.notes.NoteService;
import lectern.transfer.ImportedBooks.Library;
import lectern.transfer.ImportedBooks.Outcome;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static lectern.transfer.ImportedBooks.titleAuthorKey;

/**
 * Imports a Kindle's "My Clippings.txt" ({@link KindleClippings}) as notes on their books: a highlight becomes a
 * {@code highlight} note, a note typed on the Kindle an {@code idea} (the reader's own words), with the page when the
 * Kindle gives one and the day it was added as the note's date; the Kindle location is kept in
 * {@code kindle_clipping}. The book is found by title and author (also without a trailing "(Series Book 1)" or a
 * subtitle; by title alone when the clipping names no author and one book has that title), or created on the
 * want-to-read shelf. Importing the file again creates nothing; a highlight extended on the Kindle since updates its
 * note; a note deleted in Lectern stays deleted. The counts are clippings: bookmarks and earlier versions of edited
 * highlights are counted as skipped.
 */
@ApplicationScoped
public class KindleImport {

    @Inject
    Clock clock;

    static final int BATCH = 500;
    private static final Pattern TRAILING_GROUP = Pattern.compile("\\s*\\([^()]*\\)\\s*$");

    /** A clipping imported earlier, as kindle_clipping and its note have it. */
    private record Stored(long noteId, KindleClippings.Kind kind, Integer page, Integer locationStart, Integer locationEnd,
                          LocalDateTime addedAt, String text, boolean deleted) {
    }

    /** What a batch reads once: the account's books and, per book, its clippings. */
    private static final class Known {
        final Library library;
        final Map<Long, List<Stored>> clippings = new HashMap<>();

        Known(long ownerId) {
            library = new Library(ownerId, null);
        }
    }

    public ImportResult importClippings(long ownerId, String text) {
        KindleClippings.ParsedFile file = KindleClippings.parse(text);
        ImportResult.Tally tally = new ImportResult.Tally();
        tally.failed.addAll(file.failures());
        tally.skipped += file.bookmarks() + file.editedAway();
        Known[] known = {null};
        ImportedBooks.inBatches(file.clippings(), BATCH, (c, message) -> ImportResult.Failure.line(c.line(), message),
                batch -> importBatch(ownerId, known, batch), () -> known[0] = null, tally, done -> { });
        return tally.result();
    }

    private List<Outcome> importBatch(long ownerId, Known[] holder, List<KindleClippings.Clipping> clippings) {
        if (holder[0] == null) {
            holder[0] = new Known(ownerId);
        }
        Known known = holder[0];
        List<Outcome> outcomes = new ArrayList<>(clippings.size());
        for (KindleClippings.Clipping clipping : clippings) {
            long bookId = book(ownerId, known.library, clipping);
            List<Stored> stored = known.clippings.computeIfAbsent(bookId, id -> stored(ownerId, id));
            outcomes.add(importClipping(ownerId, bookId, stored, clipping));
        }
        return outcomes;
    }

    /** The book the clipping belongs to, created when the account has none by that title and author. */
    private static long book(long ownerId, Library library, KindleClippings.Clipping clipping) {
        String author = clipping.authors().isEmpty() ? null : clipping.authors().get(0);
        for (String title : titles(clipping.title())) {
            Long id = author != null ? library.byTitleAuthor.get(titleAuthorKey(title, author))
                    : library.byTitle.get(titleAuthorKey(title, null));
            if (id != null && id != Library.AMBIGUOUS) {
                return id;
            }
        }
        Book book = NewBooks.create(ownerId, BookDetails.titled(clipping.title(), clipping.authors()), BookStatus.want);
        library.add(book.id, null, book.title, author);
        return book.id;
    }

    /** The title as the Kindle gives it, without its trailing "(Series Book 1)" groups, and without a subtitle. */
    static List<String> titles(String title) {
        List<String> titles = new ArrayList<>(List.of(title));
        String shorter = title;
        while (TRAILING_GROUP.matcher(shorter).find()) {
            shorter = TRAILING_GROUP.matcher(shorter).replaceFirst("");
            if (!shorter.isBlank()) {
                titles.add(shorter);
            }
        }
        for (String t : List.copyOf(titles)) {
            int colon = t.indexOf(": ");
            if (colon > 0) {
                titles.add(t.substring(0, colon));
            }
        }
        return titles;
    }

    private Outcome importClipping(long ownerId, long bookId, List<Stored> stored, KindleClippings.Clipping clipping) {
        for (int i = 0; i < stored.size(); i++) {
            Stored s = stored.get(i);
            if (!KindleClippings.sameClipping(s.kind(), s.page(), s.locationStart(), s.locationEnd(), s.text(), clipping)) {
                continue;
            }
            boolean later = KindleClippings.isEarlier(s.addedAt(), clipping.addedAt());
            if (s.deleted() || !later || s.text().equals(clipping.text())) {
                return Outcome.SKIPPED;
            }
            // The highlight was extended on the Kindle after the last import: its note follows.
            Note.update("text = ?1, page = ?2, version = version + 1, updatedAt = ?3 where id = ?4", noteText(clipping),
                    page(clipping), java.time.OffsetDateTime.now(clock), s.noteId());
            write("update kindle_clipping set location_start = ?, location_end = ?, added_at = ? where note_id = ?",
                    clipping.locationStart(), clipping.locationEnd(), timestamp(clipping.addedAt()), s.noteId());
            stored.set(i, new Stored(s.noteId(), s.kind(), clipping.page(), clipping.locationStart(), clipping.locationEnd(),
                    clipping.addedAt(), clipping.text(), false));
            return Outcome.UPDATED;
        }
        String text = noteText(clipping);
        // A note with the same words (restored from a backup, which does not keep Kindle locations) is this one.
        if (Note.count("ownerId = ?1 and bookId = ?2 and text = ?3", ownerId, bookId, text) > 0) {
            return Outcome.SKIPPED;
        }
        Note note = new Note();
        note.ownerId = ownerId;
        note.bookId = bookId;
        note.kind = clipping.kind() == KindleClippings.Kind.highlight ? NoteKind.highlight : NoteKind.idea;
        note.text = text;
        note.page = page(clipping);
        note.persist();
        if (clipping.addedAt() != null) {
            Note.getEntityManager().createNativeQuery("update note set created_at = ?1, updated_at = ?1 where id = ?2")
                    .setParameter(1, clipping.addedAt().atZone(ZoneId.systemDefault()).toOffsetDateTime())
                    .setParameter(2, note.id).executeUpdate();
        }
        write("""
                        insert into kindle_clipping (note_id, owner_id, book_id, kind, location_start, location_end, added_at)
                        values (?, ?, ?, ?, ?, ?, ?)""", note.id, ownerId, bookId, clipping.kind().name(),
                clipping.locationStart(), clipping.locationEnd(), timestamp(clipping.addedAt()));
        stored.add(new Stored(note.id, clipping.kind(), clipping.page(), clipping.locationStart(), clipping.locationEnd(),
                clipping.addedAt(), clipping.text(), false));
        return Outcome.CREATED;
    }

    /** Notes keep pages up to Book.MAX_PAGES. */
    private static Integer page(KindleClippings.Clipping clipping) {
        return clipping.page() != null && clipping.page() <= Book.MAX_PAGES ? clipping.page() : null;
    }

    /** One statement over JDBC, where nulls keep their column's type (Hibernate's native queries bind them untyped). */
    private static void write(String sql, Object... values) {
        Note.getEntityManager().flush();
        Note.getEntityManager().unwrap(org.hibernate.Session.class).doWork(connection -> {
            try (java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    if (values[i] == null) {
                        statement.setNull(i + 1, java.sql.Types.NULL);
                    } else {
                        statement.setObject(i + 1, values[i]);
                    }
                }
                statement.executeUpdate();
            }
        });
    }

    private static String noteText(KindleClippings.Clipping clipping) {
        String text = clipping.text();
        return text.length() > NoteService.MAX_TEXT ? text.substring(0, NoteService.MAX_TEXT) : text;
    }

    private static Timestamp timestamp(LocalDateTime time) {
        return time == null ? null : Timestamp.valueOf(time);
    }

    @SuppressWarnings("unchecked")
    private static List<Stored> stored(long ownerId, long bookId) {
        List<Object[]> rows = Note.getEntityManager().createNativeQuery("""
                        select k.note_id, k.kind, n.page, k.location_start, k.location_end, k.added_at, n.text, n.deleted_at is not null
                        from kindle_clipping k join note n on n.id = k.note_id
                        where k.owner_id = ?1 and k.book_id = ?2 order by k.note_id""")
                .setParameter(1, ownerId).setParameter(2, bookId).getResultList();
        List<Stored> stored = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            stored.add(new Stored(((Number) r[0]).longValue(), KindleClippings.Kind.valueOf((String) r[1]),
                    (Integer) r[2], (Integer) r[3], (Integer) r[4],
                    r[5] instanceof Timestamp t ? t.toLocalDateTime() : (LocalDateTime) r[5], (String) r[6], (Boolean) r[7]));
        }
        return stored;
    }
}
