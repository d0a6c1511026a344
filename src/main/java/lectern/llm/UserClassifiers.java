package lectern.llm;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import lectern.api.ProblemException;
import lectern.database.DatabaseChoice;
import lectern.gpt.GptModel;
import lectern.gpt.classify.NgramHead;
import lectern.gpt.onnx.ClassifierHead;
import lectern.gpt.onnx.OnnxExporter;
import lectern.gpt.onnx.OnnxNames;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Each user's classifier: the served model's own, until the user retrains it on their labels. A retrained classifier
 * lives in {@code <data dir>/models/user-<id>/v<n>/} ({@code classifier.onnx} = the served GPT with the user's head,
 * {@code classifier-ngrams.json} = the n-gram half and temperature, {@code classifier.json} = its labels, the base model
 * it was made for, metrics); the newest version that loads serves.
 * It is loaded on the user's first classification after a restart. Swapping in a new one never fails a request in
 * flight: the old graph closes when its last call has finished ({@link ClassifierGraph}).
 */
@ApplicationScoped
public class UserClassifiers {

    private static final Logger LOG = Logger.getLogger(UserClassifiers.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VERSION = Pattern.compile("v(\\d{1,9})");
    static final String ABOUT_FILE = "classifier.json";
    /** In a classifier's metrics: how many of its training items were labelled notes. */
    static final String NOTE_ITEMS = "noteItems";
    /** Versions kept on disk per user: the serving one and the one before it. */
    private static final int KEEP_VERSIONS = 2;

    @Inject
    LlmService llm;

    /** Where user data outside the database lives; default LECTERN_DATA_DIR (as the embedded PostgreSQL's). */
    @ConfigProperty(name = "lectern.data.dir")
    Optional<String> dataDir;

    private final Map<Long, Slot> slots = new ConcurrentHashMap<>();
    private volatile Base base;

    /** The served model a user classifier was made for: same tokenizer and config, else it would read other tokens. */
    private record Base(ServedModel model, String fingerprint) {
    }

    /** One user's classifier: null = the served model's own. {@code loaded}: the disk has been looked at. */
    private static final class Slot {
        final AtomicReference<ClassifierGraph> current = new AtomicReference<>();
        volatile boolean loaded;
        volatile int version;
        /** Trained on labelled notes too, so it may label notes (the model's learning-log labels never do). */
        volatile boolean labelsNotes;
        /** Items per label it was trained on (its metrics' itemsPerLabel). */
        volatile Map<String, Integer> trainingCounts = Map.of();
    }

    /** {@code <data dir>/models}. */
    public Path modelsDirectory() {
        Path data = dataDir.filter(d -> !d.isBlank()).map(Path::of)
                .orElseGet(() -> DatabaseChoice.defaultDataDirectory(System.getenv()));
        return data.resolve("models").toAbsolutePath().normalize();
    }

    public Path userDirectory(long userId) {
        return modelsDirectory().resolve("user-" + userId);
    }

    // ---- using a user's classifier ----

    /** The user's labels (in logit order), or the served model's when they have not retrained. */
    public List<String> labels(long userId) {
        ServedModel model = llm.require();
        ClassifierGraph own = slot(userId, model).current.get();
        return own != null ? own.labels() : model.info().labels();
    }

    /** Classifies with the user's classifier; empty when there is none (the served model has no classifier graph). */
    public Optional<ServedModel.Classification> classify(long userId, String text) throws OrtException {
        ServedModel model = llm.require();
        ClassifierGraph graph = acquire(userId, model);
        if (graph == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(model.classify(graph, text));
        } finally {
            graph.release();
        }
    }

    /** Users whose own classifier is loaded (the background labeller asks when the served model has none). */
    public List<Long> usersWithOwnClassifier() {
        List<Long> users = new ArrayList<>();
        slots.forEach((id, slot) -> {
            if (slot.current.get() != null) {
                users.add(id);
            }
        });
        return users;
    }

    /**
     * Users whose loaded classifier was trained on labelled notes: only their notes get classifier labels. The
     * model's own labels (book, course, paper, ...) are learning-log labels and mean nothing on a note about a book.
     */
    public List<Long> usersLabellingNotes() {
        List<Long> users = new ArrayList<>();
        slots.forEach((id, slot) -> {
            if (slot.current.get() != null && slot.labelsNotes) {
                users.add(id);
            }
        });
        return users;
    }

    /**
     * Items per label the classifier serving this user was trained on: their own classifier's, else the model's
     * (model.json metrics.classifier.train_label_counts; empty when the model does not say).
     */
    public Map<String, Integer> trainingCounts(long userId) {
        ServedModel model = llm.require();
        Slot slot = slot(userId, model);
        return slot.current.get() != null ? slot.trainingCounts
                : counts(model.info().metrics().path("classifier").path("train_label_counts"));
    }

    private static Map<String, Integer> counts(JsonNode node) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asInt()));
        return out;
    }

    /** The retrained version serving this user, 0 for the served model's classifier. */
    public int version(long userId) {
        ServedModel model = llm.require();
        return slot(userId, model).version;
    }

    private ClassifierGraph acquire(long userId, ServedModel model) {
        Slot slot = slot(userId, model);
        for (;;) {
            ClassifierGraph own = slot.current.get();
            if (own == null) {
                ClassifierGraph shared = model.classifierGraph();
                if (shared == null) {
                    return null;
                }
                if (!shared.acquire()) {
                    throw ProblemException.unavailable("The model is shutting down");
                }
                return shared;
            }
            if (own.acquire()) {
                return own;
            }
            // replaced (and closed) between reading and acquiring: the slot holds the newer one now
        }
    }

    private Slot slot(long userId, ServedModel model) {
        Slot slot = slots.computeIfAbsent(userId, id -> new Slot());
        if (!slot.loaded) {
            synchronized (slot) {
                if (!slot.loaded) {
                    loadLatest(userId, model, slot);
                    slot.loaded = true;
                }
            }
        }
        return slot;
    }

    /** After a restart: the newest version on disk that was made for this model and loads; older ones if it fails. */
    private void loadLatest(long userId, ServedModel model, Slot slot) {
        String fingerprint = base(model).fingerprint();
        for (int version : versions(userDirectory(userId))) {
            Path dir = userDirectory(userId).resolve("v" + version);
            try {
                JsonNode about = JSON.readTree(dir.resolve(ABOUT_FILE).toFile());
                if (!fingerprint.equals(about.path("base").asText())) {
                    LOG.infof("Classifier of user %d (%s) was made for another model; using the served one until they retrain",
                            userId, dir);
                    return;
                }
                List<String> labels = new ArrayList<>();
                about.path("labels").forEach(l -> labels.add(l.asText()));
                slot.current.set(model.openClassifier(dir.resolve(OnnxNames.CLASSIFIER_FILE), labels));
                slot.version = version;
                slot.labelsNotes = about.path("metrics").path(NOTE_ITEMS).asInt() > 0;
                slot.trainingCounts = counts(about.path("metrics").path("itemsPerLabel"));
                LOG.infof("Classifier of user %d: %s (labels %s)", userId, dir, labels);
                return;
            } catch (IOException | OrtException | RuntimeException e) {
                LOG.warnf("Classifier of user %d in %s does not load (%s); trying an older one", userId, dir, e.getMessage());
            }
        }
    }

    /** Version numbers of complete classifiers (directories v<n>; v<n>.partial is one being written), newest first. */
    static List<Integer> versions(Path userDir) {
        List<Integer> found = new ArrayList<>();
        if (!Files.isDirectory(userDir)) {
            return found;
        }
        try (Stream<Path> entries = Files.list(userDir)) {
            entries.forEach(p -> {
                Matcher m = VERSION.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) {
                    found.add(Integer.parseInt(m.group(1)));
                }
            });
        } catch (IOException e) {
            LOG.warnf("Cannot list %s: %s", userDir, e.getMessage());
        }
        found.sort(Comparator.reverseOrder());
        return found;
    }

    // ---- installing a retrained classifier ----

    /**
     * Exports the GPT with the new head into the user's next version directory, opens it, and only then makes it the
     * user's classifier. Any failure (writing, opening) leaves the current one serving and the directory removed.
     * Returns the version number.
     */
    public int install(long userId, GptModel gpt, ClassifierHead head, NgramHead ngrams, long jobId, JsonNode metrics)
            throws IOException, OrtException {
        ServedModel model = llm.require();
        Slot slot = slot(userId, model);
        synchronized (slot) { // one install per user at a time; readers do not take this lock
            Path userDir = userDirectory(userId);
            Files.createDirectories(userDir);
            List<Integer> existing = versions(userDir);
            int version = Math.max(slot.version, existing.isEmpty() ? 0 : existing.get(0)) + 1;
            Path partial = userDir.resolve("v" + version + ".partial");
            Path done = userDir.resolve("v" + version);
            deleteTree(partial); // left by a crash
            ClassifierGraph graph;
            try {
                Files.createDirectories(partial);
                OnnxExporter.write(OnnxExporter.classifier(gpt, head), partial.resolve(OnnxNames.CLASSIFIER_FILE));
                if (ngrams != null) {
                    ngrams.write(partial);
                }
                ObjectNode about = JSON.createObjectNode();
                ArrayNode labels = about.putArray("labels");
                head.labels().forEach(labels::add);
                about.put("base", base(model).fingerprint());
                about.put("baseName", model.info().name());
                about.put("jobId", jobId);
                about.put("createdAt", Instant.now().toString());
                about.set("metrics", metrics);
                Files.writeString(partial.resolve(ABOUT_FILE), about.toPrettyString() + "\n", StandardCharsets.UTF_8);
                // complete or absent: a restart never sees half a classifier under its final name
                Files.move(partial, done, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                deleteTree(partial);
                throw e;
            }
            try {
                graph = model.openClassifier(done.resolve(OnnxNames.CLASSIFIER_FILE), head.labels());
            } catch (OrtException | IOException | RuntimeException e) {
                deleteTree(done);
                throw e;
            }
            ClassifierGraph old = slot.current.getAndSet(graph);
            slot.version = version;
            slot.labelsNotes = metrics.path(NOTE_ITEMS).asInt() > 0;
            slot.trainingCounts = counts(metrics.path("itemsPerLabel"));
            if (old != null) {
                old.release(); // closes once the calls still using it are done
            }
            prune(userDir, version);
            LOG.infof("Classifier of user %d: version %d (labels %s) serves now", userId, version, head.labels());
            return version;
        }
    }

    /** Removes all but the newest {@link #KEEP_VERSIONS} versions (never the serving one). */
    private static void prune(Path userDir, int serving) {
        List<Integer> all = versions(userDir);
        for (int i = KEEP_VERSIONS; i < all.size(); i++) {
            if (all.get(i) != serving) {
                try {
                    deleteTree(userDir.resolve("v" + all.get(i)));
                } catch (IOException e) {
                    LOG.warnf("Could not remove an old classifier in %s: %s", userDir, e.getMessage());
                }
            }
        }
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

    /** Identifies the served model by its model.json and tokenizer.json (a new export changes both). */
    private Base base(ServedModel model) {
        Base b = base;
        if (b != null && b.model() == model) {
            return b;
        }
        Path dir = llm.modelDirectory();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(dir.resolve(OnnxNames.MODEL_JSON)));
            JsonNode files = JSON.readTree(dir.resolve(OnnxNames.MODEL_JSON).toFile()).path("files");
            Path tokenizer = dir.resolve(files.path("tokenizer").asText(OnnxNames.TOKENIZER_FILE));
            if (Files.isRegularFile(tokenizer)) {
                sha.update(Files.readAllBytes(tokenizer));
            }
            b = new Base(model, HexFormat.of().formatHex(sha.digest()));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot identify the served model in " + dir + ": " + e.getMessage(), e);
        }
        base = b;
        return b;
    }

    void onStop(@Observes ShutdownEvent event) {
        slots.values().forEach(slot -> {
            ClassifierGraph g = slot.current.getAndSet(null);
            if (g != null) {
                g.release();
            }
        });
        slots.clear();
    }
}
