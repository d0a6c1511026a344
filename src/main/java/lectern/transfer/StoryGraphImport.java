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
import lectern.books.ReadingDates;
import lectern.books.Review;
import lectern.notes.Note;
import lectern.transfer.ImportedBooks.Library;
import lectern.transfer.ImportedBooks.Outcome;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import static lectern.transfer.ImportedBooks.applyReview;
import static lectern.transfer.ImportedBooks.set;
import static lectern.transfer.ImportedBooks.shorten;
import static lectern.transfer.ImportedBooks.titleAuthorKey;

/**
 * Imports a StoryGraph library export, as {@link GoodreadsImport} does a Goodreads one:
 * <ul>
 * <li>Rows are matched to the account's books by the ISBN/UID cell of an earlier StoryGraph import, then ISBN-13,
 * then title and first author, so importing the same file again creates nothing.</li>
 * <li>A book imported earlier and not changed in Lectern since is brought up to date with the row; a book the user
 * changed, or one Lectern had first, only gets what it lacks. A book deleted after its import stays deleted.</li>
 * <li>Each "Dates Read" range is a read-through (a missing one is added, none is removed); the last one of a
 * did-not-finish book is abandoned, an open one ({@code 2024/03/01-}) is the current read-through.</li>
 * <li>The star rating is kept exactly, in quarter stars. Moods, the pace (as {@code fast-paced}) and the tags become
 * the book's tags; contributors stay apart from the authors, with the other columns Lectern has no place for, in
 * {@link StoryGraphBook}, so that an export gives them back.</li>
 * </ul>
 */
@ApplicationScoped
public class StoryGraphImport {

    static final int BATCH = 200;
    /** Tags are at most this long in Lectern (BooksResource). */
    private static final int MAX_TAG = 50;
    private static final String LINKS = "select book_id, uid from storygraph_book where owner_id = ?1";

    @Inject
    ReadThroughs readThroughs;

    @Inject
    Clock clock;

    public ImportResult importCsv(long ownerId, String csv) {
        StoryGraphCsv.ParsedFile file = StoryGraphCsv.parse(csv);
        ImportResult.Tally tally = new ImportResult.Tally();
        tally.failed.addAll(file.failures());
        Library[] library = {null};
        ImportedBooks.inBatches(file.rows(), BATCH, (row, message) -> ImportResult.Failure.row(row.row(), message), batch -> importBatch(ownerId, library, batch),
                () -> library[0] = null, tally, done -> { });
        return tally.result();
    }

    private List<Outcome> importBatch(long ownerId, Library[] libraryHolder, List<StoryGraphRow> rows) {
        if (libraryHolder[0] == null) {
            libraryHolder[0] = new Library(ownerId, LINKS);
        }
        Library library = libraryHolder[0];
        List<Outcome> outcomes = new ArrayList<>(rows.size());
        for (StoryGraphRow row : rows) {
            outcomes.add(importRow(ownerId, library, row));
        }
        return outcomes;
    }

    private Outcome importRow(long ownerId, Library library, StoryGraphRow row) {
        String isbn13 = isbn13(row.uid());
        Long bookId = null;
        if (row.uid() != null) {
            bookId = library.bySourceId.get(row.uid());
            if (bookId != null && !library.live.contains(bookId)) {
                return Outcome.SKIPPED; // imported before, then deleted in Lectern: it stays deleted
            }
        }
        if (bookId == null && isbn13 != null) {
            bookId = library.byIsbn.get(isbn13);
        }
        String firstAuthor = row.authors().isEmpty() ? null : row.authors().get(0);
        if (bookId == null) {
            bookId = library.byTitleAuthor.get(titleAuthorKey(row.title(), firstAuthor));
        }
        if (isbn13 != null && library.byIsbn.containsKey(isbn13) && !library.byIsbn.get(isbn13).equals(bookId)) {
            isbn13 = null; // another book of the account has this ISBN already
        }
        if (bookId == null) {
            BookStatus status = status(row.readStatus());
            Book book = NewBooks.create(ownerId, new BookDetails(row.title(), row.authors(), isbn13, null, null, null, tags(row)),
                    status);
            readThroughs.importReadThroughs(book, status, listedReadThroughs(row, status));
            StoryGraphBook link = new StoryGraphBook();
            link.bookId = book.id;
            link.ownerId = ownerId;
            copyColumns(link, row);
            applyReview(clock, book, null, List.of(), rating(row), row.review(), null, null, id -> link.reviewNoteId = id);
            link.syncedVersion = book.version;
            link.importedAt = OffsetDateTime.now(clock);
            link.persist();
            library.add(book.id, isbn13, book.title, firstAuthor);
            library.link(book.id, row.uid());
            return Outcome.CREATED;
        }
        return update(ownerId, library, Book.findById(bookId), row, isbn13);
    }

