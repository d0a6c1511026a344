package lectern.llm;

import lectern.gpt.BpeTokenizer;
import lectern.gpt.GptModel;
import lectern.gpt.classify.GptFeatures;
import lectern.gpt.classify.HybridClassifier;
import lectern.gpt.classify.NgramHead;
import lectern.gpt.eval.Metrics;
import lectern.gpt.onnx.ClassifierHead;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Trains one user's classifier on their labelled texts by the shipped classifier's own method
 * ({@link HybridClassifier}: a calibrated linear layer over the frozen served GPT's features and the texts' word and
 * character n-grams, C chosen by cross-validation), so a retrained classifier is as good as the shipped one on the same
 * items. The GPT features are the ln_f hidden state of the last token of each text as the served classifier sees it (the
 * text, then {@code <|classify|>}), computed once. When every label has enough items, about 20% of each label is held
 * out (seeded) and a classifier fit on the rest is scored on them; the one returned is fit on all items. Plain Java: the
 * job runner and tests call it without Quarkus.
 */
public final class ClassifierTraining {

    /** Fewer items than this for a label: it is left out (one item can neither be learned nor checked). */
    static final int MIN_ITEMS_PER_LABEL = 2;
    /** A label needs this many items before one of them is held out. */
    static final int MIN_ITEMS_TO_HOLD_OUT = 5;
    static final double HELD_OUT_SHARE = 0.2;

    private ClassifierTraining() {
    }

    /** {@code note}: the label is on a note (not a log item). */
    public record LabelledText(String text, String label, boolean note) {
        public LabelledText(String text, String label) {
            this(text, label, false);
        }
    }

    /**
     * What a retraining measured. {@code examples}: items trained on; {@code skippedLabels}: labels with fewer than two
     * items, left out. {@code heldOut*}: a classifier fit on the other items, scored on {@code heldOutExamples} held-out
     * ones (absent when there were too few items to hold any out); the served one is then fit on all of them, and
     * {@code trainAccuracy} is its accuracy on those. {@code c}, {@code folds}, {@code temperature}: what
     * cross-validation chose (folds 0: too few items per label to cross-validate; C 10, temperature 1).
     */
    public record Report(int examples, List<String> labels, Map<String, Integer> itemsPerLabel, List<String> skippedLabels,
                         Integer heldOutExamples, Double heldOutAccuracy, Double heldOutMacroF1,
                         double trainAccuracy, double c, int folds, double temperature, String mode,
                         long featureMillis, long trainMillis) {
    }

    /** The GPT half of the classifier (into classifier.onnx) and the n-gram half with the temperature. */
    public record Result(ClassifierHead head, NgramHead ngrams, Report report) {
    }

    /** Progress of a retraining, 0..1 within what this class does. */
    public interface Progress {
        void at(double fraction);
    }

    /** The labels that can be trained on (at least two items each), sorted, with their item counts. */
    public static Map<String, Integer> usableLabels(List<LabelledText> items) {
        Map<String, Integer> counts = new TreeMap<>();
        for (LabelledText item : items) {
            counts.merge(item.label(), 1, Integer::sum);
        }
        counts.values().removeIf(n -> n < MIN_ITEMS_PER_LABEL);
        return counts;
    }

    /** Refuses item sets that cannot train a classifier: fewer than two labels with two items each. */
    public static void check(List<LabelledText> items) {
        if (usableLabels(items).size() < 2) {
            throw new IllegalArgumentException("needs at least 2 labels with at least " + MIN_ITEMS_PER_LABEL + " items each");
        }
    }

