package lectern.gpt;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerTest {

    private static GptModel model() {
        GptModel model = new GptModel(new GptConfig(64, 8, 16, 2, 2, GptConfig.Positions.LEARNED));
        model.initialize(3);
        // Weights 3x the init scale: logits spread enough that greedy is meaningful, flat enough that seeds matter.
        float[] p = model.parameters();
        for (int i = 0; i < p.length; i++) {
            p[i] *= 3;
        }
        return model;
    }

    @Test
    void sameSeedSameTokensOtherSeedOtherTokens() {
        GptModel model = model();
        Sampler.Settings settings = new Sampler.Settings(1.0f, 0, 1.0f, 20, 7, -1);
        int[] a = new Sampler(model).generate(new int[] {1, 2, 3}, 0, settings, null);
        int[] b = new Sampler(model).generate(new int[] {1, 2, 3}, 0, settings, null);
        int[] c = new Sampler(model).generate(new int[] {1, 2, 3}, 0, new Sampler.Settings(1.0f, 0, 1.0f, 20, 8, -1), null);
        assertEquals(20, a.length); // longer than the block size of 8: the window slides
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void topKOneIsGreedy() {
        GptModel model = model();
        int[] sampled = new Sampler(model).generate(new int[] {5}, 0, new Sampler.Settings(1.5f, 1, 1.0f, 12, 1, -1), null);
        // Greedy by hand: argmax of the last position, window by window.
        int[] sequence = new int[13];
        sequence[0] = 5;
        for (int n = 1; n <= 12; n++) {
            int T = Math.min(n, 8);
            int[] window = java.util.Arrays.copyOfRange(sequence, n - T, n);
            model.forward(window, null, 1, T);
            float[] logits = model.logits();
            int best = 0;
            for (int v = 1; v < 64; v++) {
                if (logits[(T - 1) * 64 + v] > logits[(T - 1) * 64 + best]) {
                    best = v;
                }
            }
            sequence[n] = best;
        }
        assertArrayEquals(java.util.Arrays.copyOfRange(sequence, 1, 13), sampled);
        int[] zeroTemperature = new Sampler(model).generate(new int[] {5}, 0, new Sampler.Settings(0f, 0, 1f, 12, 99, -1), null);
        assertArrayEquals(sampled, zeroTemperature);
    }

    @Test
    void stopsAtTheStopToken() {
        GptModel model = model();
        int[] greedy = new Sampler(model).generate(new int[] {5}, 0, new Sampler.Settings(0f, 0, 1f, 12, 1, -1), null);
        int stop = greedy[2];
        int[] stopped = new Sampler(model).generate(new int[] {5}, 0, new Sampler.Settings(0f, 0, 1f, 12, 1, stop), null);
        int firstStop = 0;
        while (greedy[firstStop] != stop) {
            firstStop++;
        }
        assertEquals(firstStop + 1, stopped.length);
        assertEquals(stop, stopped[stopped.length - 1]);
    }

    @Test
    void topKAndTopPOnlyDrawFromTheKeptTokens() {
        Sampler sampler = new Sampler(model());
        float[] logits = new float[64];
        for (int i = 0; i < 64; i++) {
            logits[i] = -i; // token 0 most likely, then 1, 2, ...
        }
        SplittableRandom random = new SplittableRandom(1);
        boolean sawOne = false;
        for (int i = 0; i < 500; i++) {
            int k = sampler.sample(logits, 0, new Sampler.Settings(1f, 2, 1f, 1, 0, -1), random);
            assertTrue(k == 0 || k == 1, "top-k 2 drew " + k);
            sawOne |= k == 1;
            // p(0) = 0.632: top-p 0.5 keeps token 0 only
            assertEquals(0, sampler.sample(logits, 0, new Sampler.Settings(1f, 0, 0.5f, 1, 0, -1), random));
            // top-p 0.8 keeps {0, 1} (0.632 + 0.233)
            int p = sampler.sample(logits, 0, new Sampler.Settings(1f, 0, 0.8f, 1, 0, -1), random);
            assertTrue(p == 0 || p == 1, "top-p 0.8 drew " + p);
        }
        assertTrue(sawOne);
    }
}
