package lectern.gpt;

/** A torch.nn.Linear: out = inp @ W^T + b with W stored [out, in]. */
final class Matmul {

    /** Rows of the output per task in forward and input-gradient passes. */
    private static final int ROW_GRAIN = 256;
    /** Most weight rows per task in the weight-gradient pass. */
    private static final int MAX_WEIGHT_GRAIN = 512;
    /** Below this many rows the forward pass uses dot products on W as stored instead of a transposed copy. */
    static final int DIRECT_ROWS = 16;

    private Matmul() {
    }

    /**
     * Work on rows [s, e) of a product's output, run by the worker that has just finished them, while they are still
     * in its cache (GELU fused into the product before or after it). The rows' values are final when it runs.
     */
    @FunctionalInterface
    interface RowsDone {
        void run(int s, int e, int worker);
    }

    /** Nothing after the rows. */
    static final RowsDone NOTHING = (s, e, worker) -> {
    };

    /**
     * Where an input gradient's rows go: {@code array} from {@code offset} on (row r at offset + r * width), or, made
     * by {@link #inWorkerScratch}, the scratch of the worker that computes them, each task's first row at its start,
     * for a {@link RowsDone} to consume at once. The latter suits a gradient that only the next layer reads (dgelu's
     * input, 8 MB a layer for GPT-mini): it stays in the worker's cache and is never written out to memory.
     */
    record Rows(float[] array, int offset, int width) {

        static Rows at(float[] array, int offset, int width) {
            return new Rows(array, offset, width);
        }

        static Rows inWorkerScratch(int width) {
            return new Rows(null, 0, width);
        }

        /** The array that holds rows [s, ...) of the task that {@code worker} runs. */
        float[] array(Compute cx, int worker) {
            return array != null ? array : cx.workerScratch(worker, ROW_GRAIN * width);
        }

        /** Where row s, the first of a task, starts in {@link #array(Compute, int)}. */
        int offset(int s) {
            return array != null ? offset + s * width : Compute.SCRATCH_START;
        }
    }

    /**
     * out (N,OC) = inp (N,C) @ W^T + b, W (OC,C) at {@code wOff} in params, b (OC) at {@code bOff} ({@code bOff < 0}:
     * no bias). W^T is first packed into column panels (or, when OC is not a multiple of the panel width, transposed to
     * (C,OC)) so that the inner loop runs along contiguous output columns.
     */
    static void forward(Compute cx, float[] out, int outOff, float[] inp, int inpOff, float[] params, int wOff,
                        int bOff, int N, int C, int OC) {
        forward(cx, out, outOff, inp, inpOff, params, wOff, bOff, N, C, OC, NOTHING);
    }

    /** {@link #forward}, then {@code then} on each range of output rows as soon as it is final. */
    static void forward(Compute cx, float[] out, int outOff, float[] inp, int inpOff, float[] params, int wOff,
                        int bOff, int N, int C, int OC, RowsDone then) {
        long started = System.nanoTime();
        try {
            FloatKernels k = cx.kernels;
            if (N < DIRECT_ROWS) {
                // few rows (sampling): one dot product per output beats transposing W first
                cx.rows(OC, 256, (s, e, worker) -> {
                    for (int r = 0; r < N; r++) {
                        for (int o = s; o < e; o++) {
                            float bias = bOff >= 0 ? params[bOff + o] : 0f;
                            out[outOff + r * OC + o] = bias + k.dot(inp, inpOff + r * C, params, wOff + o * C, C);
                        }
                    }
                });
                then.run(0, N, 0);
                return;
            }
            int w = k.panelWidth();
            if (OC % w == 0) {
                // W^T packed once into column panels, shared by every row range
                float[] wp = cx.panelScratch(C * OC);
                int at = CacheLines.OFFSET;
                cx.rows(OC / w, 1, (s, e, worker) -> k.packPanels(true, params, wOff, C, C, s * w, e * w, wp, at));
                float[] bias = bOff >= 0 ? params : null;
                cx.rows(N, ROW_GRAIN, (s, e, worker) -> {
                    // rows start as the bias inside the kernel: no pass over out beforehand
                    k.gemmPanelsOver(bias, bOff, e - s, OC, C, inp, inpOff + s * C, C, 1, wp, at, out, outOff + s * OC, OC);
                    then.run(s, e, worker);
                });
                return;
            }
            float[] wt = cx.sharedScratch(C * OC); // (C,OC)
            transpose(cx, params, wOff, OC, C, wt);
            cx.rows(N, ROW_GRAIN, (s, e, worker) -> {
                initialize(out, outOff, params, bOff, s, e, OC);
                k.gemm(e - s, OC, C, inp, inpOff + s * C, C, 1, wt, 0, OC, out, outOff + s * OC, OC);
                then.run(s, e, worker);
            });
        } finally {
            cx.addTime(Compute.Kind.MATMUL, started);
            cx.settleWorkerTimes(Compute.Kind.MATMUL);
        }
    }

