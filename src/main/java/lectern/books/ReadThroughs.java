package lectern.books;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import lectern.api.ProblemException;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * The status machine of a book and its read-throughs. Callers hold the book's row lock
 * ({@link Book#ownedForUpdate}) and a transaction.
 * <ul>
 * <li>{@code reading}: resumes a paused read-through, or starts a new one (a re-read after {@code read}).</li>
 * <li>{@code paused}: pauses the open read-through (or starts one paused).</li>
 * <li>{@code read}: finishes the open read-through on the date; with none open, records one started and
 * finished that day; on a book already read, moves the last finish date.</li>
 * <li>{@code abandoned}: ends the open read-through on the date.</li>
 * <li>{@code want}: back on the shelf; an open read-through without progress is dropped (a mis-click),
 * one with progress is kept as abandoned.</li>
 * </ul>
 */
@ApplicationScoped
public class ReadThroughs {

    /** A client one time zone ahead may already be on tomorrow. */
    private static final int DAYS_AHEAD_ALLOWED = 1;

    @Inject
    Clock clock;

    public LocalDate today() {
        return LocalDate.now(clock);
    }

    /** The date a user gave (or today): never in the future, beyond one day of time-zone slack. */
    public LocalDate dateOrToday(String field, LocalDate date) {
        LocalDate today = today();
        if (date == null) {
            return today;
        }
        if (date.isAfter(today.plusDays(DAYS_AHEAD_ALLOWED))) {
            throw ProblemException.badField(field, "is in the future (" + date + "); today is " + today);
        }
        if (date.getYear() < 1900) {
            throw ProblemException.badField(field, date + " is too far in the past; give a date from 1900 on");
        }
        return date;
    }

    public void changeStatus(Book book, BookStatus target, LocalDate requestedDate) {
        LocalDate date = dateOrToday("date", requestedDate);
        Reading last = Reading.latest(book.ownerId, book.id);
        Reading open = last != null && last.status.isOpen() ? last : null;
        switch (target) {
            case reading -> {
                if (open == null) {
                    start(book, date, Reading.Status.reading);
                } else {
                    open.status = Reading.Status.reading;
                }
            }
            case paused -> {
                if (open == null) {
                    start(book, date, Reading.Status.paused);
                } else {
                    open.status = Reading.Status.paused;
                }
            }
            case read -> {
                if (open != null) {
                    end(open, Reading.Status.read, date);
                } else if (book.status == BookStatus.read && last != null && last.status == Reading.Status.read) {
                    if (requestedDate != null) {
                        end(last, Reading.Status.read, date);
                    }
                } else {
                    Reading reading = start(book, date, Reading.Status.read);
                    reading.finishedOn = date;
                }
            }
            case abandoned -> {
                if (open != null) {
                    end(open, Reading.Status.abandoned, date);
                }
            }
            case want -> {
                if (open != null) {
                    if (Progress.count("readingId", open.id) == 0) {
                        open.delete();
                    } else {
                        end(open, Reading.Status.abandoned, date.isBefore(open.startedOn) ? open.startedOn : date);
                    }
                }
            }
        }
        book.status = target;
    }

    /**
     * Records a position on the open read-through, starting one (status reading) when there is none and
     * resuming a paused one: logging pages means the book is being read. Reaching the last page does not
     * finish the book; the reader says so with status read.
     */
    public Progress recordProgress(Book book, Integer page, Double percent, LocalDate requestedDate) {
        if ((page == null) == (percent == null)) {
            throw ProblemException.badRequest("Give exactly one of page or percent");
        }
        if (page != null) {
            int max = book.pages != null ? book.pages : Book.MAX_PAGES;
            if (page < 0 || page > max) {
                throw ProblemException.badField("page", "must be between 0 and " + max
                        + (book.pages != null ? " (the book has " + book.pages + " pages)" : ""));
            }
        }
        if (percent != null && (percent.isNaN() || percent < 0 || percent > 100)) {
            throw ProblemException.badField("percent", "must be between 0 and 100");
        }
        LocalDate date = dateOrToday("date", requestedDate);
        Reading last = Reading.latest(book.ownerId, book.id);
        Reading open = last != null && last.status.isOpen() ? last : null;
        if (open == null) {
            open = start(book, date, Reading.Status.reading);
        }
        open.status = Reading.Status.reading;
        book.status = BookStatus.reading;
        if (date.isBefore(open.startedOn)) {
            // Back-filling yesterday's pages on a book marked "reading" today: it was started earlier.
            open.startedOn = date;
        }
        Progress progress = new Progress();
        progress.ownerId = book.ownerId;
        progress.readingId = open.id;
        progress.onDate = date;
        progress.page = page;
        progress.percent = percent == null ? null : Math.round(percent * 100.0) / 100.0; // NUMERIC(5,2)
        progress.persist();
        touch(book);
        return progress;
    }

    /**
     * Moves the book up the "recently active" list without bumping its version: a client editing the
     * book's details should not get a 409 because someone logged pages meanwhile.
     */
    void touch(Book book) {
        Book.update("updatedAt = ?1 where id = ?2", OffsetDateTime.now(), book.id);
    }

    private Reading start(Book book, LocalDate date, Reading.Status status) {
        Reading reading = new Reading();
        reading.ownerId = book.ownerId;
        reading.bookId = book.id;
        reading.startedOn = date;
        reading.status = status;
        reading.persist();
        return reading;
    }

    private static void end(Reading reading, Reading.Status status, LocalDate date) {
        if (date.isBefore(reading.startedOn)) {
            throw ProblemException.badField("date", date + " is before this read-through started (" + reading.startedOn
                    + "); give a later date");
        }
        reading.status = status;
        reading.finishedOn = date;
    }
}
