package lectern.gpt;

/**
 * Multi-head causal self-attention on a packed qkv buffer (B,T,3C): q, k, v are the three C-wide thirds of each
 * row, head h owns columns [h*hs, (h+1)*hs) of each third. One task per (batch, head); each task writes only its
 * own head's columns, so tasks never share outputs.
 */
final class Attention {

    /** Query rows per matrix-product call; causality lets each block stop at its last row. */
    private static final int ROW_BLOCK = 16;
    /** Softmax rows are processed in multiples of this many floats (one 512-bit vector). */
    private static final int PAD = 16;

    private Attention() {
    }

    /**
     * Floats of per-worker scratch attention needs: a transposed K or V (hs,T), a (T,T) matrix of gradients, and three
     * (T,hs) copies of one head's rows (see {@link #copyHead}).
     */
    static int scratchSize(int T, int hs) {
        return hs * T + T * T + 3 * T * hs;
    }

    /**
     * Copies one head's hs columns of T rows (row stride ld) into contiguous (T,hs) rows, where the products read
     * them as B. In place, the rows lie 1 to 3 KiB apart (qkv's 3C floats), which puts a head's 256-byte pieces in a
     * quarter of L1's sets: each of the row block's tiles then read B from L2. About a quarter faster with the copy.
     */
    private static void copyHead(float[] src, int srcOff, int ld, int T, int hs, float[] dst, int dstOff) {
        for (int t = 0; t < T; t++) {
            System.arraycopy(src, srcOff + t * ld, dst, dstOff + t * hs, hs);
        }
    }

    /**
     * Whether the two T x T products (scores, and the gradient of the probabilities) run on the kernel's packed
     * panels: when T is a whole number of panels. k^T or v^T is then transposed straight into panels, and each
     * block of a panel's width of queries runs as one packed product over the keys up to its end: the register tile
     * on packed operands, about a quarter faster than 16-row products in place, though the diagonal block's upper
     * half is wasted work. The sums are the same, in the same order, so the bits are too. The panel width must also
     * be a whole number of the transpose's 16-row steps (not so with 64-bit vectors, whose panels are 8 wide).
     */
    private static boolean onPanels(FloatKernels k, int T) {
        int w = k.panelWidth();
        return w % ROW_BLOCK == 0 && T % w == 0;
    }

    /**
     * The end of the row block holding query t: the products read row t of P and dS up to it, and no further; the
     * rest of the row is neither written (except by the scores' packed product) nor read.
     */
    private static int blockEnd(int t, int T) {
        return Math.min(T, (t / ROW_BLOCK + 1) * ROW_BLOCK);
    }

    /**
     * out (B,T,C) = softmax(q k^T / sqrt(hs), causal) v per head; att (B,NH,T,T) keeps the probabilities for
     * backward: row t up to the end of its row block (zero past the diagonal). The rest of each row is never read,
     * and written only by the panel path's score product (the in-place path leaves it alone), so much of att never
     * enters the caches (it was zeroed, written back and read again: 16 MB a layer).
     */
    static void forward(Compute cx, float[] out, int outOff, float[] att, int attOff, float[] qkv, int qkvOff,
                        int B, int T, int C, int NH) {
        int hs = C / NH;
        int C3 = 3 * C;
        float scale = (float) (1.0 / Math.sqrt(hs));
        FloatKernels k = cx.kernels;
        boolean panels = onPanels(k, T);
        int w = k.panelWidth();
        perHead(cx, B, T, C, NH, (b, h, task, scratch) -> {
            int q0 = qkvOff + b * T * C3 + h * hs; // q row t at q0 + t*C3; k at +C, v at +2C
            int a0 = attOff + task * T * T; // (T,T) for this (b,h)
            int o0 = outOff + b * T * C + h * hs;
            int kt = Compute.SCRATCH_START; // k^T (hs,T), in panels on the panel path
            int vRows = kt + hs * T + T * T; // v's rows, contiguous (T,hs)
            if (panels) {
                k.transpose(qkv, q0 + C, C3, T, hs, scratch, kt, w);
                // scores for each block of w queries and the keys up to its end, written from zero
                for (int b0 = 0; b0 < T; b0 += w) {
                    k.gemmPanelsOver(null, 0, w, b0 + w, hs, qkv, q0 + b0 * C3, C3, 1, scratch, kt, att, a0 + b0 * T, T);
                }
            } else {
                k.transpose(qkv, q0 + C, C3, T, hs, scratch, kt, T);
                for (int r0 = 0; r0 < T; r0 += ROW_BLOCK) {
                    int r1 = Math.min(T, r0 + ROW_BLOCK);
                    for (int t = r0; t < r1; t++) {
                        java.util.Arrays.fill(att, a0 + t * T, a0 + t * T + r1, 0f);
                    }
                    // scores for rows r0..r1, keys 0..r1 (later keys are masked anyway)
                    k.gemm(r1 - r0, r1, hs, qkv, q0 + r0 * C3, C3, 1, scratch, kt, T, att, a0 + r0 * T, T);
                }
            }
            for (int t = 0; t < T; t++) {
                int row = a0 + t * T;
                float max = k.max(att, row, t + 1);
                // masked scores up to a whole vector become -inf (exp gives 0): no scalar tail in exp
                int padded = Math.min(T, (t + 1 + PAD - 1) / PAD * PAD);
                java.util.Arrays.fill(att, row + t + 1, row + padded, Float.NEGATIVE_INFINITY);
                float sum = k.expScaledShift(att, row, padded, scale, scale * max);
                k.scale(att, row, padded, 1f / sum);
                java.util.Arrays.fill(att, row + padded, row + blockEnd(t, T), 0f);
            }
            // each block of output rows is one product over all the keys it sees, written over what out held
            copyHead(qkv, q0 + 2 * C, C3, T, hs, scratch, vRows);
            for (int r0 = 0; r0 < T; r0 += ROW_BLOCK) {
                int r1 = Math.min(T, r0 + ROW_BLOCK);
                k.gemmOver(r1 - r0, hs, r1, att, a0 + r0 * T, T, 1, scratch, vRows, hs, out, o0 + r0 * C, C);
            }
        });
    }