    private Outcome update(long ownerId, Library library, Book book, StoryGraphRow row, String isbn13) {
        StoryGraphBook link = StoryGraphBook.findById(book.id);
        boolean untouchedSinceImport = link != null && link.syncedVersion == book.version;
        // StoryGraph has no pages, year or publisher, and a StoryGraph id in place of an ISBN: those stay the book's
        boolean bookChanged = book.takeDetails(new BookDetails(row.title(), row.authors(), isbn13 != null ? isbn13 : book.isbn13,
                book.pages, book.year, book.publisher, tags(row)), untouchedSinceImport);
        boolean changed = false;
        if (untouchedSinceImport) {
            BookStatus status = status(row.readStatus());
            bookChanged |= status != book.status;
            changed |= readThroughs.importReadThroughs(book, status, listedReadThroughs(row, status));
            changed |= copyColumns(link, row);
        }
        changed |= bookChanged;
        boolean newLink = link == null;
        if (newLink) {
            link = new StoryGraphBook();
            link.bookId = book.id;
            link.ownerId = ownerId;
            link.syncedVersion = -1; // Lectern had this book first: its data stays authoritative
            copyColumns(link, row);
            changed = true;
        }
        List<Note> notes = Note.list("ownerId = ?1 and bookId = ?2 and deletedAt is null", book.ownerId, book.id);
        StoryGraphBook target = link;
        changed |= applyReview(clock, book, Review.findById(book.id), notes, rating(row), row.review(),
                untouchedSinceImport ? link.importedAt : null, link.reviewNoteId, id -> target.reviewNoteId = id);
        return ImportedBooks.updated(clock, library, book, link, row.uid(), changed, untouchedSinceImport, bookChanged, newLink);
    }

