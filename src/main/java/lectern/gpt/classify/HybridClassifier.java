package lectern.gpt.classify;

import lectern.gpt.onnx.ClassifierHead;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The log-label classifier: one linear softmax layer over two kinds of features of a text,
 * <ul>
 *   <li>the GPT's: the ln_f hidden state of its last token ({@code <|classify|>}) from a frozen trunk, each of the D
 *       dimensions standardised on the training items and scaled by {@code denseWeight / sqrt(D)} so the block's norm
 *       is about {@code denseWeight};</li>
 *   <li>the text's word and character n-grams ({@link NgramFeatures}, each block of norm 1).</li>
 * </ul>
 * Either block can be left out (the ablations). C (the inverse L2 strength) and the GPT block's weight are chosen by
 * stratified k-fold cross-validation on the training items only (out-of-fold accuracy, then log-loss); the
 * temperature is fit on the same out-of-fold logits, so calibration never sees a test item either. The final layer is
 * then fit on every training item.
 * <p>
 * Because the layer is linear it splits in two for serving: the GPT block and the bias fold into an ordinary
 * {@link ClassifierHead} on the raw hidden state (inside classifier.onnx), the n-gram block and the temperature into
 * an {@link NgramHead}; served logits are (graph logits + n-gram logits) / T.
 */
public final class HybridClassifier {

    /** Options of {@link #fit}. {@code folds}: at most this many, fewer when a label has fewer items. */
    public record Options(boolean useGpt, boolean useNgrams, double[] cGrid, float[] gptWeights, int folds, int minDf,
                          long seed) {
        public static Options defaults() {
            return new Options(true, true, new double[] {1, 3, 10, 30, 100}, new float[] {0.5f, 1f, 2f}, 5, 2, 1337);
        }

        public Options withBlocks(boolean gpt, boolean ngrams) {
            return new Options(gpt, ngrams, cGrid, gptWeights, folds, minDf, seed);
        }

        public Options withSeed(long newSeed) {
            return new Options(useGpt, useNgrams, cGrid, gptWeights, folds, minDf, newSeed);
        }
    }

    /** What cross-validation chose and measured (out-of-fold, training items only). */
    public record Choice(double c, float gptWeight, int folds, double oofAccuracy, double oofLogLoss, double temperature,
                         double oofEceBefore, double oofEceAfter) {
    }

    /** Fraction of the work done, 0..1 (fits of the grid, then the final one). */
    public interface Progress {
        void at(double fraction) throws InterruptedException;
    }

    private final List<String> labels;
    private final int gptWidth;
    private final float[] mean, scale; // x = (h - mean) * scale, per GPT dimension
    private final NgramFeatures ngrams; // null without the n-gram block
    private final SoftmaxRegression layer;
    private final Choice choice;

    private HybridClassifier(List<String> labels, int gptWidth, float[] mean, float[] scale, NgramFeatures ngrams,
                             SoftmaxRegression layer, Choice choice) {
        this.labels = List.copyOf(labels);
        this.gptWidth = gptWidth;
        this.mean = mean;
        this.scale = scale;
        this.ngrams = ngrams;
        this.layer = layer;
        this.choice = choice;
    }

