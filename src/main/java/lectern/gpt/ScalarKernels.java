package lectern.gpt;

/** Plain Java kernels: the readable reference and the fallback when the Vector API is unavailable. */
public final class ScalarKernels implements FloatKernels {

    static final float GELU_SCALE = (float) Math.sqrt(2.0 / Math.PI);

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int p = 0; p < k; p++) {
                float av = a[aOff + i * ars + p * acs];
                int bp = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    c[ci + j] = Math.fma(av, b[bp + j], c[ci + j]);
                }
            }
        }
    }

    @Override
    public float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += x[xOff + i] * y[yOff + i];
        }
        return s;
    }

    @Override
    public float max(float[] x, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, x[off + i]);
        }
        return m;
    }

    @Override
    public float expScaledShift(float[] x, int off, int n, float scale, float shift) {
        float sum = 0f;
        for (int i = off; i < off + n; i++) {
            float e = (float) Math.exp(scale * x[i] - shift);
            x[i] = e;
            sum += e;
        }
        return sum;
    }

    @Override
    public void scale(float[] x, int off, int n, float factor) {
        for (int i = off; i < off + n; i++) {
            x[i] *= factor;
        }
    }

    @Override
    public void layerNormRow(float[] out, int outOff, float[] inp, int inpOff, float[] params, int wOff, int bOff, int n,
                             float eps, float[] stats, int statsOff) {
        float m = 0f;
        for (int c = 0; c < n; c++) {
            m += inp[inpOff + c];
        }
        m /= n;
        float v = 0f;
        for (int c = 0; c < n; c++) {
            float d = inp[inpOff + c] - m;
            v += d * d;
        }
        v /= n;
        float rs = (float) (1.0 / Math.sqrt(v + eps));
        for (int c = 0; c < n; c++) {
            out[outOff + c] = (inp[inpOff + c] - m) * rs * params[wOff + c] + params[bOff + c];
        }
        stats[statsOff] = m;
        stats[statsOff + 1] = rs;
    }

    @Override
    public void layerNormBackwardRow(float[] dinp, int dinpOff, float[] dwb, int dwOff, int dbOff, float[] dout,
                                     int doutOff, float[] inp, int inpOff, float[] params, int wOff, float mean,
                                     float rstd, int n) {
        float dnormMean = 0f;
        float dnormNormMean = 0f;
        for (int c = 0; c < n; c++) {
            float norm = (inp[inpOff + c] - mean) * rstd;
            float dnorm = params[wOff + c] * dout[doutOff + c];
            dnormMean += dnorm;
            dnormNormMean += dnorm * norm;
        }
        dnormMean /= n;
        dnormNormMean /= n;
        for (int c = 0; c < n; c++) {
            float norm = (inp[inpOff + c] - mean) * rstd;
            float d = dout[doutOff + c];
            float dnorm = params[wOff + c] * d;
            dwb[dbOff + c] += d;
            dwb[dwOff + c] += norm * d;
            dinp[dinpOff + c] += (dnorm - dnormMean - norm * dnormNormMean) * rstd;
        }
    }

    @Override
    public void adamW(float[] p, float[] g, int off, float[] m, float[] v, int momentOff, int n, float lr, float beta1,
                      float beta2, float c1, float c2, float eps, float weightDecay, float gradScale) {
        for (int j = 0; j < n; j++) {
            int i = off + j, k = momentOff + j;
            float gi = g[i] * gradScale;
            if (gradScale != 1f) {
                g[i] = gi;
            }
            float mi = beta1 * m[k] + (1f - beta1) * gi;
            float vi = beta2 * v[k] + (1f - beta2) * (gi * gi);
            m[k] = mi;
            v[k] = vi;
            float update = (mi / c1) / ((float) Math.sqrt(vi / c2) + eps) + weightDecay * p[i];
            p[i] = p[i] - lr * update;
        }
    }

    @Override
    public void geluForward(float[] out, int outOff, float[] inp, int inpOff, int n) {
        for (int i = 0; i < n; i++) {
            float x = inp[inpOff + i];
            float cube = 0.044715f * x * x * x;
            out[outOff + i] = 0.5f * x * (1f + (float) Math.tanh(GELU_SCALE * (x + cube)));
        }
    }

    @Override
    public void geluBackward(float[] dinp, int dinpOff, float[] inp, int inpOff, float[] dout, int doutOff, int n) {
        for (int i = 0; i < n; i++) {
            float x = inp[inpOff + i];
            float cube = 0.044715f * x * x * x;
            float tanhArg = GELU_SCALE * (x + cube);
            float tanhOut = (float) Math.tanh(tanhArg);
            float sech2 = 1f - tanhOut * tanhOut;
            float local = 0.5f * (1f + tanhOut) + x * 0.5f * sech2 * GELU_SCALE * (1f + 3f * 0.044715f * x * x);
            dinp[dinpOff + i] = local * dout[doutOff + i];
        }
    }
}
