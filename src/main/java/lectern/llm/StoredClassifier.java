package lectern.llm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import lectern.gpt.classify.NgramHead;
import lectern.gpt.onnx.ClassifierHead;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * One version of a user's retrained classifier as a row of {@code user_classifier} holds it, read back: the linear head
 * on the served trunk's features and the n-gram half with its temperature. {@code bytes}: an estimate of the heap it
 * takes, which bounds the cache of them.
 */
record StoredClassifier(int version, ClassifierHead head, NgramHead ngrams, boolean labelsNotes,
                        Map<String, Integer> trainingCounts, long bytes) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The columns {@link #read} needs. */
    static final String COLUMNS = "version, labels, width, head, ngrams, metrics";

    /** The row under a result set's cursor. */
    static StoredClassifier read(ResultSet r) throws SQLException, IOException {
        return of(r.getInt("version"), r.getString("labels"), r.getInt("width"), r.getBytes("head"), r.getBytes("ngrams"),
                r.getString("metrics"));
    }

    /** A row's columns read back. */
    static StoredClassifier of(int version, String labelsJson, int width, byte[] headBytes, byte[] gz, String metricsJson)
            throws IOException {
        List<String> labels = JSON.readValue(labelsJson, new TypeReference<List<String>>() { });
        ClassifierHead head = head(labels, width, headBytes);
        NgramHead ngrams = gz != null ? NgramHead.fromJson(gunzip(gz)) : null;
        if (ngrams != null && !ngrams.labels().equals(labels)) {
            throw new IOException("the n-gram half's labels " + ngrams.labels() + " are not the head's " + labels);
        }
        JsonNode metrics = JSON.readTree(metricsJson);
        return new StoredClassifier(version, head, ngrams,
                metrics.path(UserClassifiers.NOTE_ITEMS).asInt() > 0,
                Map.copyOf(UserClassifiers.counts(metrics.path("itemsPerLabel"))), estimateBytes(head, ngrams));
    }

    /** The head's weight (labels x width, row-major) then its bias, float32 little-endian. */
    static byte[] headBytes(ClassifierHead head) {
        ByteBuffer b = ByteBuffer.allocate(4 * (head.weight().length + head.bias().length)).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(head.weight()).put(head.bias());
        return b.array();
    }

    static ClassifierHead head(List<String> labels, int width, byte[] bytes) throws IOException {
        int n = labels.size();
        if (bytes.length != 4L * n * (width + 1)) {
            throw new IOException("the head holds " + bytes.length + " bytes, not 4 x " + n + " x (" + width + " + 1)");
        }
        float[] weight = new float[n * width];
        float[] bias = new float[n];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(weight).get(bias);
        return new ClassifierHead(labels, width, weight, bias);
    }

    /** classifier-ngrams.json, gzipped (its numbers are text: about a third of the size). */
    static byte[] ngramBytes(NgramHead ngrams) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(ngrams.toJson().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static String gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A head made for another trunk cannot be applied to this one's features. */
    static void checkFits(ClassifierHead head, ServedModel model) {
        int width = model.info().config().path("n_embd").asInt();
        if (head.width() != width) {
            throw new IllegalArgumentException("the head is " + head.width() + " wide; the served model's features are "
                    + width);
        }
    }

    /**
     * Heap of a loaded classifier, roughly: the float arrays, and per n-gram term its String (about 56 bytes and one
     * a character), its HashMap entry and boxed id (about 56) and list slot.
     */
    static long estimateBytes(ClassifierHead head, NgramHead ngrams) {
        long bytes = 200 + 4L * (head.weight().length + head.bias().length);
        if (ngrams != null) {
            bytes += 4L * ngrams.weight().length;
            for (String term : ngrams.features().terms()) {
                bytes += 128 + term.length();
            }
        }
        return bytes;
    }
}
