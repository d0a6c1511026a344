package lectern.gpt.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import lectern.gpt.Checkpoint;
import lectern.gpt.GptConfig;
import lectern.gpt.GptModel;
import lectern.gpt.ParameterTensor;
import lectern.gpt.onnx.proto.Onnx.ModelProto;
import lectern.gpt.onnx.proto.Onnx.StringStringEntryProto;
import lectern.gpt.onnx.proto.Onnx.TensorProto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a GPT back out of an ONNX graph that {@link OnnxExporter} wrote (the LM graph or the classifier graph): the
 * served model directory holds only ONNX files, and retraining the classifier needs the GPT in Java to compute
 * features. The exporter stores every weight as an initializer under its nanoGPT name in the nanoGPT layout (Linear
 * weights (out,in); the graph transposes them with Transpose nodes), so each initializer is copied back unchanged
 * into the {@link GptModel} tensor of the same name, and a shape that differs is an error rather than something to
 * guess about. The config comes from the metadata {@code lectern_config}; a graph without it (another producer)
 * needs the config from model.json.
 */
public final class OnnxImporter {

    /** Metadata key under which {@link OnnxExporter} writes the GPT's config.json (compact). */
    public static final String CONFIG_KEY = "lectern_config";
    /** Metadata key of the classifier graph: the label names, one a line, in logit order. */
    public static final String LABELS_KEY = "labels";

    private static final ObjectMapper JSON = new ObjectMapper();

    private OnnxImporter() {
    }

    /** What one ONNX file holds: the GPT, and the classifier head when the graph is a classifier (else null). */
    public record Contents(GptModel model, ClassifierHead head) {
    }

    /** Parses an ONNX file (protobuf ModelProto, weights inline). */
    public static ModelProto parse(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE); // weights are large; protobuf's default limit is for messages
            coded.setRecursionLimit(200);
            return ModelProto.parseFrom(coded);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IOException(file + " is not an ONNX model: " + e.getMessage(), e);
        }
    }

    /** Reads the GPT (and head, for a classifier graph) from a file; {@code fallback} is used when the file has no config. */
    public static Contents read(Path file, GptConfig fallback) throws IOException {
        ModelProto proto = parse(file);
        try {
            return read(proto, fallback);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    public static Contents read(ModelProto proto, GptConfig fallback) throws IOException {
        GptConfig cfg = config(proto, fallback);
        Map<String, TensorProto> initializers = new HashMap<>();
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        GptModel model = new GptModel(cfg);
        float[] p = model.parameters();
        for (ParameterTensor t : model.tensors()) {
            TensorProto init = initializers.get(t.name());
            if (init == null) {
                throw new IOException("the graph has no initializer " + t.name() + " (config " + Checkpoint.configJson(cfg).replaceAll("\\s+", "") + ")");
            }
            copy(init, t.shape(), p, t.offset());
        }
        ClassifierHead head = null;
        TensorProto w = initializers.get(ClassifierHead.WEIGHT);
        TensorProto b = initializers.get(ClassifierHead.BIAS);
        if (w != null && b != null) {
            if (w.getDimsCount() != 2 || w.getDims(1) != cfg.nEmbd() || b.getDimsCount() != 1 || b.getDims(0) != w.getDims(0)) {
                throw new IOException(ClassifierHead.WEIGHT + " must be (n, " + cfg.nEmbd() + ") and " + ClassifierHead.BIAS + " (n)");
            }
            int n = Math.toIntExact(w.getDims(0));
            float[] weight = new float[n * cfg.nEmbd()];
            float[] bias = new float[n];
            copy(w, new int[] {n, cfg.nEmbd()}, weight, 0);
            copy(b, new int[] {n}, bias, 0);
            head = new ClassifierHead(labels(proto, n), cfg.nEmbd(), weight, bias);
        }
        return new Contents(model, head);
    }

    /** The config from the metadata, or {@code fallback} (null: none) when the graph has none. */
    static GptConfig config(ModelProto proto, GptConfig fallback) throws IOException {
        String json = metadata(proto, CONFIG_KEY);
        if (json == null) {
            if (fallback == null) {
                throw new IOException("no \"" + CONFIG_KEY + "\" metadata and no config given (model.json's \"config\")");
            }
            return fallback;
        }
        GptConfig cfg = Checkpoint.config(JSON.readTree(json), "metadata " + CONFIG_KEY);
        if (fallback != null && !fallback.equals(cfg)) {
            throw new IOException("the graph's config " + cfg + " differs from the expected " + fallback);
        }
        return cfg;
    }

    /** Label names from the metadata (one a line), or label_0.. when the graph names none. */
    private static List<String> labels(ModelProto proto, int n) throws IOException {
        String text = metadata(proto, LABELS_KEY);
        if (text == null) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                names.add("label_" + i);
            }
            return names;
        }
        List<String> names = Arrays.asList(text.split("\n", -1));
        if (names.size() != n) {
            throw new IOException("metadata names " + names.size() + " labels, the head has " + n);
        }
        return names;
    }

    private static String metadata(ModelProto proto, String key) {
        for (StringStringEntryProto e : proto.getMetadataPropsList()) {
            if (e.getKey().equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Copies a float initializer of exactly {@code shape} into {@code out[offset..]} (raw little-endian or float_data). */
    private static void copy(TensorProto t, int[] shape, float[] out, int offset) throws IOException {
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new IOException(t.getName() + " is not float32 (ONNX data type " + t.getDataType() + ")");
        }
        long[] dims = new long[t.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = t.getDims(i);
        }
        if (!Arrays.equals(dims, Arrays.stream(shape).asLongStream().toArray())) {
            throw new IOException(t.getName() + " has shape " + Arrays.toString(dims) + ", expected " + Arrays.toString(shape));
        }
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (t.hasRawData()) {
            if (t.getRawData().size() != (long) n * Float.BYTES) {
                throw new IOException(t.getName() + " has " + t.getRawData().size() + " bytes of data, expected " + (long) n * Float.BYTES);
            }
            ByteBuffer bytes = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().get(out, offset, n);
        } else {
            if (t.getFloatDataCount() != n) {
                // external data (weights in a side file) also ends here: not supported
                throw new IOException(t.getName() + " has " + t.getFloatDataCount() + " values in the file, expected " + n);
            }
            for (int i = 0; i < n; i++) {
                out[offset + i] = t.getFloatData(i);
            }
        }
    }
}
