package lectern.books;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns books into the JSON views, with the current read-through and the rating fetched for all of them at once. */
@ApplicationScoped
public class BookViews {

    public record CurrentReading(long readingId, LocalDate startedOn, String status, Integer currentPage, Double percent,
                                 LocalDate lastProgressOn) {
    }

    public record BookView(long id, String title, List<String> authors, String isbn13, Integer pages, Integer year,
                           String publisher, List<String> tags, BookStatus status, Double rating,
                           CurrentReading currentReading, long version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    private record Summary(Long readingId, LocalDate startedOn, Reading.Status readingStatus, LocalDate lastProgressOn,
                           Integer page, Double percent, Double rating) {
    }

    @Inject
    EntityManager entityManager;

    public BookView view(Book book) {
        return views(book.ownerId, List.of(book)).get(0);
    }

    public List<BookView> views(long ownerId, List<Book> books) {
        if (books.isEmpty()) {
            return List.of();
        }
        Map<Long, Summary> summaries = summaries(ownerId, books.stream().map(b -> b.id).toList());
        List<BookView> views = new ArrayList<>(books.size());
        for (Book book : books) {
            Summary summary = summaries.get(book.id);
            CurrentReading current = null;
            Double rating = null;
            if (summary != null) {
                rating = summary.rating();
                if (summary.readingId() != null && (book.status == BookStatus.reading || book.status == BookStatus.paused)) {
                    Position at = Position.of(summary.page(), summary.percent(), book.pages);
                    current = new CurrentReading(summary.readingId(), summary.startedOn(), summary.readingStatus().name(),
                            at.page(), at.percent(), summary.lastProgressOn());
                }
            }
            views.add(new BookView(book.id, book.title, List.copyOf(book.authors), book.isbn13, book.pages, book.year,
                    book.publisher, List.copyOf(book.tags), book.status, rating, current, book.version,
                    book.createdAt, book.updatedAt));
        }
        return views;
    }

    /** One query for all the books: the latest read-through, its latest position, and the rating. */
    private Map<Long, Summary> summaries(long ownerId, Collection<Long> bookIds) {
        List<Object[]> rows = entityManager.createQuery("""
                        select b.id, r.id, r.startedOn, r.status, p.onDate, p.page, p.percent, rv.rating
                        from Book b
                        left join Reading r on r.bookId = b.id and r.ownerId = b.ownerId
                            and r.id = (select max(r2.id) from Reading r2 where r2.bookId = b.id)
                        left join Progress p on p.readingId = r.id
                            and p.id = (select p2.id from Progress p2 where p2.readingId = r.id
                                        order by p2.onDate desc, p2.id desc limit 1)
                        left join Review rv on rv.bookId = b.id
                        where b.ownerId = :owner and b.id in :ids""", Object[].class)
                .setParameter("owner", ownerId)
                .setParameter("ids", bookIds)
                .getResultList();
        Map<Long, Summary> byBook = new HashMap<>();
        for (Object[] row : rows) {
            byBook.put((Long) row[0], new Summary((Long) row[1], (LocalDate) row[2], (Reading.Status) row[3],
                    (LocalDate) row[4], (Integer) row[5], (Double) row[6], (Double) row[7]));
        }
        return byBook;
    }
}
