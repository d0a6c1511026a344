package lectern.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import lectern.gpt.BpeTokenizer;
import lectern.gpt.Checkpoint;
import lectern.gpt.GptModel;
import lectern.gpt.SummaryTuning;
import lectern.gpt.eval.DebianSummaries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "finetune-summaries", mixinStandardHelpOptions = true,
        description = "Instruction-tunes a pretrained GPT to summarize (text <|summary|> summary <|endoftext|>, loss on "
                + "the summary only) on the training families of Debian's description -> synopsis pairs "
                + "(model/data/corpus/debian-pairs.jsonl from model/corpus.sh), and writes a run directory "
                + "(export it with export-onnx, or give it to finetune --package for the classifier).")
public final class FinetuneSummariesCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--checkpoint", required = true, description = "Pretrained run directory.")
    Path checkpoint;

    @Option(names = "--pairs", required = true, description = "debian-pairs.jsonl (package, family, split, synopsis, description).")
    Path pairs;

    @Option(names = "--out", required = true, description = "Run directory to write.")
    Path out;

    @Option(names = "--steps", defaultValue = "1000", description = "Optimizer steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", defaultValue = "16") int batch;
    @Option(names = "--lr", defaultValue = "3e-4", description = "Peak learning rate, decaying to a tenth (default ${DEFAULT-VALUE}).")
    float lr;
    @Option(names = "--weight-decay", defaultValue = "0.1") float weightDecay;
    @Option(names = "--max-summary-tokens", defaultValue = "48") int maxSummaryTokens;
    @Option(names = "--val-pairs", defaultValue = "256",
            description = "Training-family pairs kept out of training to measure the summary loss (default ${DEFAULT-VALUE}).")
    int valPairs;
    @Option(names = "--seed", defaultValue = "1337") long seed;

    @Option(names = "--extra-pairs", description = "More pairs in the same JSONL shape (e.g. docs-sections.jsonl from "
            + "model/corpus-docs.sh): all of their training-family pairs are tuned on as well, besides the sampled ones.")
    Path extraPairs;

    @Override
    public Integer call() throws Exception {
        GptModel model = Checkpoint.loadModel(checkpoint);
        BpeTokenizer tokenizer = Checkpoint.loadTokenizer(checkpoint);
        int block = model.config().blockSize();
        // only the training families; the benchmark's test families are never seen here (nor in pretraining)
        List<DebianSummaries.Entry> train = DebianSummaries.sample(DebianSummaries.read(pairs), false, 0, seed);
        if (train.size() <= valPairs) {
            throw new IllegalArgumentException(pairs + " has only " + train.size() + " training pairs");
        }
        // a seeded sample of as many pairs as the steps can see once (tokenizing all 55k would take minutes for nothing)
        int trainCount = (int) Math.min(train.size() - valPairs, (long) steps * batch);
        List<SummaryTuning.Pair> valSet = new ArrayList<>(), trainSet = new ArrayList<>();
        for (int i = 0; i < valPairs + trainCount; i++) {
            (i < valPairs ? valSet : trainSet).add(train.get(i).pair());
        }
        int extra = 0;
        if (extraPairs != null) {
            for (DebianSummaries.Entry e : DebianSummaries.sample(DebianSummaries.read(extraPairs), false, 0, seed)) {
                trainSet.add(e.pair());
                extra++;
            }
            java.util.Collections.shuffle(trainSet, new java.util.Random(seed));
        }
        List<SummaryTuning.Example> trainEx = SummaryTuning.examples(tokenizer, trainSet, block, maxSummaryTokens);
        List<SummaryTuning.Example> valEx = SummaryTuning.examples(tokenizer, valSet, block, maxSummaryTokens);
        double before = SummaryTuning.loss(model, valEx, batch);
        System.err.printf(Locale.ROOT, "finetune-summaries: %,d training pairs (of %,d in training families), %d validation pairs; "
                + "summary loss before %.4f%n", trainEx.size(), train.size() - valPairs, valEx.size(), before);

        Files.createDirectories(out);
        SummaryTuning.Options o = new SummaryTuning.Options(steps, batch, lr, lr / 10, Math.min(100, Math.max(1, steps / 10)),
                weightDecay, 1.0f, maxSummaryTokens, seed);
        ProgressBar bar = ProgressBar.onStderr("finetune-summaries", steps);
        long start = System.nanoTime();
        List<Float> losses;
        try (BufferedWriter log = Files.newBufferedWriter(out.resolve("summary_log.jsonl"), StandardCharsets.UTF_8)) {
            losses = SummaryTuning.fit(model, trainEx, o, (step, total, loss, rate, tokens) -> {
                double seconds = (System.nanoTime() - start) / 1e9;
                try {
                    log.write(String.format(Locale.ROOT, "{\"step\":%d,\"loss\":%.5f,\"lr\":%.3g}%n", step, loss, rate));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                bar.update(step, String.format(Locale.ROOT, "loss %.4f  %,.0f tok/s", loss, tokens / seconds));
            });
        }
        bar.finish();
        double after = SummaryTuning.loss(model, valEx, batch);
        System.err.printf(Locale.ROOT, "finetune-summaries: summary loss on %d held-out pairs %.4f -> %.4f (last step %.4f), %.0f s%n",
                valEx.size(), before, after, losses.get(losses.size() - 1), (System.nanoTime() - start) / 1e9);

        Checkpoint.saveModel(out, model, tokenizer);
        ObjectNode metrics = JSON.createObjectNode();
        ObjectNode s = metrics.putObject("summary_tuning");
        s.put("pretrained", checkpoint.normalize().toString());
        s.put("steps", steps);
        s.put("batch", batch);
        s.put("training_pairs", trainEx.size());
        if (extraPairs != null) {
            s.put("extra_pairs", extra);
            s.put("extra_pairs_file", extraPairs.getFileName().toString());
        }
        s.put("held_out_pairs", valEx.size());
        s.put("held_out_summary_loss_before", Math.round(before * 1e4) / 1e4);
        s.put("held_out_summary_loss_after", Math.round(after * 1e4) / 1e4);
        Files.writeString(out.resolve("metrics.json"), metrics.toPrettyString() + "\n");
        System.err.println("wrote " + out);
        return 0;
    }
}
