package lectern.stats;

import lectern.stats.PagesRead.Entry;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PagesReadTest {

    private static LocalDate d(int day) {
        return LocalDate.of(2026, 2, day);
    }

    @Test
    void deltasBetweenCumulativePositions() {
        Map<LocalDate, Double> byDay = PagesRead.byDay(List.of(
                new Entry(1, d(1), 20), new Entry(1, d(2), 50), new Entry(1, d(2), 70), new Entry(1, d(5), 100)));
        assertEquals(Map.of(d(1), 20.0, d(2), 50.0, d(5), 30.0), byDay);
    }

    @Test
    void aCorrectionBackwardsReadsNothingAndIsNotCountedTwice() {
        // 100 -> 90 (a typo fixed) -> 130: 100 + 0 + 30 pages.
        Map<LocalDate, Double> byDay = PagesRead.byDay(List.of(
                new Entry(1, d(1), 100), new Entry(1, d(2), 90), new Entry(1, d(3), 130)));
        assertEquals(Map.of(d(1), 100.0, d(3), 30.0), byDay);
    }

    @Test
    void eachReadThroughCountsFromZero() {
        // A re-read of the same book: the second read-through starts again at 0.
        Map<LocalDate, Double> byDay = PagesRead.byDay(List.of(
                new Entry(1, d(1), 300), new Entry(2, d(10), 40), new Entry(3, d(10), 5)));
        assertEquals(Map.of(d(1), 300.0, d(10), 45.0), byDay);
    }

    @Test
    void betweenIncludesBothEnds() {
        var byDay = PagesRead.byDay(List.of(new Entry(1, d(1), 10), new Entry(1, d(2), 30), new Entry(1, d(3), 60)));
        assertEquals(50.0, PagesRead.between(byDay, d(2), d(3)));
        assertEquals(60.0, PagesRead.between(byDay, d(1), d(28)));
        assertEquals(0.0, PagesRead.between(byDay, d(4), d(28)));
    }
}
