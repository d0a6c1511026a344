package lectern.transfer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import lectern.books.Book;
import lectern.books.BookDetails;
import lectern.books.BookStatus;
import lectern.books.Isbn;
import lectern.books.NewBooks;
import lectern.books.ReadThroughs;
import lectern.books.Reading;
import lectern.books.Review;
import lectern.notes.Note;
import lectern.transfer.ImportedBooks.Library;
import lectern.transfer.ImportedBooks.Outcome;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import static lectern.transfer.ImportedBooks.applyReview;
import static lectern.transfer.ImportedBooks.keepAsNote;
import static lectern.transfer.ImportedBooks.set;
import static lectern.transfer.ImportedBooks.shorten;
import static lectern.transfer.ImportedBooks.titleAuthorKey;

/**
 * Imports a Goodreads library export into an account's books, read-throughs, reviews and notes.
 * <ul>
 * <li>Rows are matched to books the account has by Goodreads Book Id, then ISBN-13, then normalized title and
 * first author, so importing the same file again creates nothing.</li>
 * <li>A book imported earlier and not changed in Lectern since (its version is the one the import left) is
 * brought up to date with the row. A book the user has changed in Lectern, or one that Lectern had before the
 * import, only gets what it lacks (blank fields, a missing review): Lectern's edits are never overwritten.
 * A book the user deleted after importing it stays deleted.</li>
 * <li>Each batch of {@value #BATCH} rows is one transaction. When a row breaks its batch, the batch is redone
 * row by row, so the bad row is reported with its number and the others are still imported.</li>
 * </ul>
 */
@ApplicationScoped
public class GoodreadsImport {

    static final int BATCH = 500;

    @Inject
    ReadThroughs readThroughs;

    @Inject
    Clock clock;

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(GoodreadsImport.class);

    /** Imports the CSV text; {@code rowsDone} hears the number of rows handled after each batch. */
    public ImportResult importCsv(long ownerId, String csv, IntConsumer rowsDone) {
        long started = System.nanoTime();
        GoodreadsCsv.ParsedFile file = GoodreadsCsv.parse(csv);
        long parsed = System.nanoTime();
        ImportResult.Tally tally = new ImportResult.Tally();
        tally.failed.addAll(file.failures());
        List<GoodreadsRow> rows = file.rows();
        // The account's books, read once and kept up to date batch by batch; read again after a failed batch.
        Library[] library = {null};
        ImportedBooks.inBatches(rows, BATCH, (row, message) -> ImportResult.Failure.row(row.row(), message), batch -> importBatch(ownerId, library, batch),
                () -> library[0] = null, tally, rowsDone);
        ImportResult result = tally.result();
        LOG.infof("Goodreads import (%s): %d rows read in %.2f s, saved in %.2f s: %d created, %d updated, %d skipped, %d failed",
                file.layout(), rows.size(), (parsed - started) / 1e9, (System.nanoTime() - parsed) / 1e9,
                result.created(), result.updated(), result.skipped(), result.failed().size());
        return result;
    }

    /** Existing books a batch updates, loaded in a handful of queries rather than several per row. */
    private record Loaded(Map<Long, Book> books, Map<Long, GoodreadsBook> links, Map<Long, Review> reviews,
                          Map<Long, List<Note>> notes, java.util.Set<String> finishes) {

        /** Whether the book has a read-through finished on that day. */
        boolean readOn(long bookId, LocalDate date) {
            return finishes.contains(bookId + "/" + date);
        }

        static Loaded of(long ownerId, java.util.Collection<Long> ids) {
            if (ids.isEmpty()) {
                return new Loaded(Map.of(), Map.of(), Map.of(), Map.of(), java.util.Set.of());
            }
            java.util.Set<String> finishes = new java.util.HashSet<>();
            Reading.<Reading>list("ownerId = ?1 and bookId in ?2 and status = ?3 and finishedOn is not null", ownerId, ids,
                    Reading.Status.read).forEach(r -> finishes.add(r.bookId + "/" + r.finishedOn));
            Map<Long, Book> books = new HashMap<>();
            Book.<Book>list("ownerId = ?1 and id in ?2", ownerId, ids).forEach(b -> books.put(b.id, b));
            Map<Long, GoodreadsBook> links = new HashMap<>();
            GoodreadsBook.<GoodreadsBook>list("ownerId = ?1 and bookId in ?2", ownerId, ids).forEach(l -> links.put(l.bookId, l));
            Map<Long, Review> reviews = new HashMap<>();
            Review.<Review>list("ownerId = ?1 and bookId in ?2", ownerId, ids).forEach(r -> reviews.put(r.bookId, r));
            Map<Long, List<Note>> notes = new HashMap<>();
            Note.<Note>list("ownerId = ?1 and bookId in ?2 and deletedAt is null order by createdAt, id", ownerId, ids)
                    .forEach(n -> notes.computeIfAbsent(n.bookId, k -> new ArrayList<>()).add(n));
            return new Loaded(books, links, reviews, notes, finishes);
        }
    }

