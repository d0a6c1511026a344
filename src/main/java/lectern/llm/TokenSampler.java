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
    private float[] topK = new float[0];
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
        // descending order is (probability desc, id asc).
        float total = (float) sum;
        int keep = settings.topK() > 0 ? Math.min(settings.topK(), V) : V;
        int n = 0;
        if (keep < V) {
            // Only tokens that can make the top k are normalized and keyed. Division by the sum is monotonic, so a
            // token whose unnormalized value is below the k-th largest can at most tie with it after rounding, and
            // only from within a few ulps: 4 ulps below is a safe floor, and the cut below is the same as keying all V.
            float kth = kthLargest(probs, keep);
            float floor = kth - 4 * Math.ulp(kth);
            for (int i = 0; i < V; i++) {
                if (probs[i] >= floor) {
                    probs[i] /= total;
                    keys[n++] = ((long) Float.floatToIntBits(probs[i]) << 32) | (Integer.MAX_VALUE - i);
                }
            }
        } else {
            for (int i = 0; i < V; i++) {
                probs[i] /= total;
                keys[n++] = ((long) Float.floatToIntBits(probs[i]) << 32) | (Integer.MAX_VALUE - i);
            }
        }
        Arrays.sort(keys, 0, n);
        candidates = keys;
        count = n;
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

    /** The k-th largest of the values, by a min-heap of size k: O(V log k) instead of sorting all V. */
    private float kthLargest(float[] values, int k) {
        float[] heap = topK.length == k ? topK : (topK = new float[k]);
        System.arraycopy(values, 0, heap, 0, k);
        for (int i = k / 2 - 1; i >= 0; i--) {
            siftDown(heap, i, k);
        }
        for (int i = k; i < values.length; i++) {
            if (values[i] > heap[0]) {
                heap[0] = values[i];
                siftDown(heap, 0, k);
            }
        }
        return heap[0];
    }

    private static void siftDown(float[] heap, int i, int n) {
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
            float t = heap[i];
            heap[i] = heap[smallest];
            heap[smallest] = t;
            i = smallest;
        }
    }
}
