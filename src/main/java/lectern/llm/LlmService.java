package lectern.llm;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import lectern.api.ProblemException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The app's model: loaded once at start from {@code lectern.model.dir} ({@code LECTERN_MODEL_DIR}, default
 * {@code model}). Without a model, or with one that does not load, the tracker runs and {@link #require()} answers
 * 503. The device (CUDA or CPU, and why) is logged once here.
 */
@ApplicationScoped
public class LlmService {

    private static final Logger LOG = Logger.getLogger(LlmService.class);

    @ConfigProperty(name = "lectern.model.dir", defaultValue = "model")
    String modelDir;

    /** auto (CUDA when it loads), cpu or cuda. */
    @ConfigProperty(name = "lectern.model.device", defaultValue = "auto")
    String device;

    @ConfigProperty(name = "lectern.model.cuda-device", defaultValue = "0")
    int cudaDevice;

    /** ONNX Runtime intra-op threads; 0 lets it pick (one per core). */
    @ConfigProperty(name = "lectern.model.threads", defaultValue = "0")
    int threads;

    @ConfigProperty(name = "lectern.onnxruntime.cache-dir")
    Optional<String> cacheDir;

    /**
     * Load ONNX Runtime's native libraries from the cache (false: ONNX Runtime unpacks them into the temp directory).
     * Tests turn it off: a JVM cannot load one library file into two class loaders (Quarkus's and JUnit's).
     */
    @ConfigProperty(name = "lectern.onnxruntime.cache-native-libraries", defaultValue = "true")
    boolean cacheNativeLibraries;

    private volatile ServedModel model;
    private volatile String unavailable = "the model has not been loaded yet";

    void onStart(@Observes StartupEvent event) {
        load();
    }

    void onStop(@Observes ShutdownEvent event) {
        ServedModel m = model;
        model = null;
        if (m != null) {
            m.close();
        }
    }

    /** The model directory (lectern.model.dir), absolute. */
    public Path modelDirectory() {
        return Path.of(modelDir).toAbsolutePath().normalize();
    }

    synchronized void load() {
        Path dir = modelDirectory();
        if (!ServedModel.present(dir)) {
            unavailable = "No model is installed: export one with 'lectern export-onnx --checkpoint RUN --out DIR' and point "
                    + "LECTERN_MODEL_DIR at DIR (looked in " + dir + ")";
            LOG.infof("Model: none in %s; the model endpoints answer 503 (set LECTERN_MODEL_DIR)", dir);
            return;
        }
        ServedModel.DeviceChoice choice;
        try {
            choice = ServedModel.DeviceChoice.valueOf(device.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            LOG.warnf("lectern.model.device=%s is not auto, cpu or cuda; using auto", device);
            choice = ServedModel.DeviceChoice.AUTO;
        }
        if (cacheNativeLibraries) {
            OnnxRuntimeLibraries.prepare(cacheDir.map(Path::of).orElseGet(OnnxRuntimeLibraries::defaultCacheDir));
        }
        try {
            ServedModel loaded = ServedModel.load(dir, choice, cudaDevice, threads);
            ServedModel.Info info = loaded.info();
            // one line says where the model runs and why; a warning only when CUDA was asked for and not had
            String why = info.deviceNote() == null ? "" : "; " + info.deviceNote();
            String line = String.format("Model: %s (%d parameters, context %d) on %s with %s, from %s%s", info.name(),
                    info.parameters(), info.contextLength(), info.device(), info.runtime(), dir, why);
            if (info.deviceNote() != null && choice == ServedModel.DeviceChoice.CUDA) {
                LOG.warn(line);
            } else {
                LOG.info(line);
            }
            model = loaded;
        } catch (Exception | LinkageError e) {
            unavailable = "The model in " + dir + " could not be loaded: " + e.getMessage();
            LOG.errorf(e, "Model: could not load %s; the model endpoints answer 503", dir);
        }
    }

    /** The loaded model, or a 503 problem saying why there is none. */
    public ServedModel require() {
        ServedModel m = model;
        if (m == null) {
            throw ProblemException.unavailable(unavailable);
        }
        return m;
    }

    public Optional<ServedModel> current() {
        return Optional.ofNullable(model);
    }
}
