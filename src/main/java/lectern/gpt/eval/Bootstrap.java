package lectern.gpt.eval;

import java.util.Arrays;
import java.util.Random;

/**
 * Percentile bootstrap intervals of accuracy and macro-F1 on a test set: the items are drawn with replacement
 * {@link #RESAMPLES} times (seeded) and the 2.5th and 97.5th percentiles of the metric are the 95% interval. It says
 * how much a figure could move with another draw of test items of the same kind; with 60-100 items that is several
 * points.
 */
public final class Bootstrap {

    public static final int RESAMPLES = 1000;

    /** A metric with its 95% interval. */
    public record Interval(double value, double low, double high) {
    }

    public record Result(Interval accuracy, Interval macroF1) {
    }

    private Bootstrap() {
    }

    public static Result of(int[] truth, int[] predicted, int classes, long seed) {
        Metrics whole = Metrics.of(truth, predicted, classes);
        int n = truth.length;
        double[] acc = new double[RESAMPLES], f1 = new double[RESAMPLES];
        int[] t = new int[n], p = new int[n];
        Random rng = new Random(seed);
        for (int r = 0; r < RESAMPLES; r++) {
            for (int i = 0; i < n; i++) {
                int j = rng.nextInt(n);
                t[i] = truth[j];
                p[i] = predicted[j];
            }
            Metrics m = Metrics.of(t, p, classes);
            acc[r] = m.accuracy();
            f1[r] = m.macroF1();
        }
        return new Result(interval(whole.accuracy(), acc), interval(whole.macroF1(), f1));
    }

    private static Interval interval(double value, double[] samples) {
        Arrays.sort(samples);
        return new Interval(value, samples[(int) Math.floor(0.025 * (samples.length - 1))],
                samples[(int) Math.ceil(0.975 * (samples.length - 1))]);
    }
}
