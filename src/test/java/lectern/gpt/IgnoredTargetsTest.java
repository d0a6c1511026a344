package lectern.gpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Targets set to {@link GptModel#IGNORE} (how summarization fine-tuning scores only the summary): the loss is the
 * mean over the scored positions only, and the gradient is that mean's gradient.
 */
class IgnoredTargetsTest {

    private static final GptConfig CONFIG = new GptConfig(23, 8, 16, 2, 2, GptConfig.Positions.LEARNED);

    private static GptModel model(Compute cx) {
        return GradientCheck.largeWeights(new GptModel(CONFIG, cx), 5);
    }

    @Test
    void lossIsTheMeanOverScoredPositionsOnly() {
        GptModel model = model(new Compute(new ScalarKernels(), new WorkerPool(1)));
        int B = 2, T = 8, N = B * T;
        Random rng = new Random(9);
        int[] tokens = new int[N], all = new int[N], some = new int[N];
        for (int i = 0; i < N; i++) {
            tokens[i] = rng.nextInt(CONFIG.vocabSize());
            all[i] = rng.nextInt(CONFIG.vocabSize());
            some[i] = i % 3 == 0 ? all[i] : GptModel.IGNORE;
        }
        model.forward(tokens, all, B, T);
        float[] logits = model.logits().clone();
        double expected = 0;
        int counted = 0;
        for (int r = 0; r < N; r++) {
            if (some[r] == GptModel.IGNORE) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int v = 0; v < CONFIG.vocabSize(); v++) {
                max = Math.max(max, logits[r * CONFIG.vocabSize() + v]);
            }
            for (int v = 0; v < CONFIG.vocabSize(); v++) {
                sum += Math.exp(logits[r * CONFIG.vocabSize() + v] - max);
            }
            expected += Math.log(sum) + max - logits[r * CONFIG.vocabSize() + some[r]];
            counted++;
        }
        float loss = model.forward(tokens, some, B, T);
        assertEquals(expected / counted, loss, 1e-5);
        assertTrue(loss != model.forward(tokens, all, B, T), "ignoring positions must change the loss");
    }

    @Test
    void gradientOfTheMaskedLossMatchesFiniteDifferences() {
        for (Compute cx : GradientCheck.computes().toList()) {
            GptModel model = model(cx);
            int B = 2, T = 8, N = B * T;
            Random rng = new Random(13);
            int[] tokens = new int[N], targets = new int[N];
            for (int i = 0; i < N; i++) {
                tokens[i] = rng.nextInt(CONFIG.vocabSize());
                // the first half of each row is "the text", not scored
                targets[i] = i % T < T / 2 ? GptModel.IGNORE : rng.nextInt(CONFIG.vocabSize());
            }
            model.zeroGradients();
            model.forward(tokens, targets, B, T);
            model.backward();
            float[] analytic = model.gradients().clone();
            float[] p = model.parameters();
            for (ParameterTensor t : model.tensors()) {
                GradientCheck.assertGradient(t.name(), p, t.offset(), t.size(), analytic, t.offset(), 0f,
                        () -> model.forward(tokens, targets, B, T), 1e-2f, 1e-3, 2e-2, 40);
            }
        }
    }

    @Test
    void everyPositionIgnoredGivesZeroLossAndNoGradient() {
        GptModel model = model(new Compute(new ScalarKernels(), new WorkerPool(1)));
        int[] tokens = {1, 2, 3, 4}, targets = {GptModel.IGNORE, GptModel.IGNORE, GptModel.IGNORE, GptModel.IGNORE};
        model.zeroGradients();
        assertEquals(0f, model.forward(tokens, targets, 1, 4));
        model.backward();
        for (float g : model.gradients()) {
            assertEquals(0f, g);
        }
    }

    @Test
    void otherNegativeTargetsAreStillRejected() {
        GptModel model = model(new Compute(new ScalarKernels(), new WorkerPool(1)));
        assertThrows(IllegalArgumentException.class, () -> model.forward(new int[] {1, 2}, new int[] {3, -2}, 1, 2));
    }
}
