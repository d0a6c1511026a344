package lectern.gpt.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import lectern.cli.LecternCli;
import lectern.gpt.BpeTokenizer;
import lectern.gpt.Checkpoint;
import lectern.gpt.GptConfig;
import lectern.gpt.GptModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code export-onnx} from a run directory, read back by ONNX Runtime. */
class ExportOnnxCommandTest {

    @Test
    void exportsARunDirectoryThatOnnxRuntimeRunsLikeTheJavaModel(@TempDir Path tmp) throws Exception {
        BpeTokenizer tokenizer = BpeTokenizer.of(new int[0][], BpeTokenizer.DEFAULT_SPECIAL_TOKENS);
        GptModel model = TinyModels.random(new GptConfig(tokenizer.vocabSize(), 16, 32, 2, 4, GptConfig.Positions.NONE), 41);
        Path run = tmp.resolve("run");
        Checkpoint.saveModel(run, model, tokenizer);
        Path out = tmp.resolve("model");

        assertEquals(0, LecternCli.run("export-onnx", "--checkpoint", run.toString(), "--out", out.toString(),
                "--labels", "book,paper"));

        for (String f : List.of(OnnxNames.LM_FILE, OnnxNames.CLASSIFIER_FILE, OnnxNames.TOKENIZER_FILE, OnnxNames.MODEL_JSON)) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        JsonNode json = ModelPackage.readModelJson(out);
        assertEquals("none", json.path("config").path("positions").asText());
        assertEquals(List.of("book", "paper"), List.of(json.path("labels").get(0).asText(), json.path("labels").get(1).asText()));
        assertFalse(json.path("classifier_trained").asBoolean());
        assertEquals(run.toAbsolutePath().normalize().toString(), json.path("provenance").path("checkpoint").asText());
        assertEquals(17, json.path("provenance").path("opset").asInt());

        int[] tokens = {5, 200, 17, 259, 3, 99};
        model.forward(tokens, null, 1, tokens.length);
        float[] expected = java.util.Arrays.copyOf(model.logits(), tokens.length * model.config().vocabSize());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession lm = env.createSession(out.resolve(OnnxNames.LM_FILE).toString(), new OrtSession.SessionOptions())) {
            assertEquals(1 + 2 * 2, lm.getInputInfo().size());
            assertEquals(1 + 2 * 2, lm.getOutputInfo().size());
            Map<String, OnnxTensor> in = new HashMap<>();
            long[] ids = java.util.Arrays.stream(tokens).asLongStream().toArray();
            in.put(OnnxNames.INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {1, tokens.length}));
            for (int l = 0; l < 2; l++) {
                in.put(OnnxNames.pastKey(l), OnnxTensor.createTensor(env, FloatBuffer.allocate(0), new long[] {1, 4, 0, 8}));
                in.put(OnnxNames.pastValue(l), OnnxTensor.createTensor(env, FloatBuffer.allocate(0), new long[] {1, 4, 0, 8}));
            }
            try (OrtSession.Result r = lm.run(in)) {
                float[] actual = OnnxParityTest.floats((OnnxTensor) r.get(OnnxNames.LOGITS).orElseThrow());
                OnnxParityTest.assertClose(expected, actual, "exported lm.onnx");
            } finally {
                in.values().forEach(OnnxTensor::close);
            }
        }
    }

    @Test
    void aTrainedClassifierHeadInTheRunIsExportedWithItsLabels(@TempDir Path tmp) throws Exception {
        BpeTokenizer tokenizer = BpeTokenizer.of(new int[0][], BpeTokenizer.DEFAULT_SPECIAL_TOKENS);
        GptModel model = TinyModels.random(new GptConfig(tokenizer.vocabSize(), 16, 32, 1, 2, GptConfig.Positions.LEARNED), 42);
        Path run = tmp.resolve("run");
        Checkpoint.saveModel(run, model, tokenizer);
        ClassifierHead head = ClassifierHead.untrained(List.of("ham", "spam"), 32, 9);
        head.write(run);
        Path out = tmp.resolve("model");
        assertEquals(0, LecternCli.run("export-onnx", "--checkpoint", run.toString(), "--out", out.toString()));
        JsonNode json = ModelPackage.readModelJson(out);
        assertTrue(json.path("classifier_trained").asBoolean());
        assertEquals("ham", json.path("labels").get(0).asText());
        assertEquals(2, json.path("labels").size());
        ClassifierHead read = ClassifierHead.readIfPresent(run);
        assertEquals(head.labels(), read.labels());
        org.junit.jupiter.api.Assertions.assertArrayEquals(head.weight(), read.weight());

        int[] tokens = {7, 8, 9, 10};
        float[] expected = head.apply(TinyModels.lastHidden(model, tokens), 0);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession c = env.createSession(out.resolve(OnnxNames.CLASSIFIER_FILE).toString(), new OrtSession.SessionOptions());
             OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {7, 8, 9, 10}), new long[] {1, 4});
             OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {1, 1, 1, 1}), new long[] {1, 4});
             OrtSession.Result r = c.run(Map.of(OnnxNames.INPUT_IDS, ids, OnnxNames.ATTENTION_MASK, mask))) {
            OnnxParityTest.assertClose(expected, ((float[][]) r.get(OnnxNames.LOGITS).orElseThrow().getValue())[0], "trained head");
        }
    }

    @Test
    void aMissingCheckpointIsAnErrorNotAStackTrace(@TempDir Path tmp) {
        int code = LecternCli.run("export-onnx", "--checkpoint", tmp.resolve("nothing").toString(), "--out", tmp.resolve("o").toString());
        assertTrue(code != 0);
        assertFalse(Files.exists(tmp.resolve("o").resolve(OnnxNames.MODEL_JSON)));
    }
}
