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
     * probs (N,V) = softmax(logits), losses (N) = -log probs[target] (0 where ignored); returns the mean over the
     * counted positions (summed in row order), 0 when every position is ignored.
     */
    static float forward(Compute cx, float[] probs, int probsOff, float[] losses, int lossesOff, float[] logits,
                         int logitsOff, int[] targets, int N, int V) {
        FloatKernels k = cx.kernels;
        cx.rows(N, GRAIN, (s, e, w) -> {
            for (int r = s; r < e; r++) {
                int p = probsOff + r * V;
                int l = logitsOff + r * V;
                int target = targets[r];
                if (target == GptModel.IGNORE) {
                    losses[lossesOff + r] = 0f;
                    continue;
                }
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
        int counted = counted(targets, N);
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

    /**
     * dlogits (N,V) = (probs - onehot(target)) / counted: the gradient of the mean loss, written over whatever the
     * rows held (it is the first gradient of the logits, so a zero fill first would only cost a pass over N x V);
     * ignored rows become zero.
     */
    static void backward(Compute cx, float[] dlogits, int dOff, float[] probs, int probsOff, int[] targets, int N, int V) {
        int counted = counted(targets, N);
        float dloss = counted == 0 ? 0f : 1f / counted;
        cx.rows(N, GRAIN, (s, e, w) -> {
            for (int r = s; r < e; r++) {
                int d = dOff + r * V;
                if (targets[r] == GptModel.IGNORE) {
                    java.util.Arrays.fill(dlogits, d, d + V, 0f);
                    continue;
                }
                int p = probsOff + r * V;
                for (int i = 0; i < V; i++) {
                    dlogits[d + i] = probs[p + i] * dloss;
                }
                dlogits[d + targets[r]] -= dloss;
            }
        });
    }
}
