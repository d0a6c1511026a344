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
        cx.rows(N, GRAIN, (s, e, worker) -> {
            for (int r = s; r < e; r++) {
                int x = inpOff + r * C;
                float m = 0f;
                for (int c = 0; c < C; c++) {
                    m += inp[x + c];
                }
                m /= C;
                float v = 0f;
                for (int c = 0; c < C; c++) {
                    float d = inp[x + c] - m;
                    v += d * d;
                }
                v /= C;
                float rs = (float) (1.0 / Math.sqrt(v + EPS));
                int o = outOff + r * C;
                for (int c = 0; c < C; c++) {
                    out[o + c] = (inp[x + c] - m) * rs * params[wOff + c] + params[bOff + c];
                }
                mean[meanOff + r] = m;
                rstd[rstdOff + r] = rs;
            }
        });
    }

    /**
     * dinp (N,C) += ..., dw (C) += sum over rows of dout*norm, db (C) += sum of dout. The weight and bias gradients
     * are summed per chunk of rows, then the chunks are added in order, so the result does not depend on threads.
     */
    static void backward(Compute cx, float[] dinp, int dinpOff, float[] grads, int dwOff, int dbOff,
                         float[] dout, int doutOff, float[] inp, int inpOff, float[] params, int wOff,
                         float[] mean, int meanOff, float[] rstd, int rstdOff, int N, int C) {
        int chunks = (N + GRAIN - 1) / GRAIN;
        float[] partial = cx.sharedScratch(chunks * 2 * C); // (chunks, 2, C): dw then db per chunk
        cx.rows(N, GRAIN, (s, e, worker) -> {
            int pw = (s / GRAIN) * 2 * C;
            int pb = pw + C;
            java.util.Arrays.fill(partial, pw, pw + 2 * C, 0f);
            for (int r = s; r < e; r++) {
                int x = inpOff + r * C;
                int d = doutOff + r * C;
                float m = mean[meanOff + r];
                float rs = rstd[rstdOff + r];
                float dnormMean = 0f;
                float dnormNormMean = 0f;
                for (int c = 0; c < C; c++) {
                    float norm = (inp[x + c] - m) * rs;
                    float dnorm = params[wOff + c] * dout[d + c];
                    dnormMean += dnorm;
                    dnormNormMean += dnorm * norm;
                }
                dnormMean /= C;
                dnormNormMean /= C;
                int di = dinpOff + r * C;
                for (int c = 0; c < C; c++) {
                    float norm = (inp[x + c] - m) * rs;
                    float dnorm = params[wOff + c] * dout[d + c];
                    partial[pb + c] += dout[d + c];
                    partial[pw + c] += norm * dout[d + c];
                    dinp[di + c] += (dnorm - dnormMean - norm * dnormNormMean) * rs;
                }
            }
        });
        for (int k = 0; k < chunks; k++) {
            int pw = k * 2 * C;
            for (int c = 0; c < C; c++) {
                grads[dwOff + c] += partial[pw + c];
                grads[dbOff + c] += partial[pw + C + c];
            }
        }
    }
}
