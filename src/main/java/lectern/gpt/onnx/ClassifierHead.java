package lectern.gpt.onnx;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import lectern.gpt.Safetensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A linear classification head on the final (ln_f) hidden state of the last real token: logits (n) = W (n,C) h + b.
 * Stored in a run directory as {@code classifier.safetensors} with tensors {@code classifier.weight} (n,C) and
 * {@code classifier.bias} (n), and the label names as the JSON array in the metadata key {@code labels}.
 */
public record ClassifierHead(List<String> labels, int width, float[] weight, float[] bias) {

    public static final String FILE = "classifier.safetensors";
    public static final String WEIGHT = "classifier.weight";
    public static final String BIAS = "classifier.bias";

    private static final ObjectMapper JSON = new ObjectMapper();

    public ClassifierHead {
        labels = List.copyOf(labels);
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("a classifier needs at least one label");
        }
        if (weight.length != labels.size() * width || bias.length != labels.size()) {
            throw new IllegalArgumentException("weight must be (" + labels.size() + "," + width + ") and bias (" + labels.size() + ")");
        }
    }

    /** An untrained head: normal(0, 0.02) weights and zero bias, from java.util.Random(seed). */
    public static ClassifierHead untrained(List<String> labels, int width, long seed) {
        Random rng = new Random(seed);
        float[] w = new float[labels.size() * width];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rng.nextGaussian() * 0.02);
        }
        return new ClassifierHead(labels, width, w, new float[labels.size()]);
    }

    /** The head saved in a run directory, or null when it has none. */
    public static ClassifierHead readIfPresent(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Safetensors.Contents contents = Safetensors.read(file);
        String labelsJson = contents.metadata().get("labels");
        if (labelsJson == null) {
            throw new IOException(file + ": metadata has no \"labels\"");
        }
        List<String> labels = JSON.readValue(labelsJson, new TypeReference<>() { });
        Safetensors.Tensor w = contents.require(WEIGHT);
        Safetensors.Tensor b = contents.require(BIAS);
        if (w.shape().length != 2 || w.shape()[0] != labels.size()) {
            throw new IOException(file + ": " + WEIGHT + " must be (" + labels.size() + ", n_embd)");
        }
        return new ClassifierHead(labels, w.shape()[1], w.values(), b.values());
    }

    public void write(Path runDir) throws IOException {
        Safetensors.write(runDir.resolve(FILE), List.of(
                new Safetensors.Tensor(WEIGHT, new int[] {labels.size(), width}, weight),
                new Safetensors.Tensor(BIAS, new int[] {labels.size()}, bias)),
                Map.of("format", "pt", "labels", JSON.writeValueAsString(labels)));
    }

    /** logits (n) = W h + b for one hidden state h (C) at {@code h[offset..]}. */
    public float[] apply(float[] h, int offset) {
        int n = labels.size();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            float s = bias[i];
            for (int c = 0; c < width; c++) {
                s += weight[i * width + c] * h[offset + c];
            }
            out[i] = s;
        }
        return out;
    }
}