    /** Output rows [s, e) start as the bias, or zero. */
    private static void initialize(float[] out, int outOff, float[] params, int bOff, int s, int e, int OC) {
        for (int r = s; r < e; r++) {
            int o = outOff + r * OC;
            if (bOff >= 0) {
                System.arraycopy(params, bOff, out, o, OC);
            } else {
                java.util.Arrays.fill(out, o, o + OC, 0f);
            }
        }
    }

    /**
     * dinp (N,C) += dout (N,OC) @ W; dW (OC,C) += dout^T @ inp; db (OC) += column sums of dout ({@code dbOff < 0}: no
     * bias). {@code dinp == null} skips the input gradient, {@code grads == null} the weight and bias gradients (a
     * frozen layer).
     */
    static void backward(Compute cx, float[] dinp, int dinpOff, float[] grads, int dwOff, int dbOff,
                         float[] dout, int doutOff, float[] inp, int inpOff, float[] params, int wOff,
                         int N, int C, int OC) {
        backward(cx, dinp == null ? null : Rows.at(dinp, dinpOff, C), false, NOTHING, grads, dwOff, dbOff, dout, doutOff,
                inp, inpOff, params, wOff, N, C, OC);
    }

    /**
     * {@link #backward}, with dinp written rather than added to: for the first gradient of a layer's input. On packed
     * panels the product starts its accumulators from zeros ({@link FloatKernels#gemmPanelsOver}); otherwise each
     * task's product is written over its rows ({@link FloatKernels#gemmOver}). Either way no pass over the whole of
     * dinp comes first (the same bits).
     */
    static void backwardWritingInput(Compute cx, float[] dinp, int dinpOff, float[] grads, int dwOff, int dbOff,
                                     float[] dout, int doutOff, float[] inp, int inpOff, float[] params, int wOff,
                                     int N, int C, int OC) {
        backward(cx, dinp == null ? null : Rows.at(dinp, dinpOff, C), true, NOTHING, grads, dwOff, dbOff, dout,
                doutOff, inp, inpOff, params, wOff, N, C, OC);
    }

    /**
     * {@link #backwardWritingInput} into {@code dinp} (whose width is C), then {@code then} on each range of its rows as
     * soon as it is final.
     */
    static void backwardWritingInput(Compute cx, Rows dinp, RowsDone then, float[] grads, int dwOff, int dbOff,
                                     float[] dout, int doutOff, float[] inp, int inpOff, float[] params, int wOff,
                                     int N, int C, int OC) {
        if (dinp.width() != C) {
            throw new IllegalArgumentException("input gradient rows of width " + dinp.width() + ", not C = " + C);
        }
        backward(cx, dinp, true, then, grads, dwOff, dbOff, dout, doutOff, inp, inpOff, params, wOff, N, C, OC);
    }

