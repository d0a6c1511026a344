package lectern.stats;

import java.time.LocalDate;
import java.util.Map;

/**
 * How fast a book is being read and when it will be done at that speed. The pace is the amount read
 * over the last {@value #WINDOW_DAYS} days (today included), or since the read-through started when
 * that is more recent, divided by those days. Units are pages, or percent for a book of unknown length.
 */
public record ReadingPace(double perDay, LocalDate projectedFinish) {

    public static final int WINDOW_DAYS = 14;

    /**
     * @param readByDay amount read per date in this read-through (see {@link PagesRead#byDay})
     * @param position  where the reader is now
     * @param total     the end of the book in the same unit, or null when unknown
     */
    public static ReadingPace of(Map<LocalDate, Double> readByDay, LocalDate startedOn, double position, Double total,
                                 LocalDate today) {
        LocalDate windowStart = today.minusDays(WINDOW_DAYS - 1);
        if (startedOn.isAfter(windowStart)) {
            windowStart = startedOn.isAfter(today) ? today : startedOn;
        }
        long days = windowStart.until(today).getDays() + 1L;
        // An entry dated tomorrow (a client a time zone ahead) still counts as read in the window.
        double read = PagesRead.between(readByDay, windowStart, today.plusDays(1));
        double perDay = read / days;
        if (perDay <= 0 || total == null) {
            return new ReadingPace(perDay, null);
        }
        double remaining = Math.max(0, total - position);
        return new ReadingPace(perDay, today.plusDays((long) Math.ceil(remaining / perDay)));
    }
}
