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
    private long[] topK = new long[0];
    private long[] candidates; // ascending keys of the candidates, the most likely last
    private int count;

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
        // descending order is (probability desc, id asc). With top-k only the k largest keys are kept and sorted.
        for (int i = 0; i < V; i++) {
            probs[i] /= (float) sum;
            keys[i] = ((long) Float.floatToIntBits(probs[i]) << 32) | (Integer.MAX_VALUE - i);
        }
        int keep = settings.topK() > 0 ? Math.min(settings.topK(), V) : V;
        candidates = keep < V ? largest(keys, keep) : keys;
        Arrays.sort(candidates, 0, keep);
        count = keep;
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
        return Integer.MAX_VALUE - (int) (candidates[count - 1 - r] & 0xFFFFFFFFL);
    }

    /** The k largest keys (unordered), by a min-heap of size k: O(V log k) instead of sorting all V. */
    private long[] largest(long[] all, int k) {
        long[] heap = topK.length == k ? topK : (topK = new long[k]);
        System.arraycopy(all, 0, heap, 0, k);
        for (int i = k / 2 - 1; i >= 0; i--) {
            siftDown(heap, i, k);
        }
        for (int i = k; i < all.length; i++) {
            if (all[i] > heap[0]) {
                heap[0] = all[i];
                siftDown(heap, 0, k);
            }
        }
        return heap;
    }

    private static void siftDown(long[] heap, int i, int n) {
        while (true) {
            int smallest = i;
            int l = 2 * i + 1;
            int r = l + 1;
            if (l < n && heap[l] < heap[smallest]) {
                smallest = l;
            }
            if (r < n && heap[r] < heap[smallest]) {
                smallest = r;
            }
            if (smallest == i) {
                return;
            }
            long t = heap[i];
            heap[i] = heap[smallest];
            heap[smallest] = t;
            i = smallest;
        }
    }
}