    /**
     * dqkv (B,T,3C) = gradients of q, k, v given dout (B,T,C) and the saved probabilities att (B,NH,T,T), written over
     * what dqkv held: each block of rows of dq, dk and dv is one product, written over its part of dqkv
     * ({@link FloatKernels#gemmOver}), with no clearing pass first (the same bits).
     */
    static void backward(Compute cx, float[] dqkv, int dqkvOff, float[] dout, int doutOff, float[] qkv, int qkvOff,
                         float[] att, int attOff, int B, int T, int C, int NH) {
        int hs = C / NH;
        int C3 = 3 * C;
        float scale = (float) (1.0 / Math.sqrt(hs));
        FloatKernels k = cx.kernels;
        boolean panels = onPanels(k, T);
        int w = k.panelWidth();
        perHead(cx, B, T, C, NH, (b, h, task, scratch) -> {
            int vt = Compute.SCRATCH_START; // (hs,T): v transposed, in panels on the panel path
            int ds = vt + hs * T;           // (T,T): d(probabilities), then d(scores)
            int kRows = ds + T * T, qRows = kRows + T * hs, doutRows = qRows + T * hs; // contiguous (T,hs) copies
            int q0 = qkvOff + b * T * C3 + h * hs;
            int dq0 = dqkvOff + b * T * C3 + h * hs;
            int o0 = doutOff + b * T * C + h * hs;
            int a0 = attOff + task * T * T;
            copyHead(dout, o0, C, T, hs, scratch, doutRows);
            if (panels) {
                k.transpose(qkv, q0 + 2 * C, C3, T, hs, scratch, vt, w);
                for (int b0 = 0; b0 < T; b0 += w) {
                    k.gemmPanelsOver(null, 0, w, b0 + w, hs, scratch, doutRows + b0 * hs, hs, 1, scratch, vt, scratch,
                            ds + b0 * T, T);
                }
            } else {
                k.transpose(qkv, q0 + 2 * C, C3, T, hs, scratch, vt, T);
                for (int r0 = 0; r0 < T; r0 += ROW_BLOCK) {
                    int r1 = Math.min(T, r0 + ROW_BLOCK);
                    for (int t = r0; t < r1; t++) {
                        java.util.Arrays.fill(scratch, ds + t * T, ds + t * T + r1, 0f);
                    }
                    k.gemm(r1 - r0, r1, hs, scratch, doutRows + r0 * hs, hs, 1, scratch, vt, T, scratch, ds + r0 * T, T);
                }
            }
            // softmax backward: dS = P * (dP - sum_j P_j dP_j), times the score scale; zero past the diagonal up to
            // the end of the row block, as far as the products below read
            for (int t = 0; t < T; t++) {
                int prow = a0 + t * T;
                int drow = ds + t * T;
                k.softmaxBackwardRow(att, prow, scratch, drow, t + 1, scale);
                java.util.Arrays.fill(scratch, drow + t + 1, drow + blockEnd(t, T), 0f);
            }
            copyHead(qkv, q0 + C, C3, T, hs, scratch, kRows);
            copyHead(qkv, q0, C3, T, hs, scratch, qRows);
            for (int r0 = 0; r0 < T; r0 += ROW_BLOCK) {
                int r1 = Math.min(T, r0 + ROW_BLOCK);
                // dq rows r0..r1 = dS[rows, 0..r1] @ k[0..r1]
                k.gemmOver(r1 - r0, hs, r1, scratch, ds + r0 * T, T, 1, scratch, kRows, hs, dqkv, dq0 + r0 * C3, C3);
                // dk rows r0..r1 = dS[r0..T, rows]^T @ q[r0..T]  (only queries at or after a key see it)
                k.gemmOver(r1 - r0, hs, T - r0, scratch, ds + r0 * T + r0, 1, T, scratch, qRows + r0 * hs, hs,
                        dqkv, dq0 + C + r0 * C3, C3);
                // dv rows r0..r1 = P[r0..T, rows]^T @ dout[r0..T]
                k.gemmOver(r1 - r0, hs, T - r0, att, a0 + r0 * T + r0, 1, T, scratch, doutRows + r0 * hs, hs,
                        dqkv, dq0 + 2 * C + r0 * C3, C3);
            }
        });
    }

    /**
     * Runs one task per (batch b, head h), task = b*NH + h, on all cores, each with its worker's scratch of
     * {@link #scratchSize} floats; the time counts as {@link Compute.Kind#ATTENTION}.
     */
    private static void perHead(Compute cx, int B, int T, int C, int NH, HeadTask body) {
        long started = System.nanoTime();
        try {
            int size = scratchSize(T, C / NH);
            cx.reserveWorkerScratch(size);
            cx.pool.forEach(B * NH, (task, worker) -> body.run(task / NH, task % NH, task, cx.workerScratch(worker, size)));
        } finally {
            cx.addTime(Compute.Kind.ATTENTION, started);
        }
    }

    @FunctionalInterface
    private interface HeadTask {
        void run(int b, int h, int task, float[] scratch);
    }
}
