package lectern.gpt;

/**
 * out = inp1 + inp2. Its backward passes dout unchanged to both inputs, so {@link GptModel} skips the copy and
 * lets one gradient buffer carry the residual stream; {@link #backward} is the explicit form (tested).
 */
final class Residual {

    private static final int GRAIN = 1 << 14;

    private Residual() {
    }

    static void forward(Compute cx, float[] out, int outOff, float[] inp1, int in1Off, float[] inp2, int in2Off, int n) {
        cx.rows(n, GRAIN, (s, e, w) -> {
            for (int i = s; i < e; i++) {
                out[outOff + i] = inp1[in1Off + i] + inp2[in2Off + i];
            }
        });
    }

    static void backward(float[] dinp1, int d1Off, float[] dinp2, int d2Off, float[] dout, int doutOff, int n) {
        for (int i = 0; i < n; i++) {
            dinp1[d1Off + i] += dout[doutOff + i];
            dinp2[d2Off + i] += dout[doutOff + i];
        }
    }
}
