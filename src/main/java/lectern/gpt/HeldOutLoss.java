package lectern.gpt;

/**
 * The mean next-token cross-entropy of a model over a token file, walked in order in non-overlapping
 * windows of the block size: window i predicts {@code tokens[i*T+1 .. i*T+T]} from {@code tokens[i*T .. i*T+T-1]},
 * the last window may be shorter, and the mean is over every predicted token. The PyTorch cross-check
 * ({@code model/crosscheck_pytorch.py}) walks the file the same way.
 */
public final class HeldOutLoss {

    /** Mean loss in nats per token and how many tokens were predicted. */
    public record Result(double loss, long tokens) {
    }

    private HeldOutLoss() {
    }

    /** Over the whole file. */
    public static Result measure(GptModel model, TokenFile tokens, int batchSize) {
        return measure(model, tokens, batchSize, Integer.MAX_VALUE);
    }

    /** Over the first {@code maxWindows} windows (a fixed subset, so losses at different steps compare). */
    public static Result measure(GptModel model, TokenFile tokens, int batchSize, int maxWindows) {
        int T = model.config().blockSize();
        DataLoader loader = new DataLoader(tokens, batchSize, Math.min(T, tokens.length() - 1), 0);
        T = loader.contextLength();
        int windows = Math.min(maxWindows, loader.evaluationWindows());
        int[] inputs = new int[batchSize * T];   // (B,T)
        int[] targets = new int[batchSize * T];  // (B,T)
        double sum = 0;
        long count = 0;
        int w = 0;
        while (w < windows) {
            int rows = 0;
            while (rows < batchSize && w < windows) {
                DataLoader.Window window = loader.evaluationWindow(w);
                if (window.length() < T) {
                    break; // a short last window runs on its own below
                }
                System.arraycopy(window.inputs(), 0, inputs, rows * T, T);
                System.arraycopy(window.targets(), 0, targets, rows * T, T);
                rows++;
                w++;
            }
            if (rows > 0) {
                sum += (double) model.forward(inputs, targets, rows, T) * rows * T;
                count += (long) rows * T;
            }
            if (w < windows) {
                DataLoader.Window window = loader.evaluationWindow(w);
                if (window.length() < T) {
                    sum += (double) model.forward(window.inputs(), window.targets(), 1, window.length()) * window.length();
                    count += window.length();
                    w++;
                }
            }
        }
        return new Result(count == 0 ? Double.NaN : sum / count, count);
    }
}
