package lectern.llm;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import lectern.accounts.AccountDeleted;
import lectern.database.DatabaseChoice;
import lectern.database.Notifications;
import lectern.gpt.classify.NgramHead;
import lectern.gpt.onnx.ClassifierHead;
import lectern.gpt.onnx.OnnxImporter;
import lectern.gpt.onnx.OnnxNames;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Each user's classifier: the served model's own, until the user retrains it on their labels. A retrained classifier
 * is a row of {@code user_classifier} (migrations/V14): only what differs from the served model, its head on the
 * trunk's features and its n-gram half ({@link StoredClassifier}). Every Lectern on the database serves it on its
 * one copy of the served trunk ({@link ServedModel#classify(ClassifierHead, NgramHead, String)}), loading it on the
 * user's first classification into a cache bounded by size ({@code lectern.classifiers.cache-mb}): memory does not
 * grow with the number of users who retrain. Installing a version notifies every instance ({@link Notifications}),
 * which drops the user's cached one, so a swap is seen everywhere within about a second.
 */
@ApplicationScoped
public class UserClassifiers implements Notifications.Listener {

    private static final Logger LOG = Logger.getLogger(UserClassifiers.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CHANNEL = "lectern_classifier";
    /** In a classifier's metrics: how many of its training items were labelled notes. */
    static final String NOTE_ITEMS = "noteItems";
    /** First key of the per-user advisory lock that orders installs against labels (second key: the user id). */
    static final int LOCK_CLASS = 0x4c4c4d31;
    /** Versions kept per user: the serving one and the one before it. */
    private static final int KEEP_VERSIONS = 2;

    @Inject
    LlmService llm;

    @Inject
    DataSource dataSource;

    @Inject
    EntityManager entityManager;

    @Inject
    Notifications notifications;

    /** How much memory the cached classifiers may take, in MiB (their estimated size: see {@link StoredClassifier#bytes}). */
    @ConfigProperty(name = "lectern.classifiers.cache-mb", defaultValue = "64")
    long cacheMegabytes;

    /** Where user data outside the database lives; default LECTERN_DATA_DIR (as the embedded PostgreSQL's). */
    @ConfigProperty(name = "lectern.data.dir")
    Optional<String> dataDir;

    /** userId -> the user's newest classifier for the served model, or {@link #NONE}. */
    private Cache<Long, Cached> cache;
    /** Counts the times notifications may have been missed; an entry loaded in an older generation is not trusted. */
    private final java.util.concurrent.atomic.AtomicLong generations = new java.util.concurrent.atomic.AtomicLong();


    /** What the cache holds for a user: their classifier for the model with this fingerprint, or none (null). */
    record Cached(String base, StoredClassifier classifier, long generation) {
        long bytes() {
            return 64 + (classifier != null ? classifier.bytes() : 0);
        }
    }

    @PostConstruct
    void createCache() {
        cache = newCache(cacheMegabytes);
    }

    /** userId -> what a user's classifier is, bounded by the classifiers' estimated size. */
    static Cache<Long, Cached> newCache(long megabytes) {
        return Caffeine.newBuilder()
                .maximumWeight(megabytes * 1024 * 1024)
                // a last resort should a swap's notification be lost without the connection noticing
                .expireAfterWrite(java.time.Duration.ofMinutes(10))
                .weigher((Long user, Cached c) -> (int) Math.min(Integer.MAX_VALUE, c.bytes()))
                .build();
    }

    // ---- using a user's classifier ----

    /**
     * What serves this user, read once: the labels (in logit order), the retrained version (0: the served model's
     * classifier) and the items per label it was trained on (their own classifier's, else model.json
     * metrics.classifier.train_label_counts; empty when the model does not say).
     */
    public record Serving(List<String> labels, int version, Map<String, Integer> trainingCounts) {
    }

    public Serving serving(long userId) {
        ServedModel model = llm.require();
        StoredClassifier own = own(userId, model);
        return own != null ? new Serving(own.head().labels(), own.version(), own.trainingCounts())
                : new Serving(model.info().labels(), 0,
                counts(model.info().metrics().path("classifier").path("train_label_counts")));
    }

    /** The user's labels (in logit order), or the served model's when they have not retrained. */
    public List<String> labels(long userId) {
        return serving(userId).labels();
    }

    /** Classifies with the user's classifier; empty when there is none (the served model has no classifier graph). */
    public Optional<ServedModel.Classification> classify(long userId, String text) throws OrtException {
        return classifyForLabelling(userId, text, false).map(Used::classification);
    }

    /** A classification and the version of the user's classifier that made it (0: the served model's own). */
    public record Used(ServedModel.Classification classification, int version) {
    }

    /**
     * For the background labeller: the user's classification and which version made it; empty when there is none,
     * or when {@code ownOnly} and the user has no classifier of their own (notes).
     */
    Optional<Used> classifyForLabelling(long userId, String text, boolean ownOnly) throws OrtException {
        ServedModel model = llm.require();
        StoredClassifier own = own(userId, model);
        if (own != null) {
            return Optional.of(new Used(model.classify(own.head(), own.ngrams(), text), own.version()));
        }
        return !ownOnly && model.canClassify() ? Optional.of(new Used(model.classify(text), 0)) : Optional.empty();
    }

    /**
     * Whether {@code version} is still the user's newest classifier, in the caller's transaction: it takes the user's
     * classifier lock shared, so no install can commit until that transaction ends, and an install that committed
     * first is seen (its version is newer). A label made by an older version must not be stored: the install clears
     * the old classifier's labels only once, right after it commits. A stale answer also drops the user's cached one.
     */
    boolean stillCurrent(Connection c, long userId, int version) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock_shared(?, ?)")) {
            lock.setInt(1, LOCK_CLASS);
            lock.setInt(2, (int) userId);
            lock.execute();
        }
        ServedModel model = llm.require();
        try (PreparedStatement q = c.prepareStatement(
                "select coalesce(max(version), 0) from user_classifier where owner_id = ? and base = ?")) {
            q.setLong(1, userId);
            q.setString(2, model.fingerprint());
            try (ResultSet r = q.executeQuery()) {
                r.next();
                if (r.getInt(1) == version) {
                    return true;
                }
            }
        }
        cache.invalidate(userId);
        return false;
    }

    /** Users with a classifier of their own for the served model (the background labeller asks when it has none). */
    public List<Long> usersWithOwnClassifier() {
        return owners("");
    }

    /**
     * Users whose classifier was trained on labelled notes: only their notes get classifier labels. The model's own
     * labels (book, course, paper, ...) are learning-log labels and mean nothing on a note about a book.
     */
    public List<Long> usersLabellingNotes() {
        return owners(" and coalesce((metrics ->> '" + NOTE_ITEMS + "')::int, 0) > 0");
    }

    /** Owners whose newest classifier for the served model meets the condition. */
    private List<Long> owners(String condition) {
        ServedModel model = llm.current().orElse(null);
        if (model == null) {
            return List.of();
        }
        List<Long> users = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("select owner_id from (select distinct on (owner_id) owner_id, metrics"
                     + " from user_classifier where base = ? order by owner_id, version desc) as newest where true" + condition)) {
            q.setString(1, model.fingerprint());
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    users.add(r.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading who has a classifier of their own: " + e.getMessage(), e);
        }
        return users;
    }

    static Map<String, Integer> counts(JsonNode node) {
        Map<String, Integer> out = new TreeMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asInt()));
        return out;
    }

    /** The retrained version serving this user, 0 for the served model's classifier. */
    public int version(long userId) {
        return serving(userId).version();
    }

    /** The user's newest classifier for this model, from the cache or the database; null when they have none. */
    private StoredClassifier own(long userId, ServedModel model) {
        String fingerprint = model.fingerprint();
        for (;;) {
            Cached c = cache.get(userId, id -> {
                long generation = generations.get(); // before the query: a miss noticed during it makes this stale
                return new Cached(fingerprint, load(id, fingerprint), generation);
            });
            // cached for a model served before this one, or loaded before notifications may have been missed
            if (c.base().equals(fingerprint) && c.generation() == generations.get()) {
                return c.classifier();
            }
            cache.asMap().remove(userId, c);
        }
    }

    /** The newest version made for this model that reads back; older ones when it does not; null when none. */
    private StoredClassifier load(long userId, String fingerprint) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("select " + StoredClassifier.COLUMNS
                     + " from user_classifier where owner_id = ? and base = ? order by version desc")) {
            q.setLong(1, userId);
            q.setString(2, fingerprint);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    try {
                        return StoredClassifier.read(r);
                    } catch (IOException | RuntimeException e) {
                        LOG.warnf("Classifier version %d of user %d does not read back (%s); trying an older one",
                                r.getInt("version"), userId, e.getMessage());
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the classifier of user " + userId + ": " + e.getMessage(), e);
        }
        return null;
    }

    // ---- installing a retrained classifier ----

    /**
     * Stores the new head and n-gram half as the user's next version and makes it theirs on every instance: one
     * transaction inserts it, drops all but the {@link #KEEP_VERSIONS} newest, and notifies. Any failure leaves the
     * current one serving. Returns the version number.
     */
    public int install(long userId, ClassifierHead head, NgramHead ngrams, long jobId, JsonNode metrics) throws IOException {
        ServedModel model = llm.require();
        int version = store(userId, model, head, ngrams, jobId, metrics, false);
        cache.invalidate(userId); // this instance at once; the notification does it again, and on the others
        LOG.infof("Classifier of user %d: version %d (labels %s) serves now", userId, version, head.labels());
        return version;
    }

    /**
     * Inserts the user's next version in its own transaction (see {@link #install}); returns its number.
     * {@code onlyIfNone}: not when the user already has one for the served model (0 returned).
     */
    private int store(long userId, ServedModel model, ClassifierHead head, NgramHead ngrams, long jobId, JsonNode metrics,
                      boolean onlyIfNone) throws IOException {
        StoredClassifier.checkFits(head, model);
        if (ngrams != null && !ngrams.labels().equals(head.labels())) {
            throw new IllegalArgumentException("the n-gram half's labels " + ngrams.labels() + " are not the head's "
                    + head.labels());
        }
        byte[] headBytes = StoredClassifier.headBytes(head);
        byte[] ngramBytes = ngrams != null ? StoredClassifier.ngramBytes(ngrams) : null;
        String labels = JSON.writeValueAsString(head.labels());
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                // one install per user at a time, on any instance, and none while a labeller stores labels of the
                // version it replaces (stillCurrent holds the same lock shared)
                entityManager.createNativeQuery("select 1 from (select pg_advisory_xact_lock(?1, ?2)) as locked")
                        .setParameter(1, LOCK_CLASS).setParameter(2, (int) userId).getSingleResult();
                if (onlyIfNone && ((Number) entityManager.createNativeQuery("select count(*) from user_classifier"
                        + " where owner_id = ?1 and base = ?2").setParameter(1, userId).setParameter(2, model.fingerprint())
                        .getSingleResult()).longValue() > 0) {
                    return 0;
                }
                int next = ((Number) entityManager.createNativeQuery(
                        "select coalesce(max(version), 0) + 1 from user_classifier where owner_id = ?1")
                        .setParameter(1, userId).getSingleResult()).intValue();
                entityManager.createNativeQuery("insert into user_classifier (owner_id, version, base, base_name, labels,"
                                + " width, head, ngrams, metrics, job_id) values (?1, ?2, ?3, ?4, cast(?5 as jsonb), ?6, ?7,"
                                + " ?8, cast(?9 as jsonb), ?10)")
                        .setParameter(1, userId).setParameter(2, next).setParameter(3, model.fingerprint())
                        .setParameter(4, model.info().name()).setParameter(5, labels).setParameter(6, head.width())
                        .setParameter(7, headBytes).setParameter(8, ngramBytes).setParameter(9, metrics.toString())
                        .setParameter(10, jobId > 0 ? jobId : null)
                        .executeUpdate();
                entityManager.createNativeQuery("delete from user_classifier where owner_id = ?1 and version <= ?2")
                        .setParameter(1, userId).setParameter(2, next - KEEP_VERSIONS).executeUpdate();
                notifications.send(CHANNEL, Long.toString(userId));
                return next;
            });
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new IOException("could not save the new classifier: " + cause.getMessage(), e);
        }
    }

    // ---- classifiers from before the database held them ----

    /** After the model has loaded (LlmService starts at the default priority): old classifier files, in the background. */
    void importAtStart(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        if (!Files.isDirectory(modelsDirectory()) || llm.current().isEmpty()) {
            return;
        }
        Thread t = new Thread(() -> {
            int n = importOldFiles();
            if (n > 0) {
                LOG.infof("%d classifier(s) retrained before classifiers moved into the database are in it now", n);
            }
        }, "lectern-classifier-import");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Classifiers users retrained before classifiers moved into the database: for each {@code <data dir>/models/user-<id>/},
     * the newest version made for the served model (its classifier.json's base) that reads becomes the user's first
     * row, unless they already have one; the folder is then renamed {@code user-<id>.imported} (kept, not deleted).
     * Returns how many were stored.
     */
    int importOldFiles() {
        ServedModel model = llm.current().orElse(null);
        Path models = modelsDirectory();
        if (model == null || !Files.isDirectory(models)) {
            return 0;
        }
        String fingerprint = model.fingerprint();
        int stored = 0;
        List<Path> users;
        try (Stream<Path> entries = Files.list(models)) {
            users = entries.filter(p -> p.getFileName().toString().matches("user-\\d{1,18}") && Files.isDirectory(p))
                    .sorted().toList();
        } catch (IOException e) {
            LOG.warnf("Cannot list %s: %s", models, e.getMessage());
            return 0;
        }
        for (Path userDir : users) {
            long userId = Long.parseLong(userDir.getFileName().toString().substring("user-".length()));
            if (importUser(userId, userDir, model, fingerprint)) {
                stored++;
            }
        }
        return stored;
    }

    /** One user's folder: true when a version was stored. */
    private boolean importUser(long userId, Path userDir, ServedModel model, String fingerprint) {
        List<Path> versions;
        try (Stream<Path> entries = Files.list(userDir)) {
            versions = entries.filter(p -> p.getFileName().toString().matches("v\\d{1,9}") && Files.isDirectory(p))
                    .sorted(Comparator.comparingInt((Path p) -> Integer.parseInt(p.getFileName().toString().substring(1)))
                            .reversed()).toList();
        } catch (IOException e) {
            LOG.warnf("Cannot list %s: %s", userDir, e.getMessage());
            return false;
        }
        boolean stored = false;
        boolean settled = false; // stored, or the user has one already: the folder has served its purpose
        for (Path dir : versions) {
            try {
                JsonNode about = JSON.readTree(dir.resolve("classifier.json").toFile());
                if (!fingerprint.equals(about.path("base").asText())) {
                    continue;
                }
                ClassifierHead head = OnnxImporter.read(dir.resolve(OnnxNames.CLASSIFIER_FILE), null).head();
                if (head == null) {
                    continue;
                }
                NgramHead ngrams = NgramHead.readIfPresent(dir);
                JsonNode metrics = about.path("metrics").isObject() ? about.path("metrics") : JSON.createObjectNode();
                int version = store(userId, model, head, ngrams, 0, metrics, true);
                stored = version > 0;
                settled = true;
                if (stored) {
                    LOG.infof("Classifier of user %d: %s moved into the database as version %d", userId, dir, version);
                }
                break;
            } catch (IOException | RuntimeException e) {
                LOG.warnf("Classifier of user %d in %s does not move into the database (%s); trying an older one",
                        userId, dir, e.getMessage());
            }
        }
        if (settled) {
            try {
                Files.move(userDir, userDir.resolveSibling(userDir.getFileName() + ".imported"));
            } catch (IOException e) {
                LOG.debugf("%s stays where it is (%s); its classifier is in the database", userDir, e.getMessage());
            }
        }
        return stored;
    }

    // ---- hearing of changes on other instances ----

    @Override
    public String channel() {
        return CHANNEL;
    }

    /** A user's classifier changed (on any instance): the next classification reads it again. */
    @Override
    public void received(String payload) {
        Notifications.id(CHANNEL, payload).ifPresent(cache::invalidate);
    }

    /** Swaps may have been missed: read every user's classifier again when next used. */
    @Override
    public void missed() {
        generations.incrementAndGet(); // also makes loads in flight stale, which invalidateAll does not see
        cache.invalidateAll();
    }

    void onAccountDeleted(@Observes AccountDeleted deleted) {
        cache.invalidate(deleted.userId());
        // classifier files from before the database held them are the user's words too
        for (String suffix : List.of("", ".imported")) {
            Path dir = modelsDirectory().resolve("user-" + deleted.userId() + suffix);
            try {
                deleteTree(dir);
            } catch (IOException e) {
                LOG.warnf("Could not remove %s of a deleted account: %s", dir, e.getMessage());
            }
        }
    }

    /** Users whose classifier is cached on this instance, and the cache's estimated size in bytes (benchmarks, tests). */
    long cachedUsers() {
        return cache.estimatedSize();
    }

    // ---- the served model's identity ----

    /** What a classifier made for the served model records as its base. */
    String servedFingerprint() {
        return llm.require().fingerprint();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** {@code <data dir>/models}: where classifiers lived before they moved into the database. */
    public Path modelsDirectory() {
        Path data = dataDir.filter(d -> !d.isBlank()).map(Path::of)
                .orElseGet(() -> DatabaseChoice.defaultDataDirectory(System.getenv()));
        return data.resolve("models").toAbsolutePath().normalize();
    }
}
