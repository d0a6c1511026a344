package lectern.gpt;

/** GELU with the tanh approximation (as GPT-2). */
final class Gelu {

    private static final int GRAIN = 1 << 14;

    private Gelu() {
    }

    /** out (n) = gelu(inp). */
    static void forward(Compute cx, float[] out, int outOff, float[] inp, int inpOff, int n) {
        long started = System.nanoTime();
        try {
            FloatKernels k = cx.kernels;
            cx.rows(n, GRAIN, (s, e, w) -> k.geluForward(out, outOff + s, inp, inpOff + s, e - s));
        } finally {
            cx.addTime(Compute.Kind.GELU, started);
        }
    }

    /**
     * {@link #forward} fused into the product that writes inp (N, width): rows of out = gelu(rows of inp) as each
     * worker finishes them, read from its cache rather than from memory in a pass of their own. The same bits as
     * {@link #forward} when width is a whole number of vectors (the kernel's scalar tail is the tanh form); for any
     * thread count either way.
     */
    static Matmul.RowsDone forwardOnRows(Compute cx, float[] out, int outOff, float[] inp, int inpOff, int width) {
        FloatKernels k = cx.kernels;
        return (s, e, worker) -> {
            long started = System.nanoTime();
            k.geluForward(out, outOff + s * width, inp, inpOff + s * width, (e - s) * width);
            cx.addWorkerTime(worker, Compute.Kind.GELU, started);
        };
    }

    /**
     * {@link #backward} fused into the product that writes dout (N, width), the input gradient of the layer after
     * GELU: rows of dinp = gelu'(rows of inp) * rows of dout as each worker finishes them (the same bits as
     * {@link #backward} when dout's width is a whole number of vectors). dout is then read from cache, and may live
     * only there ({@link Matmul.Rows#inWorkerScratch}).
     */
    static Matmul.RowsDone backwardOnRows(Compute cx, float[] dinp, int dinpOff, float[] inp, int inpOff,
                                          Matmul.Rows dout) {
        FloatKernels k = cx.kernels;
        int width = dout.width();
        return (s, e, worker) -> {
            long started = System.nanoTime();
            int from = s * width, n = (e - s) * width;
            k.geluBackward(dinp, dinpOff + from, inp, inpOff + from, dout.array(cx, worker), dout.offset(s), n);
            cx.addWorkerTime(worker, Compute.Kind.GELU, started);
        };
    }

    /**
     * dinp (n) = gelu'(inp) * dout, written over what dinp held (as the kernel writes it).
     */
    static void backward(Compute cx, float[] dinp, int dinpOff, float[] inp, int inpOff, float[] dout, int doutOff, int n) {
        long started = System.nanoTime();
        try {
            FloatKernels k = cx.kernels;
            cx.rows(n, GRAIN, (s, e, w) -> k.geluBackward(dinp, dinpOff + s, inp, inpOff + s, dout, doutOff + s, e - s));
        } finally {
            cx.addTime(Compute.Kind.GELU, started);
        }
    }
}
