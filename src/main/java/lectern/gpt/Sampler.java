package lectern.gpt;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Text generation from a {@link GptModel} as llm.c does it: every new token runs the model on the last
 * {@code block_size} tokens (no KV cache; serving has one) and samples from the last position's logits.
 * Sampling: temperature, then top-k, then top-p (nucleus), then a draw from a seeded
 * {@link SplittableRandom}, so the same seed gives the same text. Temperature 0 or top-k 1 is greedy.
 */
public final class Sampler {

    /**
     * @param temperature divides the logits; 0 means greedy
     * @param topK        keep the k most likely tokens; 0 keeps all
     * @param topP        keep the smallest set of most likely tokens whose probability reaches p; 1 keeps all
     * @param maxTokens   how many tokens to generate at most
     * @param stopToken   generation ends after this token (e.g. end-of-text); -1 for none
     */
    public record Settings(float temperature, int topK, float topP, int maxTokens, long seed, int stopToken) {
    }

    private final GptModel model;
    private final int vocabSize;
    private final float[] probabilities;
    private final Integer[] order;

    public Sampler(GptModel model) {
        this.model = model;
        this.vocabSize = model.config().vocabSize();
        this.probabilities = new float[vocabSize];
        this.order = new Integer[vocabSize];
    }

    /** Generates after the prompt (an empty prompt starts from {@code startToken}); returns only the new tokens. */
    public int[] generate(int[] prompt, int startToken, Settings settings, IntConsumer onToken) {
        int blockSize = model.config().blockSize();
        int[] context = prompt.length == 0 ? new int[] {startToken} : prompt.clone();
        int[] generated = new int[settings.maxTokens()];
        int count = 0;
        SplittableRandom random = new SplittableRandom(settings.seed());
        int[] sequence = Arrays.copyOf(context, context.length + settings.maxTokens());
        int length = context.length;
        while (count < settings.maxTokens()) {
            int T = Math.min(length, blockSize);
            int[] window = Arrays.copyOfRange(sequence, length - T, length); // (1,T)
            model.forward(window, null, 1, T);
            int next = sample(model.logits(), (T - 1) * vocabSize, settings, random);
            sequence[length++] = next;
            generated[count++] = next;
            if (onToken != null) {
                onToken.accept(next);
            }
            if (next == settings.stopToken()) {
                break;
            }
        }
        return Arrays.copyOf(generated, count);
    }

    /** Picks a token from {@code logits[offset .. offset+V)}. */
    int sample(float[] logits, int offset, Settings s, SplittableRandom random) {
        int V = vocabSize;
        if (s.temperature() <= 0 || s.topK() == 1) {
            int best = 0;
            for (int i = 1; i < V; i++) {
                if (logits[offset + i] > logits[offset + best]) {
                    best = i;
                }
            }
            return best;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < V; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < V; i++) {
            float p = (float) Math.exp((logits[offset + i] - max) / s.temperature());
            probabilities[i] = p;
            sum += p;
        }
        for (int i = 0; i < V; i++) {
            probabilities[i] /= (float) sum;
            order[i] = i;
        }
        // Most likely first; equal probabilities by id, so the cut is deterministic.
        Arrays.sort(order, (a, b) -> probabilities[a] != probabilities[b]
                ? Float.compare(probabilities[b], probabilities[a]) : Integer.compare(a, b));
        int keep = s.topK() > 0 ? Math.min(s.topK(), V) : V;
        if (s.topP() > 0 && s.topP() < 1) {
            double cumulative = 0;
            for (int i = 0; i < keep; i++) {
                cumulative += probabilities[order[i]];
                if (cumulative >= s.topP()) {
                    keep = i + 1;
                    break;
                }
            }
        }
        double kept = 0;
        for (int i = 0; i < keep; i++) {
            kept += probabilities[order[i]];
        }
        double r = random.nextDouble() * kept;
        double cumulative = 0;
        for (int i = 0; i < keep; i++) {
            cumulative += probabilities[order[i]];
            if (r < cumulative) {
                return order[i];
            }
        }
        return order[keep - 1];
    }
}
