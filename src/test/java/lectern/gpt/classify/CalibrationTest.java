package lectern.gpt.classify;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibrationTest {

    /** Labels drawn from softmax(z / trueT): logits that are overconfident by a factor trueT. */
    private static int[] draw(double[] z, int K, double trueT, Random rng) {
        double[] p = Calibration.softmax(z, K, trueT);
        int[] y = new int[z.length / K];
        for (int i = 0; i < y.length; i++) {
            double u = rng.nextDouble(), c = 0;
            y[i] = K - 1;
            for (int k = 0; k < K; k++) {
                c += p[i * K + k];
                if (u < c) {
                    y[i] = k;
                    break;
                }
            }
        }
        return y;
    }

    private static double[] logits(int n, int K, double scale, Random rng) {
        double[] z = new double[n * K];
        for (int i = 0; i < z.length; i++) {
            z[i] = scale * rng.nextGaussian();
        }
        return z;
    }

    @Test
    void temperatureScalingRecoversTheTemperatureAndLowersTheCalibrationError() {
        Random rng = new Random(7);
        int K = 4;
        double trueT = 2.5;
        double[] fitZ = logits(20_000, K, 3, rng);
        int[] fitY = draw(fitZ, K, trueT, rng);
        double t = Calibration.fitTemperature(fitZ, fitY, K);
        assertEquals(trueT, t, 0.15);

        // on other items of the same kind the calibration error falls from large to small
        double[] z = logits(20_000, K, 3, rng);
        int[] y = draw(z, K, trueT, rng);
        double before = Calibration.expectedCalibrationError(Calibration.softmax(z, K, 1), y, K);
        double after = Calibration.expectedCalibrationError(Calibration.softmax(z, K, t), y, K);
        assertTrue(before > 0.1, "overconfident logits: ECE " + before);
        assertTrue(after < 0.02, "calibrated: ECE " + after);
        assertTrue(Calibration.nll(z, y, K, t) < Calibration.nll(z, y, K, 1));
    }

    @Test
    void eceIsZeroWhenConfidenceMatchesAccuracyInEveryBin() {
        // two items at 0.75 confidence of which... use four: three right, one wrong, all at 0.75
        int K = 2;
        double[] p = {0.75, 0.25, 0.75, 0.25, 0.75, 0.25, 0.75, 0.25};
        assertEquals(0, Calibration.expectedCalibrationError(p, new int[] {0, 0, 0, 1}, K), 1e-12);
        assertEquals(0.75, Calibration.expectedCalibrationError(p, new int[] {1, 1, 1, 1}, K), 1e-12);
    }
}
