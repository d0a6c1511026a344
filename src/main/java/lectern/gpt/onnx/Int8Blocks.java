package lectern.gpt.onnx;

/**
 * Weight-only int8 quantization of a (N, K) matrix (a torch.nn.Linear weight, or the tied head's wte) in the layout of
 * ONNX Runtime's MatMulNBits with bits = 8: each row is cut along K into blocks of {@value #BLOCK}; a block keeps one
 * float scale (its largest |w| / 127) and codes {@code round(w / scale) + 128}, so that {@code w ~ (code - 128) *
 * scale} with an error of at most half a step. Activations stay float32.
 */
final class Int8Blocks {

    static final int BLOCK = 32;
    static final int ZERO_POINT = 128;

    final int n, k;
    /** (N, K/BLOCK, BLOCK) codes. */
    final byte[] codes;
    /** (N * K/BLOCK) scales. */
    final float[] scales;
    /** (N * K/BLOCK) zero points, all {@value #ZERO_POINT}. */
    final byte[] zeroPoints;

    private Int8Blocks(int n, int k) {
        this.n = n;
        this.k = k;
        codes = new byte[n * k];
        scales = new float[n * k / BLOCK];
        zeroPoints = new byte[n * k / BLOCK];
        java.util.Arrays.fill(zeroPoints, (byte) ZERO_POINT);
    }

    /** Whether a (N, K) matrix can be cut into whole blocks. */
    static boolean fits(int k) {
        return k % BLOCK == 0;
    }

    /** Quantizes the row-major (n, k) matrix at {@code w[off..]}. */
    static Int8Blocks quantize(float[] w, int off, int n, int k) {
        if (!fits(k)) {
            throw new IllegalArgumentException("K = " + k + " is not a multiple of the block size " + BLOCK);
        }
        Int8Blocks q = new Int8Blocks(n, k);
        for (int row = 0; row < n; row++) {
            for (int b = 0; b < k / BLOCK; b++) {
                int start = off + row * k + b * BLOCK;
                float max = 0;
                for (int i = 0; i < BLOCK; i++) {
                    max = Math.max(max, Math.abs(w[start + i]));
                }
                float scale = max > 0 ? max / 127f : 1f;
                q.scales[row * (k / BLOCK) + b] = scale;
                for (int i = 0; i < BLOCK; i++) {
                    int code = Math.round(w[start + i] / scale) + ZERO_POINT;
                    q.codes[row * k + b * BLOCK + i] = (byte) Math.max(1, Math.min(255, code));
                }
            }
        }
        return q;
    }

    /** The value element (row, col) stands for after quantization. */
    float value(int row, int col) {
        return ((codes[row * k + col] & 0xff) - ZERO_POINT) * scales[row * (k / BLOCK) + col / BLOCK];
    }
}
