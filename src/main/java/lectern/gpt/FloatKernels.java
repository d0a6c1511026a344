package lectern.gpt;

/**
 * The inner loops that dominate training time. Two implementations: {@link ScalarKernels} (plain Java, the clear
 * reference) and {@code VectorKernels} (jdk.incubator.vector). {@link #preferred()} picks one once per JVM.
 *
 * <p>Every method works on a caller-given range, so callers split work between threads by output rows; a kernel
 * never depends on which thread runs it.
 */
public interface FloatKernels {

    /** Short name for logs and benchmark output, e.g. "vector-512" or "scalar". */
    String name();

    /**
     * {@code c[cOff + i*ldc + j] += sum_p a[aOff + i*ars + p*acs] * b[bOff + p*ldb + j]} for i &lt; m, j &lt; n, p &lt; k.
     * Each c element is updated as {@code c = fma(a, b, c)} with p ascending, so the scalar and the vector
     * version give bit-identical results. A may be strided both ways (it is only read one value at a time);
     * B and C rows are contiguous.
     */
    void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
              float[] c, int cOff, int ldc);

    /**
     * {@link #gemm} over what C held: C = A B, each element's sum started from zero (the same bits as clearing C, then
     * gemm). A kernel may skip the clearing.
     */
    default void gemmOver(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
        }
        gemm(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
    }

    /** Columns per panel in {@link #packPanels}' layout: the width of the kernel's register tile. */
    default int panelWidth() {
        return 64;
    }

    /**
     * Copies columns [j0, j1) of a k x n matrix B into panel-major order: element (p, j) goes to
     * {@code dst[dstOff + (j / w) * k * w + p * w + j % w]}, w = {@link #panelWidth()}, so that each w-wide column
     * block is one contiguous k x w panel. B is read as {@code b[bOff + p*ldb + j]}, or, when {@code transposed},
     * as {@code b[bOff + j*ldb + p]} (a torch.nn.Linear weight read as W^T). j0 and j1 are multiples of w.
     */
    default void packPanels(boolean transposed, float[] b, int bOff, int ldb, int k, int j0, int j1, float[] dst, int dstOff) {
        int w = panelWidth();
        for (int j = j0; j < j1; j += w) {
            int panel = dstOff + (j / w) * k * w;
            if (transposed) {
                // p outer: the panel is written in order while the w source rows' current lines stay in L1
                // (column by column, every store landed on another line: 2-3 times slower)
                int src = bOff + j * ldb;
                for (int p = 0; p < k; p++) {
                    int d = panel + p * w;
                    for (int jj = 0; jj < w; jj++) {
                        dst[d + jj] = b[src + jj * ldb + p];
                    }
                }
            } else {
                for (int p = 0; p < k; p++) {
                    System.arraycopy(b, bOff + p * ldb + j, dst, panel + p * w, w);
                }
            }
        }
    }

    /**
     * The transpose of rows x cols values at {@code src[srcOff + t*ld + d]}: element (t, d) goes to
     * {@code dst[dstOff + (t / panel) * cols * panel + d * panel + t % panel]}, i.e. (cols,rows) when panel = rows, or
     * the kernel's panels of B = src^T when panel is {@link #panelWidth()} (a multiple of 16). Sixteen rows at
     * a time, so each run of writes fills one cache line: row by row, one source row's writes landed rows floats
     * apart (1 KiB at T = 256), in only 4 of L1's 64 sets, and missed it almost every time.
     */
    default void transpose(float[] src, int srcOff, int ld, int rows, int cols, float[] dst, int dstOff, int panel) {
        for (int t0 = 0; t0 < rows; t0 += 16) {
            int t1 = Math.min(rows, t0 + 16);
            int base = dstOff + t0 / panel * (cols - 1) * panel; // + d * panel + t lands in t0's panel
            for (int d = 0; d < cols; d++) {
                int out = base + d * panel;
                for (int t = t0; t < t1; t++) {
                    dst[out + t] = src[srcOff + t * ld + d];
                }
            }
        }
    }

    /**
     * {@link #gemm} with B (k x n, n a multiple of {@link #panelWidth()}) already in {@link #packPanels} order at
     * {@code panels[pOff..]}: the same sums in the same order, so the same bits. Lets a caller pack B once and share
     * it between the row ranges of all threads.
     */
    default void gemmPanels(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] panels, int pOff,
                            float[] c, int cOff, int ldc) {
        int w = panelWidth();
        for (int j = 0; j < n; j += w) {
            gemm(m, w, k, a, aOff, ars, acs, panels, pOff + (j / w) * k * w, w, c, cOff + j, ldc);
        }
    }

    /**
     * {@link #gemmPanels} over what C held: each row of C starts as {@code init[initOff..initOff+n)} (a bias), or
     * as zeros when {@code init} is null, then adds A B. The same bits as filling C first; a kernel may instead start
     * its accumulators from the row, which saves a pass over C.
     */
    default void gemmPanelsOver(float[] init, int initOff, int m, int n, int k, float[] a, int aOff, int ars, int acs,
                                float[] panels, int pOff, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            if (init != null) {
                System.arraycopy(init, initOff, c, cOff + i * ldc, n);
            } else {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
        }
        gemmPanels(m, n, k, a, aOff, ars, acs, panels, pOff, c, cOff, ldc);
    }

    /**
     * {@link #gemmPanels}, and also {@code sums[sumsOff + i] += sum_p A(i, p)} with p ascending from the old value: a
     * weight gradient with its bias gradient, where A = dout^T. The same bits as {@link #columnSums} then
     * {@link #gemmPanels}.
     */
    default void gemmPanelsAndRowSums(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] panels,
                                      int pOff, float[] c, int cOff, int ldc, float[] sums, int sumsOff) {
        for (int i = 0; i < m; i++) {
            float sum = sums[sumsOff + i];
            for (int p = 0; p < k; p++) {
                sum += a[aOff + i * ars + p * acs];
            }
            sums[sumsOff + i] = sum;
        }
        gemmPanels(m, n, k, a, aOff, ars, acs, panels, pOff, c, cOff, ldc);
    }

    /**
     * {@code out[outOff + j] += sum_p x[xOff + p*ld + j]} for j &lt; n, p &lt; rows, each sum taken in order of p from
     * the old value: a bias gradient's column sums of dout. The same bits as {@link #gemm} with a row of ones, since
     * fma(1, x, c) rounds exactly as c + x.
     */
    default void columnSums(float[] x, int xOff, int ld, int rows, int n, float[] out, int outOff) {
        gemm(1, n, rows, new float[] {1f}, 0, 0, 0, x, xOff, ld, out, outOff, 0);
    }

    float dot(float[] x, int xOff, float[] y, int yOff, int n);

    /** Largest of x[off..off+n). */
    float max(float[] x, int off, int n);

    /**
     * x[i] = exp(scale * x[i] - shift) for the range; returns the sum of the new values. The exponents must be at most
     * 88 (softmax's, shifted by the row's maximum, are at most about 0); below the float range the result is exactly 0.
     */
    float expScaledShift(float[] x, int off, int n, float scale, float shift);

    /** x[i] *= factor for the range. */
    void scale(float[] x, int off, int n, float factor);

    /**
     * One row of softmax backward, in place: {@code d[i] = p[i] * (d[i] - dot(p, d)) * scale} for i &lt; n, where p
     * holds the probabilities and d, on entry, the gradient of the probabilities (then of the scaled scores).
     */
    default void softmaxBackwardRow(float[] p, int pOff, float[] d, int dOff, int n, float scale) {
        float dot = dot(p, pOff, d, dOff, n);
        for (int i = 0; i < n; i++) {
            d[dOff + i] = p[pOff + i] * (d[dOff + i] - dot) * scale;
        }
    }

    /**
     * One LayerNorm row: out = (inp - mean) * rstd * w + b over n values, w and b at wOff and bOff in params.
     * Writes mean and rstd (1/sqrt(var + eps), biased variance) to stats[statsOff] and stats[statsOff + 1].
     */
    void layerNormRow(float[] out, int outOff, float[] inp, int inpOff, float[] params, int wOff, int bOff, int n,
                      float eps, float[] stats, int statsOff);

    /**
     * One LayerNorm row backward: dinp += (w*dout - mean(w*dout) - norm * mean(w*dout*norm)) * rstd,
     * dw[dwOff..] += norm * dout, db[dbOff..] += dout, where norm = (inp - mean) * rstd.
     */
    void layerNormBackwardRow(float[] dinp, int dinpOff, float[] dwb, int dwOff, int dbOff, float[] dout, int doutOff,
                              float[] inp, int inpOff, float[] params, int wOff, float mean, float rstd, int n);

    /**
     * AdamW on p[off..off+n) with gradients g[off..off+n) (see {@link AdamW}): moments m, v [momentOff..momentOff+n)
     * updated in place; c1, c2 are the bias corrections 1-beta1^t and 1-beta2^t. Each gradient is first multiplied by
     * {@code gradScale} (gradient clipping's factor), and when that is not 1 the product is written back to g: the
     * bits of scaling g in a pass of its own before the update, without that pass. Every operation is a separately
     * rounded IEEE op, so both versions agree bit for bit.
     */
    void adamW(float[] p, float[] g, int off, float[] m, float[] v, int momentOff, int n, float lr, float beta1,
               float beta2, float c1, float c2, float eps, float weightDecay, float gradScale);

    /** out = gelu(inp) with the tanh approximation, elementwise over n values. */
    void geluForward(float[] out, int outOff, float[] inp, int inpOff, int n);

    /**
     * dinp = gelu'(inp) * dout, elementwise over n values, written over what dinp held (a first and only gradient: no
     * pass that clears dinp first, 0.7 ms a layer for GPT-mini).
     */
    void geluBackward(float[] dinp, int dinpOff, float[] inp, int inpOff, float[] dout, int doutOff, int n);

    /**
     * The Vector API kernels when the jdk.incubator.vector module is present and {@code -Dlectern.gpt.simd=false}
     * is not set, else the scalar ones. Says which in one line on System.err the first time.
     */
    static FloatKernels preferred() {
        return KernelChoice.PREFERRED;
    }

    /** The Vector API kernels, or null when the module is absent (so tests can compare both paths). */
    static FloatKernels vectorOrNull() {
        return KernelChoice.vectorOrNull();
    }

    final class KernelChoice {
        private static final FloatKernels PREFERRED = choose();

        private KernelChoice() {
        }

        static FloatKernels vectorOrNull() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return null;
            }
            try {
                // Loaded by name: the class links against jdk.incubator.vector, which may be absent.
                return (FloatKernels) Class.forName("lectern.gpt.VectorKernels").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }

        private static FloatKernels choose() {
            String reason;
            FloatKernels chosen = null;
            if (System.getProperty("org.graalvm.nativeimage.imagecode") != null) {
                reason = "native image: no Vector API";
            } else if (!Boolean.parseBoolean(System.getProperty("lectern.gpt.simd", "true"))) {
                reason = "-Dlectern.gpt.simd=false";
            } else {
                chosen = vectorOrNull();
                reason = chosen == null ? "module jdk.incubator.vector absent (run java with --add-modules jdk.incubator.vector)" : null;
            }
            if (chosen == null) {
                chosen = new ScalarKernels();
                System.err.println("lectern.gpt: scalar kernels (" + reason + ")");
            } else {
                System.err.println("lectern.gpt: Vector API kernels (" + chosen.name() + ")");
            }
            return chosen;
        }
    }
}
