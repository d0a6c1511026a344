package lectern.gpt;

/** Token embedding plus (optionally) learned position embedding. */
final class Encoder {

    private Encoder() {
    }

    /**
     * out (B,T,C) = wte[token] + wpe[t]. {@code wpeOff < 0} means no position embedding (NoPE).
     * wte (V,C) and wpe (maxT,C) live in {@code params}.
     */
    static void forward(Compute cx, float[] out, int outOff, int[] tokens, float[] params, int wteOff, int wpeOff,
                        int B, int T, int C) {
        cx.rows(B * T, 256, (s, e, w) -> {
            for (int bt = s; bt < e; bt++) {
                int o = outOff + bt * C;
                int we = wteOff + tokens[bt] * C;
                if (wpeOff >= 0) {
                    int pe = wpeOff + (bt % T) * C;
                    for (int c = 0; c < C; c++) {
                        out[o + c] = params[we + c] + params[pe + c];
                    }
                } else {
                    System.arraycopy(params, we, out, o, C);
                }
            }
        });
    }

    /** dwte[token] += dout, dwpe[t] += dout. Runs on one thread: tokens repeat, and the sum order must be fixed. */
    static void backward(Compute cx, float[] grads, int wteOff, int wpeOff, float[] dout, int doutOff, int[] tokens,
                         int B, int T, int C) {
        // split by columns: every task adds all positions, in order, into its own columns (a token that repeats
        // adds to the same row of wte), so the sums are the same for any thread count
        cx.rows(C, COLUMN_GRAIN, (s, e, w) -> {
            for (int bt = 0; bt < B * T; bt++) {
                int d = doutOff + bt * C;
                int we = wteOff + tokens[bt] * C;
                for (int c = s; c < e; c++) {
                    grads[we + c] += dout[d + c];
                }
                if (wpeOff >= 0) {
                    int pe = wpeOff + (bt % T) * C;
                    for (int c = s; c < e; c++) {
                        grads[pe + c] += dout[d + c];
                    }
                }
            }
        });
    }

    /** Columns per task of the backward pass. */
    private static final int COLUMN_GRAIN = 64;
}
