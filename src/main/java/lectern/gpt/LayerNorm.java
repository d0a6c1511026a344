package lectern.gpt;

/** LayerNorm over the last dimension, eps 1e-5, with weight and bias. */
final class LayerNorm {

    static final float EPS = 1e-5f;
    private static final int GRAIN = 32;

    private LayerNorm() {
    }

    /**
     * out (N,C) = (inp - mean) * rstd * w + b, row by row; saves mean (N) and rstd (N) for backward.
     * w and b (C) live in {@code params}.
     */
    static void forward(Compute cx, float[] out, int outOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                        float[] inp, int inpOff, float[] params, int wOff, int bOff, int N, int C) {
        long started = System.nanoTime();
        try {
            FloatKernels k = cx.kernels;
            cx.reserveWorkerScratch(2);
            cx.rows(N, GRAIN, (s, e, worker) -> {
                float[] stats = cx.workerScratch(worker, 2);
                for (int r = s; r < e; r++) {
                    k.layerNormRow(out, outOff + r * C, inp, inpOff + r * C, params, wOff, bOff, C, EPS, stats, 0);
                    mean[meanOff + r] = stats[0];
                    rstd[rstdOff + r] = stats[1];
                }
            });
        } finally {
            cx.addTime(Compute.Kind.LAYERNORM, started);
        }
    }

    /**
     * dinp (N,C) += ..., dw (C) += sum over rows of dout*norm, db (C) += sum of dout. The weight and bias gradients
     * are summed per chunk of rows, then the chunks are added in order, so the result does not depend on threads.
     * {@code grads == null}: a frozen LayerNorm, only dinp.
     */
    static void backward(Compute cx, float[] dinp, int dinpOff, float[] grads, int dwOff, int dbOff,
                         float[] dout, int doutOff, float[] inp, int inpOff, float[] params, int wOff,
                         float[] mean, int meanOff, float[] rstd, int rstdOff, int N, int C) {
        long started = System.nanoTime();
        try {
            int chunks = (N + GRAIN - 1) / GRAIN;
            float[] partial = cx.sharedScratch(chunks * 2 * C); // (chunks, 2, C): dw then db per chunk
            FloatKernels k = cx.kernels;
            cx.rows(N, GRAIN, (s, e, worker) -> {
                int pw = (s / GRAIN) * 2 * C;
                java.util.Arrays.fill(partial, pw, pw + 2 * C, 0f);
                for (int r = s; r < e; r++) {
                    k.layerNormBackwardRow(dinp, dinpOff + r * C, partial, pw, pw + C, dout, doutOff + r * C,
                            inp, inpOff + r * C, params, wOff, mean[meanOff + r], rstd[rstdOff + r], C);
                }
            });
            for (int chunk = 0; grads != null && chunk < chunks; chunk++) {
                int pw = chunk * 2 * C;
                for (int c = 0; c < C; c++) {
                    grads[dwOff + c] += partial[pw + c];
                    grads[dbOff + c] += partial[pw + C + c];
                }
            }
        } finally {
            cx.addTime(Compute.Kind.LAYERNORM, started);
        }
    }
}
