package lectern.llm;

import lectern.gpt.BpeTokenizer;
import lectern.gpt.GptConfig;
import lectern.gpt.GptModel;
import lectern.gpt.onnx.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Head retraining on a tiny random GPT: texts of clearly different words per label are learned. */
class ClassifierTrainingTest {

    static final BpeTokenizer TOKENIZER = BpeTokenizer.of(new int[0][], BpeTokenizer.DEFAULT_SPECIAL_TOKENS);

    static GptModel gpt() {
        return TinyModels.random(new GptConfig(TOKENIZER.vocabSize(), 64, 32, 2, 4, GptConfig.Positions.LEARNED), 31);
    }

    /** Three labels, {@code perLabel} items each, every label with its own words. */
    static List<ClassifierTraining.LabelledText> items(int perLabel) {
        String[][] words = {
                {"zzz", "quiz", "jazz", "fizz", "buzz", "zoom", "zero"},
                {"....", "!!!!", "????", ";;;;", "::::", ",,,,", "----"},
                {"1234", "5678", "9012", "3456", "7890", "2468", "1357"}};
        String[] labels = {"sleep", "punctuation", "numbers"};
        List<ClassifierTraining.LabelledText> out = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < perLabel; i++) {
                out.add(new ClassifierTraining.LabelledText(words[k][i % 7] + " " + words[k][(i + 3) % 7], labels[k]));
            }
        }
        return out;
    }

    @Test
    void learnsTheLabelsAndScoresHeldOutItems() throws Exception {
        List<Double> progress = new ArrayList<>();
        ClassifierTraining.Result r = ClassifierTraining.train(gpt(), TOKENIZER, items(7), 1337, progress::add);
        ClassifierTraining.Report report = r.report();
        assertEquals(List.of("numbers", "punctuation", "sleep"), r.head().labels(), "sorted label names");
        assertEquals(21, report.examples());
        assertEquals(3, report.heldOutExamples(), "one of seven per label (20%, rounded)");
        assertNotNull(report.heldOutAccuracy());
        System.out.printf("tiny random GPT, 3 labels x 7 items: train accuracy %.3f, held-out %.3f (%d items)%n",
                report.trainAccuracy(), report.heldOutAccuracy(), report.heldOutExamples());
        assertTrue(report.trainAccuracy() >= 0.9, "train accuracy " + report.trainAccuracy());
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i) >= progress.get(i - 1), "progress never goes back");
        }
        assertTrue(progress.get(progress.size() - 1) > 0.99);
        // same items, same seed: the same head, bit for bit
        ClassifierTraining.Result again = ClassifierTraining.train(gpt(), TOKENIZER, items(7), 1337, p -> { });
        assertArrayEquals(r.head().weight(), again.head().weight());
    }

    @Test
    void smallSetsHoldNothingOutAndLoneLabelsAreLeftOut() throws Exception {
        List<ClassifierTraining.LabelledText> items = new ArrayList<>(items(3));
        items.add(new ClassifierTraining.LabelledText("only one of these", "lonely"));
        ClassifierTraining.Report report = ClassifierTraining.train(gpt(), TOKENIZER, items, 1, p -> { }).report();
        assertNull(report.heldOutExamples());
        assertNull(report.heldOutAccuracy());
        assertEquals(List.of("lonely"), report.skippedLabels());
        assertEquals(3, report.labels().size());
        assertEquals(9, report.examples());
    }

    @Test
    void refusesFewerThanTwoUsableLabels() {
        List<ClassifierTraining.LabelledText> one = List.of(new ClassifierTraining.LabelledText("a", "x"),
                new ClassifierTraining.LabelledText("b", "x"), new ClassifierTraining.LabelledText("c", "y"));
        assertThrows(IllegalArgumentException.class, () -> ClassifierTraining.train(gpt(), TOKENIZER, one, 1, p -> { }));
        assertEquals(1, ClassifierTraining.usableLabels(one).size());
        assertTrue(RetrainJobs.notEnoughLabels(one).contains("x 2, y 1"), RetrainJobs.notEnoughLabels(one));
    }
}
