package lectern.cli;

import lectern.gpt.BpeTokenizer;
import lectern.gpt.Checkpoint;
import lectern.gpt.GptModel;
import lectern.gpt.SequenceClassifier;
import lectern.gpt.classify.GptFeatures;
import lectern.gpt.classify.HybridClassifier;
import lectern.gpt.classify.NgramHead;
import lectern.gpt.eval.LabelledTexts;
import lectern.gpt.eval.LogLabelSets;
import lectern.gpt.eval.MajorityClass;
import lectern.gpt.eval.Metrics;
import lectern.gpt.eval.TfIdfLogisticRegression;
import lectern.gpt.onnx.ClassifierHead;
import lectern.gpt.onnx.ModelPackage;
import lectern.gpt.onnx.OnnxExporter;
import lectern.gpt.onnx.OnnxNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "--mode hybrid (the shipped method): fits the log-label classifier, a calibrated linear layer over a "
                + "frozen GPT's features and the text's word and character n-grams, on the whole training pool, and writes it "
                + "into --package (classifier.onnx, classifier-ngrams.json, model.json); `eval` benchmarks it. "
                + "Other modes train a classification head (head, last-block or LoRA) on labelled texts (JSONL {\"text\",\"label\"}; "
                + "default: the shipped learning-log set), reports held-out accuracy and macro-F1 against the majority and "
                + "TF-IDF baselines, then (with --out) retrains on every item and writes a run directory with the model "
                + "(adapters merged), tokenizer and classifier.safetensors.")
