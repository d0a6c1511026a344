package lectern.gpt.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import lectern.gpt.GptConfig;
import lectern.gpt.GptModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ONNX Runtime on the exported graphs against the Java forward pass: random weights, random tokens. */
class OnnxParityTest {

    private static final float TOLERANCE = 1e-4f;
    private static OrtEnvironment env;

    @BeforeAll
    static void environment() {
        env = OrtEnvironment.getEnvironment();
    }

    @AfterAll
    static void close() {
        // the environment is a process-wide singleton; sessions are closed by each test
    }

    @ParameterizedTest
    @EnumSource(GptConfig.Positions.class)
    void fullForwardMatchesJavaForSeveralLengthsAndBatches(GptConfig.Positions positions) throws Exception {
        GptConfig cfg = TinyModels.config(positions);
        GptModel model = TinyModels.random(cfg, 11);
        Random rng = new Random(5);
        try (OrtSession lm = env.createSession(OnnxExporter.languageModel(model).toByteArray(), new OrtSession.SessionOptions())) {
            for (int[] bt : new int[][] {{1, 1}, {1, 7}, {2, 13}, {3, cfg.blockSize()}}) {
                int B = bt[0];
                int T = bt[1];
                int[] tokens = TinyModels.tokens(B * T, cfg.vocabSize(), rng);
                model.forward(tokens, null, B, T);
                float[] expected = java.util.Arrays.copyOf(model.logits(), B * T * cfg.vocabSize());
                float[] actual = runLm(lm, cfg, tokens, B, T, emptyPast(cfg, B)).logits;
                assertClose(expected, actual, "B=" + B + " T=" + T);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GptConfig.Positions.class)
    void prefillThenDecodeStepsMatchTheFullForward(GptConfig.Positions positions) throws Exception {
        GptConfig cfg = TinyModels.config(positions);
        GptModel model = TinyModels.random(cfg, 12);
        Random rng = new Random(6);
        int V = cfg.vocabSize();
        try (OrtSession lm = env.createSession(OnnxExporter.languageModel(model).toByteArray(), new OrtSession.SessionOptions())) {
            for (int prefill : new int[] {1, 4, 10}) {
                int T = cfg.blockSize();
                int[] tokens = TinyModels.tokens(T, V, rng);
                model.forward(tokens, null, 1, T);
                float[] expected = java.util.Arrays.copyOf(model.logits(), T * V);

                LmStep step = runLm(lm, cfg, java.util.Arrays.copyOf(tokens, prefill), 1, prefill, emptyPast(cfg, 1));
                assertClose(java.util.Arrays.copyOf(expected, prefill * V), step.logits, "prefill " + prefill);
                for (int t = prefill; t < T; t++) {
                    LmStep next = runLm(lm, cfg, new int[] {tokens[t]}, 1, 1, step.present);
                    step.close();
                    step = next;
                    assertEquals(t + 1, step.present.get(0).shape[2], "cache length after position " + t);
                    assertClose(java.util.Arrays.copyOfRange(expected, t * V, (t + 1) * V), step.logits,
                            "decode at " + t + " after prefill " + prefill);
                }
                step.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GptConfig.Positions.class)
    void classifierMatchesTheJavaReferenceWithPaddingOnEitherSide(GptConfig.Positions positions) throws Exception {
        GptConfig cfg = TinyModels.config(positions);
        GptModel model = TinyModels.random(cfg, 13);
        ClassifierHead head = ClassifierHead.untrained(List.of("a", "b", "c"), cfg.nEmbd(), 3);
        // a random bias too, so it is checked
        for (int i = 0; i < head.bias().length; i++) {
            head.bias()[i] = 0.1f * (i + 1);
        }
        Random rng = new Random(7);
        int[] lengths = {3, 1, 9, 6};
        int S = 9;
        int B = lengths.length;
        try (OrtSession classifier = env.createSession(OnnxExporter.classifier(model, head).toByteArray(),
                new OrtSession.SessionOptions())) {
            for (boolean leftPadding : new boolean[] {false, true}) {
                long[] ids = new long[B * S];
                long[] mask = new long[B * S];
                float[][] expected = new float[B][];
                for (int b = 0; b < B; b++) {
                    int[] row = TinyModels.tokens(lengths[b], cfg.vocabSize(), rng);
                    int start = leftPadding ? S - lengths[b] : 0;
                    for (int i = 0; i < S; i++) {
                        ids[b * S + i] = rng.nextInt(cfg.vocabSize()); // padding tokens are arbitrary
                    }
                    for (int i = 0; i < lengths[b]; i++) {
                        ids[b * S + start + i] = row[i];
                        mask[b * S + start + i] = 1;
                    }
                    expected[b] = head.apply(TinyModels.lastHidden(model, row), 0);
                }
                try (OnnxTensor idT = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {B, S});
                     OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {B, S});
                     OrtSession.Result r = classifier.run(Map.of(OnnxNames.INPUT_IDS, idT, OnnxNames.ATTENTION_MASK, maskT))) {
                    float[][] actual = (float[][]) r.get(OnnxNames.LOGITS).get().getValue();
                    for (int b = 0; b < B; b++) {
                        assertClose(expected[b], actual[b], (leftPadding ? "left" : "right") + " padded row " + b);
                    }
                }
            }
        }
    }

    // ---- helpers ----

    record Past(float[] data, long[] shape) {
    }

    /** One LM call's logits and its presents (kept as ORT tensors, fed back as the next pasts). */
    static final class LmStep implements AutoCloseable {
        float[] logits;
        List<Past> present = new ArrayList<>();

        @Override
        public void close() {
        }
    }

    static List<Past> emptyPast(GptConfig cfg, int B) {
        List<Past> past = new ArrayList<>();
        for (int i = 0; i < 2 * cfg.nLayer(); i++) {
            past.add(new Past(new float[0], new long[] {B, cfg.nHead(), 0, cfg.headDim()}));
        }
        return past;
    }

    static LmStep runLm(OrtSession lm, GptConfig cfg, int[] tokens, int B, int T, List<Past> past) throws OrtException {
        long[] ids = new long[B * T];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokens[i];
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(OnnxNames.INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {B, T}));
            for (int l = 0; l < cfg.nLayer(); l++) {
                Past k = past.get(2 * l);
                Past v = past.get(2 * l + 1);
                inputs.put(OnnxNames.pastKey(l), OnnxTensor.createTensor(env, FloatBuffer.wrap(k.data), k.shape));
                inputs.put(OnnxNames.pastValue(l), OnnxTensor.createTensor(env, FloatBuffer.wrap(v.data), v.shape));
            }
            try (OrtSession.Result r = lm.run(inputs)) {
                LmStep step = new LmStep();
                OnnxTensor logits = (OnnxTensor) r.get(OnnxNames.LOGITS).get();
                assertArrayEquals(new long[] {B, T, cfg.vocabSize()}, logits.getInfo().getShape());
                step.logits = floats(logits);
                for (int l = 0; l < cfg.nLayer(); l++) {
                    for (String name : new String[] {OnnxNames.presentKey(l), OnnxNames.presentValue(l)}) {
                        OnnxTensor t = (OnnxTensor) r.get(name).get();
                        step.present.add(new Past(floats(t), t.getInfo().getShape()));
                    }
                }
                return step;
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    public static float[] floats(OnnxTensor t) {
        FloatBuffer b = t.getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    public static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        float worst = 0;
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Float.isFinite(actual[i]), what + ": non-finite at " + i);
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst < TOLERANCE, what + ": max abs diff " + worst);
    }
}
