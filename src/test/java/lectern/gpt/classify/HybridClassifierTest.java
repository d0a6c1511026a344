package lectern.gpt.classify;

import lectern.gpt.onnx.ClassifierHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HybridClassifierTest {

    static final List<String> LABELS = List.of("book", "paper", "project");
    static final String[][] WORDS = {
        {"chapter", "pages", "novel", "read", "book", "ch"},
        {"arxiv", "paper", "abstract", "preprint", "read", "appendix"},
        {"bug", "deploy", "code", "refactor", "tests", "repo"},
    };
    static final int D = 8;

    record Data(List<String> texts, int[] y, float[] hidden) {
    }

    /** Texts whose words tell the label, and GPT-like features that tell it too, with noise. */
    static Data data(int perLabel, long seed) {
        Random rng = new Random(seed);
        List<String> texts = new ArrayList<>();
        int n = perLabel * LABELS.size();
        int[] y = new int[n];
        float[] hidden = new float[n * D];
        for (int i = 0; i < n; i++) {
            int k = i % LABELS.size();
            y[i] = k;
            String[] w = WORDS[k];
            texts.add(w[rng.nextInt(w.length)] + " " + w[rng.nextInt(w.length)] + " today " + rng.nextInt(100));
            for (int j = 0; j < D; j++) {
                hidden[i * D + j] = (float) (rng.nextGaussian() + (j == k ? 4 : 0) + 5);
            }
        }
        return new Data(texts, y, hidden);
    }

    @Test
    void servedHalvesAddUpToTheFittedLogits(@TempDir Path dir) throws Exception {
        Data d = data(20, 1);
        HybridClassifier clf = HybridClassifier.fit(LABELS, d.hidden(), D, d.texts(), d.y(),
                HybridClassifier.Options.defaults(), f -> { });
        assertTrue(clf.choice().folds() == 5 && clf.temperature() > 0);
        ClassifierHead head = clf.gptHead(D);
        clf.ngramHead().write(dir);
        NgramHead served = NgramHead.readIfPresent(dir);
        double[] fitted = clf.logits(d.hidden(), d.texts());
        for (int i = 0; i < d.texts().size(); i++) {
            float[] graph = head.apply(d.hidden(), i * D);
            double[] ngrams = served.logits(d.texts().get(i));
            for (int k = 0; k < LABELS.size(); k++) {
                assertEquals(fitted[i * LABELS.size() + k], graph[k] + ngrams[k], 1e-3, "item " + i + " label " + k);
            }
        }
        assertEquals(clf.temperature(), served.temperature(), 1e-12);
    }

    @Test
    void learnsFromEitherBlockAloneAndIsDeterministic() throws Exception {
        Data train = data(30, 2), test = data(10, 3);
        for (boolean[] blocks : new boolean[][] {{true, false}, {false, true}, {true, true}}) {
            HybridClassifier.Options o = HybridClassifier.Options.defaults().withBlocks(blocks[0], blocks[1]);
            HybridClassifier a = HybridClassifier.fit(LABELS, train.hidden(), D, train.texts(), train.y(), o, f -> { });
            HybridClassifier b = HybridClassifier.fit(LABELS, train.hidden(), D, train.texts(), train.y(), o, f -> { });
            double[] pa = a.probabilities(test.hidden(), test.texts());
            assertArrayEquals(pa, b.probabilities(test.hidden(), test.texts()), "same inputs, same bits");
            int right = 0;
            for (int i = 0; i < test.y().length; i++) {
                int best = 0;
                for (int k = 1; k < LABELS.size(); k++) {
                    if (pa[i * LABELS.size() + k] > pa[i * LABELS.size() + best]) {
                        best = k;
                    }
                }
                right += best == test.y()[i] ? 1 : 0;
            }
            assertTrue(right >= 27, "blocks " + blocks[0] + "," + blocks[1] + ": " + right + "/30");
        }
    }

    @Test
    void tooFewItemsToCrossValidateStillFits() throws Exception {
        Data d = data(1, 4); // one item per label: no folds, default C, temperature 1
        HybridClassifier clf = HybridClassifier.fit(LABELS, d.hidden(), D, d.texts(), d.y(),
                HybridClassifier.Options.defaults(), f -> { });
        assertEquals(0, clf.choice().folds());
        assertEquals(1, clf.temperature());
    }

    @Test
    void foldsAreStratified() {
        int[] y = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
        int[] fold = HybridClassifier.stratifiedFolds(y, 2, 5, 1);
        for (int f = 0; f < 5; f++) {
            int zeros = 0, ones = 0;
            for (int i = 0; i < y.length; i++) {
                if (fold[i] == f) {
                    zeros += y[i] == 0 ? 1 : 0;
                    ones += y[i] == 1 ? 1 : 0;
                }
            }
            assertEquals(1, zeros);
            assertEquals(1, ones);
        }
    }
}
