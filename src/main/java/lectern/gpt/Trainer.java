package lectern.gpt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The pretraining loop: random (B,T) windows of the training tokens, AdamW (beta 0.9/0.95, eps 1e-8,
 * decoupled weight decay on matrices), gradient clipping, warmup + cosine learning rate, validation
 * loss every {@code evalEvery} steps on a fixed set of validation windows, and a checkpoint every
 * {@code checkpointEvery} steps and at the end.
 *
 * <p>Resuming is exact: the batch of step s depends only on (seed, s), and a checkpoint holds the
 * weights, both Adam moments and Adam's step, so a run resumed at step s produces the same losses and
 * weights as one that never stopped, bit for bit, with the scalar and the Vector API kernels alike.
 *
 * <p>{@code train_log.jsonl} gets one line per step:
 * {@code {"step":12,"loss":6.1,"tokens_per_s":20480.0,"lr":0.0006,"grad_norm":0.9}}, plus {@code "val_loss"} on
 * steps where it was measured ({@code "step":0} holds the validation loss before training).
 */
public final class Trainer {

    public static final float BETA1 = 0.9f;
    public static final float BETA2 = 0.95f;
    public static final float EPS = 1e-8f;

    /**
     * What a run needs. {@code tokenizer} may be null (then no tokenizer.json is written). {@code initWeights}: a
     * model.safetensors to start from instead of the seeded initialisation (continued pretraining; null: from scratch);
     * ignored on resume, where the checkpoint's weights continue.
     */
    public record Options(GptConfig config, Path trainTokens, Path valTokens, Path outDir, BpeTokenizer tokenizer,
                          int steps, int batchSize, float maxLr, float minLr, int warmupSteps, float weightDecay,
                          float gradClip, int evalEvery, int evalWindows, int checkpointEvery, long seed, boolean resume,
                          Path initWeights) {

        public Options(GptConfig config, Path trainTokens, Path valTokens, Path outDir, BpeTokenizer tokenizer,
                       int steps, int batchSize, float maxLr, float minLr, int warmupSteps, float weightDecay,
                       float gradClip, int evalEvery, int evalWindows, int checkpointEvery, long seed, boolean resume) {
            this(config, trainTokens, valTokens, outDir, tokenizer, steps, batchSize, maxLr, minLr, warmupSteps, weightDecay,
                    gradClip, evalEvery, evalWindows, checkpointEvery, seed, resume, null);
        }

        /** Defaults as the CLI uses them: lr 1e-3 decaying to 1e-4, warmup 10% (at most 100 steps), clip 1.0, decay 0.1. */
        public static Options defaults(GptConfig config, Path train, Path val, Path out, int steps, int batchSize, long seed) {
            return new Options(config, train, val, out, null, steps, batchSize, 1e-3f, 1e-4f, Math.min(100, steps / 10),
                    0.1f, 1.0f, 100, 64, 500, seed, false);
        }
    }

    /** Progress after a step (or after the evaluation before the first step, with {@code step == startStep}). */
    public record Progress(int step, int totalSteps, float loss, float valLoss, float learningRate, double tokensPerSecond,
                           double etaSeconds) {
    }

    /** Receives progress; the CLI draws a progress bar from it. */
    public interface Listener {
        void onProgress(Progress progress);
    }

    /** The losses of a finished run. */
    public record Result(int steps, float lastLoss, float lastValLoss, List<Float> losses, double tokensPerSecond) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private Trainer() {
    }

    public static Result run(Options o, Listener listener) throws IOException {
        return run(o, Compute.preferred(), listener);
    }

    /** Trains on the given kernels and pool (tests pick the scalar kernels, whose sums are bit-for-bit repeatable). */
    public static Result run(Options o, Compute compute, Listener listener) throws IOException {
        GptConfig config = o.config();
        if (o.tokenizer() != null && o.tokenizer().vocabSize() > config.vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + o.tokenizer().vocabSize()
                    + " tokens but the model's vocab_size is " + config.vocabSize());
        }
        Files.createDirectories(o.outDir());
        GptModel model = new GptModel(config, compute);
        AdamW optimizer = new AdamW(model, BETA1, BETA2, EPS, o.weightDecay());
        int startStep = 0;
        if (o.resume()) {
            Checkpoint.TrainerState state = Checkpoint.readTrainerState(o.outDir());
            GptConfig saved = Checkpoint.readConfig(o.outDir().resolve(Checkpoint.CONFIG));
            if (!saved.equals(config)) {
                throw new IllegalArgumentException("--resume: the checkpoint's config " + saved + " differs from " + config);
            }
            if (state.seed() != o.seed() || state.batchSize() != o.batchSize()) {
                throw new IllegalArgumentException("--resume: the checkpoint was trained with seed " + state.seed()
                        + " and batch " + state.batchSize() + "; resume with the same values (got seed " + o.seed()
                        + ", batch " + o.batchSize() + ")");
            }
            Checkpoint.loadWeights(o.outDir().resolve(Checkpoint.MODEL), model);
            Checkpoint.loadOptimizer(o.outDir(), optimizer, state);
            startStep = state.step();
            truncateLog(o.outDir().resolve(Checkpoint.TRAIN_LOG), startStep);
        } else {
            model.initialize(o.seed());
            if (o.initWeights() != null) {
                Checkpoint.loadWeights(o.initWeights(), model);
            }
            Files.deleteIfExists(o.outDir().resolve(Checkpoint.TRAIN_LOG));
        }

