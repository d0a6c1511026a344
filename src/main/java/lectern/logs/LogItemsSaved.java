package lectern.logs;

import java.time.LocalDate;
import java.util.List;

/**
 * Fired when a day's log is saved, with the items whose text is new (so they have no label yet).
 * The classifier labels them; observe it with {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)}
 * so that a missing or broken model can never fail the save.
 */
public record LogItemsSaved(long ownerId, LocalDate date, List<Long> newItemIds) {
}
