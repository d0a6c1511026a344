package lectern.gpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run directory:
 * <pre>
 * config.json            {"vocab_size":4096,"block_size":128,"n_embd":128,"n_layer":4,"n_head":4,"positions":"learned"}
 * tokenizer.json         the BPE tokenizer ({@link BpeTokenizer})
 * model.safetensors      F32 weights with nanoGPT names; lm_head.weight is written as a copy of
 *                        transformer.wte.weight so torch's load_state_dict(strict=True) accepts the file
 * optimizer.safetensors  AdamW state: "exp_avg" and "exp_avg_sq", flat (N) in parameter order
 * trainer_state.json     {"step": completed steps, "adam_step": t, and the training options used}
 * train_log.jsonl        one JSON object per step (see {@link Trainer})
 * </pre>
 */
public final class Checkpoint {

    public static final String CONFIG = "config.json";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String MODEL = "model.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String TRAINER_STATE = "trainer_state.json";
    public static final String TRAIN_LOG = "train_log.jsonl";
    /** Written on save, never read: the output head is tied to the token embedding. */
    public static final String LM_HEAD = "lm_head.weight";
    public static final String TOKEN_EMBEDDING = "transformer.wte.weight";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoint() {
    }

    // ---- config.json ----

    public static void writeConfig(Path dir, GptConfig config) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(CONFIG), configJson(config) + "\n", StandardCharsets.UTF_8);
    }

    public static String configJson(GptConfig config) {
        ObjectNode node = JSON.createObjectNode();
        node.put("vocab_size", config.vocabSize());
        node.put("block_size", config.blockSize());
        node.put("n_embd", config.nEmbd());
        node.put("n_layer", config.nLayer());
        node.put("n_head", config.nHead());
        node.put("positions", config.positions().jsonName());
        return node.toPrettyString();
    }

    /** Reads a config.json (a run directory's, or a standalone one given to {@code train --config}). */
    public static GptConfig readConfig(Path file) throws IOException {
        return config(JSON.readTree(file.toFile()), file.toString());
    }

    /** A config from its config.json form (also model.json's "config" and the ONNX metadata "lectern_config"). */
    public static GptConfig config(JsonNode node, String where) throws IOException {
        String[] required = {"vocab_size", "block_size", "n_embd", "n_layer", "n_head"};
        for (String key : required) {
            if (!node.path(key).isInt()) {
                throw new IOException(where + ": \"" + key + "\" must be an integer");
            }
        }
        GptConfig.Positions positions;
        try {
            positions = GptConfig.Positions.fromJsonName(node.path("positions").asText("learned"));
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
        try {
            return new GptConfig(node.get("vocab_size").asInt(), node.get("block_size").asInt(), node.get("n_embd").asInt(),
                    node.get("n_layer").asInt(), node.get("n_head").asInt(), positions);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    // ---- model.safetensors ----

    public static void saveWeights(Path dir, GptModel model) throws IOException {
        float[] params = model.parameters();
        List<Safetensors.Tensor> tensors = new ArrayList<>();
        for (ParameterTensor t : model.tensors()) {
            tensors.add(new Safetensors.Tensor(t.name(), t.shape(), params, t.offset()));
        }
        ParameterTensor wte = model.tensors().stream().filter(t -> t.name().equals(TOKEN_EMBEDDING)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the model has no " + TOKEN_EMBEDDING));
        tensors.add(new Safetensors.Tensor(LM_HEAD, wte.shape(), params, wte.offset()));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("lectern_config", compactConfig(model.config()));
        Files.createDirectories(dir);
        Safetensors.write(dir.resolve(MODEL), tensors, metadata);
    }

    private static String compactConfig(GptConfig config) {
        try {
            return JSON.writeValueAsString(JSON.readTree(configJson(config)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads weights into a model of the matching config; every model tensor must be present with its shape. */
    public static void loadWeights(Path file, GptModel model) throws IOException {
        Safetensors.Contents contents = Safetensors.read(file);
        float[] params = model.parameters();
        for (ParameterTensor t : model.tensors()) {
            Safetensors.Tensor stored = contents.require(t.name());
            if (!java.util.Arrays.equals(stored.shape(), t.shape())) {
                throw new IOException(file + ": tensor " + t.name() + " has shape " + java.util.Arrays.toString(stored.shape())
                        + ", the model expects " + java.util.Arrays.toString(t.shape()) + " (does config.json match?)");
            }
            System.arraycopy(stored.data(), stored.offset(), params, t.offset(), t.size());
        }
    }

    /** Saves config, weights and (if given) the tokenizer into a run directory. */
    public static void saveModel(Path dir, GptModel model, BpeTokenizer tokenizer) throws IOException {
        writeConfig(dir, model.config());
        if (tokenizer != null) {
            tokenizer.save(dir.resolve(TOKENIZER));
        }
        saveWeights(dir, model);
    }

    /** A model from a run directory's config.json and model.safetensors. */
    public static GptModel loadModel(Path dir) throws IOException {
        requireFile(dir, CONFIG);
        requireFile(dir, MODEL);
        GptModel model = new GptModel(readConfig(dir.resolve(CONFIG)));
        loadWeights(dir.resolve(MODEL), model);
        return model;
    }

    public static BpeTokenizer loadTokenizer(Path dir) throws IOException {
        requireFile(dir, TOKENIZER);
        return BpeTokenizer.load(dir.resolve(TOKENIZER));
    }

    // ---- optimizer.safetensors + trainer_state.json ----

    /** Where training stands: completed steps and the options that must not change on resume. */
    public record TrainerState(int step, int adamStep, long seed, int batchSize, int totalSteps, float maxLr, float minLr,
                               int warmupSteps, float weightDecay, float gradClip) {
    }

    public static void saveOptimizer(Path dir, AdamW optimizer, TrainerState state) throws IOException {
        float[] m = optimizer.firstMoments();
        float[] v = optimizer.secondMoments();
        Safetensors.write(dir.resolve(OPTIMIZER), List.of(
                new Safetensors.Tensor("exp_avg", new int[] {m.length}, m),
                new Safetensors.Tensor("exp_avg_sq", new int[] {v.length}, v)), Map.of("format", "lectern-adamw"));
        ObjectNode node = JSON.createObjectNode();
        node.put("step", state.step());
        node.put("adam_step", state.adamStep());
        node.put("seed", state.seed());
        node.put("batch_size", state.batchSize());
        node.put("total_steps", state.totalSteps());
        node.put("max_lr", decimal(state.maxLr()));
        node.put("min_lr", decimal(state.minLr()));
        node.put("warmup_steps", state.warmupSteps());
        node.put("weight_decay", decimal(state.weightDecay()));
        node.put("grad_clip", decimal(state.gradClip()));
        Path partial = dir.resolve(TRAINER_STATE + ".partial");
        Files.writeString(partial, node.toPrettyString() + "\n", StandardCharsets.UTF_8);
        Files.move(partial, dir.resolve(TRAINER_STATE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** A float as the shortest decimal that reads back to it (1.0E-4, not 1.00000005E-4). */
    static double decimal(float value) {
        return Double.parseDouble(Float.toString(value));
    }

    public static TrainerState readTrainerState(Path dir) throws IOException {
        requireFile(dir, TRAINER_STATE);
        JsonNode n = JSON.readTree(dir.resolve(TRAINER_STATE).toFile());
        return new TrainerState(n.path("step").asInt(), n.path("adam_step").asInt(), n.path("seed").asLong(),
                n.path("batch_size").asInt(), n.path("total_steps").asInt(), (float) n.path("max_lr").asDouble(),
                (float) n.path("min_lr").asDouble(), n.path("warmup_steps").asInt(),
                (float) n.path("weight_decay").asDouble(), (float) n.path("grad_clip").asDouble());
    }

    public static void loadOptimizer(Path dir, AdamW optimizer, TrainerState state) throws IOException {
        requireFile(dir, OPTIMIZER);
        Safetensors.Contents contents = Safetensors.read(dir.resolve(OPTIMIZER));
        optimizer.restore(contents.require("exp_avg").values(), contents.require("exp_avg_sq").values(), state.adamStep());
    }

    private static void requireFile(Path dir, String name) throws IOException {
        if (!Files.isRegularFile(dir.resolve(name))) {
            throw new IOException(dir + " has no " + name + "; is it a Lectern run directory?");
        }
    }
}