    /**
     * Trains the classifier. {@code progress} goes from 0 to 0.4 while features are computed and on to 1 while the
     * layers are fit. Interrupting the thread stops it with an {@link InterruptedException}.
     */
    public static Result train(GptModel gpt, BpeTokenizer tokenizer, List<LabelledText> items, long seed, Progress progress)
            throws InterruptedException {
        check(items);
        Map<String, Integer> usable = usableLabels(items);
        List<String> labels = List.copyOf(usable.keySet());
        Map<String, Integer> allCounts = new TreeMap<>();
        items.forEach(i -> allCounts.merge(i.label(), 1, Integer::sum));
        List<String> skipped = allCounts.keySet().stream().filter(l -> !usable.containsKey(l)).toList();
        List<LabelledText> kept = items.stream().filter(i -> usable.containsKey(i.label())).toList();
        int n = kept.size();
        int K = labels.size();
        int[] y = new int[n];
        List<String> texts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            y[i] = labels.indexOf(kept.get(i).label());
            texts.add(kept.get(i).text());
        }

        long start = System.nanoTime();
        GptFeatures features = new GptFeatures(gpt, tokenizer);
        float[] hidden = features.of(texts, (done, total) -> {
            if (Thread.interrupted()) {
                throw new InterruptedException("retraining stopped");
            }
            progress.at(0.4 * done / total);
        });
        long featureMillis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        int width = features.width();
        HybridClassifier.Options options = HybridClassifier.Options.defaults().withSeed(seed);

        // held out: per label, a seeded shuffle, the first ~20% when the label has enough items
        List<Integer> trainIdx = new ArrayList<>();
        List<Integer> heldIdx = new ArrayList<>();
        Random rng = new Random(seed);
        for (int k = 0; k < K; k++) {
            List<Integer> ofLabel = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (y[i] == k) {
                    ofLabel.add(i);
                }
            }
            Collections.shuffle(ofLabel, rng);
            int hold = ofLabel.size() >= MIN_ITEMS_TO_HOLD_OUT ? (int) Math.round(ofLabel.size() * HELD_OUT_SHARE) : 0;
            heldIdx.addAll(ofLabel.subList(0, hold));
            trainIdx.addAll(ofLabel.subList(hold, ofLabel.size()));
        }
        Integer heldOutExamples = null;
        Double heldOutAccuracy = null;
        Double heldOutF1 = null;
        double base = 0.4;
        if (!heldIdx.isEmpty()) {
            Collections.sort(trainIdx);
            Collections.sort(heldIdx);
            HybridClassifier check = HybridClassifier.fit(labels, HybridClassifier.pick(hidden, width, trainIdx), width,
                    HybridClassifier.pick(texts, trainIdx), HybridClassifier.pick(y, trainIdx), options,
                    p -> progress(progress, 0.4 + 0.3 * p));
            int[] truth = HybridClassifier.pick(y, heldIdx);
            double[] logits = check.logits(HybridClassifier.pick(hidden, width, heldIdx), HybridClassifier.pick(texts, heldIdx));
            Metrics m = Metrics.of(truth, HybridClassifier.argmax(logits, K), K);
            heldOutExamples = heldIdx.size();
            heldOutAccuracy = m.accuracy();
            heldOutF1 = m.macroF1();
            base = 0.7;
        }
        double from = base;
        HybridClassifier clf = HybridClassifier.fit(labels, hidden, width, texts, y, options,
                p -> progress(progress, from + (1 - from) * p));
        double trainAccuracy = Metrics.of(y, HybridClassifier.argmax(clf.logits(hidden, texts), K), K).accuracy();
        long trainMillis = (System.nanoTime() - start) / 1_000_000;

        HybridClassifier.Choice choice = clf.choice();
        Map<String, Integer> perLabel = new LinkedHashMap<>(allCounts);
        Report report = new Report(n, labels, perLabel, skipped, heldOutExamples, heldOutAccuracy, heldOutF1,
                trainAccuracy, choice.c(), choice.folds(), choice.temperature(), "hybrid", featureMillis, trainMillis);
        return new Result(clf.gptHead(width), clf.ngramHead(), report);
    }

    private static void progress(Progress progress, double at) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("retraining stopped");
        }
        progress.at(at);
    }
}