public final class FinetuneCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", description = "Pretrained run directory (or --model).")
    Path checkpoint;

    @Option(names = "--model", description = "hybrid mode: a model directory whose lm.onnx gives the GPT (instead of --checkpoint).")
    Path modelDir;

    @Option(names = "--data", description = "JSONL file; default the resource " + LabelledTexts.LOG_LABELS + ".")
    Path data;

    @Option(names = "--mode", defaultValue = "head", description = "hybrid, head, last-block or lora (default ${DEFAULT-VALUE}).")
    String modeName;

    @Option(names = "--out", description = "Run directory to write, trained on all items.")
    Path out;

    @Option(names = "--package", description = "Model directory to write for serving (as export-onnx), trained on all items: "
            + "lm.onnx from the pretrained weights (generation unchanged), classifier.onnx from the tuned ones.")
    Path packageDir;

    @Option(names = "--test-every", defaultValue = "5", description = "Per label, every n-th item is held out (0: no evaluation).")
    int testEvery;

    @Option(names = "--max-tokens", defaultValue = "64") int maxTokens;
    @Option(names = "--epochs", defaultValue = "30") int epochs;
    @Option(names = "--batch", defaultValue = "16") int batch;
    @Option(names = "--lr", description = "Learning rate; default 0.01 in head mode, 0.001 in last-block and LoRA modes.")
    Float lr;
    @Option(names = "--weight-decay", defaultValue = "0.01") float weightDecay;
    @Option(names = "--lora-rank", defaultValue = "8") int loraRank;
    @Option(names = "--lora-alpha", defaultValue = "16") float loraAlpha;
    @Option(names = "--seed", defaultValue = "1337") long seed;

    @Override
    public Integer call() throws Exception {
        if (modeName.equals("hybrid")) {
            return hybrid();
        }
        if (checkpoint == null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--checkpoint is required in mode " + modeName);
        }
        SequenceClassifier.Mode mode = SequenceClassifier.Mode.parse(modeName);
        LabelledTexts all = data != null ? LabelledTexts.read(data) : LabelledTexts.readResource(LabelledTexts.LOG_LABELS);
        int K = all.labelNames().size();
        BpeTokenizer tokenizer = Checkpoint.loadTokenizer(checkpoint);
        System.err.printf(Locale.ROOT, "%d items, labels %s%n", all.size(), all.labelNames());
        com.fasterxml.jackson.databind.node.ObjectNode metrics = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        // what the checkpoint already measured about itself (e.g. finetune-summaries) travels on into model.json
        Path checkpointMetrics = checkpoint.resolve("metrics.json");
        if (java.nio.file.Files.isRegularFile(checkpointMetrics)) {
            metrics.setAll((com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(checkpointMetrics.toFile()));
        }
        if (testEvery > 0) {
            LabelledTexts[] split = all.split(testEvery);
            LabelledTexts train = split[0], test = split[1];
            System.out.printf(Locale.ROOT, "held out: %d train / %d test items (every %d-th per label)%n%n", train.size(), test.size(), testEvery);
            System.out.println("| method | accuracy | macro-F1 |");
            System.out.println("|---|---|---|");
            print("majority class", Metrics.of(test.labels(), MajorityClass.fit(train.labels(), K).predict(test.size()), K));
            TfIdfLogisticRegression tfidf = TfIdfLogisticRegression.fit(train.texts(), train.labels(), K,
                    new TfIdfLogisticRegression.Options(1, true, 1e-4f, 30, 16, 0.02f, seed));
            print("TF-IDF + logistic regression", Metrics.of(test.labels(), tfidf.predict(test.texts()), K));
            SequenceClassifier clf = train(mode, train);
            List<SequenceClassifier.Example> testEx = examples(clf, tokenizer, test);
            Metrics m = Metrics.of(test.labels(), clf.predict(testEx, batch), K);
            print("GPT " + modeName + " (" + checkpoint.getFileName() + ")", m);
            com.fasterxml.jackson.databind.node.ObjectNode c = metrics.putObject("classifier");
            c.put("mode", modeName);
            c.put("train_items", train.size());
            c.put("held_out_items", test.size());
            c.put("held_out_accuracy", m.accuracy());
            c.put("held_out_macro_f1", m.macroF1());
        }
        if (out != null || packageDir != null) {
            SequenceClassifier clf = train(mode, all);
            GptModel merged = new GptModel(clf.model().config());
            System.arraycopy(clf.mergedParameters(), 0, merged.parameters(), 0, merged.parameters().length);
            ClassifierHead head = new ClassifierHead(all.labelNames(), merged.config().nEmbd(), clf.headWeight(), clf.headBias());
            if (out != null) {
                Checkpoint.saveModel(out, merged, tokenizer);
                head.write(out);
                // export-onnx copies metrics.json into model.json
                java.nio.file.Files.writeString(out.resolve("metrics.json"), metrics.toPrettyString() + "\n");
                System.err.println("wrote " + out);
            }
            if (packageDir != null) {
                com.fasterxml.jackson.databind.node.ObjectNode provenance = metrics.objectNode();
                provenance.put("checkpoint", checkpoint.normalize().toString()); // as given: model.json is committed, a home path would say nothing
                provenance.put("classifier", "lectern finetune --mode " + modeName + " on " + (data != null ? data.toString() : LabelledTexts.LOG_LABELS));
                // one model for both graphs would put the classifier's tuned attention weights into generation too
                ModelPackage.write(Checkpoint.loadModel(checkpoint), tokenizer, head, true, packageDir, metrics, provenance);
                OnnxExporter.write(OnnxExporter.classifier(merged, head), packageDir.resolve(OnnxNames.CLASSIFIER_FILE));
                System.err.println("wrote " + packageDir);
            }
        }
        return 0;
    }

    /** The shipped method on the whole pool (or --data), written into --package. */
    private int hybrid() throws Exception {
        if ((checkpoint == null) == (modelDir == null) || packageDir == null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "mode hybrid needs one of --checkpoint and --model, and --package");
        }
        Trunk trunk = Trunk.load(checkpoint, modelDir);
        GptModel gpt = trunk.gpt();
        BpeTokenizer tokenizer = trunk.tokenizer();
        LabelledTexts all = data != null ? LabelledTexts.read(data) : LogLabelSets.load().pool();
        System.err.printf(Locale.ROOT, "%d items, labels %s%n", all.size(), all.labelNames());
        GptFeatures features = new GptFeatures(gpt, tokenizer);
        ProgressBar featureBar = ProgressBar.onStderr("GPT features", all.size());
        float[] hidden = features.of(all.texts(), (i, n) -> featureBar.update(i, ""));
        featureBar.finish();
        ProgressBar fitBar = ProgressBar.onStderr("fit", 1000);
        HybridClassifier clf = HybridClassifier.fit(all.labelNames(), hidden, features.width(), all.texts(), all.labels(),
                HybridClassifier.Options.defaults(), f -> fitBar.update((long) (f * 1000), ""));
        fitBar.finish();
        HybridClassifier.Choice c = clf.choice();
        System.out.printf(Locale.ROOT, "chosen by %d-fold cross-validation on the %d items: C=%s, GPT block weight %s; "
                        + "out-of-fold accuracy %.3f; temperature %.3f (out-of-fold ECE %.3f -> %.3f)%n", c.folds(), all.size(),
                c.c(), c.gptWeight(), c.oofAccuracy(), c.temperature(), c.oofEceBefore(), c.oofEceAfter());

        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode metrics = json.createObjectNode();
        // what the checkpoint measured about itself (finetune-summaries) travels on into model.json
        if (checkpoint != null && java.nio.file.Files.isRegularFile(checkpoint.resolve("metrics.json"))) {
            metrics.setAll((com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(checkpoint.resolve("metrics.json").toFile()));
        }
        com.fasterxml.jackson.databind.node.ObjectNode m = metrics.putObject("classifier");
        m.put("mode", "hybrid");
        m.put("method", "linear softmax over the frozen GPT's ln_f state at <|classify|> (standardised) and word 1-2 + "
                + "char 2-5 TF-IDF n-grams; C and the GPT block's weight by cross-validation; temperature-scaled");
        m.put("train_items", all.size());
        m.put("folds", c.folds());
        m.put("c", c.c());
        m.put("gpt_block_weight", c.gptWeight());
        m.put("out_of_fold_accuracy", c.oofAccuracy());
        m.put("temperature", c.temperature());
        m.put("out_of_fold_ece_uncalibrated", c.oofEceBefore());
        m.put("out_of_fold_ece_calibrated", c.oofEceAfter());
        m.put("ngram_features", clf.ngramHead().features().size());
        // the training mix, against which GET /api/model measures drift of the labels given in use
        com.fasterxml.jackson.databind.node.ObjectNode counts = m.putObject("train_label_counts");
        for (int k = 0; k < all.labelNames().size(); k++) {
            int label = k;
            counts.put(all.labelNames().get(k), java.util.Arrays.stream(all.labels()).filter(y -> y == label).count());
        }
        String provenance = "lectern finetune --mode hybrid on " + (data != null ? data.toString() : "the pool of " + LogLabelSets.POOL);
        ClassifierHead head = clf.gptHead(features.width());
        java.nio.file.Files.createDirectories(packageDir);
        if (modelDir == null || !java.nio.file.Files.isSameFile(modelDir, packageDir)) {
            // a new directory: its lm.onnx, tokenizer and model.json from the same GPT
            ModelPackage.write(gpt, tokenizer, head, true, packageDir, metrics.deepCopy(), json.createObjectNode()
                    .put("checkpoint", String.valueOf(checkpoint != null ? checkpoint.normalize() : modelDir.normalize())));
        }
        OnnxExporter.write(OnnxExporter.classifier(gpt, head), packageDir.resolve(OnnxNames.CLASSIFIER_FILE));
        clf.ngramHead().write(packageDir);
        // model.json: this classifier's labels, files and metrics; the rest (summaries' metrics, provenance) stays
        java.nio.file.Path file = packageDir.resolve(OnnxNames.MODEL_JSON);
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(file.toFile());
        com.fasterxml.jackson.databind.node.ArrayNode labels = root.putArray("labels");
        all.labelNames().forEach(labels::add);
        root.put("classifier_trained", true);
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.path("files")).put("classifier_ngrams", NgramHead.FILE);
        com.fasterxml.jackson.databind.node.ObjectNode rootMetrics = root.path("metrics").isObject()
                ? (com.fasterxml.jackson.databind.node.ObjectNode) root.get("metrics") : root.putObject("metrics");
        rootMetrics.set("classifier", m);
        com.fasterxml.jackson.databind.node.ObjectNode prov = root.path("provenance").isObject()
                ? (com.fasterxml.jackson.databind.node.ObjectNode) root.get("provenance") : root.putObject("provenance");
        prov.put("classifier", provenance);
        java.nio.file.Files.writeString(file, root.toPrettyString() + "\n");
        System.err.println("wrote " + packageDir);
        return 0;
    }

    private SequenceClassifier train(SequenceClassifier.Mode mode, LabelledTexts set) throws Exception {
        GptModel model = Checkpoint.loadModel(checkpoint);
        BpeTokenizer tokenizer = Checkpoint.loadTokenizer(checkpoint);
        SequenceClassifier clf = new SequenceClassifier(model, set.labelNames().size(), mode, loraRank, loraAlpha, seed);
        List<SequenceClassifier.Example> ex = examples(clf, tokenizer, set);
        int perEpoch = (ex.size() + batch - 1) / batch;
        ProgressBar bar = ProgressBar.onStderr("finetune " + modeName, (long) perEpoch * epochs);
        float rate = lr != null ? lr : mode == SequenceClassifier.Mode.HEAD ? 0.01f : 0.001f;
        clf.fit(ex, set.labels(), epochs, batch, rate, weightDecay, seed,
                (step, total, l) -> bar.update(step, String.format(Locale.ROOT, "loss %.4f", l)));
        bar.finish();
        return clf;
    }

    private List<SequenceClassifier.Example> examples(SequenceClassifier clf, BpeTokenizer tokenizer, LabelledTexts set) {
        int limit = Math.min(maxTokens, clf.model().config().blockSize());
        List<SequenceClassifier.Example> ex = new ArrayList<>();
        for (String t : set.texts()) {
            ex.add(clf.prepare(SequenceClassifier.input(tokenizer, t, limit)));
        }
        return ex;
    }

    private static void print(String name, Metrics m) {
        System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f |%n", name, m.accuracy(), m.macroF1());
    }
}
