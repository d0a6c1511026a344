package lectern.gpt.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import lectern.gpt.BpeTokenizer;
import lectern.gpt.GptConfig;
import lectern.gpt.GptModel;
import lectern.gpt.SequenceClassifier;
import org.junit.jupiter.api.Test;

/**
 * The fine-tuned classifier computes what the exported one will: GptModel's own forward (ln_f of the last token)
 * through the saved head, after LoRA adapters are merged or the last block is trained in place.
 */
class SequenceClassifierParityTest {

    private static float[] expected(GptModel model, SequenceClassifier clf, int[] tokens) {
        ClassifierHead head = new ClassifierHead(List.of("a", "b", "c"), model.config().nEmbd(), clf.headWeight(), clf.headBias());
        return head.apply(TinyModels.lastHidden(model, tokens), 0);
    }

    @Test
    void loraMergedAndLastBlockMatchTheModelsOwnForward() {
        GptConfig cfg = TinyModels.config(GptConfig.Positions.LEARNED);
        Random rng = new Random(3);
        List<int[]> seqs = List.of(TinyModels.tokens(9, cfg.vocabSize(), rng), TinyModels.tokens(4, cfg.vocabSize(), rng));
        int[] labels = {2, 0};
        for (SequenceClassifier.Mode mode : SequenceClassifier.Mode.values()) {
            GptModel model = TinyModels.random(cfg, 5);
            SequenceClassifier clf = new SequenceClassifier(model, 3, mode, 4, 8f, 1);
            List<SequenceClassifier.Example> ex = new ArrayList<>();
            for (int[] s : seqs) {
                ex.add(clf.prepare(s));
            }
            // a few steps so the head, the adapters (B leaves zero) or the last block move away from their start
            clf.fit(ex, labels, 5, 2, 0.05f, 0f, 1, null);
            clf.forward(ex, null);
            float[] got = java.util.Arrays.copyOf(clf.logits(), 6);
            GptModel plain = new GptModel(cfg);
            System.arraycopy(clf.mergedParameters(), 0, plain.parameters(), 0, plain.parameters().length);
            for (int i = 0; i < seqs.size(); i++) {
                assertArrayEquals(expected(plain, clf, seqs.get(i)), java.util.Arrays.copyOfRange(got, 3 * i, 3 * i + 3), 2e-4f,
                        mode + " sequence " + i);
            }
        }
    }

    @Test
    void inputEndsWithTheClassifyTokenLikeTheServedModel() {
        BpeTokenizer tok = BpeTokenizer.of(new int[0][], BpeTokenizer.DEFAULT_SPECIAL_TOKENS);
        int classify = tok.specialTokenId(BpeTokenizer.CLASSIFY);
        int[] ids = SequenceClassifier.input(tok, "hello world", 5);
        assertEquals(5, ids.length);
        assertEquals(classify, ids[4]);
        assertArrayEquals(java.util.Arrays.copyOf(tok.encode("hello world"), 4), java.util.Arrays.copyOf(ids, 4));
        assertArrayEquals(new int[] {classify}, SequenceClassifier.input(tok, "", 5));
        BpeTokenizer plain = BpeTokenizer.of(new int[0][], List.of(BpeTokenizer.END_OF_TEXT));
        assertArrayEquals(new int[] {plain.endOfTextId()}, SequenceClassifier.input(plain, "", 5));
        assertArrayEquals(plain.encode("abc"), SequenceClassifier.input(plain, "abc", 5));
    }
}
