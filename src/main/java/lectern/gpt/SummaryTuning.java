package lectern.gpt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Summarization as instruction tuning: each example is {@code text <|summary|> summary <|endoftext|>} and the loss
 * counts only the positions that predict the summary and its end-of-text, so the model learns to write summaries
 * rather than to model the texts (which pretraining already did). Every weight trains.
 *
 * <p>The serving side ({@code ServedModel.summarize}) builds exactly this prompt, text then {@code <|summary|>}, and
 * generates until end-of-text. Batches are padded to their longest example with end-of-text tokens whose targets are
 * ignored; causal attention means padding after an example never changes its own positions. To waste little time on
 * padding, examples of similar length are batched together: the epoch's order is shuffled, cut into windows of 50
 * batches, each window sorted by length, and the resulting batches shuffled again (all seeded).
 */
public final class SummaryTuning {

    /** A text and the summary the model should write for it. */
    public record Pair(String text, String summary) {
    }

    /** Inputs and next-token targets of one example; targets before the summary are {@link GptModel#IGNORE}. */
    public record Example(int[] inputs, int[] targets) {
        public int length() {
            return inputs.length;
        }

        public int scored() {
            int n = 0;
            for (int t : targets) {
                if (t != GptModel.IGNORE) {
                    n++;
                }
            }
            return n;
        }
    }

    public record Options(int steps, int batchSize, float maxLr, float minLr, int warmupSteps, float weightDecay,
                          float gradClip, int maxSummaryTokens, long seed) {
        public static Options defaults(int steps) {
            return new Options(steps, 16, 3e-4f, 3e-5f, Math.min(100, Math.max(1, steps / 10)), 0.1f, 1.0f, 48, 1337L);
        }
    }

    /** One optimizer step done: the mean loss over the batch's summary tokens. */
    public interface Listener {
        void onStep(int step, int totalSteps, float loss, float learningRate, long tokens);
    }

    private SummaryTuning() {
    }

    /**
     * The example for a pair: the summary's tokens (at most {@code maxSummaryTokens}) keep their room and the text is
     * cut to what is left of the block. Inputs and targets are the sequence shifted by one.
     */
    public static Example example(BpeTokenizer tokenizer, Pair pair, int blockSize, int maxSummaryTokens) {
        int summaryToken = tokenizer.specialTokenId(BpeTokenizer.SUMMARY);
        int end = tokenizer.endOfTextId();
        if (summaryToken < 0 || end < 0) {
            throw new IllegalArgumentException("the tokenizer has no " + BpeTokenizer.SUMMARY + " or end-of-text token");
        }
        int[] summary = tokenizer.encode(pair.summary());
        summary = Arrays.copyOf(summary, Math.min(summary.length, maxSummaryTokens));
        // the sequence holds blockSize + 1 tokens: text, <|summary|>, summary, <|endoftext|>
        int room = blockSize + 1 - summary.length - 2;
        if (room < 1) {
            throw new IllegalArgumentException("block size " + blockSize + " leaves no room for text beside a "
                    + summary.length + "-token summary");
        }
        int[] text = tokenizer.encode(pair.text());
        text = Arrays.copyOf(text, Math.min(text.length, room));
        int n = text.length + 1 + summary.length + 1;
        int[] sequence = new int[n];
        System.arraycopy(text, 0, sequence, 0, text.length);
        sequence[text.length] = summaryToken;
        System.arraycopy(summary, 0, sequence, text.length + 1, summary.length);
        sequence[n - 1] = end;
        int[] inputs = Arrays.copyOf(sequence, n - 1);
        int[] targets = new int[n - 1];
        for (int i = 0; i < n - 1; i++) {
            // position i predicts sequence[i + 1]; the first scored one is <|summary|>'s, which predicts the summary
            targets[i] = i >= text.length ? sequence[i + 1] : GptModel.IGNORE;
        }
        return new Example(inputs, targets);
    }

