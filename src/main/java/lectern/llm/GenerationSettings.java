package lectern.llm;

/**
 * How to pick tokens: temperature (0 = greedy), top-k (0 = all), top-p (1 = all), at most {@code maxTokens} new
 * tokens, and a seed; the same prompt, settings and seed give the same tokens. {@code minTokens} (Hugging Face's
 * min_new_tokens) keeps the end-of-text token from being picked before that many tokens; benchmarks use it to time
 * generations of a fixed length.
 */
public record GenerationSettings(int maxTokens, float temperature, int topK, float topP, long seed, int minTokens) {

    public GenerationSettings(int maxTokens, float temperature, int topK, float topP, long seed) {
        this(maxTokens, temperature, topK, topP, seed, 0);
    }

    public static GenerationSettings defaults() {
        return new GenerationSettings(64, 0.8f, 40, 0.95f, 1337L);
    }
}
