package lectern.llm;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from logits: temperature, then top-k, then top-p (nucleus), then a draw from a seeded
 * {@link SplittableRandom}. Candidates are ordered by probability, ties by id, so the cut is deterministic. Not
 * thread-safe: one per generation.
 */
final class TokenSampler {

    private final GenerationSettings settings;
    private final SplittableRandom random;
    private final float[] probs;
    private final long[] keys;

    TokenSampler(int vocabSize, GenerationSettings settings) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
        this.probs = new float[vocabSize];
        this.keys = new long[vocabSize];
    }

    /** The next token from {@code logits[0..V)}. */
    int next(float[] logits) {
        int V = probs.length;
        if (settings.temperature() <= 0 || settings.topK() == 1) {
            int best = 0;
            for (int i = 1; i < V; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            return best;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < V; i++) {
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (int i = 0; i < V; i++) {
            float p = (float) Math.exp((logits[i] - max) / settings.temperature());
            probs[i] = p;
            sum += p;
        }
        // Sort keys: positive float bits order like the floats; the low word makes smaller ids sort later, so
        // descending order is (probability desc, id asc).
        for (int i = 0; i < V; i++) {
            probs[i] /= (float) sum;
            keys[i] = ((long) Float.floatToIntBits(probs[i]) << 32) | (Integer.MAX_VALUE - i);
        }
        Arrays.sort(keys);
        int keep = settings.topK() > 0 ? Math.min(settings.topK(), V) : V;
        if (settings.topP() > 0 && settings.topP() < 1) {
            double cumulative = 0;
            for (int r = 0; r < keep; r++) {
                cumulative += probs[idAt(r)];
                if (cumulative >= settings.topP()) {
                    keep = r + 1;
                    break;
                }
            }
        }
        double kept = 0;
        for (int r = 0; r < keep; r++) {
            kept += probs[idAt(r)];
        }
        double u = random.nextDouble() * kept;
        double cumulative = 0;
        for (int r = 0; r < keep; r++) {
            int id = idAt(r);
            cumulative += probs[id];
            if (u < cumulative) {
                return id;
            }
        }
        return idAt(keep - 1);
    }

    /** The id at rank r (0 = most likely). */
    private int idAt(int r) {
        return Integer.MAX_VALUE - (int) (keys[keys.length - 1 - r] & 0xFFFFFFFFL);
    }
}