    public static List<Example> examples(BpeTokenizer tokenizer, List<Pair> pairs, int blockSize, int maxSummaryTokens) {
        List<Example> out = new ArrayList<>(pairs.size());
        for (Pair p : pairs) {
            out.add(example(tokenizer, p, blockSize, maxSummaryTokens));
        }
        return out;
    }

    /** Fine-tunes every weight of {@code model} for {@code o.steps()} steps; returns the per-step losses. */
    public static List<Float> fit(GptModel model, List<Example> examples, Options o, Listener listener) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no examples to fine-tune on");
        }
        AdamW optimizer = new AdamW(model, Trainer.BETA1, Trainer.BETA2, Trainer.EPS, o.weightDecay());
        LearningRateSchedule schedule = new LearningRateSchedule(o.maxLr(), o.minLr(), o.warmupSteps(), o.steps());
        Random rng = new Random(o.seed());
        List<List<Example>> batches = new ArrayList<>();
        List<Float> losses = new ArrayList<>(o.steps());
        long tokens = 0;
        for (int step = 0; step < o.steps(); step++) {
            if (batches.isEmpty()) {
                batches = epochBatches(examples, o.batchSize(), rng);
            }
            List<Example> batch = batches.remove(batches.size() - 1);
            int[][] bt = pad(batch);
            float loss = step(model, optimizer, bt, batch.size(), schedule.at(step), o.gradClip());
            losses.add(loss);
            tokens += bt[0].length;
            if (listener != null) {
                listener.onStep(step + 1, o.steps(), loss, schedule.at(step), tokens);
            }
        }
        return losses;
    }

    /** Mean loss over the summary tokens of {@code examples}, weighted by how many each scores (no training). */
    public static double loss(GptModel model, List<Example> examples, int batchSize) {
        double total = 0;
        long scored = 0;
        for (int i = 0; i < examples.size(); i += batchSize) {
            List<Example> batch = examples.subList(i, Math.min(examples.size(), i + batchSize));
            int[][] bt = pad(batch);
            int n = 0;
            for (Example e : batch) {
                n += e.scored();
            }
            total += (double) model.forward(bt[0], bt[1], batch.size(), bt[0].length / batch.size()) * n;
            scored += n;
        }
        return scored == 0 ? 0 : total / scored;
    }

    /** One optimizer step on a padded (B,T) batch. */
    private static float step(GptModel model, AdamW optimizer, int[][] bt, int B, float lr, float clip) {
        model.zeroGradients();
        float loss = model.forward(bt[0], bt[1], B, bt[0].length / B);
        model.backward();
        optimizer.clipAndStep(clip, lr);
        return loss;
    }

    /** (B,T) inputs and targets, T the longest example; padding is token 0 with ignored targets. */
    static int[][] pad(List<Example> batch) {
        int T = 0;
        for (Example e : batch) {
            T = Math.max(T, e.length());
        }
        int B = batch.size();
        int[] inputs = new int[B * T];
        int[] targets = new int[B * T];
        Arrays.fill(targets, GptModel.IGNORE);
        for (int b = 0; b < B; b++) {
            Example e = batch.get(b);
            System.arraycopy(e.inputs(), 0, inputs, b * T, e.length());
            System.arraycopy(e.targets(), 0, targets, b * T, e.length());
        }
        return new int[][] {inputs, targets};
    }

    /** One epoch's batches, similar lengths together, in random order (the caller takes them from the end). */
    static List<List<Example>> epochBatches(List<Example> examples, int batchSize, Random rng) {
        List<Example> order = new ArrayList<>(examples);
        java.util.Collections.shuffle(order, rng);
        List<List<Example>> batches = new ArrayList<>();
        int window = batchSize * 50;
        for (int w = 0; w < order.size(); w += window) {
            List<Example> chunk = new ArrayList<>(order.subList(w, Math.min(order.size(), w + window)));
            chunk.sort(Comparator.comparingInt(Example::length));
            for (int i = 0; i < chunk.size(); i += batchSize) {
                batches.add(new ArrayList<>(chunk.subList(i, Math.min(chunk.size(), i + batchSize))));
            }
        }
        java.util.Collections.shuffle(batches, rng);
        return batches;
    }
}
