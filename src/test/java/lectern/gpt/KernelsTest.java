package lectern.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vector kernels against the scalar reference. */
class KernelsTest {

    private final FloatKernels scalar = new ScalarKernels();
    private final FloatKernels vector = FloatKernels.vectorOrNull();

    @Test
    void vectorKernelsAreAvailableToTheTests() {
        assertNotNull(vector, "surefire passes --add-modules jdk.incubator.vector");
    }

    @Test
    void gemmIsBitIdenticalToScalarOnAwkwardShapes() {
        Random rng = new Random(1);
        int[][] shapes = {{1, 1, 1}, {5, 70, 3}, {4, 64, 300}, {9, 130, 257}, {17, 16, 33}, {3, 200, 600}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean transposedA : new boolean[] {false, true}) {
                int ars = transposedA ? 1 : k + 2, acs = transposedA ? m + 1 : 1;
                float[] a = GradientCheck.gaussian(rng, 3 + m * k * 2 + m + k + 10, 1.0);
                float[] b = GradientCheck.gaussian(rng, 1 + k * (n + 5), 1.0);
                float[] c1 = GradientCheck.gaussian(rng, 2 + m * (n + 3), 1.0);
                float[] c2 = c1.clone();
                scalar.gemm(m, n, k, a, 3, ars, acs, b, 1, n + 5, c1, 2, n + 3);
                vector.gemm(m, n, k, a, 3, ars, acs, b, 1, n + 5, c2, 2, n + 3);
                assertArrayEquals(c1, c2, "gemm " + m + "x" + n + "x" + k + (transposedA ? " (A strided)" : ""));
                // and it is the product: the last element against a double computation, from a zero C
                double want = 0;
                float[] z = new float[2 + m * (n + 3)];
                scalar.gemm(m, n, k, a, 3, ars, acs, b, 1, n + 5, z, 2, n + 3);
                for (int p = 0; p < k; p++) {
                    want += (double) a[3 + (m - 1) * ars + p * acs] * b[1 + p * (n + 5) + n - 1];
                }
                assertEquals(want, z[2 + (m - 1) * (n + 3) + n - 1], 1e-4 * Math.max(1, Math.sqrt(k)));
            }
        }
    }

    @Test
    void elementwiseKernelsAgree() {
        Random rng = new Random(2);
        int n = 1000 + 7;
        float[] x = GradientCheck.gaussian(rng, n, 3.0), y = GradientCheck.gaussian(rng, n, 1.0);
        assertEquals(scalar.dot(x, 1, y, 2, n - 5), vector.dot(x, 1, y, 2, n - 5), 1e-3);
        assertEquals(scalar.max(x, 3, n - 9), vector.max(x, 3, n - 9));
        float[] e1 = x.clone(), e2 = x.clone();
        float s1 = scalar.expScaledShift(e1, 2, n - 2, 0.5f, 1f);
        float s2 = vector.expScaledShift(e2, 2, n - 2, 0.5f, 1f);
        assertEquals(s1, s2, 1e-5 * s1);
        for (int i = 0; i < n; i++) {
            assertEquals(e1[i], e2[i], 2e-6 * Math.abs(e1[i]) + 1e-30);
        }
        float[] g1 = new float[n], g2 = new float[n];
        scalar.geluForward(g1, 0, x, 0, n);
        vector.geluForward(g2, 0, x, 0, n);
        for (int i = 0; i < n; i++) {
            assertEquals(g1[i], g2[i], 1e-5 + 1e-5 * Math.abs(g1[i]));
        }
        float[] d1 = y.clone(), d2 = y.clone();
        scalar.geluBackward(d1, 0, x, 0, y, 0, n);
        vector.geluBackward(d2, 0, x, 0, y, 0, n);
        for (int i = 0; i < n; i++) {
            assertEquals(d1[i], d2[i], 1e-5 + 1e-5 * Math.abs(d1[i]));
        }
    }
}
