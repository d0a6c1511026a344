package lectern.gpt;

/** Softmax over the vocabulary fused with the cross-entropy loss, mean over all B*T positions. */
final class CrossEntropy {

    private static final int GRAIN = 16;

    private CrossEntropy() {
    }

    /**
     * probs (N,V) = softmax(logits), losses (N) = -log probs[target]; returns the mean loss (summed in row order).
     */
    static float forward(Compute cx, float[] probs, int probsOff, float[] losses, int lossesOff, float[] logits,
                         int logitsOff, int[] targets, int N, int V) {
        FloatKernels k = cx.kernels;
        cx.rows(N, GRAIN, (s, e, w) -> {
            for (int r = s; r < e; r++) {
                int p = probsOff + r * V;
                int l = logitsOff + r * V;
                int target = targets[r];
                if (target < 0 || target >= V) {
                    throw new IllegalArgumentException("target " + target + " at position " + r + " is outside the vocabulary (0.." + (V - 1) + ")");
                }
                System.arraycopy(logits, l, probs, p, V);
                float max = k.max(probs, p, V);
                float sum = k.expScaledShift(probs, p, V, 1f, max);
                k.scale(probs, p, V, 1f / sum);
                // log-sum-exp form: exact even when the target's probability underflows
                losses[lossesOff + r] = (float) (Math.log(sum) + max - logits[l + target]);
            }
        });
        double total = 0;
        for (int r = 0; r < N; r++) {
            total += losses[lossesOff + r];
        }
        return (float) (total / N);
    }

    /** dlogits (N,V) += (probs - onehot(target)) / N: the gradient of the mean loss. */
    static void backward(Compute cx, float[] dlogits, int dOff, float[] probs, int probsOff, int[] targets, int N, int V) {
        float dloss = 1f / N;
        cx.rows(N, GRAIN, (s, e, w) -> {
            for (int r = s; r < e; r++) {
                int d = dOff + r * V;
                int p = probsOff + r * V;
                for (int i = 0; i < V; i++) {
                    dlogits[d + i] += probs[p + i] * dloss;
                }
                dlogits[d + targets[r]] -= dloss;
            }
        });
    }
}
