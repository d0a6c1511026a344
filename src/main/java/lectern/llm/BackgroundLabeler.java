package lectern.llm;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import lectern.api.Labels;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        String owners = "";
        if (!model.canClassify()) {
            // only users with their own classifier can be labelled; the others' rows would fill every batch
            List<Long> users = classifiers.usersWithOwnClassifier();
            if (users.isEmpty()) {
                return 0;
            }
            owners = ownerIn(users);
        }
        int labelled = 0;
        try (Connection c = dataSource.getConnection()) {
            // notes: only with a classifier trained on the user's labelled notes (learning-log labels mean nothing there)
            List<Long> noteOwners = classifiers.usersLabellingNotes();
            if (!noteOwners.isEmpty()) {
                labelled += label(c, "note", " and deleted_at is null" + ownerIn(noteOwners));
            }
            labelled += label(c, "log_item", owners);
        }
        return labelled;
    }

    private static String ownerIn(List<Long> users) {
        return users.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",", " and owner_id in (", ")"));
    }

    /**
     * Labels up to {@value #BATCH} rows of the table, claimed {@value #CLAIM} at a time with {@code FOR UPDATE SKIP
     * LOCKED}: several Lecterns sharing the database (or two sweeps) never classify the same row, and a user's save of
     * a claimed row waits only for one small claim.
     */
    private int label(Connection c, String table, String extraCondition) throws Exception {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        int n = 0;
        try {
            for (int claimed = 0; claimed < BATCH; ) {
                List<Row> rows = claim(c, table, extraCondition);
                n += labelRows(c, table, rows);
                c.commit();
                claimed += rows.size();
                if (rows.size() < CLAIM) {
                    break;
                }
            }
        } catch (Exception e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return n;
    }

    private record Row(long id, long owner, String text) {
    }

    private static List<Row> claim(Connection c, String table, String extraCondition) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("select id, owner_id, text from " + table
                + " where label is null and not user_label" + extraCondition + " order by id limit " + CLAIM
                + " for update skip locked");
             ResultSet r = q.executeQuery()) {
            while (r.next()) {
                rows.add(new Row(r.getLong(1), r.getLong(2), r.getString(3)));
            }
        }
        return rows;
    }

    private int labelRows(Connection c, String table, List<Row> rows) throws Exception {
        int n = 0;
        for (Row row : rows) {
            String text = row.text() == null || row.text().isBlank() ? " " : row.text();
            classifications.incrementAndGet();
            ServedModel.Classification result = classifiers.classify(row.owner(), text).orElse(null);
            if (result == null) {
                continue;
            }
            String label = Labels.fromClassifier(result.label());
            // only if nobody labelled it meanwhile; the row's version is left alone so a client's PATCH is not refused
            try (PreparedStatement u = c.prepareStatement("update " + table
                    + " set label = ?, confidence = ? where id = ? and label is null and not user_label")) {
                u.setString(1, label);
                u.setFloat(2, (float) result.confidence());
                u.setLong(3, row.id());
                if (u.executeUpdate() == 1) {
                    n++;
                    LabelMonitor.recordPrediction(c, row.owner(), table, row.id(), label, result.confidence());
                }
            }
        }
        return n;
    }

    /** Rows classified since start (tests: two sweeps at once classify each row once). */
    long classifications() {
        return classifications.get();
    }
}
