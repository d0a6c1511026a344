package lectern.gpt.classify;

import java.util.Arrays;
import java.util.List;

/**
 * Multinomial logistic regression on rows that have a dense part (D values) and a sparse part (ids below V): logits
 * z = W x + b with W (K, D+V), trained to the minimum of mean cross-entropy + |W|^2 / (2 C n) (scikit-learn's
 * LogisticRegression(C) objective divided by n; the bias is not penalised) by full-batch L-BFGS. The objective is
 * strictly convex, so the result depends on the data and C, not on a learning rate, a batch order or a seed; the
 * arithmetic runs in one thread in a fixed order, so the same inputs give the same bits.
 */
public final class SoftmaxRegression {

    static final int MAX_ITERATIONS = 300;
    static final int HISTORY = 10;
    static final double GRADIENT_TOLERANCE = 1e-5;

    private final int classes, dense, sparse;
    /** (K, D+V) row-major, then b (K). */
    private final double[] theta;

    private SoftmaxRegression(int classes, int dense, int sparse, double[] theta) {
        this.classes = classes;
        this.dense = dense;
        this.sparse = sparse;
        this.theta = theta;
    }

    /** Training rows: {@code dense} (n, D) row-major (null when D = 0) and {@code sparse} rows (null when V = 0). */
    public record Data(int n, int denseWidth, float[] dense, int sparseWidth, List<NgramFeatures.Row> sparse) {
        public Data {
            if (denseWidth > 0 && (dense == null || dense.length != n * denseWidth)) {
                throw new IllegalArgumentException("dense must be (n, D)");
            }
            if (sparseWidth > 0 && (sparse == null || sparse.size() != n)) {
                throw new IllegalArgumentException("one sparse row per item");
            }
        }
    }

    public static SoftmaxRegression fit(Data data, int[] labels, int classes, double c) {
        if (labels.length != data.n() || data.n() == 0) {
            throw new IllegalArgumentException("need one label per row and at least one row");
        }
        if (!(c > 0)) {
            throw new IllegalArgumentException("C must be positive");
        }
        int width = data.denseWidth() + data.sparseWidth();
        SoftmaxRegression model = new SoftmaxRegression(classes, data.denseWidth(), data.sparseWidth(),
                new double[classes * width + classes]);
        double lambda = 1.0 / (c * data.n());
        Lbfgs.minimize((x, grad) -> model.objective(x, grad, data, labels, lambda), model.theta, MAX_ITERATIONS,
                HISTORY, GRADIENT_TOLERANCE);
        return model;
    }

    /** Loss and its gradient at {@code x} (the parameter layout of {@link #theta}). */
    private double objective(double[] x, double[] grad, Data data, int[] labels, double lambda) {
        int K = classes, F = dense + sparse, n = data.n();
        Arrays.fill(grad, 0);
        double[] z = new double[K];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            logits(x, data, i, z);
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int k = 0; k < K; k++) {
                z[k] = Math.exp(z[k] - max);
                sum += z[k];
            }
            int y = labels[i];
            loss -= Math.log(z[y] / sum);
            for (int k = 0; k < K; k++) {
                double d = (z[k] / sum - (k == y ? 1 : 0)) / n;
                int row = k * F;
                if (dense > 0) {
                    int off = i * dense;
                    for (int j = 0; j < dense; j++) {
                        grad[row + j] += d * data.dense()[off + j];
                    }
                }
                if (sparse > 0) {
                    NgramFeatures.Row r = data.sparse().get(i);
                    for (int j = 0; j < r.ids().length; j++) {
                        grad[row + dense + r.ids()[j]] += d * r.values()[j];
                    }
                }
                grad[K * F + k] += d;
            }
        }
        loss /= n;
        double penalty = 0;
        for (int j = 0; j < K * F; j++) {
            penalty += x[j] * x[j];
            grad[j] += lambda * x[j];
        }
        return loss + 0.5 * lambda * penalty;
    }

    private void logits(double[] x, Data data, int i, double[] z) {
        int F = dense + sparse;
        for (int k = 0; k < classes; k++) {
            double s = x[classes * F + k];
            int row = k * F;
            if (dense > 0) {
                int off = i * dense;
                for (int j = 0; j < dense; j++) {
                    s += x[row + j] * data.dense()[off + j];
                }
            }
            if (sparse > 0) {
                NgramFeatures.Row r = data.sparse().get(i);
                for (int j = 0; j < r.ids().length; j++) {
                    s += x[row + dense + r.ids()[j]] * r.values()[j];
                }
            }
            z[k] = s;
        }
    }

    /** Logits (n, K) of rows shaped as the training rows. */
    public double[] logits(Data data) {
        double[] out = new double[data.n() * classes];
        double[] z = new double[classes];
        for (int i = 0; i < data.n(); i++) {
            logits(theta, data, i, z);
            System.arraycopy(z, 0, out, i * classes, classes);
        }
        return out;
    }

    public int classes() {
        return classes;
    }

    /** W's dense columns (K, D), as floats. */
    public float[] denseWeight() {
        return columns(0, dense);
    }

    /** W's sparse columns (K, V), as floats. */
    public float[] sparseWeight() {
        return columns(dense, sparse);
    }

    public float[] bias() {
        float[] b = new float[classes];
        int F = dense + sparse;
        for (int k = 0; k < classes; k++) {
            b[k] = (float) theta[classes * F + k];
        }
        return b;
    }

    private float[] columns(int from, int count) {
        int F = dense + sparse;
        float[] out = new float[classes * count];
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < count; j++) {
                out[k * count + j] = (float) theta[k * F + from + j];
            }
        }
        return out;
    }
}