    /** The read-throughs a row says, oldest first. */
    private List<ReadingDates> listedReadThroughs(StoryGraphRow row, BookStatus status) {
        List<StoryGraphRow.ReadRange> ranges = new ArrayList<>(row.datesRead());
        if (ranges.isEmpty() && status == BookStatus.read && row.lastDateRead() != null) {
            ranges.add(new StoryGraphRow.ReadRange(row.lastDateRead(), row.lastDateRead()));
        }
        List<ReadingDates> readings = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            StoryGraphRow.ReadRange range = ranges.get(i);
            boolean last = i == ranges.size() - 1;
            LocalDate started = range.started() != null ? range.started() : range.finished();
            LocalDate finished = range.finished();
            Reading.Status readingStatus;
            if (finished == null) {
                if (last && (status == BookStatus.reading || status == BookStatus.paused)) {
                    readingStatus = status == BookStatus.paused ? Reading.Status.paused : Reading.Status.reading;
                } else if (last && status == BookStatus.read) {
                    readingStatus = Reading.Status.read;
                    finished = row.lastDateRead() != null && !row.lastDateRead().isBefore(started) ? row.lastDateRead() : started;
                } else if (status == BookStatus.want && last) {
                    continue; // on the to-read shelf: nothing is being read
                } else {
                    readingStatus = Reading.Status.abandoned;
                    finished = started;
                }
            } else {
                readingStatus = last && status == BookStatus.abandoned ? Reading.Status.abandoned : Reading.Status.read;
            }
            readings.add(new ReadingDates(readingStatus, started, finished));
        }
        boolean openOne = !readings.isEmpty() && readings.get(readings.size() - 1).finishedOn() == null;
        if ((status == BookStatus.reading || status == BookStatus.paused) && !openOne) {
            // Being read, with no open range: started on the day it was shelved (not before the last read ended).
            LocalDate start = readThroughs.shelvedOn(row.dateAdded());
            if (!readings.isEmpty() && readings.get(readings.size() - 1).finishedOn().isAfter(start)) {
                start = readings.get(readings.size() - 1).finishedOn();
            }
            readings.add(new ReadingDates(status == BookStatus.paused ? Reading.Status.paused : Reading.Status.reading, start, null));
        }
        return readings;
    }

    /** Copies the columns Lectern keeps only for StoryGraph; true when any changed. */
    private static boolean copyColumns(StoryGraphBook link, StoryGraphRow row) {
        boolean changed = false;
        changed |= set(link.uid, shorten(row.uid(), 100), v -> link.uid = v);
        changed |= set(link.contributors, row.contributors(), v -> link.contributors = v);
        changed |= set(link.format, shorten(row.format(), 100), v -> link.format = v);
        changed |= set(link.moods, row.moods(), v -> link.moods = new ArrayList<>(v));
        changed |= set(link.pace, shorten(row.pace(), 40), v -> link.pace = v);
        changed |= set(link.characterOrPlot, shorten(row.characterOrPlot(), 100), v -> link.characterOrPlot = v);
        changed |= set(link.strongDevelopment, shorten(row.strongDevelopment(), 100), v -> link.strongDevelopment = v);
        changed |= set(link.loveableCharacters, shorten(row.loveableCharacters(), 100), v -> link.loveableCharacters = v);
        changed |= set(link.diverseCharacters, shorten(row.diverseCharacters(), 100), v -> link.diverseCharacters = v);
        changed |= set(link.flawedCharacters, shorten(row.flawedCharacters(), 100), v -> link.flawedCharacters = v);
        changed |= set(link.contentWarnings, row.contentWarnings(), v -> link.contentWarnings = v);
        changed |= set(link.contentWarningDescription, row.contentWarningDescription(), v -> link.contentWarningDescription = v);
        changed |= set(link.owned, shorten(row.owned(), 20), v -> link.owned = v);
        changed |= set(link.dateAdded, row.dateAdded(), v -> link.dateAdded = v);
        changed |= set(link.readCount, row.readCount(), v -> link.readCount = v);
        return changed;
    }

    static BookStatus status(String readStatus) {
        if (readStatus == null) {
            return BookStatus.want;
        }
        return switch (readStatus) {
            case "read" -> BookStatus.read;
            case "currently-reading" -> BookStatus.reading;
            case "did-not-finish" -> BookStatus.abandoned;
            case "paused" -> BookStatus.paused;
            default -> BookStatus.want;
        };
    }

    static String readStatus(BookStatus status) {
        return switch (status) {
            case read -> "read";
            case reading -> "currently-reading";
            case abandoned -> "did-not-finish";
            case paused -> "paused";
            case want -> "to-read";
        };
    }

    /** The book's tags: moods, the pace as "fast-paced", then the tags, each once. */
    static List<String> tags(StoryGraphRow row) {
        LinkedHashSet<String> tags = new LinkedHashSet<>();
        row.moods().forEach(m -> tags.add(shorten(m, MAX_TAG)));
        if (row.pace() != null) {
            tags.add(paceTag(row.pace()));
        }
        row.tags().forEach(t -> tags.add(shorten(t, MAX_TAG)));
        return new ArrayList<>(tags);
    }

    static String paceTag(String pace) {
        return shorten(pace.endsWith("-paced") ? pace : pace + "-paced", MAX_TAG);
    }

    private static double rating(StoryGraphRow row) {
        return row.starRating() == null ? 0 : row.starRating().doubleValue();
    }

    /** The ISBN-13 of an ISBN/UID cell that holds an ISBN (StoryGraph's own ids are not). */
    static String isbn13(String uid) {
        if (uid == null) {
            return null;
        }
        try {
            return Isbn.toIsbn13(uid);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
