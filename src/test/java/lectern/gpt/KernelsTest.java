package lectern.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * 128- and 256-bit vectors (NEON on ARM, AVX2) hold fewer than a register tile's 6 rows or are as wide: the packed
     * product must give the scalar bits there too. Checked in a JVM told to use narrower vectors than this one has.
     */
    @Test
    void packedProductsAreBitIdenticalWithNarrowerVectors() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        for (int bytes : new int[] {16, 32}) {
            Process p = new ProcessBuilder(java, "-XX:MaxVectorSize=" + bytes, "--add-modules", "jdk.incubator.vector",
                    "-cp", System.getProperty("java.class.path"), NarrowVectorsMain.class.getName())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), out);
            String expected = "vector-" + (bytes * 8) + " same";
            org.junit.jupiter.api.Assertions.assertTrue(out.contains(expected), "want '" + expected + "' in: " + out);
        }
    }

    @Test
    void gemmIsBitIdenticalToScalarOnAwkwardShapes() {
        Random rng = new Random(1);
        // the last three as attention's: a block of 16 rows, 64 columns, up to 256 keys (unpacked, or packed at 256)
        int[][] shapes = {{1, 1, 1}, {5, 70, 3}, {4, 64, 300}, {9, 130, 257}, {17, 16, 33}, {3, 200, 600},
                {100, 200, 300}, {13, 64, 129}, {64, 256, 2048}, {7, 80, 16}, {16, 64, 48}, {16, 64, 200},
                {16, 64, 256}};
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
                // written over what C held: the bits of the product from a zero C, C's other columns untouched
                float[] over = GradientCheck.gaussian(rng, 2 + m * (n + 3), 1.0);
                float[] kept = over.clone();
                vector.gemmOver(m, n, k, a, 3, ars, acs, b, 1, n + 5, over, 2, n + 3);
                for (int i = 0; i < over.length; i++) {
                    int col = (i - 2) % (n + 3);
                    float expected = i >= 2 && col < n ? z[i] : kept[i];
                    assertEquals(expected, over[i], 0f, "gemmOver " + m + "x" + n + "x" + k + " at " + i);
                }
            }
        }
    }

    @Test
    void gemmOnPackedPanelsIsBitIdenticalToPlainGemm() {
        Random rng = new Random(2);
        int w = vector.panelWidth();
        // A packed a K block at a time (200 x 400), or all of it before the column panels (the rest)
        int[][] shapes = {{1, w, 3}, {7, 2 * w, 130}, {100, 3 * w, 257}, {13, w, 2048}, {6, w, 128}, {256, w, 129},
                {200, w, 400}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean transposed : new boolean[] {false, true}) {
                int ldb = transposed ? k + 3 : n + 5; // B (k x n) stored as is, or as its (n x k) transpose
                float[] b = GradientCheck.gaussian(rng, 4 + (transposed ? n : k) * ldb, 1.0);
                float[] plain = new float[k * n]; // B copied out row-major, for the reference
                for (int p = 0; p < k; p++) {
                    for (int j = 0; j < n; j++) {
                        plain[p * n + j] = transposed ? b[4 + j * ldb + p] : b[4 + p * ldb + j];
                    }
                }
                float[] panels = new float[5 + k * n];
                vector.packPanels(transposed, b, 4, ldb, k, 0, w, panels, 5); // two calls, as threads split it
                vector.packPanels(transposed, b, 4, ldb, k, w, n, panels, 5);
                // A (m x k) read along its rows, as in a forward product, and down its columns (A = dout^T in
                // a weight gradient, one row of dout per p), which the kernel packs by another path
                for (boolean aTransposed : new boolean[] {false, true}) {
                    int ars = aTransposed ? 1 : k + 2, acs = aTransposed ? m + 3 : 1;
                    float[] a = GradientCheck.gaussian(rng, 1 + Math.max(m * ars, k * acs), 1.0);
                    float[] c1 = GradientCheck.gaussian(rng, m * (n + 1), 1.0);
                    float[] c2 = c1.clone();
                    scalar.gemm(m, n, k, a, 1, ars, acs, plain, 0, n, c1, 0, n + 1);
                    vector.gemmPanels(m, n, k, a, 1, ars, acs, panels, 5, c2, 0, n + 1);
                    assertArrayEquals(c1, c2, "panels " + m + "x" + n + "x" + k + (transposed ? " (B transposed)" : "")
                            + (aTransposed ? " (A transposed)" : ""));
                    // with A's row sums (a weight gradient and its bias gradient)
                    float[] sums1 = GradientCheck.gaussian(rng, m + 2, 1.0), sums2 = sums1.clone();
                    float[] c3 = c1.clone(), c4 = c1.clone();
                    scalar.gemmPanelsAndRowSums(m, n, k, a, 1, ars, acs, panels, 5, c3, 0, n + 1, sums1, 2);
                    vector.gemmPanelsAndRowSums(m, n, k, a, 1, ars, acs, panels, 5, c4, 0, n + 1, sums2, 2);
                    assertArrayEquals(c3, c4, "panels and row sums " + m + "x" + n + "x" + k);
                    assertArrayEquals(sums1, sums2, "row sums " + m + "x" + n + "x" + k);
                    // written over C: rows start as a bias row (or zeros) instead of what C held
                    float[] bias = GradientCheck.gaussian(rng, 3 + n, 1.0);
                    for (float[] init : new float[][] {bias, null}) {
                        float[] want = GradientCheck.gaussian(rng, m * (n + 1), 1.0); // column n: not C's, kept
                        float[] got = want.clone();
                        scalar.gemmPanelsOver(init, 3, m, n, k, a, 1, ars, acs, panels, 5, want, 0, n + 1);
                        vector.gemmPanelsOver(init, 3, m, n, k, a, 1, ars, acs, panels, 5, got, 0, n + 1);
                        assertArrayEquals(want, got, "over C " + m + "x" + n + "x" + k + (init == null ? "" : " with a bias"));
                    }
                }
            }
        }
    }

    @Test
    void columnSumsAddRowsInOrder() {
        // a bias gradient: the column sums of dout, added to what the gradient held, one row after another
        Random rng = new Random(3);
        int ld = 150;
        for (int[] shape : new int[][] {{37, 40}, {300, 128}, {5, 147}}) {
            int rows = shape[0], cols = shape[1];
            float[] d = GradientCheck.gaussian(rng, 2 + rows * ld, 1.0);
            float[] start = GradientCheck.gaussian(rng, 1 + cols, 1.0);
            for (FloatKernels k : new FloatKernels[] {scalar, vector}) {
                float[] sums = start.clone();
                k.columnSums(d, 2, ld, rows, cols, sums, 1);
                for (int c = 0; c < cols; c++) {
                    float want = start[1 + c];
                    for (int r = 0; r < rows; r++) {
                        want += d[2 + r * ld + c];
                    }
                    assertEquals(want, sums[1 + c], 0f, k.name() + " column " + c + " of " + rows + "x" + cols);
                }
            }
        }
    }

    @Test
    void layerNormRowsAgree() {
        Random rng = new Random(4);
        int n = 64;
        float[] x = GradientCheck.gaussian(rng, n, 2.0), p = GradientCheck.gaussian(rng, 2 * n, 1.0);
        float[] d = GradientCheck.gaussian(rng, n, 1.0);
        float[] o1 = new float[n], o2 = new float[n], st1 = new float[2], st2 = new float[2];
        scalar.layerNormRow(o1, 0, x, 0, p, 0, n, n, 1e-5f, st1, 0);
        vector.layerNormRow(o2, 0, x, 0, p, 0, n, n, 1e-5f, st2, 0);
        assertEquals(st1[0], st2[0], 1e-5);
        assertEquals(st1[1], st2[1], 1e-5 * st1[1]);
        for (int i = 0; i < n; i++) {
            assertEquals(o1[i], o2[i], 1e-5);
        }
        float[] di1 = new float[n], di2 = new float[n], g1 = new float[2 * n], g2 = new float[2 * n];
        scalar.layerNormBackwardRow(di1, 0, g1, 0, n, d, 0, x, 0, p, 0, st1[0], st1[1], n);
        vector.layerNormBackwardRow(di2, 0, g2, 0, n, d, 0, x, 0, p, 0, st1[0], st1[1], n);
        for (int i = 0; i < n; i++) {
            assertEquals(di1[i], di2[i], 1e-5);
        }
        for (int i = 0; i < 2 * n; i++) {
            assertEquals(g1[i], g2[i], 1e-5);
        }
    }

    @Test
    void adamWIsBitIdentical() {
        Random rng = new Random(5);
        int n = 100;
        float[] p1 = GradientCheck.gaussian(rng, n, 1.0), g = GradientCheck.gaussian(rng, n, 1.0);
        float[] m1 = GradientCheck.gaussian(rng, n, 0.1), v1 = GradientCheck.gaussian(rng, n, 0.1);
        for (int i = 0; i < n; i++) {
            v1[i] = Math.abs(v1[i]);
        }
        float[] p2 = p1.clone(), m2 = m1.clone(), v2 = v1.clone();
        scalar.adamW(p1, g, 3, m1, v1, 1, n - 3, 1e-3f, 0.9f, 0.95f, 0.19f, 0.0975f, 1e-8f, 0.1f, 1f);
        vector.adamW(p2, g, 3, m2, v2, 1, n - 3, 1e-3f, 0.9f, 0.95f, 0.19f, 0.0975f, 1e-8f, 0.1f, 1f);
        assertArrayEquals(p1, p2);
        assertArrayEquals(m1, m2);
        assertArrayEquals(v1, v2);
        // a clipping factor applied inside the update: the bits of scaling g first, and g is left scaled
        float scale = 0.37f;
        float[] scaledFirst = g.clone();
        for (int i = 3; i < n; i++) {
            scaledFirst[i] *= scale;
        }
        for (FloatKernels k : new FloatKernels[] {scalar, vector}) {
            float[] pa = p1.clone(), ma = m1.clone(), va = v1.clone(), pb = p1.clone(), mb = m1.clone(), vb = v1.clone();
            float[] g1 = scaledFirst.clone(), g2 = g.clone();
            k.adamW(pa, g1, 3, ma, va, 1, n - 3, 1e-3f, 0.9f, 0.95f, 0.19f, 0.0975f, 1e-8f, 0.1f, 1f);
            k.adamW(pb, g2, 3, mb, vb, 1, n - 3, 1e-3f, 0.9f, 0.95f, 0.19f, 0.0975f, 1e-8f, 0.1f, scale);
            assertArrayEquals(pa, pb, k.name());
            assertArrayEquals(ma, mb, k.name());
            assertArrayEquals(va, vb, k.name());
            assertArrayEquals(g1, g2, k.name() + ": the gradients left scaled");
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

    /**
     * HotSpot took the kernels' inlining directive as written (a malformed one is refused, and the kernels slow
     * down); another JVM may have no way to take one, and then this does not apply.
     */
    @Test
    void theJitTookTheInliningDirective() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.lang.management.ManagementFactory.getPlatformMBeanServer()
                        .isRegistered(ForcedInlining.DIAGNOSTIC_COMMAND),
                "no DiagnosticCommand MBean on this JVM");
        assertNotNull(vector);
        assertTrue(VectorKernels.INLINING_DIRECTIVE_TAKEN);
    }

    /** The vector loop and its scalar tail give the row formula's bits, with the kernels' own dot product. */
    /** Every element lands where the layout says, including rows past the last whole vector of rows. */
    @Test
    void transposeIntoPanelsIsTheLayout() {
        Random rng = new Random(11);
        int[][] shapes = {{256, 64, 64}, {256, 64, 256}, {37, 5, 37}, {40, 3, 16}, {9, 64, 9}, {48, 32, 32}};
        for (int[] shape : shapes) {
            int rows = shape[0], cols = shape[1], panel = shape[2], ld = 3 * cols + 7, srcOff = 5, dstOff = 3;
            float[] src = GradientCheck.gaussian(rng, srcOff + rows * ld, 1.0);
            int panels = (rows + panel - 1) / panel;
            float[] expected = new float[dstOff + panels * cols * panel + 4];
            java.util.Arrays.fill(expected, -7f);
            for (int t = 0; t < rows; t++) {
                for (int d = 0; d < cols; d++) {
                    expected[dstOff + (t / panel) * cols * panel + d * panel + t % panel] = src[srcOff + t * ld + d];
                }
            }
            for (FloatKernels k : new FloatKernels[] {scalar, vector}) {
                float[] actual = new float[expected.length];
                java.util.Arrays.fill(actual, -7f);
                k.transpose(src, srcOff, ld, rows, cols, actual, dstOff, panel);
                assertArrayEquals(expected, actual, k.name() + " " + java.util.Arrays.toString(shape));
            }
        }
    }

    @Test
    void softmaxBackwardRowIsTheFormula() {
        Random rng = new Random(9);
        int n = 3 * 16 + 5;
        float[] p = GradientCheck.gaussian(rng, n + 2, 1.0), d = GradientCheck.gaussian(rng, n + 4, 1.0);
        for (FloatKernels k : new FloatKernels[] {scalar, vector}) {
            float[] expected = d.clone(), actual = d.clone();
            float dot = k.dot(p, 2, d, 4, n);
            for (int i = 0; i < n; i++) {
                expected[4 + i] = p[2 + i] * (d[4 + i] - dot) * 0.125f;
            }
            k.softmaxBackwardRow(p, 2, actual, 4, n, 0.125f);
            assertArrayEquals(expected, actual, k.name());
        }
    }

    /**
     * The first calls run interpreted, later ones compiled by C2: the bits must not change, or two
     * identical training runs in one JVM (and resume from a checkpoint) stop matching.
     */
    @Test
    void sameBitsInterpretedAndCompiled() {
        Random rng = new Random(5);
        int n = 64;
        float[] x = GradientCheck.gaussian(rng, n, 3.0), y = GradientCheck.gaussian(rng, n, 1.0);
        float[] params = GradientCheck.gaussian(rng, 2 * n, 1.0);
        float[] first = null;
        for (int round = 0; round < 30_000; round++) {
            float[] e = x.clone();
            float sum = vector.expScaledShift(e, 0, n, 0.5f, 1f);
            float[] g = new float[n], d = new float[n], ln = new float[n], stats = new float[2];
            vector.geluForward(g, 0, x, 0, n);
            vector.geluBackward(d, 0, x, 0, y, 0, n);
            vector.layerNormRow(ln, 0, x, 0, params, 0, n, n, 1e-5f, stats, 0);
            float dot = vector.dot(x, 0, y, 0, n);
            float[] all = new float[4 * n + 4];
            System.arraycopy(e, 0, all, 0, n);
            System.arraycopy(g, 0, all, n, n);
            System.arraycopy(d, 0, all, 2 * n, n);
            System.arraycopy(ln, 0, all, 3 * n, n);
            all[4 * n] = sum;
            all[4 * n + 1] = dot;
            all[4 * n + 2] = stats[0];
            all[4 * n + 3] = stats[1];
            if (first == null) {
                first = all;
            } else if (!java.util.Arrays.equals(first, all)) {
                assertArrayEquals(first, all, "bits changed at round " + round);
            }
        }
    }

    @Test
    void vectorExpHandlesEverythingUpTo88() {
        float[] x = {Float.NEGATIVE_INFINITY, -200f, -87.5f, -87f, -20f, -1e-3f, 0f, 1e-3f, 1f, 20f, 87.9f, 88f};
        int n = x.length;
        float[] padded = java.util.Arrays.copyOf(x, Math.max(n, 64));
        float[] e = padded.clone();
        vector.expScaledShift(e, 0, padded.length, 1f, 0f);
        for (int i = 0; i < n; i++) {
            float want = (float) Math.exp(x[i]);
            assertEquals(want, e[i], Float.isInfinite(want) ? 0 : 3e-7 * want + 1e-38, "exp(" + x[i] + ")");
        }
    }
}
