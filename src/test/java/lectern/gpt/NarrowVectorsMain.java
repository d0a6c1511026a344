package lectern.gpt;

import java.util.Arrays;
import java.util.Random;

/**
 * Run by {@link KernelsTest} in a JVM whose vectors are narrower than this machine's (-XX:MaxVectorSize): the packed
 * products and the weight gradient's row sums against the scalar reference (bit for bit), and attention on the
 * narrower panels (within rounding). Prints "same" or what differs.
 */
public final class NarrowVectorsMain {

    private NarrowVectorsMain() {
    }

    public static void main(String[] args) {
        FloatKernels vector = FloatKernels.vectorOrNull();
        FloatKernels scalar = new ScalarKernels();
        Random rng = new Random(7);
        int w = vector.panelWidth();
        StringBuilder differs = new StringBuilder();
        for (int[] shape : new int[][] {{13, 2 * w, 130}, {128, w, 257}, {7, w, 3}}) {
            int m = shape[0], n = shape[1], k = shape[2];
            float[] b = GradientCheck.gaussian(rng, k * n, 1.0);
            float[] panels = new float[k * n];
            vector.packPanels(false, b, 0, n, k, 0, n, panels, 0);
            for (boolean transposedA : new boolean[] {false, true}) {
                int ars = transposedA ? 1 : k + 2, acs = transposedA ? m + 3 : 1;
                float[] a = GradientCheck.gaussian(rng, 1 + Math.max(m * ars, k * acs), 1.0);
                float[] want = new float[m * n], got = new float[m * n];
                float[] wantSums = new float[m], gotSums = new float[m];
                scalar.gemm(m, n, k, a, 1, ars, acs, b, 0, n, want, 0, n);
                for (int i = 0; i < m; i++) {
                    for (int p = 0; p < k; p++) {
                        wantSums[i] += a[1 + i * ars + p * acs];
                    }
                }
                vector.gemmPanelsAndRowSums(m, n, k, a, 1, ars, acs, panels, 0, got, 0, n, gotSums, 0);
                if (!Arrays.equals(want, got) || !Arrays.equals(wantSums, gotSums)) {
                    differs.append(' ').append(m).append('x').append(n).append('x').append(k)
                            .append(transposedA ? " (A transposed)" : "");
                }
            }
        }
        // attention, whose score products run on panels of this narrower width when T is a whole number of them:
        // against the scalar kernels within rounding (their exp differs in the last bits)
        int B = 1, T = 64, C = 32, NH = 2;
        float[] qkv = GradientCheck.gaussian(rng, B * T * 3 * C, 1.0), dout = GradientCheck.gaussian(rng, B * T * C, 1.0);
        float[][] outs = new float[2][], grads = new float[2][];
        FloatKernels[] both = {scalar, vector};
        for (int i = 0; i < 2; i++) {
            Compute cx = new Compute(both[i], new WorkerPool(1));
            float[] out = new float[B * T * C], att = new float[B * NH * T * T], dqkv = new float[qkv.length];
            Attention.forward(cx, out, 0, att, 0, qkv, 0, B, T, C, NH);
            Attention.backward(cx, dqkv, 0, dout, 0, qkv, 0, att, 0, B, T, C, NH);
            outs[i] = out;
            grads[i] = dqkv;
        }
        if (maxDifference(outs[0], outs[1]) > 1e-4 || maxDifference(grads[0], grads[1]) > 1e-4) {
            differs.append(" attention (T ").append(T).append(", panels ").append(w).append(')');
        }
        System.out.println(vector.name() + (differs.length() == 0 ? " same" : " differs:" + differs));
    }

    private static double maxDifference(float[] x, float[] y) {
        double most = 0;
        for (int i = 0; i < x.length; i++) {
            most = Math.max(most, Math.abs(x[i] - y[i]));
        }
        return most;
    }
}
