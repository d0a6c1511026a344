package lectern.stats;

import java.time.LocalDate;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Consecutive days with a daily log, ending today, or yesterday when today's log is not written yet
 * (the streak is not lost before the day is over).
 */
public final class LogStreak {

    private LogStreak() {
    }

    public static int days(Collection<LocalDate> logDates, LocalDate today) {
        Set<LocalDate> dates = new HashSet<>(logDates);
        LocalDate day = dates.contains(today) ? today : today.minusDays(1);
        int streak = 0;
        while (dates.contains(day)) {
            streak++;
            day = day.minusDays(1);
        }
        return streak;
    }
}
