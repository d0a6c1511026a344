package lectern.llm;

/**
 * How to pick tokens: temperature (0 = greedy), top-k (0 = all), top-p (1 = all), at most {@code maxTokens} new
 * tokens, and a seed; the same prompt, settings and seed give the same tokens.
 */
public record GenerationSettings(int maxTokens, float temperature, int topK, float topP, long seed) {

    public static GenerationSettings defaults() {
        return new GenerationSettings(64, 0.8f, 40, 0.95f, 1337L);
    }
}
