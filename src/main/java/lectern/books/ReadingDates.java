package lectern.books;

import java.time.LocalDate;

/** A read-through as an import or a backup gives it: its status and days ({@code finishedOn} null while open). */
public record ReadingDates(Reading.Status status, LocalDate startedOn, LocalDate finishedOn) {
}
