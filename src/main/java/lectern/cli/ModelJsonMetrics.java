package lectern.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import lectern.gpt.onnx.OnnxNames;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Records a benchmark's result in a model directory's model.json, under {@code metrics.<section>.<key>}. */
final class ModelJsonMetrics {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelJsonMetrics() {
    }

    static void put(Path modelDir, String section, String key, JsonNode value) throws IOException {
        update(modelDir, metrics -> {
            ObjectNode s = metrics.path(section).isObject() ? (ObjectNode) metrics.get(section) : metrics.putObject(section);
            s.set(key, value);
        });
    }

    /** Replaces {@code metrics.<section>} as a whole. */
    static void set(Path modelDir, String section, JsonNode value) throws IOException {
        update(modelDir, metrics -> metrics.set(section, value));
    }

    private static void update(Path modelDir, java.util.function.Consumer<ObjectNode> change) throws IOException {
        Path file = modelDir.resolve(OnnxNames.MODEL_JSON);
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        change.accept(root.path("metrics").isObject() ? (ObjectNode) root.get("metrics") : root.putObject("metrics"));
        Files.writeString(file, root.toPrettyString() + "\n");
    }
}
