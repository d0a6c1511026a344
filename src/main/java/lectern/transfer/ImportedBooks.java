package lectern.transfer;

import io.quarkus.narayana.jta.QuarkusTransaction;
import lectern.books.Book;
import lectern.books.Review;
import lectern.notes.Note;
import lectern.notes.NoteKind;
import lectern.notes.NoteService;

import java.text.Normalizer;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

/**
 * What the library importers (Goodreads, StoryGraph, Kindle) share: batches in their own transactions, redone row
 * by row when one breaks so that a bad row never costs a good one; matching rows to the account's books; reviews
 * that an import may update only while the user has not edited them; words kept as notes once.
 */
final class ImportedBooks {

    private static final Pattern SERIES_SUFFIX = Pattern.compile("\\s*\\([^)]*#[^)]*\\)\\s*$");
    private static final Pattern NOT_LETTER_OR_DIGIT = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private ImportedBooks() {
    }

    /** What importing one row did. */
    enum Outcome { CREATED, UPDATED, SKIPPED }

    /** Imports one batch of rows inside the transaction it is called in; one outcome per row, in order. */
    interface BatchImporter<R> {
        List<Outcome> importBatch(List<R> rows);
    }

    /**
     * Runs the rows through {@code importer}, {@code size} rows a transaction. When a batch fails it is redone row by
     * row, each in its own transaction, so the row at fault is reported with its number ({@code rowNumber}) and the
     * others are still imported. {@code forget} drops what the importer cached from the failed transaction.
     */
    static <R> void inBatches(List<R> rows, int size, BiFunction<R, String, ImportResult.Failure> failure, BatchImporter<R> importer,
                              Runnable forget, ImportResult.Tally tally, IntConsumer rowsDone) {
        for (int start = 0; start < rows.size(); start += size) {
            List<R> batch = rows.subList(start, Math.min(rows.size(), start + size));
            try {
                QuarkusTransaction.requiringNew().call(() -> importer.importBatch(batch)).forEach(o -> count(tally, o));
            } catch (RuntimeException batchFailed) {
                forget.run();
                for (R row : batch) {
                    try {
                        count(tally, QuarkusTransaction.requiringNew().call(() -> importer.importBatch(List.of(row))).get(0));
                    } catch (RuntimeException e) {
                        forget.run();
                        tally.failed.add(failure.apply(row, "could not be saved: " + reason(e)));
                    }
                }
            }
            rowsDone.accept(Math.min(rows.size(), start + size));
        }
    }

    static void count(ImportResult.Tally tally, Outcome outcome) {
        switch (outcome) {
            case CREATED -> tally.created++;
            case UPDATED -> tally.updated++;
            case SKIPPED -> tally.skipped++;
        }
    }

