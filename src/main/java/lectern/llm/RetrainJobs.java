package lectern.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import lectern.api.LabelledItems;
import lectern.api.ProblemException;
import lectern.gpt.GptModel;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Retraining jobs: {@code POST /api/model/retrain} queues one for the user, a single background thread runs them one
 * at a time (training takes every core): it reads the served GPT back out of lm.onnx, computes features of the user's
 * labelled log items and notes, trains a head ({@link ClassifierTraining}), and installs the new classifier for that
 * user ({@link UserClassifiers#install}). Progress, metrics and errors are in table model_job. Several instances
 * on one database share the queue: an idle one claims the oldest queued job with FOR UPDATE SKIP LOCKED and keeps its
 * heartbeat fresh; a running job whose heartbeat is older than {@link #STALE} is marked failed by any instance, and a
 * job live on another instance is never touched.
 */
@ApplicationScoped
public class RetrainJobs {

    private static final Logger LOG = Logger.getLogger(RetrainJobs.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Items trained on at most (a seeded sample beyond that): features cost one GPT forward each. */
    static final int MAX_EXAMPLES = 5000;
    /** Same labels, same classifier. */
    static final long SEED = 1337;

    @Inject
    LlmService llm;

    @Inject
    UserClassifiers classifiers;

    @Inject
    DataSource dataSource;

    @Inject
    ItemsWithLabels rooms;

    /** The app's one clock (lectern.time.ServerClock); job stamps and heartbeats are read from it. */
    @Inject
    java.time.Clock clock;

    @Inject
    jakarta.persistence.EntityManager entityManager;

    private ExecutorService executor;
    private ScheduledExecutorService ticker;

    /** Taken by the worker for the whole of a job. */
    private final Semaphore running = new Semaphore(1);
    /** The job this instance runs now (its heartbeat is refreshed), or null. */
    private volatile Long current;
    /** This instance, as model_job.runner names it. */
    private final String runner = instanceName();

    /** How often this instance looks for a queued job (its own or one another instance left) and refreshes heartbeats. */
    static final Duration POLL = Duration.ofSeconds(2);
    /** A running job whose heartbeat is older than this belonged to an instance that stopped. */
    static final Duration STALE = Duration.ofSeconds(30);
    /** Ticks between two looks for stale jobs (10 s). */
    private static final int STALE_CHECK_EVERY = 5;
    private int ticks;

    void onStart(@Observes StartupEvent event) {
        int stale = failStale();
        if (stale > 0) {
            LOG.infof("Retraining: %d job(s) left running by a stopped instance marked failed", stale);
        }
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lectern-retrain");
            t.setDaemon(true);
            return t;
        });
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lectern-retrain-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long ms = POLL.toMillis();
        ticker.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Every {@link #POLL}: the running job's heartbeat and a look for queued work; every 10 s, stale jobs failed. */
    private void tick() {
        try {
            Long job = current;
            if (job != null) {
                heartbeat(job);
            }
            // a job goes stale after 30 s: looking every 10 s is often enough, and spares a write every tick
            if (++ticks % STALE_CHECK_EVERY == 0) {
                failStale();
            }
            if (running.availablePermits() > 0) {
                executor.submit(this::runNextQueued);
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "retraining: a heartbeat or poll failed; the next one tries again");
        }
    }

    /**
     * Marks running jobs whose heartbeat is older than {@link #STALE} (or that have none: a server before heartbeats)
     * as failed; returns how many. Jobs live on another instance keep their heartbeat fresh and are left alone.
     */
    int failStale() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        // heartbeats are the database's time, written and compared there: the replicas' clocks never meet
        return QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery("update model_job"
                        + " set status = 'failed', error = ?1, finished_at = ?2 where status = 'running'"
                        + " and (heartbeat_at is null or heartbeat_at < now() - make_interval(secs => ?3))")
                .setParameter(1, "the server running it stopped before the job finished (no heartbeat for "
                        + STALE.toSeconds() + " s); start it again")
                .setParameter(2, now).setParameter(3, (double) STALE.toSeconds()).executeUpdate());
    }

    /** The running job's heartbeat, in the database's time (see {@link #failStale}), in a transaction of its own. */
    private void heartbeat(long jobId) {
        QuarkusTransaction.requiringNew().run(() -> touchHeartbeat(jobId));
    }

    /** Stamps the job's heartbeat with the database's time, in the current transaction. */
    private void touchHeartbeat(long jobId) {
        entityManager.createNativeQuery("update model_job set heartbeat_at = now() where id = ?1").setParameter(1, jobId)
                .executeUpdate();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (executor != null) {
            executor.shutdownNow(); // interrupts a running job; its heartbeat stops and it is marked failed
        }
    }

    /** The permit a job holds while it runs; tests in this package take it to keep a job queued. */
    Semaphore runPermit() {
        return running;
    }

    // ---- queueing ----

    /** Queues a retraining for the user: 503 without a model, 409 with one already queued or running, 400 without enough labels. */
    public ModelJob submit(long userId) {
        llm.require();
        rejectIfActive(userId);
        List<ClassifierTraining.LabelledText> items = labelledItems(userId);
        if (ClassifierTraining.usableLabels(items).size() < 2) {
            throw ProblemException.badRequest(notEnoughLabels(items));
        }
        ModelJob job;
        try {
            job = QuarkusTransaction.requiringNew().call(() -> {
                ModelJob j = new ModelJob();
                j.ownerId = userId;
                j.persistAndFlush();
                return j;
            });
        } catch (PersistenceException | io.quarkus.narayana.jta.QuarkusTransactionException e) {
            // two requests at once: the unique index on (owner_id) of active jobs let only one in
            rejectIfActive(userId);
            throw e;
        }
        executor.submit(this::runNextQueued); // this instance, or whichever is free first, claims it
        return job;
    }

    private static void rejectIfActive(long userId) {
        QuarkusTransaction.requiringNew().call(() -> ModelJob.activeOf(userId)).ifPresent(active -> {
            throw ProblemException.duplicate("A retraining job (" + active.id + ") is already " + active.status
                    + " for you: follow it at GET /api/model/jobs/" + active.id + " and start another when it has finished",
                    active.id);
        });
    }

    static String notEnoughLabels(List<ClassifierTraining.LabelledText> items) {
        Map<String, Long> counts = items.stream().collect(Collectors.groupingBy(ClassifierTraining.LabelledText::label,
                java.util.TreeMap::new, Collectors.counting()));
        String have = counts.isEmpty() ? "none yet"
                : counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return "Retraining needs your own labels on at least 2 different labels with at least "
                + ClassifierTraining.MIN_ITEMS_PER_LABEL + " items each (your labelled items: " + have + "). "
                + "Label more log items (PATCH /api/logs/{date}/items/{itemId} {\"label\": \"...\"}) or notes "
                + "(PATCH /api/notes/{noteId} {\"label\": \"...\"}), then retrain.";
    }

    /** The user's own labels on log items and notes (not deleted); a seeded sample when there are very many. */
    List<ClassifierTraining.LabelledText> labelledItems(long userId) {
        List<ClassifierTraining.LabelledText> items = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (LabelledItems kind : List.of(rooms.logItems(), rooms.notes())) {
                boolean notes = kind == rooms.notes();
                for (LabelledItems.UserLabel l : kind.userLabels(c, userId, MAX_EXAMPLES)) {
                    items.add(new ClassifierTraining.LabelledText(l.text(), l.label(), notes));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the labelled items: " + e.getMessage(), e);
        }
        if (items.size() > MAX_EXAMPLES) {
            Collections.shuffle(items, new Random(SEED));
            items = new ArrayList<>(items.subList(0, MAX_EXAMPLES));
        }
        return items;
    }

    // ---- running ----

    /**
     * Claims the oldest queued job (FOR UPDATE SKIP LOCKED: two instances never claim the same one) and runs it, when
     * this instance is not running one. Runs on the single worker thread.
     */
    void runNextQueued() {
        if (!running.tryAcquire()) {
            return;
        }
        try {
            OffsetDateTime now = OffsetDateTime.now(clock);
            Object[] claimed = QuarkusTransaction.requiringNew().call(() -> {
                @SuppressWarnings("unchecked")
                List<Object[]> rows = entityManager.createNativeQuery("select id, owner_id from model_job "
                        + "where status = 'queued' order by id limit 1 for update skip locked").getResultList();
                if (rows.isEmpty()) {
                    return null;
                }
                long id = ((Number) rows.get(0)[0]).longValue();
                ModelJob.update("status = ?1, startedAt = ?2, runner = ?3 where id = ?4",
                        ModelJob.Status.running, now, runner, id);
                touchHeartbeat(id);
                return rows.get(0);
            });
            if (claimed != null) {
                run(((Number) claimed[0]).longValue(), ((Number) claimed[1]).longValue());
            }
        } finally {
            running.release();
        }
    }

    private void run(long jobId, long userId) {
        current = jobId;
        try {
            ObjectNode metrics = retrain(jobId, userId);
            update(jobId, "status = ?1, progress = 1, metrics = ?2, finishedAt = ?3", ModelJob.Status.done,
                    metrics.toString(), OffsetDateTime.now(clock));
        } catch (Throwable e) {
            String why = e instanceof InterruptedException ? "stopped: the server is shutting down"
                    : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            LOG.errorf(e, "Retraining job %d of user %d failed; the previous classifier keeps serving", jobId, userId);
            try {
                update(jobId, "status = ?1, error = ?2, finishedAt = ?3", ModelJob.Status.failed, why, OffsetDateTime.now(clock));
            } catch (RuntimeException again) {
                LOG.errorf(again, "Retraining job %d: could not record the failure", jobId);
            }
        } finally {
            current = null;
        }
    }

    private static String instanceName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        String name = host + ":" + ProcessHandle.current().pid();
        return name.length() > 100 ? name.substring(0, 100) : name;
    }

    private ObjectNode retrain(long jobId, long userId) throws Exception {
        ServedModel model = llm.current().orElseThrow(() -> new IllegalStateException("no model is installed"));
        List<ClassifierTraining.LabelledText> items = labelledItems(userId);
        if (ClassifierTraining.usableLabels(items).size() < 2) {
            throw new IllegalArgumentException(notEnoughLabels(items));
        }
        GptModel gpt = servedGpt();
        Progress progress = new Progress(jobId);
        progress.at(0.05);
        ClassifierTraining.Result result = ClassifierTraining.train(gpt, model.tokenizer(), items, SEED,
                p -> progress.at(0.05 + 0.85 * p));
        progress.at(0.9);
        ObjectNode metrics = JSON.valueToTree(result.report());
        // a classifier trained on labelled notes may label notes; one trained on log items only labels log items
        metrics.put(UserClassifiers.NOTE_ITEMS, items.stream().filter(ClassifierTraining.LabelledText::note).count());
        int version = classifiers.install(userId, result.head(), result.ngrams(), jobId, metrics.deepCopy());
        metrics.put("version", version);
        // the classifier's old labels on this user's items are from the old label set: label them again
        metrics.put("itemsToRelabel", forgetClassifierLabels(userId));
        return metrics;
    }

    /** The served GPT, read back from the model directory's lm.onnx (the directory has no other copy of the weights). */
    private GptModel servedGpt() throws Exception {
        return lectern.gpt.onnx.ModelPackage.readGpt(llm.modelDirectory());
    }

    /** Clears the classifier's (not the user's) labels of the user's notes and log items; returns how many. */
    private int forgetClassifierLabels(long userId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return rooms.logItems().forgetClassifierLabels(c, userId) + rooms.notes().forgetClassifierLabels(c, userId);
        }
    }

    private static void update(long jobId, String set, Object... params) {
        Object[] all = java.util.Arrays.copyOf(params, params.length + 1);
        all[params.length] = jobId;
        String query = set + " where id = ?" + all.length;
        QuarkusTransaction.requiringNew().run(() -> ModelJob.update(query, all));
    }

    /** Writes progress when it has moved by a percent, not at every step. */
    private static final class Progress {
        private final long jobId;
        private float written = -1;

        Progress(long jobId) {
            this.jobId = jobId;
        }

        void at(double fraction) {
            float p = (float) Math.max(0, Math.min(1, fraction));
            if (p - written >= 0.01f) {
                update(jobId, "progress = ?1", p);
                written = p;
            }
        }
    }
}
