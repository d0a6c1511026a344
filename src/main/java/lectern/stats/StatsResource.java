package lectern.stats;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import lectern.accounts.CurrentUser;
import lectern.books.BookStatus;
import lectern.books.Position;
import lectern.books.Reading;
import lectern.stats.PagesRead.Entry;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.sql.Date;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

@Path("/api/stats")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Goals and stats")
public class StatsResource {

    public record CurrentBook(long bookId, String title, Integer currentPage, Double percent, Double pagesPerDay,
                              Double percentPerDay, LocalDate projectedFinish) {
    }

    public record StatsView(int year, long booksRead, Integer goal, Double expectedByToday, Boolean onTrack,
                            long pagesRead, double pagesPerDay7, double pagesPerDay30, int logStreakDays,
                            List<CurrentBook> currentlyReading) {
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    EntityManager entityManager;

    @Inject
    Clock clock;

    @GET
    @Operation(summary = "Books read against the goal, pages read, pace, log streak, and each book being read with its "
            + "percent, pace (pages per day over the last 14 days or since it was started) and projected finish")
    public StatsView stats(@Parameter(description = "The year, default the current one") @QueryParam("year") String year) {
        long owner = currentUser.id();
        LocalDate today = LocalDate.now(clock);
        int y = year == null || year.isBlank() ? today.getYear() : GoalsResource.parseYear(year);

        GoalProgress goal = GoalProgress.of(y, booksRead(owner, y), GoalsResource.books(entityManager, owner, y), today);

        LocalDate yearStart = LocalDate.of(y, 1, 1);
        LocalDate yearEnd = LocalDate.of(y, 12, 31);
        LocalDate last30 = today.minusDays(29);
        TreeMap<LocalDate, Double> pagesByDay = PagesRead.byDay(pageEntries(owner,
                yearStart.isBefore(last30) ? yearStart : last30));
        double pagesInYear = PagesRead.between(pagesByDay, yearStart, yearEnd);
        double pages7 = PagesRead.between(pagesByDay, today.minusDays(6), today);
        double pages30 = PagesRead.between(pagesByDay, last30, today);

        return new StatsView(y, goal.booksRead(), goal.goal(), goal.expectedByToday(), goal.onTrack(),
                Math.round(pagesInYear), round1(pages7 / 7), round1(pages30 / 30), logStreak(owner, today),
                currentlyReading(owner, today));
    }

    private long booksRead(long owner, int year) {
        return entityManager.createQuery("""
                        select count(r) from Reading r join Book b on b.id = r.bookId
                        where r.ownerId = :owner and r.status = :read and b.deletedAt is null
                          and r.finishedOn between :from and :to""", Long.class)
                .setParameter("owner", owner)
                .setParameter("read", Reading.Status.read)
                .setParameter("from", LocalDate.of(year, 1, 1))
                .setParameter("to", LocalDate.of(year, 12, 31))
                .getSingleResult();
    }

    /**
     * Progress of every read-through with an entry since {@code since}, with the entries before it too
     * (they are where the pages read after it are counted from), as positions in pages.
     */
    private List<Entry> pageEntries(long owner, LocalDate since) {
        List<Object[]> rows = entityManager.createQuery("""
                        select p.readingId, p.onDate, p.page, p.percent, b.pages
                        from Progress p join Reading r on r.id = p.readingId join Book b on b.id = r.bookId
                        where p.ownerId = :owner and b.deletedAt is null
                          and p.readingId in (select p2.readingId from Progress p2
                                              where p2.ownerId = :owner and p2.onDate >= :since)
                        order by p.readingId, p.onDate, p.id""", Object[].class)
                .setParameter("owner", owner)
                .setParameter("since", since)
                .getResultList();
        List<Entry> entries = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            Double pages = Position.inPages((Integer) row[2], (Double) row[3], (Integer) row[4]);
            if (pages != null) {
                entries.add(new Entry((Long) row[0], (LocalDate) row[1], pages));
            }
        }
        return entries;
    }

