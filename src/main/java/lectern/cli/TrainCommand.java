package lectern.cli;

import lectern.gpt.BpeTokenizer;
import lectern.gpt.Checkpoint;
import lectern.gpt.GptConfig;
import lectern.gpt.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Pretrains a GPT on uint16 token files and writes a run directory (config, tokenizer, weights, log).")
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", defaultValue = "micro", description = "micro, mini, small (the shipped model), or a config.json path (default ${DEFAULT-VALUE}).")
    String config;

    @Option(names = "--data", description = "Directory with train.bin, val.bin and tokenizer.json (as 'tokenize' writes it).")
    Path data;

    @Option(names = "--train", description = "Training token file (instead of --data).")
    Path train;

    @Option(names = "--val", description = "Validation token file (instead of --data).")
    Path val;

    @Option(names = "--tokenizer", description = "tokenizer.json to store in the run directory (default: the one in --data).")
    Path tokenizer;

    @Option(names = "--out", required = true, description = "Run directory.")
    Path out;

    @Option(names = "--steps", required = true, description = "Total optimizer steps.")
    int steps;

    @Option(names = "--seed", defaultValue = "1337", description = "Seed for initialisation and batches (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch", description = "Batch size (default: 16 for micro, 8 otherwise).")
    Integer batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (default ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--min-lr", description = "Final learning rate of the cosine decay (default: lr/10).")
    Float minLr;

    @Option(names = "--warmup", description = "Warmup steps (default: 10%% of steps, at most 100).")
    Integer warmup;

    @Option(names = "--weight-decay", defaultValue = "0.1", description = "AdamW weight decay (default ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--grad-clip", defaultValue = "1.0", description = "Gradient norm clip (default ${DEFAULT-VALUE}).")
    float gradClip;

    @Option(names = "--positions", description = "learned or none (NoPE); overrides the config.")
    String positions;

    @Option(names = "--eval-every", defaultValue = "100", description = "Validation loss every N steps (default ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--eval-windows", defaultValue = "64", description = "Validation windows per evaluation (default ${DEFAULT-VALUE}).")
    int evalWindows;

    @Option(names = "--checkpoint-every", defaultValue = "500", description = "Checkpoint every N steps, and at the end (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--init", description = "Start from these weights instead of a random initialisation (continued "
            + "pretraining): a run directory (its model.safetensors) or a served model directory (its lm.onnx); the config "
            + "is taken from it. The data order, schedule and optimizer start fresh.")
    Path init;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        GptConfig cfg = resume ? Checkpoint.readConfig(out.resolve(Checkpoint.CONFIG)) : namedConfig(config);
        Path initWeights = null;
        if (init != null && !resume) {
            if (Files.isRegularFile(init.resolve(Checkpoint.MODEL))) {
                cfg = Checkpoint.readConfig(init.resolve(Checkpoint.CONFIG));
                initWeights = init.resolve(Checkpoint.MODEL);
            } else {
                // a served model directory: its lm.onnx, read back and saved next to the run as the starting point
                lectern.gpt.GptModel start = lectern.gpt.onnx.ModelPackage.readGpt(init);
                cfg = start.config();
                Path dir = out.resolve("init");
                Files.createDirectories(dir);
                Checkpoint.saveWeights(dir, start);
                initWeights = dir.resolve(Checkpoint.MODEL);
            }
        }
        if (positions != null) {
            cfg = cfg.withPositions(GptConfig.Positions.fromJsonName(positions.toLowerCase(Locale.ROOT)));
        }
        Path trainFile = train != null ? train : data == null ? null : data.resolve("train.bin");
        Path valFile = val != null ? val : data == null ? null : data.resolve("val.bin");
        if (trainFile == null) {
            throw new ParameterException(spec.commandLine(), "give --data DIR or --train FILE");
        }
        Path tokenizerFile = tokenizer != null ? tokenizer : data != null && Files.exists(data.resolve("tokenizer.json"))
                ? data.resolve("tokenizer.json") : null;
        if (tokenizerFile == null && resume && Files.exists(out.resolve(Checkpoint.TOKENIZER))) {
            tokenizerFile = out.resolve(Checkpoint.TOKENIZER);
        }
        BpeTokenizer bpe = tokenizerFile == null ? null : BpeTokenizer.load(tokenizerFile);
        int batchSize = batch != null ? batch : cfg.blockSize() <= 128 ? 16 : 8;
        // too few tokens for one window fails deep inside the loader; say so here instead
        int window = cfg.blockSize() + 1;
        for (Path file : new Path[] {trainFile, valFile}) {
            if (file == null || (file == valFile && !Files.exists(file))) {
                continue;
            }
            int tokens = lectern.gpt.TokenFile.open(file).length();
            if (tokens < window) {
                throw new ParameterException(spec.commandLine(), file + " has " + tokens + " tokens, fewer than one window of "
                        + window + " (block size + 1): tokenize more text" + (file == valFile ? " or a larger --val-fraction" : ""));
            }
        }
        Trainer.Options options = new Trainer.Options(cfg, trainFile, valFile, out, bpe, steps, batchSize, lr,
                minLr != null ? minLr : lr / 10, warmup != null ? warmup : Math.min(100, steps / 10), weightDecay, gradClip,
                evalEvery, evalWindows, checkpointEvery, seed, resume, initWeights);
        System.err.printf("train: %s, %,d parameters, batch %d x %d, %d steps, lr %.2g, seed %d%s -> %s%n",
                cfg, cfg.parameterCount(), batchSize, cfg.blockSize(), steps, lr, seed,
                resume ? " (resumed)" : initWeights != null ? " (from " + init + ")" : "", out);
        ProgressBar bar = ProgressBar.onStderr("train", steps);
        Trainer.Result result = Trainer.run(options, p -> bar.update(p.step(), String.format(Locale.ROOT,
                "loss %s  val %s  %,.0f tok/s  lr %.2e", format(p.loss()), format(p.valLoss()), p.tokensPerSecond(),
                p.learningRate())));
        bar.finish();
        System.err.printf("train: done, loss %s, val loss %s, %,.0f tokens/s on average -> %s%n",
                format(result.lastLoss()), format(result.lastValLoss()), result.tokensPerSecond(), out);
        return 0;
    }

    static GptConfig namedConfig(String name) throws Exception {
        var reference = GptConfig.reference(name);
        return reference.isPresent() ? reference.get() : Checkpoint.readConfig(Path.of(name));
    }

    private static String format(float value) {
        return Float.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }
}