    private List<Outcome> importBatch(long ownerId, Library[] libraryHolder, List<GoodreadsRow> rows) {
        org.hibernate.Session session = Book.getEntityManager().unwrap(org.hibernate.Session.class);
        // Queries in the batch read only rows this batch does not change before it ends; no flush before each.
        session.setHibernateFlushMode(org.hibernate.FlushMode.COMMIT);
        session.setJdbcBatchSize(100);
        if (libraryHolder[0] == null) {
            libraryHolder[0] = new Library(ownerId, "select book_id, goodreads_id from goodreads_book where owner_id = ?1");
        }
        Library library = libraryHolder[0];
        List<Long> pendingIds = new ArrayList<>();
        Outcome[] outcomes = new Outcome[rows.size()];
        NewGoodreadsBooks created = new NewGoodreadsBooks();
        Map<Integer, Long> toUpdate = new java.util.LinkedHashMap<>();
        Map<Integer, String> isbns = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            GoodreadsRow row = rows.get(i);
            if (row.title().length() > 500) {
                throw new IllegalArgumentException("Title is longer than 500 characters");
            }
            String isbn13 = isbn13(row);
            Long bookId = null;
            if (row.bookId() != null) {
                bookId = library.bySourceId.get(row.bookId());
                if (bookId != null && !library.live.contains(bookId)) {
                    outcomes[i] = Outcome.SKIPPED; // imported before, then deleted in Lectern: it stays deleted
                    continue;
                }
            }
            if (bookId == null && isbn13 != null) {
                bookId = library.byIsbn.get(isbn13);
            }
            if (bookId == null) {
                bookId = library.byTitleAuthor.get(titleAuthorKey(row.title(), row.author()));
            }
            if (bookId == null) {
                created.add(newBook(row, isbn13));
                long pending = -(i + 1L); // not in the database yet: a later row of this batch may match it
                pendingIds.add(pending);
                List<String> authors = authors(row);
                library.add(pending, isbn13, row.title(), authors.isEmpty() ? null : authors.get(0));
                library.link(pending, row.bookId());
                outcomes[i] = Outcome.CREATED;
            } else if (bookId < 0) {
                outcomes[i] = Outcome.SKIPPED; // the same book twice in one file
            } else {
                toUpdate.put(i, bookId);
                isbns.put(i, isbn13);
            }
        }
        long[] createdIds = created.write(ownerId);
        Map<Long, Long> realIds = new HashMap<>();
        for (int k = 0; k < createdIds.length; k++) {
            realIds.put(pendingIds.get(k), createdIds[k]);
        }
        library.resolve(realIds);
        Loaded loaded = Loaded.of(ownerId, new java.util.HashSet<>(toUpdate.values()));
        for (Map.Entry<Integer, Long> e : toUpdate.entrySet()) {
            GoodreadsRow row = rows.get(e.getKey());
            Book book = loaded.books().get(e.getValue());
            GoodreadsBook link = loaded.links().get(book.id);
            if (link != null && link.goodreadsId != null && row.bookId() != null && !link.goodreadsId.equals(row.bookId())) {
                // Two Goodreads books (editions) that Lectern holds as one: keep the first, skip the other.
                outcomes[e.getKey()] = Outcome.SKIPPED;
                continue;
            }
            String isbn13 = isbns.get(e.getKey());
            if (isbn13 != null && !isbn13.equals(book.isbn13) && library.byIsbn.containsKey(isbn13)) {
                isbn13 = null; // another book of the account has this ISBN already
            }
            outcomes[e.getKey()] = update(ownerId, library, loaded, book, link, row, isbn13);
        }
        return List.of(outcomes);
    }

    private NewGoodreadsBooks.NewBook newBook(GoodreadsRow row, String isbn13) {
        BookStatus status = GoodreadsShelves.status(row.exclusiveShelf());
        String review = GoodreadsMarkup.toText(row.myReview());
        NewBooks.NewBook book = new NewBooks.NewBook(details(row, isbn13), status,
                readThroughs.firstImported(status, row.dateAdded(), row.dateRead()), row.myRating(),
                row.myRating() > 0 ? review : null);
        return new NewGoodreadsBooks.NewBook(row, book, row.myRating() > 0 ? null : review,
                GoodreadsMarkup.toText(row.privateNotes()));
    }

    private Outcome update(long ownerId, Library library, Loaded loaded, Book book, GoodreadsBook link, GoodreadsRow row,
                           String isbn13) {
        boolean untouchedSinceImport = link != null && link.syncedVersion == book.version;
        boolean bookChanged = book.takeDetails(details(row, isbn13), untouchedSinceImport);
        if (untouchedSinceImport) {
            BookStatus status = GoodreadsShelves.status(row.exclusiveShelf());
            boolean newFinish = status == BookStatus.read && row.dateRead() != null && !loaded.readOn(book.id, row.dateRead());
            if (status != book.status || newFinish) {
                bookChanged |= status != book.status;
                readThroughs.importStatus(book, status, row.dateAdded(), row.dateRead());
            }
        }
        boolean changed = bookChanged;
        boolean newLink = link == null;
        if (newLink) {
            link = new GoodreadsBook();
            link.bookId = book.id;
            link.ownerId = ownerId;
            link.syncedVersion = -1; // Lectern had this book first: its data stays authoritative
            copyGoodreadsColumns(link, row);
            changed = true;
        } else if (untouchedSinceImport) {
            changed |= copyGoodreadsColumns(link, row);
        }
        List<Note> notes = loaded.notes().getOrDefault(book.id, List.of());
        GoodreadsBook target = link;
        changed |= applyReview(clock, book, loaded.reviews().get(book.id), notes, row.myRating(),
                GoodreadsMarkup.toText(row.myReview()), untouchedSinceImport ? link.importedAt : null,
                link.reviewNoteId, id -> target.reviewNoteId = id);
        changed |= applyPrivateNotes(book, link, notes, row);
        return ImportedBooks.updated(clock, library, book, link, link.goodreadsId, changed, untouchedSinceImport, bookChanged, newLink);
    }

    /** Copies the Goodreads-only columns; true when any of them changed. */
    private static boolean copyGoodreadsColumns(GoodreadsBook link, GoodreadsRow row) {
        boolean changed = false;
        if (row.bookId() != null && !row.bookId().equals(link.goodreadsId)) {
            link.goodreadsId = row.bookId();
            changed = true;
        }
        changed |= set(link.binding, shorten(row.binding(), 100), v -> link.binding = v);
        changed |= set(link.yearPublished, row.yearPublished(), v -> link.yearPublished = v);
        changed |= set(link.originalYear, row.originalPublicationYear(), v -> link.originalYear = v);
        changed |= set(link.dateAdded, row.dateAdded(), v -> link.dateAdded = v);
        changed |= set(link.readCount, row.readCount(), v -> link.readCount = v);
        changed |= set(link.ownedCopies, row.ownedCopies(), v -> link.ownedCopies = v);
        if (link.spoiler != row.spoiler()) {
            link.spoiler = row.spoiler();
            changed = true;
        }
        return changed;
    }

    private static boolean applyPrivateNotes(Book book, GoodreadsBook link, List<Note> notes, GoodreadsRow row) {
        String text = GoodreadsMarkup.toText(row.privateNotes());
        if (text == null) {
            return false;
        }
        return keepAsNote(book, notes, text, link.privateNoteId, id -> link.privateNoteId = id);
    }

    private static BookDetails details(GoodreadsRow row, String isbn13) {
        return new BookDetails(row.title(), authors(row), isbn13, pages(row), year(row), shorten(row.publisher(), 300),
                row.customShelves());
    }

    static String isbn13(GoodreadsRow row) {
        for (String candidate : new String[] {row.isbn13(), row.isbn()}) {
            if (candidate != null) {
                try {
                    return Isbn.toIsbn13(candidate);
                } catch (IllegalArgumentException e) {
                    // Goodreads has ISBNs with wrong check digits; the book is still imported, without one.
                }
            }
        }
        return null;
    }

    static List<String> authors(GoodreadsRow row) {
        LinkedHashSet<String> authors = new LinkedHashSet<>();
        if (row.author() != null) {
            authors.add(row.author());
        }
        authors.addAll(row.additionalAuthors());
        return new ArrayList<>(authors);
    }

    static Integer pages(GoodreadsRow row) {
        return row.pages() != null && row.pages() >= 1 && row.pages() <= Book.MAX_PAGES ? row.pages() : null;
    }

    /** The year the work appeared (Original Publication Year), else the edition's. */
    static Integer year(GoodreadsRow row) {
        return row.originalPublicationYear() != null ? row.originalPublicationYear() : row.yearPublished();
    }
}