    private static void backward(Compute cx, Rows dinp, boolean writeDinp, RowsDone then, float[] grads, int dwOff,
                                 int dbOff, float[] dout, int doutOff, float[] inp, int inpOff, float[] params,
                                 int wOff, int N, int C, int OC) {
        long started = System.nanoTime();
        try {
            FloatKernels k = cx.kernels;
            int w = k.panelWidth();
            boolean panels = C % w == 0;
            if (dinp != null) {
                if (dinp.array() == null) {
                    cx.reserveWorkerScratch(ROW_GRAIN * C);
                }
                if (panels) {
                    // B = W (OC,C) packed once into column panels for every row range
                    float[] wp = cx.panelScratch(OC * C);
                    int at = CacheLines.OFFSET;
                    cx.rows(C / w, 1, (s, e, worker) -> k.packPanels(false, params, wOff, C, OC, s * w, e * w, wp, at));
                    cx.rows(N, ROW_GRAIN, (s, e, worker) -> {
                        float[] x = dinp.array(cx, worker);
                        int at0 = dinp.offset(s);
                        if (writeDinp) {
                            k.gemmPanelsOver(null, 0, e - s, C, OC, dout, doutOff + s * OC, OC, 1, wp, at, x, at0, C);
                        } else {
                            k.gemmPanels(e - s, C, OC, dout, doutOff + s * OC, OC, 1, wp, at, x, at0, C);
                        }
                        then.run(s, e, worker);
                    });
                } else {
                    cx.rows(N, ROW_GRAIN, (s, e, worker) -> {
                        float[] x = dinp.array(cx, worker);
                        int at0 = dinp.offset(s);
                        if (writeDinp) {
                            k.gemmOver(e - s, C, OC, dout, doutOff + s * OC, OC, 1, params, wOff, C, x, at0, C);
                        } else {
                            k.gemm(e - s, C, OC, dout, doutOff + s * OC, OC, 1, params, wOff, C, x, at0, C);
                        }
                        then.run(s, e, worker);
                    });
                }
            }
            if (grads == null) {
                return;
            }
            // B = inp (N,C), packed once when it can be; A = dout^T, which the kernel packs a K block at a time
            float[] ip = panels ? cx.panelScratch(N * C) : null;
            int at = CacheLines.OFFSET;
            if (panels) {
                cx.rows(C / w, 1, (s, e, worker) -> k.packPanels(false, inp, inpOff, C, N, s * w, e * w, ip, at));
            }
            cx.rows(OC, weightGrain(OC, cx.pool.size()), (s, e, worker) -> {
                if (panels && dbOff >= 0) {
                    // the bias gradient (column sums of dout) taken as the product reads dout
                    k.gemmPanelsAndRowSums(e - s, C, N, dout, doutOff + s, 1, OC, ip, at, grads, dwOff + s * C, C,
                            grads, dbOff + s);
                    return;
                }
                if (dbOff >= 0) {
                    k.columnSums(dout, doutOff + s, OC, N, e - s, grads, dbOff + s);
                }
                if (panels) {
                    k.gemmPanels(e - s, C, N, dout, doutOff + s, 1, OC, ip, at, grads, dwOff + s * C, C);
                } else {
                    k.gemm(e - s, C, N, dout, doutOff + s, 1, OC, inp, inpOff, C, grads, dwOff + s * C, C);
                }
            });
        } finally {
            cx.addTime(Compute.Kind.MATMUL, started);
            cx.settleWorkerTimes(Compute.Kind.MATMUL);
        }
    }

    /**
     * Weight rows per task in the weight-gradient pass. Each task reads all of the packed input (N x C, 2 MiB for
     * GPT-mini) once, so the fewer the tasks the less is read (128-row tasks left the pass 10-15% slower); but there
     * must be as many as threads, in a multiple of them so that none waits, and no more than MAX_WEIGHT_GRAIN rows
     * so that one task's packed rows of dout^T stay in cache.
     */
    static int weightGrain(int OC, int threads) {
        int rounds = (OC + threads * MAX_WEIGHT_GRAIN - 1) / (threads * MAX_WEIGHT_GRAIN);
        int tasks = threads * rounds;
        return Math.max(1, (OC + tasks - 1) / tasks);
    }

    /** dst (cols,rows) = src (rows,cols) transposed, on all cores. */
    static void transpose(Compute cx, float[] src, int srcOff, int rows, int cols, float[] dst) {
        cx.rows(cols, 16, (s, e, worker) -> {
            for (int r = 0; r < rows; r++) {
                int si = srcOff + r * cols;
                for (int c = s; c < e; c++) {
                    dst[c * rows + r] = src[si + c];
                }
            }
        });
    }
}
