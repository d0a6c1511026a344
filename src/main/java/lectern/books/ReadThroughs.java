package lectern.books;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import lectern.api.ProblemException;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
 * Imports (Goodreads, StoryGraph) go through the same machine ({@link #importStatus}, {@link #importReadThroughs}),
 * so a book ends up the same whether a user changed its status or a file did.
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
            case want -> backOnShelf(open, date);
        }
        book.status = target;
    }

    /**
     * A status an import brings (Goodreads, StoryGraph): the machine of {@link #changeStatus}, with the dates the
     * file knows in place of one the user gave. A file's dates are history, not requests: a finish before the
     * read-through's start is moved to the start rather than refused, and a read book with a finish date it has no
     * read-through for gets one (a re-read the file knows of). {@code addedOn}: the day the book was shelved, when a
     * new read-through starts; {@code finishedOn}: the file's date read, or null.
     */
    public void importStatus(Book book, BookStatus target, LocalDate addedOn, LocalDate finishedOn) {
        Reading latest = Reading.latest(book.ownerId, book.id);
        Reading open = latest != null && latest.status.isOpen() ? latest : null;
        LocalDate today = today();
        switch (target) {
            case read -> {
                if (open != null) {
                    endNoEarlierThanStart(open, Reading.Status.read, finishedOn);
                } else if (finishedOn != null && (latest == null || !hasReadOn(book, finishedOn))) {
                    addReading(book, new ReadingDates(Reading.Status.read, finishedOn, finishedOn));
                }
            }
            case reading, paused -> {
                Reading.Status status = target == BookStatus.reading ? Reading.Status.reading : Reading.Status.paused;
                if (open != null) {
                    open.status = status;
                } else {
                    addReading(book, new ReadingDates(status, shelvedOn(addedOn), null));
                }
            }
            case abandoned -> {
                if (open != null) {
                    endNoEarlierThanStart(open, Reading.Status.abandoned, today);
                }
            }
            case want -> backOnShelf(open, today);
        }
        book.status = target;
    }

    /**
     * The read-throughs a file lists for a book (StoryGraph's "Dates Read", oldest first), matched to the book's by
     * the day they started: a missing one is added, one whose end or status changed is updated, none is removed.
     * A read-through left open that the file does not list closes as {@link #importStatus} would close it. Sets the
     * status; true when any read-through changed.
     */
    public boolean importReadThroughs(Book book, BookStatus target, List<ReadingDates> listed) {
        boolean changed = false;
        List<Reading> have = new ArrayList<>(Reading.list("ownerId = ?1 and bookId = ?2", Sort.by("id"), book.ownerId, book.id));
        for (ReadingDates wanted : listed) {
            boolean open = wanted.finishedOn() == null;
            Reading same = have.stream()
                    .filter(r -> r.startedOn.equals(wanted.startedOn()) || (open && r.status.isOpen()))
                    .findFirst().orElse(null);
            if (same == null) {
                have.add(addReading(book, wanted));
                changed = true;
            } else if (same.status != wanted.status() || !Objects.equals(same.finishedOn, wanted.finishedOn())) {
                same.status = wanted.status();
                same.finishedOn = wanted.finishedOn() != null && wanted.finishedOn().isBefore(same.startedOn)
                        ? same.startedOn : wanted.finishedOn();
                changed = true;
            }
        }
        if (target != BookStatus.reading && target != BookStatus.paused) {
            Reading latest = have.isEmpty() ? null : have.get(have.size() - 1);
            if (latest != null && latest.status.isOpen()) {
                LocalDate today = today();
                switch (target) {
                    case read -> endNoEarlierThanStart(latest, Reading.Status.read, today);
                    case abandoned -> endNoEarlierThanStart(latest, Reading.Status.abandoned, today);
                    default -> backOnShelf(latest, today);
                }
                changed = true;
            }
        }
        book.status = target;
        return changed;
    }

    /**
     * The read-through a book imported with this status starts with, or null: a read book, one started and finished
     * on its date read (none when the file has no date); a book being read, one started on the day it was shelved.
     */
    public ReadingDates firstImported(BookStatus status, LocalDate addedOn, LocalDate finishedOn) {
        return switch (status) {
            case read -> finishedOn == null ? null : new ReadingDates(Reading.Status.read, finishedOn, finishedOn);
            case reading -> new ReadingDates(Reading.Status.reading, shelvedOn(addedOn), null);
            case paused -> new ReadingDates(Reading.Status.paused, shelvedOn(addedOn), null);
            default -> null;
        };
    }

    /** The day a book was shelved, as a file gives it: never after today (a file from a clock ahead of ours). */
    public LocalDate shelvedOn(LocalDate addedOn) {
        LocalDate today = today();
        return addedOn != null && !addedOn.isAfter(today) ? addedOn : today;
    }

    /** Adds a read-through to the book as given (an import's or a backup's): no rule of the status machine applies. */
    public static Reading addReading(Book book, ReadingDates dates) {
        Reading reading = new Reading();
        reading.ownerId = book.ownerId;
        reading.bookId = book.id;
        reading.status = dates.status();
        reading.startedOn = dates.startedOn();
        reading.finishedOn = dates.finishedOn();
        reading.persist();
        return reading;
    }

    /** Adds a position to a read-through as a backup gives it. */
    public static void addProgress(Reading reading, LocalDate onDate, Integer page, Double percent) {
        Progress progress = new Progress();
        progress.ownerId = reading.ownerId;
        progress.readingId = reading.id;
        progress.onDate = onDate;
        progress.page = page;
        progress.percent = percent;
        progress.persist();
    }

    private static boolean hasReadOn(Book book, LocalDate date) {
        return Reading.count("ownerId = ?1 and bookId = ?2 and status = ?3 and finishedOn = ?4",
                book.ownerId, book.id, Reading.Status.read, date) > 0;
    }

    /**
     * Back on the to-read shelf: an open read-through without progress is dropped (a mis-click), one with progress
     * is kept as abandoned on {@code date} (or the day it started, if later).
     */
    private static void backOnShelf(Reading open, LocalDate date) {
        if (open == null) {
            return;
        }
        if (Progress.count("readingId", open.id) == 0) {
            open.delete();
        } else {
            endNoEarlierThanStart(open, Reading.Status.abandoned, date);
        }
    }

    /** Ends the read-through on {@code date}, or on the day it started when the date is earlier or unknown. */
    private static void endNoEarlierThanStart(Reading reading, Reading.Status status, LocalDate date) {
        reading.status = status;
        reading.finishedOn = date == null || date.isBefore(reading.startedOn) ? reading.startedOn : date;
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
        Book.update("updatedAt = ?1 where id = ?2", OffsetDateTime.now(clock), book.id);
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