    private record ReadingRow(long bookId, String title, Integer pages, long readingId, LocalDate startedOn,
                              List<Object[]> progress) {
    }

    /** One query for all books being read: their open read-through and its progress entries. */
    private List<CurrentBook> currentlyReading(long owner, LocalDate today) {
        List<Object[]> rows = entityManager.createQuery("""
                        select b.id, b.title, b.pages, r.id, r.startedOn, p.onDate, p.page, p.percent
                        from Book b
                        join Reading r on r.bookId = b.id and r.ownerId = b.ownerId
                            and r.id = (select max(r2.id) from Reading r2 where r2.bookId = b.id)
                        left join Progress p on p.readingId = r.id
                        where b.ownerId = :owner and b.deletedAt is null and b.status = :reading
                        order by b.updatedAt desc, b.id desc, p.onDate, p.id""", Object[].class)
                .setParameter("owner", owner)
                .setParameter("reading", BookStatus.reading)
                .getResultList();
        Map<Long, ReadingRow> books = new LinkedHashMap<>();
        for (Object[] row : rows) {
            ReadingRow book = books.computeIfAbsent((Long) row[0], id -> new ReadingRow(id, (String) row[1],
                    (Integer) row[2], (Long) row[3], (LocalDate) row[4], new ArrayList<>()));
            if (row[5] != null) {
                book.progress().add(new Object[] {row[5], row[6], row[7]});
            }
        }
        return books.values().stream().map(book -> currentBook(book, today)).toList();
    }

    /**
     * Pace is measured in pages when the book's length is known; for a book of unknown length in the unit
     * of its latest entry (percent gives a projected finish, pages do not).
     */
    private static CurrentBook currentBook(ReadingRow book, LocalDate today) {
        boolean inPercent = book.pages() == null && !book.progress().isEmpty()
                && book.progress().get(book.progress().size() - 1)[1] == null;
        List<Entry> entries = new ArrayList<>();
        for (Object[] p : book.progress()) {
            Integer page = (Integer) p[1];
            Double percent = (Double) p[2];
            Double position = inPercent ? percent : Position.inPages(page, percent, book.pages());
            if (position != null) {
                entries.add(new Entry(book.readingId(), (LocalDate) p[0], position));
            }
        }
        // The current position is the latest entry (a correction backwards moves it back).
        double position = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).position();
        Double total = inPercent ? Double.valueOf(100) : book.pages() == null ? null : book.pages().doubleValue();
        ReadingPace pace = ReadingPace.of(PagesRead.byDay(entries), book.startedOn(), position, total, today);
        Double percent = inPercent ? Double.valueOf(position)
                : total == null ? null : Math.min(100.0, position * 100.0 / total);
        Integer currentPage = inPercent || entries.isEmpty() ? null : (int) Math.round(position);
        return new CurrentBook(book.bookId(), book.title(), currentPage, percent == null ? null : round1(percent),
                inPercent ? null : round1(pace.perDay()), inPercent ? round1(pace.perDay()) : null, pace.projectedFinish());
    }

    /** Days in a row with a daily log (the logs room's daily_log table), ending today or yesterday. */
    private int logStreak(long owner, LocalDate today) {
        List<?> rows = entityManager.createNativeQuery(
                        "SELECT log_date FROM daily_log WHERE owner_id = :owner AND log_date <= :today ORDER BY log_date DESC")
                .setParameter("owner", owner)
                .setParameter("today", today.plusDays(1))
                .getResultList();
        List<LocalDate> dates = new ArrayList<>(rows.size());
        for (Object row : rows) {
            dates.add(row instanceof Date sqlDate ? sqlDate.toLocalDate() : (LocalDate) row);
        }
        return LogStreak.days(dates, today);
    }

    private static double round1(double value) {
        return Math.round(value * 10.0) / 10.0;
    }
}
