package lectern.gpt;

import java.util.SplittableRandom;

/**
 * Batches of (B, T) inputs and their next-token targets from a token file.
 *
 * <p>Training batches are random windows, and the windows of step {@code s} depend only on the seed
 * and {@code s}: a run resumed at step {@code s} sees exactly the batches an uninterrupted run would.
 * Evaluation walks the file in order, in non-overlapping windows of T (the last one may be shorter).
 */
public final class DataLoader {

    private final TokenFile tokens;
    private final int batchSize;
    private final int contextLength;
    private final long seed;

    public DataLoader(TokenFile tokens, int batchSize, int contextLength, long seed) {
        if (tokens.length() < contextLength + 1) {
            throw new IllegalArgumentException(tokens.path() + " holds " + tokens.length()
                    + " tokens, fewer than one window of " + (contextLength + 1));
        }
        this.tokens = tokens;
        this.batchSize = batchSize;
        this.contextLength = contextLength;
        this.seed = seed;
    }

    public int batchSize() {
        return batchSize;
    }

    public int contextLength() {
        return contextLength;
    }

    /** Fills the random training batch of {@code step}: inputs (B,T) and targets (B,T), targets shifted by one. */
    public void trainingBatch(long step, int[] inputs, int[] targets) {
        int T = contextLength;
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        int windows = tokens.length() - T; // window start s needs tokens s..s+T
        int[] row = new int[T + 1];
        for (int b = 0; b < batchSize; b++) {
            int start = random.nextInt(windows);
            tokens.read(start, row, 0, T + 1);
            System.arraycopy(row, 0, inputs, b * T, T);
            System.arraycopy(row, 1, targets, b * T, T);
        }
    }

    /** Number of targets an evaluation pass covers: every token after the first. */
    public int evaluationTargets() {
        return tokens.length() - 1;
    }

    /** A window of the sequential evaluation pass. */
    public record Window(int[] inputs, int[] targets, int length) {
    }

    /**
     * The i-th evaluation window: inputs {@code tokens[i*T .. i*T+len)}, targets shifted by one; every
     * window is T long except maybe the last. Returns null past the end.
     */
    public Window evaluationWindow(int i) {
        int T = contextLength;
        long start = (long) i * T;
        if (start >= tokens.length() - 1) {
            return null;
        }
        int length = (int) Math.min(T, tokens.length() - 1 - start);
        int[] inputs = new int[length];
        int[] targets = new int[length];
        tokens.read((int) start, inputs, 0, length);
        tokens.read((int) start + 1, targets, 0, length);
        return new Window(inputs, targets, length);
    }

    /** Number of evaluation windows (the last may be shorter than T). */
    public int evaluationWindows() {
        return (evaluationTargets() + contextLength - 1) / contextLength;
    }
}
