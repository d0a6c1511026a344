package lectern.logs;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import lectern.api.ProblemException;
import lectern.api.UserLabelled;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes daily logs; every method is scoped to the owner it is given. */
@ApplicationScoped
public class LogStore {

    @Inject
    EntityManager entityManager;

    @Inject
    Event<LogItemsSaved> saved;

    @Inject
    Event<UserLabelled> userLabelled;

    @Inject
    Clock clock;

    public Optional<LogView> find(long ownerId, LocalDate date) {
        DailyLog log = DailyLog.find("ownerId = ?1 and date = ?2", ownerId, date).firstResult();
        if (log == null) {
            return Optional.empty();
        }
        return Optional.of(LogView.of(log, LogItem.list("ownerId = ?1 and logId = ?2", ownerId, log.id)));
    }

    /** The logs from {@code from} to {@code to}, both included, oldest first. */
    public List<LogView> range(long ownerId, LocalDate from, LocalDate to) {
        List<DailyLog> logs = DailyLog.list("ownerId = ?1 and date between ?2 and ?3 order by date", ownerId, from, to);
        if (logs.isEmpty()) {
            return List.of();
        }
        Map<Long, List<LogItem>> itemsByLog = new HashMap<>();
        List<LogItem> items = LogItem.list("ownerId = ?1 and logId in ?2", ownerId,
                logs.stream().map(l -> l.id).toList());
        for (LogItem item : items) {
            itemsByLog.computeIfAbsent(item.logId, k -> new ArrayList<>()).add(item);
        }
        return logs.stream().map(l -> LogView.of(l, itemsByLog.getOrDefault(l.id, List.of()))).toList();
    }

    /**
     * Makes {@code log} that day's log, creating it or replacing all its items. An item whose text was
     * already in the log keeps its id and label (a user's label survives re-sending the same log).
     * With {@code expectedVersion}, a log changed since is a 409.
     */
    @Transactional
    public LogView replace(long ownerId, LocalDate date, ParsedLog log, Long expectedVersion) {
        // Most PUTs rewrite a day that exists: lock it first. For a new day, two first PUTs race: the insert is a
        // no-op for the loser, and the row lock then makes the second wait for the first instead of failing on the
        // unique index.
        DailyLog day = lockedDay(ownerId, date);
        if (day == null) {
            entityManager.createNativeQuery("INSERT INTO daily_log (owner_id, log_date) VALUES (?1, ?2) "
                            + "ON CONFLICT (owner_id, log_date) DO NOTHING")
                    .setParameter(1, ownerId).setParameter(2, date).executeUpdate();
            day = lockedDay(ownerId, date);
        }
        if (expectedVersion != null && expectedVersion != day.version) {
            throw ProblemException.staleVersion(expectedVersion, day.version);
        }

        Map<String, List<LogItem>> oldByText = new LinkedHashMap<>();
        List<LogItem> old = LogItem.list("ownerId = ?1 and logId = ?2 order by position, id", ownerId, day.id);
        for (LogItem item : old) {
            oldByText.computeIfAbsent(item.text, k -> new ArrayList<>()).add(item);
        }
        List<LogItem> kept = new ArrayList<>();
        List<Long> added = new ArrayList<>();
        int position = 0;
        for (Section section : Section.values()) {
            for (String text : log.items(section)) {
                LogItem item = takeSame(oldByText, text, section);
                boolean isNew = item == null;
                if (isNew) {
                    item = new LogItem();
                    item.ownerId = ownerId;
                    item.logId = day.id;
                    item.text = text;
                }
                item.section = section.field;
                item.position = position++;
                if (isNew) {
                    item.persist();
                    added.add(item.id);
                }
                kept.add(item);
            }
        }
        for (List<LogItem> unused : oldByText.values()) {
            unused.forEach(LogItem::delete);
        }
        // Touching the row bumps its version, so clients holding the old one get a 409.
        day.updatedAt = OffsetDateTime.now(clock);
        entityManager.flush();
        if (!added.isEmpty()) {
            saved.fire(new LogItemsSaved(ownerId, date, List.copyOf(added)));
        }
        return LogView.of(day, kept);
    }

    private static DailyLog lockedDay(long ownerId, LocalDate date) {
        return DailyLog.<DailyLog>find("ownerId = ?1 and date = ?2", ownerId, date)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** An old item with this text, from the same section if there is one; taken out of the map. */
    private static LogItem takeSame(Map<String, List<LogItem>> oldByText, String text, Section section) {
        List<LogItem> same = oldByText.get(text);
        if (same == null || same.isEmpty()) {
            return null;
        }
        int pick = 0;
        for (int i = 0; i < same.size(); i++) {
            if (same.get(i).section.equals(section.field)) {
                pick = i;
                break;
            }
        }
        return same.remove(pick);
    }

    @Transactional
    public boolean delete(long ownerId, LocalDate date) {
        // log_item rows go with their log (ON DELETE CASCADE).
        return DailyLog.delete("ownerId = ?1 and date = ?2", ownerId, date) > 0;
    }

    /**
     * Sets the user's own label on an item of that day's log (it wins over the classifier's), or with
     * null takes it away again.
     */
    @Transactional
    public LogView.Item label(long ownerId, LocalDate date, long itemId, String label) {
        LogItem item = entityManager.createQuery("select i from LogItem i, DailyLog l where i.id = ?1 and i.ownerId = ?2"
                        + " and l.id = i.logId and l.ownerId = ?2 and l.date = ?3", LogItem.class)
                .setParameter(1, itemId).setParameter(2, ownerId).setParameter(3, date)
                .getResultStream().findFirst()
                .orElseThrow(() -> ProblemException.notFound("Item " + itemId + " of the log of " + date));
        UserLabelled event = new UserLabelled(ownerId, UserLabelled.LOG_ITEM, item.id, item.label, item.confidence,
                item.userLabel, label);
        item.label = label;
        // As for notes: the user is sure of their own label.
        item.confidence = label == null ? null : 1.0;
        item.userLabel = label != null;
        userLabelled.fire(event);
        return LogView.Item.of(item);
    }
}
