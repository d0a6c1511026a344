package lectern.logs;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records {@link LogItemsSaved} the way the classifier will observe it: after the save commits. */
@ApplicationScoped
public class SavedLogEvents {

    final List<LogItemsSaved> seen = new CopyOnWriteArrayList<>();

    void onSaved(@Observes(during = TransactionPhase.AFTER_SUCCESS) LogItemsSaved event) {
        seen.add(event);
    }

    List<LogItemsSaved> forOwnerAndDate(long ownerId, java.time.LocalDate date) {
        return seen.stream().filter(e -> e.ownerId() == ownerId && e.date().equals(date)).toList();
    }
}
