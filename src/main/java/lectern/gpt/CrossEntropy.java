package lectern.gpt;

/**
 * Softmax over the vocabulary fused with the cross-entropy loss, mean over the B*T positions whose target is not
 * {@link GptModel#IGNORE} (fine-tuning scores only some positions, e.g. a summary after its text; like PyTorch's
 * ignore_index, an ignored position adds nothing to the loss or the gradient and is not counted in the mean).
 */
final class CrossEntropy {

    private static final int GRAIN = 16;

    private CrossEntropy() {
    }

    /**
     * losses (N) = -log softmax(logits)[target] (0 where ignored), and dlogits (N,V) = (softmax(logits) -
     * onehot(target)) / counted, the gradient of the mean loss, written over whatever the rows held (ignored rows
     * become zero). Returns the mean over the counted positions (summed in row order), 0 when every position is
     * ignored.
     *
     * <p>The gradient is taken here, while each row's probabilities are in cache, rather than by a backward pass that
     * would read them back: for GPT-mini that saves writing and reading 32 MB of probabilities a step, and the
     * probabilities' own region. The bits are those of the probabilities times 1/counted, as before. dlogits may be
     * the logits themselves (the same array and offset): each row is then turned into its gradient in place.
     */
    static float forward(Compute cx, float[] dlogits, int dOff, float[] losses, int lossesOff, float[] logits,
                         int logitsOff, int[] targets, int N, int V) {
        FloatKernels k = cx.kernels;
        int counted = counted(targets, N);
        float dloss = counted == 0 ? 0f : 1f / counted;
        cx.rows(N, GRAIN, (s, e, w) -> {
            for (int r = s; r < e; r++) {
                int d = dOff + r * V;
                int l = logitsOff + r * V;
                int target = targets[r];
                if (target == GptModel.IGNORE) {
                    losses[lossesOff + r] = 0f;
                    java.util.Arrays.fill(dlogits, d, d + V, 0f);
                    continue;
                }
                if (target < 0 || target >= V) {
                    throw new IllegalArgumentException("target " + target + " at position " + r + " is outside the vocabulary (0.." + (V - 1) + ")");
                }
                float targetLogit = logits[l + target]; // read before an in-place row is overwritten
                if (logits != dlogits || l != d) {
                    System.arraycopy(logits, l, dlogits, d, V);
                }
                float max = k.max(dlogits, d, V);
                float sum = k.expScaledShift(dlogits, d, V, 1f, max);
                k.scale(dlogits, d, V, 1f / sum);
                // log-sum-exp form: exact even when the target's probability underflows
                losses[lossesOff + r] = (float) (Math.log(sum) + max - targetLogit);
                k.scale(dlogits, d, V, dloss);
                dlogits[d + target] -= dloss;
            }
        });
        double total = 0;
        for (int r = 0; r < N; r++) {
            total += losses[lossesOff + r];
        }
        return counted == 0 ? 0f : (float) (total / counted);
    }

    static int counted(int[] targets, int N) {
        int counted = 0;
        for (int r = 0; r < N; r++) {
            if (targets[r] != GptModel.IGNORE) {
                counted++;
            }
        }
        return counted;
    }
}
