package lectern.stats;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoalProgressTest {

    private static final LocalDate MARCH_1 = LocalDate.of(2026, 3, 1); // day 60 of 365

    @Test
    void expectedGrowsThroughTheYear() {
        // 52 * 60 / 365 = 8.5479...
        GoalProgress behind = GoalProgress.of(2026, 7, 52, MARCH_1);
        assertEquals(8.55, behind.expectedByToday());
        assertFalse(behind.onTrack());
        // floor(8.55) = 8 books is on track.
        assertTrue(GoalProgress.of(2026, 8, 52, MARCH_1).onTrack());
    }

    @Test
    void leapYearHas366Days() {
        // 2028-12-31 is day 366: the whole goal.
        assertEquals(50.0, GoalProgress.of(2028, 0, 50, LocalDate.of(2028, 12, 31)).expectedByToday());
        // 2028-02-29 is day 60 of 366: 61 * 60 / 366 = 10.0
        assertEquals(10.0, GoalProgress.of(2028, 0, 61, LocalDate.of(2028, 2, 29)).expectedByToday());
    }

    @Test
    void pastYearExpectsTheGoalAndFutureYearNothing() {
        GoalProgress past = GoalProgress.of(2025, 11, 12, MARCH_1);
        assertEquals(12.0, past.expectedByToday());
        assertFalse(past.onTrack());
        GoalProgress future = GoalProgress.of(2027, 0, 30, MARCH_1);
        assertEquals(0.0, future.expectedByToday());
        assertTrue(future.onTrack());
    }

    @Test
    void noGoalMeansNoExpectation() {
        GoalProgress none = GoalProgress.of(2026, 3, null, MARCH_1);
        assertEquals(3, none.booksRead());
        assertNull(none.expectedByToday());
        assertNull(none.onTrack());
    }
}
