package lectern.gpt.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import lectern.gpt.BpeTokenizer;
import lectern.gpt.Checkpoint;
import lectern.gpt.GptConfig;
import lectern.gpt.GptModel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A served model directory (model/CONTRACT.md): {@code lm.onnx}, {@code classifier.onnx}, {@code tokenizer.json} and
 * {@code model.json} (config, labels, metrics, provenance). Written from a run directory by {@code export-onnx}.
 */
public final class ModelPackage {

    /** Labels of the untrained head when a run directory has no classifier: kinds of study-log entries. */
    public static final List<String> DEFAULT_LABELS = List.of("book", "paper", "course", "project", "writing", "other");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** model.json's key for how lm.onnx stores its matrix weights: "float32" (the default when absent) or "int8". */
    public static final String LM_WEIGHTS = "lm_weights";

    private ModelPackage() {
    }

    /**
     * Exports a run directory (config.json, model.safetensors, tokenizer.json, optionally classifier.safetensors)
     * into {@code out}. Without a classifier head, an untrained one over {@code labels} is written (seeded).
     */
    public static Path exportRun(Path runDir, Path out, List<String> labels, long seed) throws IOException {
        return exportRun(runDir, out, labels, seed, OnnxExporter.MatrixWeights.FLOAT32);
    }

    /** As above, the decoder's matrix weights stored as {@code lmWeights}. */
    public static Path exportRun(Path runDir, Path out, List<String> labels, long seed, OnnxExporter.MatrixWeights lmWeights)
            throws IOException {
        GptModel model = Checkpoint.loadModel(runDir);
        BpeTokenizer tokenizer = Checkpoint.loadTokenizer(runDir);
        ClassifierHead head = ClassifierHead.readIfPresent(runDir);
        boolean trained = head != null;
        if (head == null) {
            head = ClassifierHead.untrained(labels, model.config().nEmbd(), seed);
        }
        ObjectNode provenance = JSON.createObjectNode();
        provenance.put("checkpoint", runDir.toAbsolutePath().normalize().toString());
        Path state = runDir.resolve(Checkpoint.TRAINER_STATE);
        if (Files.isRegularFile(state)) {
            provenance.set("trainer_state", JSON.readTree(state.toFile()));
        }
        ObjectNode metrics = JSON.createObjectNode();
        Path metricsFile = runDir.resolve("metrics.json");
        if (Files.isRegularFile(metricsFile)) {
            metrics.setAll((ObjectNode) JSON.readTree(metricsFile.toFile()));
        }
        write(model, tokenizer, head, trained, out, metrics, provenance, lmWeights);
        return out;
    }

    /** Writes the four files with a float32 decoder; {@code metrics} and {@code provenance} go into model.json as given. */
    public static void write(GptModel model, BpeTokenizer tokenizer, ClassifierHead head, boolean headTrained, Path out,
                             ObjectNode metrics, ObjectNode provenance) throws IOException {
        write(model, tokenizer, head, headTrained, out, metrics, provenance, OnnxExporter.MatrixWeights.FLOAT32);
    }

    /**
     * Writes the four files, the decoder's matrix weights stored as {@code lmWeights} (model.json {@code lm_weights});
     * the classifier graph always keeps float32 weights, and is then the only exact copy of them.
     */
    public static void write(GptModel model, BpeTokenizer tokenizer, ClassifierHead head, boolean headTrained, Path out,
                             ObjectNode metrics, ObjectNode provenance, OnnxExporter.MatrixWeights lmWeights) throws IOException {
        GptConfig cfg = model.config();
        if (tokenizer.vocabSize() > cfg.vocabSize()) {
            throw new IllegalArgumentException("tokenizer has " + tokenizer.vocabSize() + " ids, the model only " + cfg.vocabSize());
        }
        Files.createDirectories(out);
        OnnxExporter.write(OnnxExporter.languageModel(model, lmWeights), out.resolve(OnnxNames.LM_FILE));
        OnnxExporter.write(OnnxExporter.classifier(model, head), out.resolve(OnnxNames.CLASSIFIER_FILE));
        tokenizer.save(out.resolve(OnnxNames.TOKENIZER_FILE));

        ObjectNode json = JSON.createObjectNode();
        json.put("format", 1);
        json.put("name", "lectern-gpt-" + cfg.nLayer() + "x" + cfg.nEmbd());
        json.put("parameters", cfg.parameterCount());
        json.set("config", JSON.readTree(Checkpoint.configJson(cfg)));
        ArrayNode labels = json.putArray("labels");
        head.labels().forEach(labels::add);
        json.put("classifier_trained", headTrained);
        json.put(LM_WEIGHTS, lmWeights.name().toLowerCase(java.util.Locale.ROOT));
        ObjectNode files = json.putObject("files");
        files.put("lm", OnnxNames.LM_FILE);
        files.put("classifier", OnnxNames.CLASSIFIER_FILE);
        files.put("tokenizer", OnnxNames.TOKENIZER_FILE);
        ObjectNode prompts = json.putObject("prompts");
        prompts.put("classify_suffix", BpeTokenizer.CLASSIFY);
        prompts.put("summary_separator", BpeTokenizer.SUMMARY);
        prompts.put("end_of_text", BpeTokenizer.END_OF_TEXT);
        json.set("metrics", metrics == null ? JSON.createObjectNode() : metrics);
        ObjectNode prov = provenance == null ? JSON.createObjectNode() : provenance.deepCopy();
        prov.put("exported_at", Instant.now().toString());
        prov.put("exporter", "lectern export-onnx");
        prov.put("opset", GraphBuilder.OPSET);
        prov.put("ir_version", GraphBuilder.IR_VERSION);
        json.set("provenance", prov);
        Files.writeString(out.resolve(OnnxNames.MODEL_JSON), json.toPrettyString() + "\n", StandardCharsets.UTF_8);
    }

    /**
     * The GPT of a model directory, read back from its lm.onnx, or from its classifier graph when lm.onnx stores int8
     * matrices ({@code lm_weights} "int8"): that graph has the same trunk in float32.
     */
    public static GptModel readGpt(Path dir) throws IOException {
        JsonNode json = readModelJson(dir);
        boolean int8 = "int8".equals(json.path(LM_WEIGHTS).asText("float32"));
        String file = int8 ? json.path("files").path("classifier").asText(OnnxNames.CLASSIFIER_FILE)
                : json.path("files").path("lm").asText(OnnxNames.LM_FILE);
        if (int8 && !Files.isRegularFile(dir.resolve(file))) {
            throw new IOException(dir + ": lm.onnx stores int8 weights and there is no " + file
                    + " with the float32 trunk; export the model again with --lm-weights float32");
        }
        GptConfig cfg = Checkpoint.config(json.path("config"), dir.resolve(OnnxNames.MODEL_JSON).toString());
        return OnnxImporter.read(dir.resolve(file), cfg).model();
    }

    /** Reads model.json (any producer's, as long as it follows the contract). */
    public static JsonNode readModelJson(Path dir) throws IOException {
        return JSON.readTree(dir.resolve(OnnxNames.MODEL_JSON).toFile());
    }
}
