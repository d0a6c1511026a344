package lectern.stats;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ReadingPaceTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 3, 1);

    @Test
    void paceOverTheLastFourteenDays() {
        // Window 2026-02-16..2026-03-01 (14 days); 2026-02-10 is outside it.
        Map<LocalDate, Double> read = Map.of(LocalDate.of(2026, 2, 10), 20.0, LocalDate.of(2026, 2, 20), 80.0,
                LocalDate.of(2026, 2, 27), 30.0, TODAY, 30.0);
        ReadingPace pace = ReadingPace.of(read, LocalDate.of(2026, 2, 10), 160, 300.0, TODAY);
        assertEquals(10.0, pace.perDay()); // 140 pages / 14 days
        assertEquals(LocalDate.of(2026, 3, 15), pace.projectedFinish()); // 140 left at 10 a day
    }

    @Test
    void sinceTheStartWhenStartedRecently() {
        // Started yesterday: 2 days, 100 pages -> 50 a day; 300 left -> 6 days.
        Map<LocalDate, Double> read = Map.of(TODAY.minusDays(1), 40.0, TODAY, 60.0);
        ReadingPace pace = ReadingPace.of(read, TODAY.minusDays(1), 100, 400.0, TODAY);
        assertEquals(50.0, pace.perDay());
        assertEquals(TODAY.plusDays(6), pace.projectedFinish());
    }

    @Test
    void aPartDayLeftRoundsUp() {
        // 10 a day, 15 left: done on the second day.
        ReadingPace pace = ReadingPace.of(Map.of(TODAY, 10.0), TODAY, 85, 100.0, TODAY);
        assertEquals(TODAY.plusDays(2), pace.projectedFinish());
    }

    @Test
    void noPaceNoProjection() {
        ReadingPace idle = ReadingPace.of(Map.of(TODAY.minusDays(30), 50.0), TODAY.minusDays(40), 50, 200.0, TODAY);
        assertEquals(0.0, idle.perDay());
        assertNull(idle.projectedFinish());
        ReadingPace unknownLength = ReadingPace.of(Map.of(TODAY, 50.0), TODAY, 50, null, TODAY);
        assertEquals(50.0, unknownLength.perDay());
        assertNull(unknownLength.projectedFinish());
    }

    @Test
    void atTheEndTheProjectionIsToday() {
        ReadingPace done = ReadingPace.of(Map.of(TODAY, 30.0), TODAY.minusDays(2), 200, 200.0, TODAY);
        assertEquals(TODAY, done.projectedFinish());
    }
}
