package lectern.gpt.classify;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftmaxRegressionTest {

    /** One dense feature, two classes: the fit is the L2-regularised logistic regression, whose optimum we can check. */
    @Test
    void reachesTheOptimumOfTheRegularisedObjective() {
        float[] x = {-2, -1, -0.5f, 0.5f, 1, 2, 0.2f, -0.2f};
        int[] y = {0, 0, 0, 1, 1, 1, 0, 1};
        SoftmaxRegression.Data data = new SoftmaxRegression.Data(x.length, 1, x, 0, null);
        double c = 1;
        SoftmaxRegression m = SoftmaxRegression.fit(data, y, 2, c);
        // stationarity: d/dw [mean CE + |W|^2/(2Cn)] = 0 for both rows of W, and d/db = 0
        double[] z = m.logits(data);
        double[] gw = new double[2], gb = new double[2];
        float[] w = m.denseWeight();
        for (int i = 0; i < x.length; i++) {
            double e0 = Math.exp(z[2 * i]), e1 = Math.exp(z[2 * i + 1]);
            double p1 = e1 / (e0 + e1);
            double[] d = {(1 - p1) - (y[i] == 0 ? 1 : 0), p1 - (y[i] == 1 ? 1 : 0)};
            for (int k = 0; k < 2; k++) {
                gw[k] += d[k] * x[i] / x.length;
                gb[k] += d[k] / x.length;
            }
        }
        for (int k = 0; k < 2; k++) {
            assertEquals(0, gw[k] + w[k] / (c * x.length), 1e-4, "dL/dw" + k);
            assertEquals(0, gb[k], 1e-4, "dL/db" + k);
        }
        assertTrue(w[1] - w[0] > 0, "class 1 goes with larger x");
    }

    @Test
    void sparseRowsAndStrongerRegularisationShrinkTheWeights() {
        List<NgramFeatures.Row> rows = List.of(
                new NgramFeatures.Row(new int[] {0}, new float[] {1}),
                new NgramFeatures.Row(new int[] {1}, new float[] {1}),
                new NgramFeatures.Row(new int[] {0, 2}, new float[] {0.6f, 0.8f}),
                new NgramFeatures.Row(new int[] {1, 2}, new float[] {0.6f, 0.8f}));
        int[] y = {0, 1, 0, 1};
        SoftmaxRegression.Data data = new SoftmaxRegression.Data(4, 0, null, 3, rows);
        double weak = norm(SoftmaxRegression.fit(data, y, 2, 100).sparseWeight());
        double strong = norm(SoftmaxRegression.fit(data, y, 2, 0.1).sparseWeight());
        assertTrue(strong < weak, strong + " < " + weak);
        double[] z = SoftmaxRegression.fit(data, y, 2, 100).logits(data);
        for (int i = 0; i < 4; i++) {
            assertTrue(z[2 * i + y[i]] > z[2 * i + 1 - y[i]], "item " + i);
        }
    }

    private static double norm(float[] w) {
        double s = 0;
        for (float v : w) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
