package lectern.llm;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenSamplerTest {

    /** The plain version: sort every id by (probability desc, id asc), cut by k then p, draw. */
    static int reference(float[] logits, GenerationSettings s, SplittableRandom random) {
        int V = logits.length;
        float max = Float.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        float[] p = new float[V];
        double sum = 0;
        for (int i = 0; i < V; i++) {
            p[i] = (float) Math.exp((logits[i] - max) / s.temperature());
            sum += p[i];
        }
        Integer[] order = new Integer[V];
        for (int i = 0; i < V; i++) {
            p[i] /= (float) sum;
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> p[a] != p[b] ? Float.compare(p[b], p[a]) : Integer.compare(a, b));
        int keep = s.topK() > 0 ? Math.min(s.topK(), V) : V;
        if (s.topP() < 1) {
            double c = 0;
            for (int i = 0; i < keep; i++) {
                c += p[order[i]];
                if (c >= s.topP()) {
                    keep = i + 1;
                    break;
                }
            }
        }
        double kept = 0;
        for (int i = 0; i < keep; i++) {
            kept += p[order[i]];
        }
        double u = random.nextDouble() * kept;
        double c = 0;
        for (int i = 0; i < keep; i++) {
            c += p[order[i]];
            if (u < c) {
                return order[i];
            }
        }
        return order[keep - 1];
    }

    @Test
    void agreesWithSortingEverythingForTopKTopPAndTemperature() {
        Random rng = new Random(3);
        int V = 500;
        for (GenerationSettings s : new GenerationSettings[] {
                new GenerationSettings(1, 1f, 40, 1f, 11), new GenerationSettings(1, 0.7f, 40, 0.9f, 12),
                new GenerationSettings(1, 1.3f, 0, 0.8f, 13), new GenerationSettings(1, 1f, 0, 1f, 14),
                new GenerationSettings(1, 0.5f, 499, 0.95f, 15)}) {
            TokenSampler sampler = new TokenSampler(V, s);
            SplittableRandom random = new SplittableRandom(s.seed());
            int distinct = 0;
            int last = -1;
            for (int step = 0; step < 300; step++) {
                float[] logits = new float[V];
                for (int i = 0; i < V; i++) {
                    logits[i] = (float) rng.nextGaussian() * 2f;
                }
                logits[rng.nextInt(V)] = logits[rng.nextInt(V)]; // a tie now and then
                int expected = reference(logits, s, random);
                int actual = sampler.next(logits);
                assertEquals(expected, actual, s + " step " + step);
                if (actual != last) {
                    distinct++;
                }
                last = actual;
            }
            assertTrue(distinct > 10, "the draws hardly vary: " + s);
        }
    }

    @Test
    void temperatureZeroIsArgmax() {
        float[] logits = {0.1f, 3f, -2f, 2.9f};
        assertEquals(1, new TokenSampler(4, new GenerationSettings(1, 0f, 0, 1f, 1)).next(logits));
        assertEquals(1, new TokenSampler(4, new GenerationSettings(1, 2f, 1, 1f, 1)).next(logits));
    }
}
