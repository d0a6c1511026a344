package lectern.gpt.classify;

/**
 * Temperature scaling (Guo et al., 2017, "On Calibration of Modern Neural Networks") and the expected calibration
 * error. One temperature T divides every logit: the predicted label never changes, only how sure the model says it is.
 */
public final class Calibration {

    /** Equal-width confidence bins of the expected calibration error (as in Guo et al.). */
    public static final int ECE_BINS = 10;

    private Calibration() {
    }

    /** Probabilities (n, K) of logits (n, K) divided by {@code temperature}. */
    public static double[] softmax(double[] logits, int classes, double temperature) {
        double[] p = new double[logits.length];
        for (int i = 0; i < logits.length; i += classes) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, logits[i + k] / temperature);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                p[i + k] = Math.exp(logits[i + k] / temperature - max);
                sum += p[i + k];
            }
            for (int k = 0; k < classes; k++) {
                p[i + k] /= sum;
            }
        }
        return p;
    }

    /** Mean negative log-likelihood of the true labels under softmax(logits / T). */
    public static double nll(double[] logits, int[] labels, int classes, double temperature) {
        double[] p = softmax(logits, classes, temperature);
        double s = 0;
        for (int i = 0; i < labels.length; i++) {
            s -= Math.log(Math.max(p[i * classes + labels[i]], 1e-300));
        }
        return s / labels.length;
    }

    /**
     * The temperature that minimises the NLL of held-out logits (out-of-fold logits of the training items, never a
     * test set's), searched by golden section over ln T in [-4, 4]: the NLL is convex in 1/T, so one minimum.
     */
    public static double fitTemperature(double[] logits, int[] labels, int classes) {
        double lo = -4, hi = 4;
        double phi = (Math.sqrt(5) - 1) / 2;
        double a = hi - phi * (hi - lo), b = lo + phi * (hi - lo);
        double fa = nll(logits, labels, classes, Math.exp(a)), fb = nll(logits, labels, classes, Math.exp(b));
        for (int i = 0; i < 80; i++) {
            if (fa <= fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - phi * (hi - lo);
                fa = nll(logits, labels, classes, Math.exp(a));
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + phi * (hi - lo);
                fb = nll(logits, labels, classes, Math.exp(b));
            }
        }
        return Math.exp((lo + hi) / 2);
    }

    /**
     * Expected calibration error: items binned by their top probability into {@link #ECE_BINS} equal-width bins; the
     * bins' |accuracy - mean confidence|, weighted by the share of items in each.
     */
    public static double expectedCalibrationError(double[] probabilities, int[] labels, int classes) {
        int n = labels.length;
        double[] confidence = new double[ECE_BINS], correct = new double[ECE_BINS];
        int[] count = new int[ECE_BINS];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (probabilities[i * classes + k] > probabilities[i * classes + best]) {
                    best = k;
                }
            }
            double p = probabilities[i * classes + best];
            int bin = Math.min(ECE_BINS - 1, (int) (p * ECE_BINS));
            count[bin]++;
            confidence[bin] += p;
            correct[bin] += best == labels[i] ? 1 : 0;
        }
        double ece = 0;
        for (int b = 0; b < ECE_BINS; b++) {
            if (count[b] > 0) {
                ece += Math.abs(correct[b] - confidence[b]) / n;
            }
        }
        return ece;
    }
}