    /**
     * Fits on training items: {@code hidden} (n, D) GPT features (ignored unless {@code o.useGpt()}), their texts and
     * labels (0..K-1).
     */
    public static HybridClassifier fit(List<String> labels, float[] hidden, int width, List<String> texts, int[] y,
                                       Options o, Progress progress) throws InterruptedException {
        int n = texts.size();
        int K = labels.size();
        if (y.length != n || (o.useGpt() && hidden.length != n * width) || !(o.useGpt() || o.useNgrams())) {
            throw new IllegalArgumentException("need one label and one hidden state per text, and at least one block");
        }
        int folds = Math.min(o.folds(), smallestLabelCount(y, K));
        int[] fold = folds >= 2 ? stratifiedFolds(y, K, folds, o.seed()) : null;
        double[] cs = folds >= 2 ? o.cGrid() : new double[] {10};
        float[] ws = !o.useGpt() ? new float[] {1f} : folds >= 2 ? o.gptWeights() : new float[] {1f};
        int fits = folds >= 2 ? cs.length * ws.length * folds + 1 : 1;
        int done = 0;

        double bestAcc = -1, bestLoss = Double.POSITIVE_INFINITY, bestC = cs[0];
        float bestW = ws[0];
        double[] bestOof = null;
        if (folds >= 2) {
            for (double c : cs) {
                for (float w : ws) {
                    double[] oof = new double[n * K];
                    for (int f = 0; f < folds; f++) {
                        List<Integer> train = new ArrayList<>(), test = new ArrayList<>();
                        for (int i = 0; i < n; i++) {
                            (fold[i] == f ? test : train).add(i);
                        }
                        HybridClassifier m = fitOnce(labels, pick(hidden, width, train, o.useGpt()), width,
                                pick(texts, train), pick(y, train), o, c, w, null);
                        double[] z = m.logits(pick(hidden, width, test, o.useGpt()), pick(texts, test));
                        for (int t = 0; t < test.size(); t++) {
                            System.arraycopy(z, t * K, oof, test.get(t) * K, K);
                        }
                        progress.at((double) ++done / fits);
                    }
                    double acc = accuracy(oof, y, K), loss = Calibration.nll(oof, y, K, 1);
                    if (acc > bestAcc + 1e-12 || (Math.abs(acc - bestAcc) <= 1e-12 && loss < bestLoss)) {
                        bestAcc = acc;
                        bestLoss = loss;
                        bestC = c;
                        bestW = w;
                        bestOof = oof;
                    }
                }
            }
        }
        double temperature = 1, eceBefore = Double.NaN, eceAfter = Double.NaN;
        if (bestOof != null) {
            temperature = Calibration.fitTemperature(bestOof, y, K);
            eceBefore = Calibration.expectedCalibrationError(Calibration.softmax(bestOof, K, 1), y, K);
            eceAfter = Calibration.expectedCalibrationError(Calibration.softmax(bestOof, K, temperature), y, K);
        }
        Choice choice = new Choice(bestC, o.useGpt() ? bestW : 0f, folds >= 2 ? folds : 0,
                bestOof == null ? Double.NaN : bestAcc, bestOof == null ? Double.NaN : bestLoss, temperature,
                eceBefore, eceAfter);
        HybridClassifier result = fitOnce(labels, o.useGpt() ? hidden : null, width, texts, y, o, bestC, bestW, choice);
        progress.at(1);
        return result;
    }

    private static HybridClassifier fitOnce(List<String> labels, float[] hidden, int width, List<String> texts, int[] y,
                                            Options o, double c, float gptWeight, Choice choice) {
        int n = texts.size();
        float[] mean = null, scale = null, dense = null;
        int D = 0;
        if (o.useGpt()) {
            D = width;
            mean = new float[D];
            scale = new float[D];
            for (int j = 0; j < D; j++) {
                double s = 0, ss = 0;
                for (int i = 0; i < n; i++) {
                    s += hidden[i * D + j];
                }
                double mu = s / n;
                for (int i = 0; i < n; i++) {
                    double d = hidden[i * D + j] - mu;
                    ss += d * d;
                }
                double sd = Math.sqrt(ss / n);
                mean[j] = (float) mu;
                scale[j] = (float) (gptWeight / (Math.max(sd, 1e-6) * Math.sqrt(D)));
            }
            dense = standardize(hidden, n, D, mean, scale);
        }
        NgramFeatures ngrams = o.useNgrams() ? NgramFeatures.fit(texts, o.minDf()) : null;
        SoftmaxRegression.Data data = new SoftmaxRegression.Data(n, D, dense, ngrams == null ? 0 : ngrams.size(),
                ngrams == null ? null : ngrams.vectorize(texts));
        SoftmaxRegression layer = SoftmaxRegression.fit(data, y, labels.size(), c);
        return new HybridClassifier(labels, D, mean, scale, ngrams, layer, choice);
    }

