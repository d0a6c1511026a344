package lectern.transfer;

import lectern.books.Book;
import lectern.books.BookStatus;
import lectern.notes.NoteService;
import org.hibernate.Session;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The books an import batch creates, written with JDBC batches in the batch's own transaction: a few round
 * trips for hundreds of books, where entity inserts with database-generated ids would take one or more per row.
 * Writes the same rows the entities would (book, reading, review, note, goodreads_book).
 */
final class NewBooks {

    /** One book to create, with what goes with it. */
    record NewBook(GoodreadsRow row, String title, List<String> authors, String isbn13, Integer pages, Integer year,
                   String publisher, List<String> tags, BookStatus status, ReadingToAdd reading, String reviewText,
                   String noteFromReview, String privateNote) {
    }

    record ReadingToAdd(String status, LocalDate startedOn, LocalDate finishedOn) {
    }

    private final List<NewBook> books = new ArrayList<>();

    void add(NewBook book) {
        books.add(book);
    }

    boolean isEmpty() {
        return books.isEmpty();
    }

    /** Writes the books; their new ids, in the order they were added. */
    long[] write(long ownerId) {
        if (books.isEmpty()) {
            return new long[0];
        }
        return Book.getEntityManager().unwrap(Session.class).doReturningWork(connection -> write(connection, ownerId));
    }

    private long[] write(Connection connection, long ownerId) throws SQLException {
        long[] bookIds = new long[books.size()];
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into book (owner_id, title, authors, isbn13, pages, year, publisher, tags, status, version, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, now(), now())""", new String[] {"id"})) {
            for (NewBook b : books) {
                insert.setLong(1, ownerId);
                insert.setString(2, b.title());
                insert.setArray(3, connection.createArrayOf("text", b.authors().toArray()));
                insert.setString(4, b.isbn13());
                setInt(insert, 5, b.pages());
                setInt(insert, 6, b.year());
                insert.setString(7, b.publisher());
                insert.setArray(8, connection.createArrayOf("text", b.tags().toArray()));
                insert.setString(9, b.status().name());
                insert.addBatch();
            }
            insert.executeBatch();
            readKeys(insert, bookIds);
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into reading (owner_id, book_id, started_on, finished_on, status) values (?, ?, ?, ?, ?)")) {
            boolean any = false;
            for (int i = 0; i < books.size(); i++) {
                ReadingToAdd r = books.get(i).reading();
                if (r != null) {
                    insert.setLong(1, ownerId);
                    insert.setLong(2, bookIds[i]);
                    insert.setDate(3, Date.valueOf(r.startedOn()));
                    insert.setDate(4, r.finishedOn() == null ? null : Date.valueOf(r.finishedOn()));
                    insert.setString(5, r.status());
                    insert.addBatch();
                    any = true;
                }
            }
            if (any) {
                insert.executeBatch();
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into review (book_id, owner_id, rating, text, created_at, updated_at) values (?, ?, ?, ?, now(), now())")) {
            boolean any = false;
            for (int i = 0; i < books.size(); i++) {
                NewBook b = books.get(i);
                if (b.row().myRating() > 0) {
                    insert.setLong(1, bookIds[i]);
                    insert.setLong(2, ownerId);
                    insert.setDouble(3, b.row().myRating());
                    insert.setString(4, b.reviewText());
                    insert.addBatch();
                    any = true;
                }
            }
            if (any) {
                insert.executeBatch();
            }
        }
        // Notes: the review without stars and the private notes, in that order per book.
        List<long[]> noteOwners = new ArrayList<>(); // {book index, 0 = review note / 1 = private note}
        Long[][] noteIds = new Long[books.size()][2];
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into note (owner_id, book_id, kind, text) values (?, ?, 'idea', ?)", new String[] {"id"})) {
            for (int i = 0; i < books.size(); i++) {
                NewBook b = books.get(i);
                String[] texts = {b.noteFromReview(), b.privateNote()};
                for (int k = 0; k < 2; k++) {
                    if (texts[k] != null) {
                        insert.setLong(1, ownerId);
                        insert.setLong(2, bookIds[i]);
                        insert.setString(3, texts[k].length() > NoteService.MAX_TEXT ? texts[k].substring(0, NoteService.MAX_TEXT) : texts[k]);
                        insert.addBatch();
                        noteOwners.add(new long[] {i, k});
                    }
                }
            }
            if (!noteOwners.isEmpty()) {
                insert.executeBatch();
                long[] ids = new long[noteOwners.size()];
                readKeys(insert, ids);
                for (int n = 0; n < ids.length; n++) {
                    noteIds[(int) noteOwners.get(n)[0]][(int) noteOwners.get(n)[1]] = ids[n];
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into goodreads_book (book_id, owner_id, goodreads_id, binding, year_published, original_year, date_added,
                    read_count, owned_copies, spoiler, review_note_id, private_note_id, synced_version, imported_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, now())""")) {
            for (int i = 0; i < books.size(); i++) {
                GoodreadsRow row = books.get(i).row();
                insert.setLong(1, bookIds[i]);
                insert.setLong(2, ownerId);
                insert.setString(3, row.bookId());
                insert.setString(4, row.binding() == null || row.binding().length() <= 100 ? row.binding() : row.binding().substring(0, 100));
                setInt(insert, 5, row.yearPublished());
                setInt(insert, 6, row.originalPublicationYear());
                insert.setDate(7, row.dateAdded() == null ? null : Date.valueOf(row.dateAdded()));
                setInt(insert, 8, row.readCount());
                setInt(insert, 9, row.ownedCopies());
                insert.setBoolean(10, row.spoiler());
                setLong(insert, 11, noteIds[i][0]);
                setLong(insert, 12, noteIds[i][1]);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return bookIds;
    }

    private static void readKeys(PreparedStatement statement, long[] into) throws SQLException {
        try (ResultSet keys = statement.getGeneratedKeys()) {
            int i = 0;
            while (keys.next()) {
                into[i++] = keys.getLong(1);
            }
            if (i != into.length) {
                throw new SQLException("expected " + into.length + " generated ids, got " + i);
            }
        }
    }

    private static void setInt(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }
}
