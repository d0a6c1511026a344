package lectern.llm;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import lectern.api.LabelledItems;
import lectern.api.Labels;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Labels saved log items (and notes of users whose own classifier was trained on labelled notes) in the background:
 * every {@code lectern.labels.interval} it picks rows that have neither a classifier label nor the user's own,
 * classifies them and stores {@code label} and {@code confidence}. The model's own labels are learning-log labels
 * (book, course, paper, ...): on a note about a book they would mean nothing, so notes never get them.
 * Saving never waits for it, and without a (working) model rows simply stay unlabelled until one is installed.
 * A user's label always wins: a row with {@code user_label} is never touched.
 */
@ApplicationScoped
public class BackgroundLabeler {

    private static final Logger LOG = Logger.getLogger(BackgroundLabeler.class);
    private static final int BATCH = 64;
    /** Rows claimed (locked) in one transaction: a save of one of them waits for at most this many classifications. */
    private static final int CLAIM = 16;
    private final java.util.concurrent.atomic.AtomicLong classifications = new java.util.concurrent.atomic.AtomicLong();

    @Inject
    LlmService llm;

    @Inject
    UserClassifiers classifiers;

    @Inject
    DataSource dataSource;

    @Inject
    ItemsWithLabels items;

    /** How often to look for unlabelled rows; 0 turns background labelling off. */
    @ConfigProperty(name = "lectern.labels.interval", defaultValue = "PT10S")
    Duration interval;

    private ScheduledExecutorService executor;
    private volatile String lastProblem;

    void onStart(@Observes StartupEvent event) {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lectern-labeler");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        executor.scheduleWithFixedDelay(this::sweepQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
            lastProblem = null;
        } catch (Exception e) {
            String problem = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!problem.equals(lastProblem)) {
                LOG.warnf("Background labelling paused: %s (retrying every %s)", problem, interval);
                lastProblem = problem;
            }
        }
    }

    /**
     * One pass over the unlabelled notes and log items, each classified with its owner's classifier (retrained on
     * their labels, else the model's); returns how many rows got a label.
     */
    int sweep() throws Exception {
        ServedModel model = llm.current().orElse(null);
        if (model == null) {
            return 0;
        }
        List<Long> owners = null; // everyone's log items
        if (!model.canClassify()) {
            // only users with their own classifier can be labelled; the others' rows would fill every batch
            owners = classifiers.usersWithOwnClassifier();
            if (owners.isEmpty()) {
                return 0;
            }
        }
        int labelled = 0;
        try (Connection c = dataSource.getConnection()) {
            // notes: only with a classifier trained on the user's labelled notes (learning-log labels mean nothing there)
            List<Long> noteOwners = classifiers.usersLabellingNotes();
            if (!noteOwners.isEmpty()) {
                labelled += label(c, items.notes(), noteOwners, true);
            }
            labelled += label(c, items.logItems(), owners, false);
        }
        return labelled;
    }

    /**
     * Labels up to {@value #BATCH} items, claimed {@value #CLAIM} at a time with {@code FOR UPDATE SKIP LOCKED}
     * ({@link LabelledItems#claimUnlabelled}): several Lecterns sharing the database (or two sweeps) never classify
     * the same item, and a user's save of a claimed item waits only for one small claim.
     */
    private int label(Connection c, LabelledItems kind, List<Long> owners, boolean ownOnly) throws Exception {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        int n = 0;
        try {
            long after = 0; // rows left unlabelled (no classifier answered) are not claimed again in this sweep
            for (int claimed = 0; claimed < BATCH; ) {
                List<LabelledItems.Unlabelled> rows = kind.claimUnlabelled(c, owners, after, CLAIM);
                n += labelRows(c, kind, rows, ownOnly);
                c.commit();
                claimed += rows.size();
                if (rows.size() < CLAIM) {
                    break;
                }
                after = rows.get(rows.size() - 1).id();
            }
        } catch (Exception e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return n;
    }

    private int labelRows(Connection c, LabelledItems kind, List<LabelledItems.Unlabelled> rows, boolean ownOnly)
            throws Exception {
        int n = 0;
        // owner -> the version found current in this transaction: the lock stillCurrent took holds until it ends
        Map<Long, Integer> current = new HashMap<>();
        for (LabelledItems.Unlabelled row : rows) {
            String text = row.text() == null || row.text().isBlank() ? " " : row.text();
            classifications.incrementAndGet();
            UserClassifiers.Used used = classifiers.classifyForLabelling(row.ownerId(), text, ownOnly).orElse(null);
            if (used == null) {
                continue;
            }
            if (!Integer.valueOf(used.version()).equals(current.get(row.ownerId()))) {
                if (!classifiers.stillCurrent(c, row.ownerId(), used.version())) {
                    continue; // replaced meanwhile: the next sweep labels it with the new one
                }
                current.put(row.ownerId(), used.version());
            }
            ServedModel.Classification result = used.classification();
            if (kind.setClassifierLabel(c, row.id(), result.label(), result.confidence())) {
                n++;
                LabelMonitor.recordPrediction(c, row.ownerId(), kind.kind(), row.id(), Labels.fromClassifier(result.label()),
                        result.confidence());
            }
        }
        return n;
    }

    /** Rows classified since start (tests: two sweeps at once classify each row once). */
    long classifications() {
        return classifications.get();
    }
}