    private static float[] standardize(float[] hidden, int n, int D, float[] mean, float[] scale) {
        float[] out = new float[n * D];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < D; j++) {
                out[i * D + j] = (hidden[i * D + j] - mean[j]) * scale[j];
            }
        }
        return out;
    }

    public List<String> labels() {
        return labels;
    }

    public Choice choice() {
        return choice;
    }

    public boolean usesGpt() {
        return gptWidth > 0;
    }

    /** Uncalibrated logits (n, K) of texts and their GPT features {@code hidden} (n, D; ignored without the GPT block). */
    public double[] logits(float[] hidden, List<String> texts) {
        int n = texts.size();
        SoftmaxRegression.Data data = new SoftmaxRegression.Data(n, gptWidth,
                gptWidth > 0 ? standardize(hidden, n, gptWidth, mean, scale) : null,
                ngrams == null ? 0 : ngrams.size(), ngrams == null ? null : ngrams.vectorize(texts));
        return layer.logits(data);
    }

    /** Calibrated probabilities (n, K). */
    public double[] probabilities(float[] hidden, List<String> texts) {
        return Calibration.softmax(logits(hidden, texts), labels.size(), temperature());
    }

    public double temperature() {
        return choice == null ? 1 : choice.temperature();
    }

    /**
     * The GPT block and the bias as a head on the raw hidden state of width {@code width}: W' = W diag(scale),
     * b' = b - W' mean. Without the GPT block, zero weights and the bias.
     */
    public ClassifierHead gptHead(int width) {
        int K = labels.size();
        float[] w = new float[K * width];
        float[] b = layer.bias();
        if (gptWidth > 0) {
            if (width != gptWidth) {
                throw new IllegalArgumentException("fitted on width " + gptWidth + ", asked for " + width);
            }
            float[] dw = layer.denseWeight();
            for (int k = 0; k < K; k++) {
                double shift = 0;
                for (int j = 0; j < width; j++) {
                    w[k * width + j] = dw[k * width + j] * scale[j];
                    shift += (double) w[k * width + j] * mean[j];
                }
                b[k] -= (float) shift;
            }
        }
        return new ClassifierHead(labels, width, w, b);
    }

    /** The n-gram block and the temperature, for serving next to the graph (no n-gram block: zero-width). */
    public NgramHead ngramHead() {
        NgramFeatures f = ngrams != null ? ngrams : new NgramFeatures(List.of(), new float[0]);
        return new NgramHead(labels, f, ngrams != null ? layer.sparseWeight() : new float[0], temperature());
    }

    // ---- folds and picking ----

    static int smallestLabelCount(int[] y, int K) {
        int[] count = new int[K];
        for (int v : y) {
            count[v]++;
        }
        int min = Integer.MAX_VALUE;
        for (int c : count) {
            if (c > 0) {
                min = Math.min(min, c);
            }
        }
        return min == Integer.MAX_VALUE ? 0 : min;
    }

    /** Per label, a seeded shuffle dealt round-robin into the folds: every fold gets its share of every label. */
    static int[] stratifiedFolds(int[] y, int K, int folds, long seed) {
        int[] fold = new int[y.length];
        Random rng = new Random(seed);
        for (int k = 0; k < K; k++) {
            List<Integer> of = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (y[i] == k) {
                    of.add(i);
                }
            }
            Collections.shuffle(of, rng);
            for (int j = 0; j < of.size(); j++) {
                fold[of.get(j)] = j % folds;
            }
        }
        return fold;
    }

    static double accuracy(double[] logits, int[] y, int K) {
        int[] predicted = argmax(logits, K);
        int correct = 0;
        for (int i = 0; i < y.length; i++) {
            correct += predicted[i] == y[i] ? 1 : 0;
        }
        return (double) correct / y.length;
    }

    /** The most likely label of each row of scores (n, K). */
    public static int[] argmax(double[] scores, int K) {
        int[] out = new int[scores.length / K];
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            for (int k = 1; k < K; k++) {
                if (scores[i * K + k] > scores[i * K + best]) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }

    private static float[] pick(float[] hidden, int width, List<Integer> idx, boolean use) {
        return use ? pick(hidden, width, idx) : null;
    }

    /** Rows {@code idx} of (n, width) features. */
    public static float[] pick(float[] hidden, int width, List<Integer> idx) {
        float[] out = new float[idx.size() * width];
        for (int i = 0; i < idx.size(); i++) {
            System.arraycopy(hidden, idx.get(i) * width, out, i * width, width);
        }
        return out;
    }

    public static List<String> pick(List<String> texts, List<Integer> idx) {
        List<String> out = new ArrayList<>(idx.size());
        idx.forEach(i -> out.add(texts.get(i)));
        return out;
    }

    public static int[] pick(int[] y, List<Integer> idx) {
        int[] out = new int[idx.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = y[idx.get(i)];
        }
        return out;
    }
}
