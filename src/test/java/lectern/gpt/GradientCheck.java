package lectern.gpt;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;

/** Central finite differences against analytic gradients, plus the random data the checks use. */
final class GradientCheck {

    private GradientCheck() {
    }

    /** Both kernel sets on two threads, and the scalar one on a single thread. */
    static Stream<Compute> computes() {
        FloatKernels vector = FloatKernels.vectorOrNull();
        if (vector == null) {
            fail("jdk.incubator.vector must be available to the tests (surefire passes --add-modules)");
        }
        return Stream.of(new Compute(new ScalarKernels(), new WorkerPool(1)), new Compute(vector, WorkerPool.shared()));
    }

    /**
     * Weights N(0, 0.3) with LayerNorm gains around 1: larger than GPT-2's initialisation, so that gradients stand
     * well above float rounding in the loss when checked by finite differences.
     */
    static GptModel largeWeights(GptModel model, long seed) {
        Random rng = new Random(seed);
        float[] p = model.parameters();
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (rng.nextGaussian() * 0.3);
        }
        for (ParameterTensor t : model.tensors()) {
            if (t.name().contains(".ln_") && t.name().endsWith(".weight")) {
                for (int i = 0; i < t.size(); i++) {
                    p[t.offset() + i] += 1f;
                }
            }
        }
        return model;
    }

    static float[] gaussian(Random rng, int n, double std) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextGaussian() * std);
        }
        return x;
    }

    /** sum_i out[off+i] * weights[i] in double: a scalar loss whose gradient w.r.t. out is {@code weights}. */
    static double weightedSum(float[] out, int off, float[] weights) {
        double s = 0;
        for (int i = 0; i < weights.length; i++) {
            s += (double) out[off + i] * weights[i];
        }
        return s;
    }

    /**
     * For each x[off..off+n): compares (loss(x+h) - loss(x-h)) / 2h with analytic[aOff + i] - base, where base is the
     * value the gradient buffer held before backward (so accumulation with += is checked too). Fails with the worst
     * element when |numeric - analytic| > atol + rtol * max(|numeric|, |analytic|).
     */
    static void assertGradient(String what, float[] x, int off, int n, float[] analytic, int aOff, float base,
                               DoubleSupplier loss, float h, double atol, double rtol) {
        assertGradient(what, x, off, n, analytic, aOff, base, loss, h, atol, rtol, n);
    }

    /** As above, checking at most {@code maxChecks} elements spread evenly over the range (always the first and last). */
    static void assertGradient(String what, float[] x, int off, int n, float[] analytic, int aOff, float base,
                               DoubleSupplier loss, float h, double atol, double rtol, int maxChecks) {
        double worst = 0;
        String worstText = null;
        int checked = 0;
        int count = Math.min(n, maxChecks);
        for (int j = 0; j < count; j++) {
            int i = count == 1 ? 0 : (int) ((long) j * (n - 1) / (count - 1));
            float saved = x[off + i];
            x[off + i] = saved + h;
            double plus = loss.getAsDouble();
            x[off + i] = saved - h;
            double minus = loss.getAsDouble();
            x[off + i] = saved;
            double numeric = (plus - minus) / (2.0 * h);
            double ana = analytic[aOff + i] - base;
            double err = Math.abs(numeric - ana);
            double allowed = atol + rtol * Math.max(Math.abs(numeric), Math.abs(ana));
            if (err / allowed > worst) {
                worst = err / allowed;
                worstText = what + "[" + i + "]: numeric " + numeric + ", analytic " + ana;
            }
            checked++;
        }
        if (worst > 1.0) {
            fail("gradient mismatch (" + checked + " checked, worst at " + String.format("%.2f", worst)
                    + "x the tolerance): " + worstText);
        }
    }
}
