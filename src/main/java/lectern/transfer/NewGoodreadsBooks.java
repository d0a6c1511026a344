package lectern.transfer;

import lectern.books.Book;
import lectern.books.NewBooks;
import lectern.notes.NoteService;
import org.hibernate.Session;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The books a Goodreads import batch creates: {@link NewBooks} writes the books, their read-throughs and reviews;
 * this adds what is Goodreads' (the words kept as notes, the goodreads_book row), with JDBC batches in the batch's
 * own transaction.
 */
final class NewGoodreadsBooks {

    /** One book to create, with the row it came from and the words it keeps as notes. */
    record NewBook(GoodreadsRow row, NewBooks.NewBook book, String noteFromReview, String privateNote) {
    }

    private final List<NewBook> books = new ArrayList<>();
    private final NewBooks created = new NewBooks();

    void add(NewBook book) {
        books.add(book);
        created.add(book.book());
    }

    /** Writes the books; their new ids, in the order they were added. */
    long[] write(long ownerId) {
        if (books.isEmpty()) {
            return new long[0];
        }
        long[] bookIds = created.write(ownerId);
        Book.getEntityManager().unwrap(Session.class).doWork(connection -> write(connection, ownerId, bookIds));
        return bookIds;
    }

    private void write(Connection connection, long ownerId, long[] bookIds) throws SQLException {
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
                long[] ids = NewBooks.generatedIds(insert, noteOwners.size());
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
                insert.setObject(5, row.yearPublished(), Types.INTEGER);
                insert.setObject(6, row.originalPublicationYear(), Types.INTEGER);
                insert.setDate(7, row.dateAdded() == null ? null : Date.valueOf(row.dateAdded()));
                insert.setObject(8, row.readCount(), Types.INTEGER);
                insert.setObject(9, row.ownedCopies(), Types.INTEGER);
                insert.setBoolean(10, row.spoiler());
                insert.setObject(11, noteIds[i][0], Types.BIGINT);
                insert.setObject(12, noteIds[i][1], Types.BIGINT);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
