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
     * dinp (n) = gelu'(inp) * dout, written over what dinp held (each chunk cleared while in cache, then added to: the
     * kernel's bits, without a pass over all of dinp first).
     */
    static void backward(Compute cx, float[] dinp, int dinpOff, float[] inp, int inpOff, float[] dout, int doutOff, int n) {
        long started = System.nanoTime();
        try {
            FloatKernels k = cx.kernels;
            cx.rows(n, GRAIN, (s, e, w) -> {
                java.util.Arrays.fill(dinp, dinpOff + s, dinpOff + e, 0f);
                k.geluBackward(dinp, dinpOff + s, inp, inpOff + s, dout, doutOff + s, e - s);
            });
        } finally {
            cx.addTime(Compute.Kind.GELU, started);
        }
    }
}
