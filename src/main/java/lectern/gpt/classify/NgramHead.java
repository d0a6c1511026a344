package lectern.gpt.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a classifier that lives outside classifier.onnx (model/CONTRACT.md): the n-gram block of a
 * {@link HybridClassifier} (its vocabulary, idf and weights (K, V)) and the temperature that calibrates the sum.
 * Served logits are (graph logits + {@link #logits}) / temperature. Stored as {@value #FILE} next to the graph.
 */
public record NgramHead(List<String> labels, NgramFeatures features, float[] weight, double temperature) {

    public static final String FILE = "classifier-ngrams.json";
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public NgramHead {
        labels = List.copyOf(labels);
        if (weight.length != labels.size() * features.size()) {
            throw new IllegalArgumentException("weight must be (" + labels.size() + ", " + features.size() + ")");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite");
        }
    }

    /** The n-gram logits (K) of a text, to add to the graph's. */
    public double[] logits(String text) {
        int K = labels.size(), V = features.size();
        double[] z = new double[K];
        if (V == 0) {
            return z;
        }
        NgramFeatures.Row r = features.vectorize(text);
        for (int k = 0; k < K; k++) {
            double s = 0;
            for (int j = 0; j < r.ids().length; j++) {
                s += weight[k * V + r.ids()[j]] * r.values()[j];
            }
            z[k] = s;
        }
        return z;
    }

    public void write(Path dir) throws IOException {
        Files.writeString(dir.resolve(FILE), toJson() + "\n");
    }

    /** The contents of {@value #FILE}. */
    public String toJson() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("about", "n-gram block of a Lectern classifier: logits = (classifier.onnx logits + W tfidf(text)) / temperature");
        ArrayNode l = root.putArray("labels");
        labels.forEach(l::add);
        root.put("temperature", temperature);
        ArrayNode terms = root.putArray("terms");
        features.terms().forEach(terms::add);
        ArrayNode idf = root.putArray("idf");
        for (float v : features.idf()) {
            idf.add(round(v));
        }
        ArrayNode w = root.putArray("weight");
        for (float v : weight) {
            w.add(round(v));
        }
        return JSON.writeValueAsString(root);
    }

    /** Six significant digits: far below what changes a probability, a third of the file's size. */
    private static float round(float v) {
        return v == 0 ? 0 : Float.parseFloat(String.format(java.util.Locale.ROOT, "%.6g", v));
    }

    /** The head in {@code dir}, or null when it has none (a graph-only classifier, e.g. from PyTorch). */
    public static NgramHead readIfPresent(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return fromJson(Files.readString(file));
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** A head from the contents of {@value #FILE}. */
    public static NgramHead fromJson(String json) throws IOException {
        JsonNode root = JSON.readTree(json);
        if (root.path("format").asInt() != FORMAT) {
            throw new IOException("format must be " + FORMAT);
        }
        List<String> labels = new ArrayList<>();
        root.path("labels").forEach(n -> labels.add(n.asText()));
        List<String> terms = new ArrayList<>();
        root.path("terms").forEach(n -> terms.add(n.asText()));
        float[] idf = floats(root.path("idf"));
        float[] weight = floats(root.path("weight"));
        try {
            return new NgramHead(labels, new NgramFeatures(terms, idf), weight, root.path("temperature").asDouble(1));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }
}