        int B = o.batchSize();
        int T = config.blockSize();
        TokenFile trainFile = TokenFile.open(o.trainTokens());
        TokenFile valFile = o.valTokens() == null ? null : TokenFile.open(o.valTokens());
        DataLoader loader = new DataLoader(trainFile, B, T, o.seed());
        LearningRateSchedule schedule = new LearningRateSchedule(o.maxLr(), o.minLr(), o.warmupSteps(), o.steps());
        int[] inputs = new int[B * T];   // (B,T)
        int[] targets = new int[B * T];  // (B,T)
        List<Float> losses = new ArrayList<>();
        float loss = Float.NaN;
        float valLoss = Float.NaN;
        double smoothedRate = 0;
        long trainingNanos = 0;
        int stepsTimed = 0;

        try (BufferedWriter log = Files.newBufferedWriter(o.outDir().resolve(Checkpoint.TRAIN_LOG), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            if (startStep == 0 && valFile != null && o.evalEvery() > 0) {
                valLoss = (float) HeldOutLoss.measure(model, valFile, B, o.evalWindows()).loss();
                ObjectNode line = JSON.createObjectNode();
                line.put("step", 0);
                line.put("val_loss", Checkpoint.decimal(valLoss));
                log.write(line.toString());
                log.newLine();
                log.flush();
                listener.onProgress(new Progress(0, o.steps(), Float.NaN, valLoss, schedule.at(0), 0, Double.NaN));
            }
            for (int step = startStep; step < o.steps(); step++) {
                long start = System.nanoTime();
                loader.trainingBatch(step, inputs, targets);
                model.zeroGradients();
                loss = model.forward(inputs, targets, B, T);
                model.backward();
                float lr = schedule.at(step);
                float gradNorm = optimizer.clipAndStep(o.gradClip(), lr);
                long nanos = System.nanoTime() - start;
                trainingNanos += nanos;
                stepsTimed++;
                double rate = B * (double) T / (nanos / 1e9);
                smoothedRate = stepsTimed == 1 ? rate : 0.9 * smoothedRate + 0.1 * rate;
                losses.add(loss);
                int done = step + 1;

                boolean last = done == o.steps();
                boolean measured = false;
                if (valFile != null && o.evalEvery() > 0 && (done % o.evalEvery() == 0 || last)) {
                    valLoss = (float) HeldOutLoss.measure(model, valFile, B, o.evalWindows()).loss();
                    measured = true;
                }
                ObjectNode line = JSON.createObjectNode();
                line.put("step", done);
                line.put("loss", Checkpoint.decimal(loss));
                if (measured) {
                    line.put("val_loss", Checkpoint.decimal(valLoss));
                }
                line.put("tokens_per_s", Math.round(rate * 10) / 10.0);
                line.put("lr", Checkpoint.decimal(lr));
                line.put("grad_norm", Checkpoint.decimal(gradNorm));
                log.write(line.toString());
                log.newLine();
                if (last || (o.checkpointEvery() > 0 && done % o.checkpointEvery() == 0)) {
                    log.flush();
                    saveCheckpoint(o, model, optimizer, done);
                }
                double secondsPerStep = trainingNanos / 1e9 / stepsTimed;
                listener.onProgress(new Progress(done, o.steps(), loss, valLoss, lr, smoothedRate,
                        (o.steps() - done) * secondsPerStep));
            }
        }
        if (startStep >= o.steps()) {
            saveCheckpoint(o, model, optimizer, startStep); // nothing to do, but leave a complete run directory
        }
        double averageRate = trainingNanos == 0 ? 0 : (double) stepsTimed * B * T / (trainingNanos / 1e9);
        return new Result(o.steps(), loss, valLoss, losses, averageRate);
    }

    private static void saveCheckpoint(Options o, GptModel model, AdamW optimizer, int step) throws IOException {
        Checkpoint.saveModel(o.outDir(), model, o.tokenizer());
        Checkpoint.saveOptimizer(o.outDir(), optimizer, new Checkpoint.TrainerState(step, optimizer.stepCount(), o.seed(),
                o.batchSize(), o.steps(), o.maxLr(), o.minLr(), o.warmupSteps(), o.weightDecay(), o.gradClip()));
    }

    /** Drops log lines written after the checkpoint we resume from (a run that went on, then died). */
    private static void truncateLog(Path log, int step) throws IOException {
        if (!Files.exists(log)) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && JSON.readTree(line).path("step").asInt() <= step) {
                kept.add(line);
            }
        }
        Files.write(log, kept, StandardCharsets.UTF_8);
    }
}
