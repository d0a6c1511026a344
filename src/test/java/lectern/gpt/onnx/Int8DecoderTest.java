package lectern.gpt.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import lectern.gpt.GptConfig;
import lectern.gpt.GptModel;
import lectern.gpt.onnx.proto.Onnx.ModelProto;
import lectern.gpt.onnx.proto.Onnx.NodeProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decoder with int8 matrix weights (OnnxExporter.MatrixWeights.INT8) against the float32 Java forward pass. */
class Int8DecoderTest {

    @Test
    void blocksKeepEveryWeightWithinHalfAStep() {
        Random rng = new Random(1);
        int n = 5, k = 96;
        float[] w = new float[3 + n * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rng.nextGaussian() * (i % 7 == 0 ? 3f : 0.1f);
        }
        Arrays.fill(w, 3 + k, 3 + k + Int8Blocks.BLOCK, 0f); // an all-zero block
        Int8Blocks q = Int8Blocks.quantize(w, 3, n, k);
        for (int row = 0; row < n; row++) {
            for (int col = 0; col < k; col++) {
                float scale = q.scales[row * (k / Int8Blocks.BLOCK) + col / Int8Blocks.BLOCK];
                float error = Math.abs(q.value(row, col) - w[3 + row * k + col]);
                assertTrue(error <= scale / 2 * 1.0001f, "row " + row + " col " + col + ": error " + error + ", step " + scale);
            }
        }
        assertEquals(0f, q.value(1, 0));
    }

    @Test
    void int8DecoderFollowsTheFloatModelAndUsesMatMulNBits() throws Exception {
        GptConfig cfg = new GptConfig(96, 24, 64, 2, 4, GptConfig.Positions.LEARNED);
        GptModel model = TinyModels.random(cfg, 21);
        ModelProto graph = OnnxExporter.languageModel(model, OnnxExporter.MatrixWeights.INT8);
        long nbits = graph.getGraph().getNodeList().stream().map(NodeProto::getOpType).filter("MatMulNBits"::equals).count();
        assertEquals(4 * cfg.nLayer() + 1, nbits, "every linear layer and the head");
        assertFalse(graph.getGraph().getInitializerList().stream().anyMatch(t -> t.getName().endsWith("c_attn.weight")),
                "no float32 copy of a quantized matrix");
        assertTrue(graph.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("MultiHeadAttention")));
        Random rng = new Random(4);
        int T = cfg.blockSize();
        int V = cfg.vocabSize();
        int[] tokens = TinyModels.tokens(T, V, rng);
        model.forward(tokens, null, 1, T);
        float[] expected = Arrays.copyOf(model.logits(), T * V);
        OnnxParityTest.environment();
        try (OrtSession lm = OrtEnvironment.getEnvironment().createSession(graph.toByteArray(), new OrtSession.SessionOptions())) {
            float[] actual = OnnxParityTest.runLm(lm, cfg, tokens, 1, T, OnnxParityTest.emptyPast(cfg, 1)).logits;
            assertFollows(expected, actual, T, V, "full prefill");
            // a short prefill, then one token a call with the cache: position t's logits as in the full forward
            int prefill = 5;
            OnnxParityTest.LmStep step = OnnxParityTest.runLm(lm, cfg, Arrays.copyOf(tokens, prefill), 1, prefill,
                    OnnxParityTest.emptyPast(cfg, 1));
            float[] stepwise = Arrays.copyOf(step.logits, T * V);
            for (int t = prefill; t < T; t++) {
                step = OnnxParityTest.runLm(lm, cfg, new int[] {tokens[t]}, 1, 1, step.present);
                System.arraycopy(step.logits, 0, stepwise, t * V, V);
            }
            assertFollows(expected, stepwise, T, V, "prefill " + prefill + " then decode steps");
        }
    }

    private static void assertFollows(float[] expected, float[] actual, int T, int V, String what) {
        double worst = 0;
        double scale = 0;
        int sameTop = 0;
        for (int t = 0; t < T; t++) {
            int a = 0;
            int e = 0;
            for (int v = 0; v < V; v++) {
                int i = t * V + v;
                worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
                scale = Math.max(scale, Math.abs(expected[i]));
                a = actual[i] > actual[t * V + a] ? v : a;
                e = expected[i] > expected[t * V + e] ? v : e;
            }
            sameTop += a == e ? 1 : 0;
        }
        // activations are quantized to int8 per block too (accuracy_level 4): about 1% of the logits' range
        assertTrue(worst < 0.05 * scale, what + ": largest logit error " + worst + " against logits up to " + scale);
        assertTrue(sameTop >= T - 2, what + ": the most likely next token agrees at " + sameTop + " of " + T + " positions");
    }

    @Test
    void theTrunkOfAnInt8PackageIsReadExactlyFromTheClassifierGraph(@TempDir Path dir) throws Exception {
        TinyModels.Package p = TinyModels.writePackage(dir, GptConfig.Positions.LEARNED, 5);
        ModelPackage.write(p.model(), p.tokenizer(), p.head(), false, dir, null, null, OnnxExporter.MatrixWeights.INT8);
        assertEquals("int8", ModelPackage.readModelJson(dir).path(ModelPackage.LM_WEIGHTS).asText());
        assertArrayEquals(p.model().parameters(), ModelPackage.readGpt(dir).parameters());
    }
}
