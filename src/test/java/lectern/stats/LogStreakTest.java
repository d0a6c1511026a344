package lectern.stats;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogStreakTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 3, 1);

    @Test
    void countsBackFromToday() {
        assertEquals(3, LogStreak.days(List.of(TODAY, TODAY.minusDays(1), TODAY.minusDays(2), TODAY.minusDays(4)), TODAY));
    }

    @Test
    void todayNotWrittenYetKeepsYesterdaysStreak() {
        assertEquals(2, LogStreak.days(List.of(TODAY.minusDays(1), TODAY.minusDays(2)), TODAY));
    }

    @Test
    void aMissedDayBreaksIt() {
        assertEquals(0, LogStreak.days(List.of(TODAY.minusDays(2), TODAY.minusDays(3)), TODAY));
        assertEquals(0, LogStreak.days(List.of(), TODAY));
    }

    @Test
    void crossesMonthAndYearEnds() {
        LocalDate newYear = LocalDate.of(2026, 1, 1);
        assertEquals(3, LogStreak.days(List.of(newYear, LocalDate.of(2025, 12, 31), LocalDate.of(2025, 12, 30)), newYear));
    }
}
