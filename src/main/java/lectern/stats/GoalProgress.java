package lectern.stats;

import java.time.LocalDate;

/**
 * Books read against the yearly goal and against where the reader should be today: the goal spread
 * evenly over the year, all of it for a year that is over, none for one that has not begun.
 */
public record GoalProgress(int year, long booksRead, Integer goal, Double expectedByToday, Boolean onTrack) {

    public static GoalProgress of(int year, long booksRead, Integer goal, LocalDate today) {
        if (goal == null) {
            return new GoalProgress(year, booksRead, null, null, null);
        }
        double expected;
        if (year < today.getYear()) {
            expected = goal;
        } else if (year > today.getYear()) {
            expected = 0;
        } else {
            expected = goal * (double) today.getDayOfYear() / today.lengthOfYear();
        }
        boolean onTrack = booksRead >= Math.floor(expected);
        return new GoalProgress(year, booksRead, goal, Math.round(expected * 100) / 100.0, onTrack);
    }
}
