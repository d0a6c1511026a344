package lectern.gpt.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classical text classification baseline: TF-IDF features and multinomial logistic regression.
 * <ul>
 *   <li>Terms: lower-cased words ({@code [\p{L}\p{N}']+}), optionally also adjacent word pairs; a term must occur in
 *       at least {@code minDf} training texts.</li>
 *   <li>Weights as scikit-learn's TfidfVectorizer(sublinear_tf=True): (1 + ln tf) * (ln((1+n)/(1+df)) + 1), each
 *       text L2-normalised.</li>
 *   <li>Softmax regression W (K,V) + b (K) trained on the mean cross-entropy + (l2/2)|W|^2 with mini-batch Adam,
 *       shuffled by a seed, so a fit is deterministic.</li>
 * </ul>
 */
public final class TfIdfLogisticRegression {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");

    private final Map<String, Integer> vocabulary;
    private final float[] idf;
    private final boolean bigrams;
    private final int classes;
    private final float[] w; // (K,V)
    private final float[] b; // (K)

    private TfIdfLogisticRegression(Map<String, Integer> vocabulary, float[] idf, boolean bigrams, int classes) {
        this.vocabulary = vocabulary;
        this.idf = idf;
        this.bigrams = bigrams;
        this.classes = classes;
        this.w = new float[classes * idf.length];
        this.b = new float[classes];
    }

    /** Options of {@link #fit}. */
    public record Options(int minDf, boolean bigrams, float l2, int epochs, int batchSize, float learningRate, long seed) {
        public static Options defaults() {
            return new Options(2, true, 1e-4f, 30, 32, 0.02f, 1);
        }
    }

    /** A sparse row: term ids ascending and their weights. */
    record Row(int[] ids, float[] values) { }

    static List<String> terms(String text, boolean bigrams) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            words.add(m.group());
        }
        if (!bigrams) {
            return words;
        }
        List<String> out = new ArrayList<>(words);
        for (int i = 0; i + 1 < words.size(); i++) {
            out.add(words.get(i) + " " + words.get(i + 1));
        }
        return out;
    }

    public static TfIdfLogisticRegression fit(List<String> texts, int[] labels, int classes, Options o) {
        if (texts.size() != labels.length || texts.isEmpty()) {
            throw new IllegalArgumentException("need one label per text and at least one text");
        }
        Map<String, Integer> df = new HashMap<>();
        for (String t : texts) {
            for (String term : new java.util.HashSet<>(terms(t, o.bigrams()))) {
                df.merge(term, 1, Integer::sum);
            }
        }
        List<String> kept = new ArrayList<>();
        for (Map.Entry<String, Integer> e : df.entrySet()) {
            if (e.getValue() >= o.minDf()) {
                kept.add(e.getKey());
            }
        }
        kept.sort(null); // term ids independent of hash order
        Map<String, Integer> vocab = new HashMap<>();
        float[] idf = new float[kept.size()];
        int n = texts.size();
        for (int i = 0; i < kept.size(); i++) {
            vocab.put(kept.get(i), i);
            idf[i] = (float) (Math.log((1.0 + n) / (1.0 + df.get(kept.get(i)))) + 1.0);
        }
        TfIdfLogisticRegression model = new TfIdfLogisticRegression(vocab, idf, o.bigrams(), classes);
        List<Row> rows = new ArrayList<>(n);
        for (String t : texts) {
            rows.add(model.vectorize(t));
        }
        model.train(rows, labels, o);
        return model;
    }

    public int vocabularySize() {
        return idf.length;
    }

    Row vectorize(String text) {
        java.util.TreeMap<Integer, Integer> tf = new java.util.TreeMap<>();
        for (String term : terms(text, bigrams)) {
            Integer id = vocabulary.get(term);
            if (id != null) {
                tf.merge(id, 1, Integer::sum);
            }
        }
        int[] ids = new int[tf.size()];
        float[] values = new float[tf.size()];
        double norm = 0;
        int j = 0;
        for (Map.Entry<Integer, Integer> e : tf.entrySet()) {
            ids[j] = e.getKey();
            values[j] = (float) ((1.0 + Math.log(e.getValue())) * idf[e.getKey()]);
            norm += (double) values[j] * values[j];
            j++;
        }
        if (norm > 0) {
            float inv = (float) (1.0 / Math.sqrt(norm));
            for (int i = 0; i < values.length; i++) {
                values[i] *= inv;
            }
        }
        return new Row(ids, values);
    }

    private void train(List<Row> rows, int[] labels, Options o) {
        int V = idf.length;
        int K = classes;
        float[] gw = new float[K * V], gb = new float[K];
        float[] mw = new float[K * V], vw = new float[K * V], mb = new float[K], vb = new float[K];
        float[] z = new float[K];
        int n = rows.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random rng = new Random(o.seed());
        int t = 0;
        float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
        for (int epoch = 0; epoch < o.epochs(); epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int x = order[i]; order[i] = order[j]; order[j] = x;
            }
            for (int s = 0; s < n; s += o.batchSize()) {
                int e = Math.min(n, s + o.batchSize());
                java.util.Arrays.fill(gw, 0f);
                java.util.Arrays.fill(gb, 0f);
                for (int q = s; q < e; q++) {
                    Row r = rows.get(order[q]);
                    probabilities(r, z);
                    int y = labels[order[q]];
                    for (int k = 0; k < K; k++) {
                        float d = (z[k] - (k == y ? 1f : 0f)) / (e - s);
                        gb[k] += d;
                        for (int j = 0; j < r.ids.length; j++) {
                            gw[k * V + r.ids[j]] += d * r.values[j];
                        }
                    }
                }
                t++;
                float c1 = (float) (1 - Math.pow(b1, t)), c2 = (float) (1 - Math.pow(b2, t));
                for (int i = 0; i < K * V; i++) {
                    float g = gw[i] + o.l2() * w[i];
                    mw[i] = b1 * mw[i] + (1 - b1) * g;
                    vw[i] = b2 * vw[i] + (1 - b2) * g * g;
                    w[i] -= o.learningRate() * (mw[i] / c1) / ((float) Math.sqrt(vw[i] / c2) + eps);
                }
                for (int k = 0; k < K; k++) {
                    mb[k] = b1 * mb[k] + (1 - b1) * gb[k];
                    vb[k] = b2 * vb[k] + (1 - b2) * gb[k] * gb[k];
                    b[k] -= o.learningRate() * (mb[k] / c1) / ((float) Math.sqrt(vb[k] / c2) + eps);
                }
            }
        }
    }

    private void probabilities(Row r, float[] z) {
        int V = idf.length;
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            float s = b[k];
            for (int j = 0; j < r.ids.length; j++) {
                s += w[k * V + r.ids[j]] * r.values[j];
            }
            z[k] = s;
            max = Math.max(max, s);
        }
        float sum = 0;
        for (int k = 0; k < classes; k++) {
            z[k] = (float) Math.exp(z[k] - max);
            sum += z[k];
        }
        for (int k = 0; k < classes; k++) {
            z[k] /= sum;
        }
    }

    /** Class probabilities (K) for one text. */
    public float[] probabilities(String text) {
        float[] z = new float[classes];
        probabilities(vectorize(text), z);
        return z;
    }

    public int predict(String text) {
        float[] z = probabilities(text);
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (z[k] > z[best]) {
                best = k;
            }
        }
        return best;
    }

    public int[] predict(List<String> texts) {
        int[] out = new int[texts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = predict(texts.get(i));
        }
        return out;
    }
}
