package lectern.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** AdamW, clipping and the learning-rate schedule against values worked out by hand. */
class OptimizerTest {

    private static final GptConfig CFG = new GptConfig(3, 2, 2, 1, 1, GptConfig.Positions.LEARNED);

    @Test
    void adamWFirstStepsMatchHandComputation() {
        GptModel model = new GptModel(CFG);
        float[] p = model.parameters();
        float[] g = model.gradients();
        int w = model.tensor("transformer.wte.weight").offset();        // 2-D: decays
        int b = model.tensor("transformer.h.0.attn.c_attn.bias").offset(); // 1-D: no decay
        p[w] = 1.0f;
        p[b] = 1.0f;
        AdamW opt = new AdamW(model, 0.9f, 0.99f, 1e-8f, 0.1f);
        g[w] = 0.5f;
        g[b] = 0.5f;
        opt.step(0.01f);
        // step 1: m = 0.05, v = 0.0025; m^ = 0.5, v^ = 0.25; adam = 0.5/0.5 = 1
        assertEquals(1.0 - 0.01 * (1.0 + 0.1 * 1.0), p[w], 1e-6); // 0.989
        assertEquals(1.0 - 0.01 * 1.0, p[b], 1e-6);                // 0.99
        assertEquals(0.05f, opt.firstMoments()[w], 1e-7);
        assertEquals(0.0025f, opt.secondMoments()[w], 1e-8);
        g[w] = -1.0f;
        g[b] = -1.0f;
        opt.step(0.01f);
        // step 2: m = 0.045 - 0.1 = -0.055, v = 0.002475 + 0.01 = 0.012475
        double mhat = -0.055 / (1 - 0.81), vhat = 0.012475 / (1 - 0.9801);
        double adam = mhat / (Math.sqrt(vhat) + 1e-8);
        assertEquals(0.989 - 0.01 * (adam + 0.1 * 0.989), p[w], 1e-6);
        assertEquals(0.99 - 0.01 * adam, p[b], 1e-6);
        assertEquals(2, opt.stepCount());

        // restore: a second optimizer resumed from the first's state takes the same next step
        GptModel copy = new GptModel(CFG);
        System.arraycopy(p, 0, copy.parameters(), 0, p.length);
        AdamW resumed = new AdamW(copy, 0.9f, 0.99f, 1e-8f, 0.1f);
        resumed.restore(opt.firstMoments(), opt.secondMoments(), opt.stepCount());
        g[w] = 0.3f;
        System.arraycopy(g, 0, copy.gradients(), 0, g.length);
        opt.step(0.01f);
        resumed.step(0.01f);
        assertArrayEquals(p, copy.parameters());
    }

    @Test
    void adamWOnARangeOfTensorsStepsThemAsOnTheWholeModelAndLeavesTheRest() {
        GptModel whole = new GptModel(CFG);
        whole.initialize(3);
        GptModel part = new GptModel(CFG);
        float[] before = whole.parameters().clone();
        System.arraycopy(before, 0, part.parameters(), 0, before.length);
        Random rng = new Random(4);
        for (int i = 0; i < before.length; i++) {
            whole.gradients()[i] = part.gradients()[i] = (float) rng.nextGaussian();
        }
        int from = part.tensor("transformer.h.0.mlp.c_fc.weight").offset();
        List<ParameterTensor> tail = part.tensors().stream().filter(t -> t.offset() >= from).toList();
        AdamW all = new AdamW(whole, 0.9f, 0.99f, 1e-8f, 0.1f);
        AdamW some = new AdamW(part.parameters(), part.gradients(), tail, part.compute(), 0.9f, 0.99f, 1e-8f, 0.1f);
        for (int step = 0; step < 2; step++) {
            all.step(0.01f);
            some.step(0.01f);
        }
        for (int i = 0; i < before.length; i++) {
            float expected = i < from ? before[i] : whole.parameters()[i];
            assertEquals(expected, part.parameters()[i], 0f, "parameter " + i);
        }
        assertEquals(before.length - from, some.firstMoments().length);
        List<ParameterTensor> gap = List.of(tail.get(0), tail.get(2));
        assertThrows(IllegalArgumentException.class,
                () -> new AdamW(part.parameters(), part.gradients(), gap, part.compute(), 0.9f, 0.99f, 1e-8f, 0.1f));
    }

    @Test
    void clippingScalesToMaxNorm() {
        GptModel model = new GptModel(CFG);
        float[] g = model.gradients();
        g[0] = 3f;
        g[g.length - 1] = 4f;
        AdamW opt = new AdamW(model, 0.9f, 0.95f, 1e-8f, 0f);
        assertEquals(5f, opt.clipGradients(1f), 1e-6);
        assertEquals(0.6f, g[0], 1e-6);
        assertEquals(0.8f, g[g.length - 1], 1e-6);
        assertEquals(1f, opt.clipGradients(2f), 1e-5); // below the limit: unchanged
        assertEquals(0.6f, g[0], 1e-6);
    }

    @Test
    void clipAndStepIsClipThenStep() {
        for (float maxNorm : new float[] {0.5f, 1e6f}) { // clipping, and not
            GptModel one = new GptModel(CFG), two = new GptModel(CFG);
            one.initialize(3);
            two.initialize(3);
            java.util.Random rng = new java.util.Random(9);
            float[] g = one.gradients();
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) rng.nextGaussian() * 0.01f;
            }
            System.arraycopy(g, 0, two.gradients(), 0, g.length);
            AdamW a = new AdamW(one, 0.9f, 0.95f, 1e-8f, 0.1f), b = new AdamW(two, 0.9f, 0.95f, 1e-8f, 0.1f);
            float normA = a.clipGradients(maxNorm);
            a.step(1e-3f);
            float normB = b.clipAndStep(maxNorm, 1e-3f);
            assertEquals(normA, normB, 0f);
            org.junit.jupiter.api.Assertions.assertArrayEquals(one.parameters(), two.parameters());
            org.junit.jupiter.api.Assertions.assertArrayEquals(one.gradients(), two.gradients());
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.firstMoments(), b.firstMoments());
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.secondMoments(), b.secondMoments());
        }
    }

    @Test
    void sumOfSquaresCountsEveryElementOnce() {
        java.util.Random rng = new java.util.Random(4);
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        for (int[] range : new int[][] {{0, 1000}, {3, 3}, {5, 12}, {1, 998}, {7, 8}}) {
            double plain = 0;
            for (int i = range[0]; i < range[1]; i++) {
                plain += (double) x[i] * x[i];
            }
            assertEquals(plain, AdamW.sumOfSquares(x, range[0], range[1]), 1e-9 * Math.max(1, plain),
                    range[0] + ".." + range[1]);
        }
    }

    @Test
    void scheduleWarmsUpLinearlyThenDecaysByCosine() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3f, 1e-4f, 10, 110);
        assertEquals(1e-4f, s.at(0), 1e-9);     // (0+1)/10 of max
        assertEquals(5e-4f, s.at(4), 1e-9);
        assertEquals(1e-3f, s.at(9), 1e-9);
        assertEquals(1e-3f, s.at(10), 1e-9);    // cosine starts at max
        assertEquals(5.5e-4f, s.at(60), 1e-9);  // halfway: (max+min)/2
        assertEquals(1e-4 + 0.9e-3 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), s.at(35), 1e-9);
        assertEquals(1e-4f, s.at(110), 1e-9);
        assertEquals(1e-4f, s.at(500), 1e-9);
    }
}
