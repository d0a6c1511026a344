package lectern.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import lectern.gpt.classify.Calibration;
import lectern.gpt.classify.GptFeatures;
import lectern.gpt.classify.HybridClassifier;
import lectern.gpt.eval.Bootstrap;
import lectern.gpt.eval.LabelledTexts;
import lectern.gpt.eval.LogLabelSets;
import lectern.gpt.eval.MajorityClass;
import lectern.gpt.eval.Metrics;
import lectern.llm.ServedModel;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The learning-log label benchmark ({@code eval --task log-labels}): every method fit on the same training items
 * (the pool's per-label training split) and scored on the three test sets of {@link LogLabelSets} and the smoke
 * items, in one table with 95% bootstrap intervals and the expected calibration error.
 */
final class LogLabelEval {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One method's predictions (and calibrated probabilities, when it has them) on one test set. */
    private record Scored(int[] predicted, double[] probabilities) {
    }

    private final LogLabelSets sets;
    private final GptFeatures gpt;
    private final long seed;
    private final PrintStream out;
    private final Map<String, LabelledTexts> tests = new LinkedHashMap<>();
    private final Map<String, float[]> hidden = new LinkedHashMap<>();

    LogLabelEval(LogLabelSets sets, GptFeatures gpt, long seed, PrintStream out) {
        this.sets = sets;
        this.gpt = gpt;
        this.seed = seed;
        this.out = out;
        tests.put("per-label split", sets.perLabelTest());
        tests.put("held-out set", sets.heldOut());
        tests.put("real logs", sets.realLogs());
        tests.put("smoke", sets.smoke());
    }

    /** Runs every method and prints the table; returns it as JSON for model.json. */
    ObjectNode run(ServedModel served) throws Exception {
        int K = sets.labels().size();
        LabelledTexts train = sets.train();
        ProgressBar featureBar = ProgressBar.onStderr("GPT features", sets.pool().size() + sets.heldOut().size()
                + sets.realLogs().size() + sets.smoke().size());
        int[] done = {0};
        hidden.put("train", features(train, featureBar, done));
        for (Map.Entry<String, LabelledTexts> t : tests.entrySet()) {
            hidden.put(t.getKey(), features(t.getValue(), featureBar, done));
        }
        featureBar.finish();

        ObjectNode result = JSON.createObjectNode();
        ObjectNode sizes = result.putObject("items");
        sizes.put("train", train.size());
        tests.forEach((name, set) -> sizes.put(name, set.size()));
        ArrayNode rows = result.putArray("rows");
        List<String> lines = new ArrayList<>();

        Map<String, Scored> majority = new LinkedHashMap<>();
        MajorityClass m = MajorityClass.fit(train.labels(), K);
        tests.forEach((name, set) -> majority.put(name, new Scored(m.predict(set.size()), null)));
        lines.add(row(rows, "majority class", null, majority));

        HybridClassifier.Options base = HybridClassifier.Options.defaults();
        String[][] methods = {
            {"TF-IDF + LR, word 1-2 + char 2-5 n-grams, C tuned on training folds (= n-grams-only ablation)", "ngrams"},
            {"GPT features only + LR (ablation)", "gpt"},
            {"GPT features + n-grams + LR, calibrated (the shipped method)", "both"},
        };
        for (String[] method : methods) {
            boolean useGpt = !method[1].equals("ngrams"), useNgrams = !method[1].equals("gpt");
            ProgressBar bar = ProgressBar.onStderr(method[1], 1000);
            HybridClassifier clf = HybridClassifier.fit(sets.labels(), hidden.get("train"), gpt.width(), train.texts(),
                    train.labels(), base.withBlocks(useGpt, useNgrams), f -> bar.update((long) (f * 1000), ""));
            bar.finish();
            Map<String, Scored> scored = new LinkedHashMap<>();
            for (Map.Entry<String, LabelledTexts> t : tests.entrySet()) {
                double[] p = clf.probabilities(hidden.get(t.getKey()), t.getValue().texts());
                scored.put(t.getKey(), new Scored(HybridClassifier.argmax(p, K), p));
            }
            HybridClassifier.Choice c = clf.choice();
            String choice = String.format(Locale.ROOT, "C=%s%s, T=%.2f, %d-fold accuracy %.3f", fmt(c.c()),
                    useGpt ? ", GPT block weight " + fmt(c.gptWeight()) : "", c.temperature(), c.folds(), c.oofAccuracy());
            lines.add(row(rows, method[0], choice, scored));
        }
        List<String> smokeLines = new ArrayList<>();
        if (served != null && served.canClassify()) {
            // the served classifier is fit on the whole pool: its fair baseline is TF-IDF fit on the whole pool too
            float[] poolHidden = gpt.of(sets.pool().texts(), null);
            ProgressBar bar = ProgressBar.onStderr("ngrams, whole pool", 1000);
            HybridClassifier poolTfidf = HybridClassifier.fit(sets.labels(), poolHidden, gpt.width(), sets.pool().texts(),
                    sets.pool().labels(), base.withBlocks(false, true), f -> bar.update((long) (f * 1000), ""));
            bar.finish();
            Map<String, Scored> baseline = new LinkedHashMap<>();
            for (Map.Entry<String, LabelledTexts> t : tests.entrySet()) {
                if (!t.getKey().equals("per-label split")) {
                    double[] p = poolTfidf.probabilities(hidden.get(t.getKey()), t.getValue().texts());
                    baseline.put(t.getKey(), new Scored(HybridClassifier.argmax(p, K), p));
                }
            }
            lines.add(row(rows, "TF-IDF + LR as above, fit on the whole pool (the served classifier's baseline)",
                    String.format(Locale.ROOT, "C=%s, T=%.2f", fmt(poolTfidf.choice().c()), poolTfidf.choice().temperature()),
                    baseline));
            Map<String, Scored> scored = new LinkedHashMap<>();
            for (Map.Entry<String, LabelledTexts> t : tests.entrySet()) {
                if (t.getKey().equals("per-label split")) {
                    continue; // the served classifier was fit on the whole pool, these items included
                }
                List<String> texts = t.getValue().texts();
                double[] p = new double[texts.size() * K];
                for (int i = 0; i < texts.size(); i++) {
                    ServedModel.Classification cl = served.classify(texts.get(i));
                    for (int k = 0; k < K; k++) {
                        p[i * K + k] = cl.scores().getOrDefault(sets.labels().get(k), 0.0);
                    }
                    if (t.getKey().equals("smoke")) {
                        String truth = sets.labels().get(t.getValue().labels()[i]);
                        smokeLines.add(String.format(Locale.ROOT, "- %s \"%s\" -> %s %.2f%s (expected %s)",
                                cl.label().equals(truth) ? "right" : "WRONG", texts.get(i), cl.label(), cl.confidence(),
                                cl.unsure() ? ", unsure" : "", truth));
                    }
                }
                scored.put(t.getKey(), new Scored(HybridClassifier.argmax(p, K), p));
            }
            lines.add(row(rows, "served classifier (" + served.info().name() + ", fit on the whole pool)", null, scored));
        }

        out.printf(Locale.ROOT, "Learning-log labels: %d training items (pool %d, every %d-th per label held out); tests: %s%n%n",
                train.size(), sets.pool().size(), LogLabelSets.TEST_EVERY, describeTests());
        out.println("| method | per-label split: accuracy | macro-F1 | ECE | held-out set: accuracy | macro-F1 | ECE "
                + "| real logs: accuracy | macro-F1 | ECE | smoke |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        lines.forEach(out::println);
        out.println();
        out.println("[low, high]: 95% percentile bootstrap interval (" + Bootstrap.RESAMPLES + " resamples of the test items). "
                + "ECE: expected calibration error of the calibrated probabilities (" + Calibration.ECE_BINS + " bins).");
        if (!smokeLines.isEmpty()) {
            out.println();
            out.println("The served classifier on the smoke items:");
            smokeLines.forEach(out::println);
        }
        return result;
    }

    private String describeTests() {
        List<String> parts = new ArrayList<>();
        tests.forEach((name, set) -> parts.add(name + " " + set.size()));
        return String.join(", ", parts);
    }

    private float[] features(LabelledTexts set, ProgressBar bar, int[] done) throws InterruptedException {
        int start = done[0];
        float[] h = gpt.of(set.texts(), (i, n) -> bar.update(start + i, ""));
        done[0] += set.size();
        return h;
    }

    private String row(ArrayNode rows, String name, String choice, Map<String, Scored> scored) {
        int K = sets.labels().size();
        ObjectNode json = rows.addObject();
        json.put("method", name);
        if (choice != null) {
            json.put("chosen", choice);
        }
        StringBuilder line = new StringBuilder("| " + name + (choice != null ? " (" + choice + ")" : ""));
        for (Map.Entry<String, LabelledTexts> t : tests.entrySet()) {
            Scored s = scored.get(t.getKey());
            int[] truth = t.getValue().labels();
            if (t.getKey().equals("smoke")) {
                if (s == null) {
                    line.append(" | -");
                    continue;
                }
                int right = 0;
                for (int i = 0; i < truth.length; i++) {
                    right += truth[i] == s.predicted()[i] ? 1 : 0;
                }
                json.put("smoke_right", right);
                json.put("smoke_items", truth.length);
                line.append(" | ").append(right).append("/").append(truth.length);
                continue;
            }
            if (s == null) {
                line.append(" | (trained on) | | ");
                continue;
            }
            Bootstrap.Result b = Bootstrap.of(truth, s.predicted(), K, seed);
            ObjectNode cell = json.putObject(t.getKey());
            cell.put("accuracy", round(b.accuracy().value()));
            cell.put("accuracy_low", round(b.accuracy().low()));
            cell.put("accuracy_high", round(b.accuracy().high()));
            cell.put("macro_f1", round(b.macroF1().value()));
            cell.put("macro_f1_low", round(b.macroF1().low()));
            cell.put("macro_f1_high", round(b.macroF1().high()));
            String ece = "-";
            if (s.probabilities() != null) {
                double e = Calibration.expectedCalibrationError(s.probabilities(), truth, K);
                cell.put("ece", round(e));
                ece = String.format(Locale.ROOT, "%.3f", e);
            }
            line.append(String.format(Locale.ROOT, " | %s | %s | %s", interval(b.accuracy()), interval(b.macroF1()), ece));
        }
        return line.append(" |").toString();
    }

    private static String interval(Bootstrap.Interval i) {
        return String.format(Locale.ROOT, "%.3f [%.2f, %.2f]", i.value(), i.low(), i.high());
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
