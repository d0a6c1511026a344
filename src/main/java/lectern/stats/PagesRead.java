package lectern.stats;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pages read per day, from progress entries, which are cumulative positions. Within a read-through the
 * pages read on an entry's date are how far it moved past the furthest point reached before (the first
 * entry counts from 0): a correction backwards reads nothing, and reading again up to where one had
 * been does not count twice.
 */
public final class PagesRead {

    /** One progress entry as a position in some unit (pages, or percent for a book of unknown length). */
    public record Entry(long readingId, LocalDate date, double position) {
    }

    private PagesRead() {
    }

    /** Amount read per date; entries must be ordered by read-through, then date, then the order they were posted. */
    public static TreeMap<LocalDate, Double> byDay(List<Entry> entries) {
        TreeMap<LocalDate, Double> byDay = new TreeMap<>();
        long readingId = Long.MIN_VALUE;
        double furthest = 0;
        for (Entry entry : entries) {
            if (entry.readingId() != readingId) {
                readingId = entry.readingId();
                furthest = 0;
            }
            if (entry.position() > furthest) {
                byDay.merge(entry.date(), entry.position() - furthest, Double::sum);
                furthest = entry.position();
            }
        }
        return byDay;
    }

    /** The total read on dates from {@code from} to {@code to}, both included. */
    public static double between(Map<LocalDate, Double> byDay, LocalDate from, LocalDate to) {
        if (byDay instanceof TreeMap<LocalDate, Double> sorted) {
            return sorted.subMap(from, true, to, true).values().stream().mapToDouble(Double::doubleValue).sum();
        }
        return byDay.entrySet().stream().filter(e -> !e.getKey().isBefore(from) && !e.getKey().isAfter(to))
                .mapToDouble(Map.Entry::getValue).sum();
    }
}
