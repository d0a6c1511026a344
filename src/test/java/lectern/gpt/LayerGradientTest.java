package lectern.gpt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks of every layer's backward against its forward, on the scalar kernels (one thread) and
 * the vector kernels (shared pool). Gradient buffers start at 0.25 to check that backward adds rather than overwrites.
 */
class LayerGradientTest {

    private static final float BASE = 0.25f;

    static Stream<Compute> computes() {
        return GradientCheck.computes();
    }

    private static float[] filled(int n) {
        float[] g = new float[n];
        Arrays.fill(g, BASE);
        return g;
    }

    @ParameterizedTest
    @MethodSource("computes")
    void encoder(Compute cx) {
        Random rng = new Random(1);
        // C past one 64-column task of the backward; repeated tokens: gradients of one row must add up
        int B = 2, T = 5, C = 70, V = 11, maxT = 6;
        int[] tokens = {3, 3, 0, 10, 5, 3, 1, 1, 2, 3};
        int wteOff = 2, wpeOff = wteOff + V * C;
        float[] params = GradientCheck.gaussian(rng, wpeOff + maxT * C, 1.0);
        float[] w = GradientCheck.gaussian(rng, B * T * C, 1.0);
        float[] out = new float[B * T * C];
        for (boolean positions : new boolean[] {true, false}) {
            int pe = positions ? wpeOff : -1;
            float[] grads = filled(params.length);
            Encoder.forward(cx, out, 0, tokens, params, wteOff, pe, B, T, C);
            Encoder.backward(cx, grads, wteOff, pe, w, 0, tokens, B, T, C);
            GradientCheck.assertGradient("dwte", params, wteOff, V * C, grads, wteOff, BASE, () -> {
                Encoder.forward(cx, out, 0, tokens, params, wteOff, pe, B, T, C);
                return GradientCheck.weightedSum(out, 0, w);
            }, 1e-2f, 1e-4, 1e-3);
            if (positions) {
                GradientCheck.assertGradient("dwpe", params, wpeOff, maxT * C, grads, wpeOff, BASE, () -> {
                    Encoder.forward(cx, out, 0, tokens, params, wteOff, pe, B, T, C);
                    return GradientCheck.weightedSum(out, 0, w);
                }, 1e-2f, 1e-4, 1e-3);
            } else {
                for (int i = wpeOff; i < params.length; i++) {
                    assertEquals(BASE, grads[i], "NoPE must not touch position gradients");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("computes")
    void layerNorm(Compute cx) {
        Random rng = new Random(2);
        int N = 37, C = 24; // 37 rows: two chunks, the second partial
        float[] inp = GradientCheck.gaussian(rng, N * C, 1.0);
        for (int i = 0; i < inp.length; i++) {
            inp[i] += 0.5f * (i % C) / C; // non-zero mean
        }
        int wOff = 3, bOff = wOff + C;
        float[] params = GradientCheck.gaussian(rng, bOff + C, 0.5);
        for (int c = 0; c < C; c++) {
            params[wOff + c] += 1f;
        }
        float[] w = GradientCheck.gaussian(rng, N * C, 1.0);
        float[] out = new float[N * C], mean = new float[N], rstd = new float[N];
        LayerNorm.forward(cx, out, 0, mean, 0, rstd, 0, inp, 0, params, wOff, bOff, N, C);
        float[] dinp = filled(N * C);
        float[] grads = filled(params.length);
        LayerNorm.backward(cx, dinp, 0, grads, wOff, bOff, w, 0, inp, 0, params, wOff, mean, 0, rstd, 0, N, C);
        java.util.function.DoubleSupplier loss = () -> {
            LayerNorm.forward(cx, out, 0, mean, 0, rstd, 0, inp, 0, params, wOff, bOff, N, C);
            return GradientCheck.weightedSum(out, 0, w);
        };
        GradientCheck.assertGradient("dinp", inp, 0, N * C, dinp, 0, BASE, loss, 1e-2f, 2e-3, 1e-2);
        GradientCheck.assertGradient("dweight", params, wOff, C, grads, wOff, BASE, loss, 1e-2f, 2e-3, 1e-2);
        GradientCheck.assertGradient("dbias", params, bOff, C, grads, bOff, BASE, loss, 1e-2f, 2e-3, 1e-2);
    }

    @ParameterizedTest
    @MethodSource("computes")
    void matmul(Compute cx) {
        // 70 outputs: a 64-wide vector tile plus a scalar tail; 67 rows: several row chunks and a 3-row remainder
        matmulCase(cx, 67, 21, 70);
        // few rows take the dot-product forward path
        matmulCase(cx, Matmul.DIRECT_ROWS - 1, 33, 20);
    }

    private static void matmulCase(Compute cx, int N, int C, int OC) {
        Random rng = new Random(3);
        float[] inp = GradientCheck.gaussian(rng, N * C, 1.0);
        int wOff = 5, bOff = wOff + OC * C;
        float[] params = GradientCheck.gaussian(rng, bOff + OC, 0.3);
        float[] w = GradientCheck.gaussian(rng, N * OC, 1.0);
        float[] out = new float[N * OC];
        for (boolean bias : new boolean[] {true, false}) {
            int b = bias ? bOff : -1;
            Matmul.forward(cx, out, 0, inp, 0, params, wOff, b, N, C, OC);
            float[] dinp = filled(N * C);
            float[] grads = filled(params.length);
            Matmul.backward(cx, dinp, 0, grads, wOff, b, w, 0, inp, 0, params, wOff, N, C, OC);
            java.util.function.DoubleSupplier loss = () -> {
                Matmul.forward(cx, out, 0, inp, 0, params, wOff, b, N, C, OC);
                return GradientCheck.weightedSum(out, 0, w);
            };
            GradientCheck.assertGradient("dinp", inp, 0, N * C, dinp, 0, BASE, loss, 1e-2f, 2e-3, 1e-2);
            GradientCheck.assertGradient("dweight", params, wOff, OC * C, grads, wOff, BASE, loss, 1e-2f, 2e-3, 1e-2);
            if (bias) {
                GradientCheck.assertGradient("dbias", params, bOff, OC, grads, bOff, BASE, loss, 1e-2f, 2e-3, 1e-2);
            } else {
                for (int i = bOff; i < params.length; i++) {
                    assertEquals(BASE, grads[i], "no bias: its gradient slot must stay untouched");
                }
            }
            // the first gradient of an input is written over whatever the array held: the same bits as adding to zeros
            float[] added = new float[N * C];
            float[] written = filled(N * C);
            Matmul.backward(cx, added, 0, null, 0, -1, w, 0, inp, 0, params, wOff, N, C, OC);
            Matmul.backwardWritingInput(cx, written, 0, null, 0, -1, w, 0, inp, 0, params, wOff, N, C, OC);
            org.junit.jupiter.api.Assertions.assertArrayEquals(added, written);
        }
    }

    @ParameterizedTest
    @MethodSource("computes")
    void attention(Compute cx) {
        // small heads (hs 4) and vector-sized heads (hs 16, T 37 spans three row blocks), then T a whole panel,
        // whose score products run on packed panels
        attentionCase(cx, 2, 7, 8, 2);
        attentionCase(cx, 1, 37, 32, 2);
        attentionCase(cx, 1, 64, 32, 2);
    }

    private static void attentionCase(Compute cx, int B, int T, int C, int NH) {
        Random rng = new Random(4 + T);
        float[] qkv = GradientCheck.gaussian(rng, B * T * 3 * C, 1.0);
        float[] w = GradientCheck.gaussian(rng, B * T * C, 1.0);
        float[] out = new float[B * T * C];
        float[] att = new float[B * NH * T * T];
        // what the forward leaves alone must also be what the backward never reads
        Arrays.fill(att, Float.NaN);
        Attention.forward(cx, out, 0, att, 0, qkv, 0, B, T, C, NH);
        // causal: rows sum to one; past the diagonal a row is zero up to the end of its 16-row block; beyond, it is
        // left alone or holds raw scores, and never read (the gradients below come out whole)
        int unwritten = 0;
        for (int r = 0; r < B * NH * T; r++) {
            int t = r % T;
            int blockEnd = Math.min(T, (t / 16 + 1) * 16);
            double sum = 0;
            for (int j = 0; j < T; j++) {
                if (j <= t) {
                    sum += att[r * T + j];
                } else if (j < blockEnd) {
                    assertEquals(0f, att[r * T + j]);
                } else if (Float.isNaN(att[r * T + j])) {
                    unwritten++;
                }
            }
            assertEquals(1.0, sum, 1e-5);
        }
        if (T > 16 && T % 64 != 0) {
            org.junit.jupiter.api.Assertions.assertTrue(unwritten > 0, "the in-place path leaves the rest of each row alone");
        }
        float[] dqkv = filled(qkv.length); // backward writes the gradient over what was there
        Attention.backward(cx, dqkv, 0, w, 0, qkv, 0, att, 0, B, T, C, NH);
        GradientCheck.assertGradient("dqkv", qkv, 0, qkv.length, dqkv, 0, 0f, () -> {
            Attention.forward(cx, out, 0, att, 0, qkv, 0, B, T, C, NH);
            return GradientCheck.weightedSum(out, 0, w);
        }, 1e-2f, 2e-3, 1e-2);
    }

    /** GELU run on a product's rows as each worker finishes them gives the bits of the product, then GELU. */
    @ParameterizedTest
    @MethodSource("computes")
    void geluFusedIntoProducts(Compute cx) {
        Random rng = new Random(6);
        int N = 600, C = 64, OC = 128; // several row tasks of the product
        float[] inp = GradientCheck.gaussian(rng, N * C, 1.0);
        float[] params = GradientCheck.gaussian(rng, OC * C + OC, 0.3);
        float[] dout = GradientCheck.gaussian(rng, N * C, 1.0);
        float[] h = new float[N * OC], apart = new float[N * OC], fused = new float[N * OC];
        Matmul.forward(cx, h, 0, inp, 0, params, 0, OC * C, N, C, OC);
        Gelu.forward(cx, apart, 0, h, 0, N * OC);
        Matmul.forward(cx, h, 0, inp, 0, params, 0, OC * C, N, C, OC, Gelu.forwardOnRows(cx, fused, 0, h, 0, OC));
        org.junit.jupiter.api.Assertions.assertArrayEquals(apart, fused);
        // backward through a product whose input is gelu(h): its input gradient dg, then dh = gelu'(h) * dg
        float[] wp = GradientCheck.gaussian(rng, C * OC, 0.3);
        float[] dg = new float[N * OC], dhApart = filled(N * OC), dhFused = filled(N * OC);
        Matmul.backwardWritingInput(cx, dg, 0, null, 0, -1, dout, 0, apart, 0, wp, 0, N, OC, C);
        Gelu.backward(cx, dhApart, 0, h, 0, dg, 0, N * OC);
        Matmul.Rows dgRows = Matmul.Rows.at(dg, 0, OC);
        Matmul.backwardWritingInput(cx, dgRows, Gelu.backwardOnRows(cx, dhFused, 0, h, 0, dgRows), null, 0, -1,
                dout, 0, apart, 0, wp, 0, N, OC, C);
        org.junit.jupiter.api.Assertions.assertArrayEquals(dhApart, dhFused);
        // dg kept only in the workers' scratch, a task's rows at a time: the same bits
        float[] dhScratch = filled(N * OC);
        Matmul.Rows inScratch = Matmul.Rows.inWorkerScratch(OC);
        Matmul.backwardWritingInput(cx, inScratch, Gelu.backwardOnRows(cx, dhScratch, 0, h, 0, inScratch), null, 0, -1,
                dout, 0, apart, 0, wp, 0, N, OC, C);
        org.junit.jupiter.api.Assertions.assertArrayEquals(dhApart, dhScratch);
    }

    @ParameterizedTest
    @MethodSource("computes")
    void gelu(Compute cx) {
        Random rng = new Random(5);
        int n = 1000;
        float[] inp = GradientCheck.gaussian(rng, n, 2.0);
        float[] w = GradientCheck.gaussian(rng, n, 1.0);
        float[] out = new float[n];
        float[] dinp = filled(n + 3); // backward writes over what was there
        Gelu.forward(cx, out, 0, inp, 0, n);
        Gelu.backward(cx, dinp, 3, inp, 0, w, 0, n);
        GradientCheck.assertGradient("dinp", inp, 0, n, dinp, 3, 0f, () -> {
            Gelu.forward(cx, out, 0, inp, 0, n);
            return GradientCheck.weightedSum(out, 0, w);
        }, 1e-2f, 1e-3, 1e-2);
        // the tanh approximation itself, at a few points
        float[] x = {-3f, -1f, 0f, 0.5f, 2f};
        float[] y = new float[x.length];
        Gelu.forward(cx, y, 0, x, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            double g = 0.5 * x[i] * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x[i] + 0.044715 * Math.pow(x[i], 3))));
            assertEquals(g, y[i], 1e-6);
        }
    }

    @ParameterizedTest
    @MethodSource("computes")
    void residual(Compute cx) {
        Random rng = new Random(6);
        int n = 300;
        float[] a = GradientCheck.gaussian(rng, n, 1.0), b = GradientCheck.gaussian(rng, n, 1.0);
        float[] w = GradientCheck.gaussian(rng, n, 1.0);
        float[] out = new float[n];
        float[] da = filled(n), db = filled(n);
        Residual.forward(cx, out, 0, a, 0, b, 0, n);
        Residual.backward(da, 0, db, 0, w, 0, n);
        java.util.function.DoubleSupplier loss = () -> {
            Residual.forward(cx, out, 0, a, 0, b, 0, n);
            return GradientCheck.weightedSum(out, 0, w);
        };
        GradientCheck.assertGradient("dinp1", a, 0, n, da, 0, BASE, loss, 1e-2f, 1e-4, 1e-3);
        GradientCheck.assertGradient("dinp2", b, 0, n, db, 0, BASE, loss, 1e-2f, 1e-4, 1e-3);
    }

    @ParameterizedTest
    @MethodSource("computes")
    void crossEntropy(Compute cx) {
        Random rng = new Random(7);
        int N = 19, V = 53;
        float[] logits = GradientCheck.gaussian(rng, N * V, 2.0);
        int[] targets = new int[N];
        for (int i = 0; i < N; i++) {
            targets[i] = rng.nextInt(V);
        }
        float[] dlogits = filled(N * V), losses = new float[N]; // the gradient is written over what was there
        float loss = CrossEntropy.forward(cx, dlogits, 0, losses, 0, logits, 0, targets, N, V);
        // against a direct double computation
        double expected = 0;
        for (int r = 0; r < N; r++) {
            double z = 0;
            for (int i = 0; i < V; i++) {
                z += Math.exp(logits[r * V + i]);
            }
            expected += Math.log(z) - logits[r * V + targets[r]];
        }
        assertEquals(expected / N, loss, 1e-5);
        float[] scratch = new float[N * V];
        GradientCheck.assertGradient("dlogits", logits, 0, N * V, dlogits, 0, 0f,
                () -> CrossEntropy.forward(cx, scratch, 0, losses, 0, logits, 0, targets, N, V), 1e-2f, 1e-4, 1e-2);
        // in place (dlogits is the logits, as GptModel takes its loss), with an ignored row: the same bits
        targets[4] = GptModel.IGNORE;
        float[] apart = new float[N * V], apartLosses = new float[N];
        float lossApart = CrossEntropy.forward(cx, apart, 0, apartLosses, 0, logits, 0, targets, N, V);
        float[] inPlace = new float[3 + N * V], inPlaceLosses = new float[N];
        System.arraycopy(logits, 0, inPlace, 3, N * V);
        float lossInPlace = CrossEntropy.forward(cx, inPlace, 3, inPlaceLosses, 0, inPlace, 3, targets, N, V);
        assertEquals(lossApart, lossInPlace, 0f);
        org.junit.jupiter.api.Assertions.assertArrayEquals(apartLosses, inPlaceLosses);
        org.junit.jupiter.api.Assertions.assertArrayEquals(apart, Arrays.copyOfRange(inPlace, 3, 3 + N * V));
    }
}
