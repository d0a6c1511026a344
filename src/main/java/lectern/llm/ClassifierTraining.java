package lectern.llm;

import lectern.gpt.BpeTokenizer;
import lectern.gpt.GptModel;
import lectern.gpt.SequenceClassifier;
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
 * Trains a new classifier head for one user's labelled texts on a frozen GPT ({@link SequenceClassifier}, mode HEAD):
 * the features are the ln_f hidden state of the last token of each text as the served classifier sees it (the text,
 * then {@code <|classify|>}), computed once; then only the head (K,C)+(K) trains. When every label has enough items,
 * about 20% of each label is held out (seeded) and a first head trained on the rest is scored on them; the head that
 * is returned is trained on all items. Plain Java: the job runner and tests call it without Quarkus.
 */
public final class ClassifierTraining {

    /** Fewer items than this for a label: it is left out (one item can neither be learned nor checked). */
    static final int MIN_ITEMS_PER_LABEL = 2;
    /** A label needs this many items before one of them is held out. */
    static final int MIN_ITEMS_TO_HOLD_OUT = 5;
    static final double HELD_OUT_SHARE = 0.2;
    static final int BATCH = 16;
    static final float LEARNING_RATE = 0.01f;
    static final float WEIGHT_DECAY = 0.01f;

    private ClassifierTraining() {
    }

    public record LabelledText(String text, String label) {
    }

    /**
     * What a retraining measured. {@code examples}: items trained on; {@code skippedLabels}: labels with fewer than two
     * items, left out. {@code heldOut*}: a head trained on the other items, scored on {@code heldOutExamples} held-out
     * ones (absent when there were too few items to hold any out); the served head is then trained on all of them, and
     * {@code trainAccuracy} is its accuracy on those.
     */
    public record Report(int examples, List<String> labels, Map<String, Integer> itemsPerLabel, List<String> skippedLabels,
                         Integer heldOutExamples, Double heldOutAccuracy, Double heldOutMacroF1,
                         double trainAccuracy, double finalLoss, int epochs, String mode, long featureMillis,
                         long trainMillis) {
    }

    public record Result(ClassifierHead head, Report report) {
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
     * Trains the head. {@code progress} goes from 0 to 0.6 while features are computed (the bulk of the time) and
     * on to 1 while heads train. Interrupting the thread stops it with an {@link InterruptedException}.
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
        for (int i = 0; i < n; i++) {
            y[i] = labels.indexOf(kept.get(i).label());
        }

        long start = System.nanoTime();
        int maxTokens = gpt.config().blockSize();
        SequenceClassifier features = new SequenceClassifier(gpt, K, SequenceClassifier.Mode.HEAD, 0, 0f, seed);
        List<SequenceClassifier.Example> examples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("retraining stopped");
            }
            // the exact input the served classifier gets (ServedModel.classifierInput)
            examples.add(features.prepare(SequenceClassifier.input(tokenizer, kept.get(i).text(), maxTokens)));
            progress.at(0.6 * (i + 1) / n);
        }
        long featureMillis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();

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
        double fitShare = heldIdx.isEmpty() ? 0.4 : 0.2;
        if (!heldIdx.isEmpty()) {
            Collections.sort(trainIdx);
            Collections.sort(heldIdx);
            SequenceClassifier check = new SequenceClassifier(gpt, K, SequenceClassifier.Mode.HEAD, 0, 0f, seed);
            fit(check, pick(examples, trainIdx), pick(y, trainIdx), seed, p -> progress.at(0.6 + fitShare * p));
            int[] truth = pick(y, heldIdx);
            Metrics m = Metrics.of(truth, check.predict(pick(examples, heldIdx), BATCH), K);
            heldOutExamples = heldIdx.size();
            heldOutAccuracy = m.accuracy();
            heldOutF1 = m.macroF1();
        }
        double base = heldIdx.isEmpty() ? 0.6 : 0.8;
        SequenceClassifier clf = new SequenceClassifier(gpt, K, SequenceClassifier.Mode.HEAD, 0, 0f, seed);
        int epochs = epochs(n);
        float loss = fit(clf, examples, y, seed, p -> progress.at(base + (1 - base) * p));
        double trainAccuracy = Metrics.of(y, clf.predict(examples, BATCH), K).accuracy();
        long trainMillis = (System.nanoTime() - start) / 1_000_000;

        Map<String, Integer> perLabel = new LinkedHashMap<>(allCounts);
        Report report = new Report(n, labels, perLabel, skipped, heldOutExamples, heldOutAccuracy,
                heldOutF1, trainAccuracy, loss, epochs, "head", featureMillis, trainMillis);
        ClassifierHead head = new ClassifierHead(labels, gpt.config().nEmbd(), clf.headWeight(), clf.headBias());
        return new Result(head, report);
    }

    /** Enough passes for a few hundred steps on small sets (a handful of items is one batch), 30 on large ones. */
    static int epochs(int examples) {
        int perEpoch = (examples + BATCH - 1) / BATCH;
        return Math.max(30, Math.min(300, (300 + perEpoch - 1) / perEpoch));
    }

    private static float fit(SequenceClassifier clf, List<SequenceClassifier.Example> ex, int[] y, long seed, Progress progress)
            throws InterruptedException {
        try {
            return clf.fit(ex, y, epochs(ex.size()), BATCH, LEARNING_RATE, WEIGHT_DECAY, seed, (step, total, l) -> {
                if (Thread.currentThread().isInterrupted()) {
                    throw new Stopped();
                }
                if (step % 10 == 0 || step == total) {
                    progress.at((double) step / total);
                }
            });
        } catch (Stopped e) {
            throw new InterruptedException("retraining stopped");
        }
    }

    /** Leaves SequenceClassifier.fit from its progress callback when the thread is interrupted. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    private static List<SequenceClassifier.Example> pick(List<SequenceClassifier.Example> all, List<Integer> idx) {
        List<SequenceClassifier.Example> out = new ArrayList<>(idx.size());
        idx.forEach(i -> out.add(all.get(i)));
        return out;
    }

    private static int[] pick(int[] all, List<Integer> idx) {
        int[] out = new int[idx.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all[idx.get(i)];
        }
        return out;
    }
}