    /** The first line of the innermost cause: what the database said. */
    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.split("\\R", 2)[0];
    }

    /**
     * The account's books as an import matches them, built inside a batch's transaction: by the id the other
     * service gave the book (kept in its link table), by ISBN-13, by title and first author. Ids only, not entities:
     * thousands of managed books would make every flush of the batch slow. Ids below zero are books of the batch
     * not written yet ({@link #resolve}).
     */
    static final class Library {
        final Map<String, Long> bySourceId = new HashMap<>();
        final Set<Long> linked = new HashSet<>();
        final Set<Long> live = new HashSet<>();
        final Map<String, Long> byIsbn = new HashMap<>();
        final Map<String, Long> byTitleAuthor = new HashMap<>();
        /** By title alone, for files that give no author; {@link #AMBIGUOUS} where books of the account share it. */
        final Map<String, Long> byTitle = new HashMap<>();

        static final long AMBIGUOUS = 0;

        /** {@code links}: a query of (book_id, the service's id) for the owner, ?1; null for none. */
        @SuppressWarnings("unchecked")
        Library(long ownerId, String links) {
            List<Object[]> books = Book.getEntityManager().createNativeQuery(
                    "select id, isbn13, title, authors[1] from book where owner_id = ?1 and deleted_at is null")
                    .setParameter(1, ownerId).getResultList();
            for (Object[] b : books) {
                add(((Number) b[0]).longValue(), (String) b[1], (String) b[2], (String) b[3]);
            }
            List<Object[]> rows = links == null ? List.of()
                    : Book.getEntityManager().createNativeQuery(links).setParameter(1, ownerId).getResultList();
            for (Object[] l : rows) {
                link(((Number) l[0]).longValue(), (String) l[1]);
            }
        }

        void add(long id, String isbn13, String title, String firstAuthor) {
            live.add(id);
            if (isbn13 != null) {
                byIsbn.putIfAbsent(isbn13, id);
            }
            byTitleAuthor.putIfAbsent(titleAuthorKey(title, firstAuthor), id);
            byTitle.merge(titleAuthorKey(title, null), id, (a, b) -> a.equals(b) ? a : AMBIGUOUS);
        }

        /** Puts the ids the database gave in place of the pending ones. */
        void resolve(Map<Long, Long> realIds) {
            if (realIds.isEmpty()) {
                return;
            }
            for (Map<String, Long> map : List.of(bySourceId, byIsbn, byTitleAuthor, byTitle)) {
                map.replaceAll((key, id) -> id < 0 ? realIds.getOrDefault(id, id) : id);
            }
            for (Set<Long> set : List.of(live, linked)) {
                set.removeIf(id -> id < 0);
                set.addAll(realIds.values());
            }
        }

        void link(long bookId, String sourceId) {
            linked.add(bookId);
            if (sourceId != null) {
                bySourceId.put(sourceId, bookId);
            }
        }
    }

    /** Title and first author without case, accents, punctuation or a "(Series, #3)" suffix. */
    static String titleAuthorKey(String title, String author) {
        String t = SERIES_SUFFIX.matcher(title).replaceAll("");
        return simplify(t) + "|" + (author == null ? "" : simplify(author));
    }

    static String simplify(String text) {
        String s = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFKD)).replaceAll("");
        return NOT_LETTER_OR_DIGIT.matcher(s.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
    }

    /**
     * Stars and words: a rated review goes to the review table; words without stars become a note (the review
     * table needs a rating), remembered with {@code rememberNote}. An existing review is replaced only when it has
     * not been edited since {@code importedAt} (null: never replaced, only added when missing). {@code rating} 0:
     * not rated.
     */
    static boolean applyReview(Clock clock, Book book, Review review, List<Note> notes, double rating, String text,
                               OffsetDateTime importedAt, Long reviewNoteId, LongConsumer rememberNote) {
        if (rating > 0) {
            boolean editable = review == null
                    || importedAt != null && review.updatedAt != null && !review.updatedAt.isAfter(importedAt);
            if (editable && (review == null || review.rating != rating || !Objects.equals(review.text, text))) {
                Review.put(book.ownerId, book.id, review, rating, text, OffsetDateTime.now(clock));
                return true;
            }
            return false;
        }
        if (text == null || review != null) {
            return false;
        }
        return keepAsNote(book, notes, text, reviewNoteId, rememberNote);
    }

    /** Adds the text as a note on the book unless the note made last time is still there (edited or not). */
    static boolean keepAsNote(Book book, List<Note> notes, String text, Long existingNoteId, LongConsumer remember) {
        if (existingNoteId != null && notes.stream().anyMatch(n -> n.id.equals(existingNoteId))) {
            return false;
        }
        // Lectern's own notes went out of an export joined into Private Notes; they are all here already.
        List<String> texts = notes.stream().map(n -> n.text).toList();
        if (texts.contains(text) || String.join(GoodreadsExport.NOTE_SEPARATOR, texts).equals(text)) {
            return false;
        }
        Note note = new Note();
        note.ownerId = book.ownerId;
        note.bookId = book.id;
        note.kind = NoteKind.idea;
        note.text = text.length() > NoteService.MAX_TEXT ? text.substring(0, NoteService.MAX_TEXT) : text;
        note.persist(); // IDENTITY: inserted now, so the id is known
        remember.accept(note.id);
        return true;
    }

    /**
     * Ends the update of an existing book: SKIPPED when nothing changed; otherwise remembers the version the import
     * leaves the book at (only for a book untouched since the last import), stamps the link, saves a new one.
     */
    static Outcome updated(Clock clock, Library library, Book book, ImportedFrom link, String sourceId, boolean changed,
                           boolean untouchedSinceImport, boolean bookChanged, boolean newLink) {
        if (!changed) {
            return Outcome.SKIPPED;
        }
        if (untouchedSinceImport) {
            // Hibernate adds one to the version when it writes the changed book at commit.
            link.syncedVersion = book.version + (bookChanged ? 1 : 0);
        }
        link.importedAt = OffsetDateTime.now(clock);
        if (newLink) {
            link.persist();
            library.link(book.id, sourceId);
        }
        return Outcome.UPDATED;
    }

    static String shorten(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    /** Sets the value when it differs; true when it did. */
    static <T> boolean set(T current, T wanted, java.util.function.Consumer<T> setter) {
        if (Objects.equals(current, wanted)) {
            return false;
        }
        setter.accept(wanted);
        return true;
    }
}
