package lectern.books;

import org.hibernate.Session;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Books an import batch creates, written with JDBC batches in the caller's transaction: a few round trips for
 * hundreds of books, where entity inserts with database-generated ids would take one or more per row. Writes the
 * rows the entities would (book, its first read-through, its review); the status and read-through are what
 * {@link ReadThroughs#firstImported} decided.
 */
public final class NewBooks {

    /** One book to create; {@code rating} 0: not rated (no review row), {@code reading} null: never started. */
    public record NewBook(BookDetails details, BookStatus status, ReadingDates reading, double rating, String reviewText) {
    }

    private final List<NewBook> books = new ArrayList<>();

    public void add(NewBook book) {
        books.add(book);
    }

    public boolean isEmpty() {
        return books.isEmpty();
    }

    /** Writes the books; their new ids, in the order they were added. */
    public long[] write(long ownerId) {
        if (books.isEmpty()) {
            return new long[0];
        }
        return Book.getEntityManager().unwrap(Session.class).doReturningWork(connection -> write(connection, ownerId));
    }

    private long[] write(Connection connection, long ownerId) throws SQLException {
        long[] bookIds;
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into book (owner_id, title, authors, isbn13, pages, year, publisher, tags, status, version, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, now(), now())""", new String[] {"id"})) {
            for (NewBook n : books) {
                BookDetails b = n.details();
                insert.setLong(1, ownerId);
                insert.setString(2, b.title());
                insert.setArray(3, connection.createArrayOf("text", b.authors().toArray()));
                insert.setString(4, b.isbn13());
                insert.setObject(5, b.pages(), Types.INTEGER);
                insert.setObject(6, b.year(), Types.INTEGER);
                insert.setString(7, b.publisher());
                insert.setArray(8, connection.createArrayOf("text", b.tags().toArray()));
                insert.setString(9, n.status().name());
                insert.addBatch();
            }
            insert.executeBatch();
            bookIds = generatedIds(insert, books.size());
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into reading (owner_id, book_id, started_on, finished_on, status) values (?, ?, ?, ?, ?)")) {
            boolean any = false;
            for (int i = 0; i < books.size(); i++) {
                ReadingDates r = books.get(i).reading();
                if (r != null) {
                    insert.setLong(1, ownerId);
                    insert.setLong(2, bookIds[i]);
                    insert.setDate(3, Date.valueOf(r.startedOn()));
                    insert.setDate(4, r.finishedOn() == null ? null : Date.valueOf(r.finishedOn()));
                    insert.setString(5, r.status().name());
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
                if (b.rating() > 0) {
                    insert.setLong(1, bookIds[i]);
                    insert.setLong(2, ownerId);
                    insert.setDouble(3, b.rating());
                    insert.setString(4, b.reviewText());
                    insert.addBatch();
                    any = true;
                }
            }
            if (any) {
                insert.executeBatch();
            }
        }
        return bookIds;
    }

    /** The ids a batch of inserts generated, in order; {@code expected} of them or an SQLException. */
    public static long[] generatedIds(PreparedStatement statement, int expected) throws SQLException {
        long[] ids = new long[expected];
        try (ResultSet keys = statement.getGeneratedKeys()) {
            int i = 0;
            while (keys.next()) {
                if (i == expected) {
                    throw new SQLException("expected " + expected + " generated ids, got more");
                }
                ids[i++] = keys.getLong(1);
            }
            if (i != expected) {
                throw new SQLException("expected " + expected + " generated ids, got " + i);
            }
        }
        return ids;
    }

    /**
     * One book, as entities (the id and version are known at once): a book a user's file names and Lectern lacks
     * (a StoryGraph row, a Kindle clipping's book, a backup's book). Its read-throughs are the caller's next step.
     */
    public static Book create(long ownerId, BookDetails details, BookStatus status) {
        Book book = new Book();
        book.ownerId = ownerId;
        book.title = details.title();
        book.authors = new ArrayList<>(details.authors());
        book.isbn13 = details.isbn13();
        book.pages = details.pages();
        book.year = details.year();
        book.publisher = details.publisher();
        book.tags = new ArrayList<>(details.tags());
        book.status = status;
        book.persist();
        return book;
    }

    /** A restored book keeps the day it was first added (a native update: the version, which links remember, stays). */
    public static void restoreCreatedAt(Book book, OffsetDateTime createdAt) {
        if (createdAt != null) {
            Book.getEntityManager().createNativeQuery("update book set created_at = ?1 where id = ?2")
                    .setParameter(1, createdAt).setParameter(2, book.id).executeUpdate();
        }
    }
}
