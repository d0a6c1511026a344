package lectern.gpt.classify;

import lectern.gpt.BpeTokenizer;
import lectern.gpt.GptModel;
import lectern.gpt.SequenceClassifier;

import java.util.ArrayList;
import java.util.List;

/**
 * The GPT half of a {@link HybridClassifier}'s features: the ln_f hidden state (C) of a frozen GPT at the last token
 * of exactly the input the served classifier gets (the text's first block_size - 1 tokens, then
 * {@code <|classify|>}; {@link SequenceClassifier#input}).
 */
public final class GptFeatures {

    private static final int BATCH = 16;

    /** Progress per text, for long lists. */
    public interface Progress {
        void at(int done, int total) throws InterruptedException;
    }

    private final GptModel model;
    private final BpeTokenizer tokenizer;

    public GptFeatures(GptModel model, BpeTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    public int width() {
        return model.config().nEmbd();
    }

    /** Hidden states (n, C) of the texts. */
    public float[] of(List<String> texts, Progress progress) throws InterruptedException {
        // HEAD mode runs no trainable block: prepare() computes the whole frozen trunk, forward() applies ln_f
        SequenceClassifier trunk = new SequenceClassifier(model, 2, SequenceClassifier.Mode.HEAD, 0, 0f, 1);
        int n = texts.size();
        float[] out = new float[n * width()];
        for (int s = 0; s < n; s += BATCH) {
            int e = Math.min(n, s + BATCH);
            List<SequenceClassifier.Example> batch = new ArrayList<>(e - s);
            for (int i = s; i < e; i++) {
                batch.add(trunk.prepare(SequenceClassifier.input(tokenizer, texts.get(i), model.config().blockSize())));
            }
            System.arraycopy(trunk.hiddenStates(batch, BATCH), 0, out, s * width(), (e - s) * width());
            if (progress != null) {
                progress.at(e, n);
            }
        }
        return out;
    }

    public float[] of(List<String> texts) {
        try {
            return of(texts, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
