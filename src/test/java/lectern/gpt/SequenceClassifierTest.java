package lectern.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class SequenceClassifierTest {

    private static final GptConfig TINY = new GptConfig(23, 8, 16, 2, 2, GptConfig.Positions.LEARNED);

    /** A model with weights large enough that gradients stand above float rounding (as GptModelGradientTest). */
    private static GptModel randomModel(Compute cx, long seed) {
        return GradientCheck.largeWeights(new GptModel(TINY, cx), seed);
    }

    private static List<int[]> sequences(Random rng, int... lengths) {
        List<int[]> out = new ArrayList<>();
        for (int n : lengths) {
            int[] s = new int[n];
            for (int i = 0; i < n; i++) {
                s[i] = rng.nextInt(TINY.vocabSize());
            }
            out.add(s);
        }
        return out;
    }

    static Stream<Arguments> cases() {
        return GradientCheck.computes().flatMap(cx -> Stream.of(SequenceClassifier.Mode.values()).map(m -> Arguments.of(cx, m)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(Compute cx, SequenceClassifier.Mode mode) {
        GptModel model = randomModel(cx, 5);
        SequenceClassifier clf = new SequenceClassifier(model, 3, mode, 2, 4f, 9);
        Random rng = new Random(21);
        float[] own = clf.ownParameters();
        // larger head and non-zero B so every trainable tensor has a gradient well above rounding
        int[] layout = clf.ownLayout();
        for (int i = 0; i < own.length; i++) {
            own[i] = (float) (rng.nextGaussian() * 0.3);
        }
        List<SequenceClassifier.Example> batch = new ArrayList<>();
        for (int[] s : sequences(rng, 3, 8, 5)) {
            batch.add(clf.prepare(s));
        }
        int[] labels = {2, 0, 1};
        clf.zeroGradients();
        float loss = clf.forward(batch, labels);
        assertTrue(loss > 0 && Float.isFinite(loss));
        clf.backward();
        float[] ownGrad = clf.ownGradients().clone();
        float[] modelGrad = model.gradients().clone();
        String[] names = {"head.weight", "head.bias", "A_attn", "B_attn", "A_proj", "B_proj"};
        int ownSize = mode == SequenceClassifier.Mode.LORA ? own.length : layout[1] + 3;
        for (int j = 0; j + 1 < layout.length; j++) {
            int start = layout[j];
            int end = j + 1 < layout.length && layout[j + 1] > start ? layout[j + 1] : ownSize;
            if (end <= start) {
                continue;
            }
            String name = names[Math.min(j, 2 + (j - 2) % 4)] + (j >= 2 ? "[layer " + (j - 2) / 4 + "]" : "");
            GradientCheck.assertGradient(name, own, start, end - start, ownGrad, start, 0f,
                    () -> clf.forward(batch, labels), 1e-2f, 1e-3, 2e-2, 40);
        }
        if (mode == SequenceClassifier.Mode.LORA) {
            int lastA = layout[layout.length - 1];
            GradientCheck.assertGradient("B_proj[last layer]", own, lastA, own.length - lastA, ownGrad, lastA, 0f,
                    () -> clf.forward(batch, labels), 1e-2f, 1e-3, 2e-2, 40);
        }
        float[] p = model.parameters();
        for (ParameterTensor t : model.tensors()) {
            if (t.offset() >= clf.trainStart() && t.offset() < clf.trainEnd()) {
                GradientCheck.assertGradient(t.name(), p, t.offset(), t.size(), modelGrad, t.offset(), 0f,
                        () -> clf.forward(batch, labels), 1e-2f, 1e-3, 2e-2, 30);
            }
        }
        if (mode == SequenceClassifier.Mode.LAST_BLOCK) {
            assertTrue(clf.trainEnd() - clf.trainStart() == 12 * 16 * 16 + 13 * 16 + 2 * 16, "last block + ln_f train");
        } else {
            assertEquals(0, clf.trainEnd() - clf.trainStart());
        }
    }

    @ParameterizedTest
    @EnumSource(SequenceClassifier.Mode.class)
    void paddingInABatchDoesNotChangeLogits(SequenceClassifier.Mode mode) {
        GptModel model = randomModel(Compute.preferred(), 6);
        SequenceClassifier clf = new SequenceClassifier(model, 4, mode, 2, 2f, 3);
        float[] own = clf.ownParameters();
        Random rng = new Random(8);
        for (int i = 0; i < own.length; i++) {
            own[i] = (float) (rng.nextGaussian() * 0.2);
        }
        List<SequenceClassifier.Example> examples = new ArrayList<>();
        for (int[] s : sequences(rng, 2, 8, 4, 1)) {
            examples.add(clf.prepare(s));
        }
        clf.forward(examples, null);
        float[] together = java.util.Arrays.copyOf(clf.logits(), 4 * 4);
        for (int i = 0; i < examples.size(); i++) {
            clf.forward(List.of(examples.get(i)), null);
            for (int k = 0; k < 4; k++) {
                assertEquals(together[i * 4 + k], clf.logits()[k], 1e-4, "example " + i + " label " + k);
            }
        }
    }

    @Test
    void mergedAdaptersGiveTheSameLogitsAsAPlainModel() {
        GptModel model = randomModel(Compute.preferred(), 7);
        SequenceClassifier lora = new SequenceClassifier(model, 3, SequenceClassifier.Mode.LORA, 3, 6f, 1);
        float[] own = lora.ownParameters();
        Random rng = new Random(2);
        for (int i = 0; i < own.length; i++) {
            own[i] = (float) (rng.nextGaussian() * 0.2);
        }
        List<int[]> seqs = sequences(rng, 5, 7);
        List<SequenceClassifier.Example> ex = new ArrayList<>();
        for (int[] s : seqs) {
            ex.add(lora.prepare(s));
        }
        lora.forward(ex, null);
        float[] expected = java.util.Arrays.copyOf(lora.logits(), 6);

        GptModel merged = new GptModel(TINY, Compute.preferred());
        System.arraycopy(lora.mergedParameters(), 0, merged.parameters(), 0, merged.parameters().length);
        SequenceClassifier head = new SequenceClassifier(merged, 3, SequenceClassifier.Mode.HEAD, 0, 0f, 1);
        System.arraycopy(own, 0, head.ownParameters(), 0, 3 * 16 + 3);
        List<SequenceClassifier.Example> ex2 = new ArrayList<>();
        for (int[] s : seqs) {
            ex2.add(head.prepare(s));
        }
        head.forward(ex2, null);
        assertArrayEquals(expected, java.util.Arrays.copyOf(head.logits(), 6), 1e-4f);
        // and the adapters really changed the model: the unmerged base gives other logits
        SequenceClassifier base = new SequenceClassifier(model, 3, SequenceClassifier.Mode.HEAD, 0, 0f, 1);
        System.arraycopy(own, 0, base.ownParameters(), 0, 3 * 16 + 3);
        List<SequenceClassifier.Example> ex3 = new ArrayList<>();
        for (int[] s : seqs) {
            ex3.add(base.prepare(s));
        }
        base.forward(ex3, null);
        double diff = 0;
        for (int i = 0; i < 6; i++) {
            diff += Math.abs(base.logits()[i] - expected[i]);
        }
        assertTrue(diff > 1e-2, "adapters had no effect");
    }

    @ParameterizedTest
    @EnumSource(SequenceClassifier.Mode.class)
    void overfitsATinyBatch(SequenceClassifier.Mode mode) {
        GptModel model = new GptModel(TINY, Compute.preferred());
        model.initialize(1);
        SequenceClassifier clf = new SequenceClassifier(model, 3, mode, 4, 8f, 2);
        Random rng = new Random(4);
        List<SequenceClassifier.Example> examples = new ArrayList<>();
        for (int[] s : sequences(rng, 6, 3, 8, 5, 7, 2)) {
            examples.add(clf.prepare(s));
        }
        int[] labels = {0, 1, 2, 1, 0, 2};
        clf.zeroGradients();
        float before = clf.forward(examples, labels);
        float after = clf.fit(examples, labels, 150, 6, 3e-2f, 0f, 5, null);
        float finalLoss = clf.forward(examples, labels);
        assertTrue(before > 0.9, "an untrained head is near log(3): " + before);
        assertTrue(finalLoss < 0.05, mode + ": loss " + before + " -> " + finalLoss + " (last epoch " + after + ")");
        assertArrayEquals(labels, clf.predict(examples, 4));
    }
}
