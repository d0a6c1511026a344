package lectern.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTuningTest {

    /** Bytes only (no merges) plus Lectern's special tokens: one token per character, easy to reason about. */
    private static final BpeTokenizer BYTES = BpeTokenizer.of(new int[0][], BpeTokenizer.DEFAULT_SPECIAL_TOKENS);
    private static final int SUMMARY = BYTES.specialTokenId(BpeTokenizer.SUMMARY);
    private static final int END = BYTES.endOfTextId();

    private static final List<SummaryTuning.Pair> PAIRS = List.of(
            new SummaryTuning.Pair("a tool to compress files into zip archives", "zip"),
            new SummaryTuning.Pair("library for drawing vector charts and plots", "plots"),
            new SummaryTuning.Pair("daemon that keeps the system clock in sync", "clock"),
            new SummaryTuning.Pair("fonts for reading east asian scripts on screen", "fonts"));

    @Test
    void exampleScoresOnlyTheSummaryAndItsEnd() {
        SummaryTuning.Example e = SummaryTuning.example(BYTES, new SummaryTuning.Pair("abcdef", "xy"), 64, 48);
        // sequence: a b c d e f <|summary|> x y <|endoftext|>; inputs drop the last, targets drop the first
        assertArrayEquals(new int[] {'a', 'b', 'c', 'd', 'e', 'f', SUMMARY, 'x', 'y'}, e.inputs());
        int I = GptModel.IGNORE;
        assertArrayEquals(new int[] {I, I, I, I, I, I, 'x', 'y', END}, e.targets());
        assertEquals(3, e.scored());
    }

    @Test
    void longTextsAreCutSoTheSummaryKeepsItsRoom() {
        String text = "t".repeat(500);
        SummaryTuning.Example e = SummaryTuning.example(BYTES, new SummaryTuning.Pair(text, "s".repeat(100)), 64, 10);
        assertEquals(64, e.length(), "inputs fill the block exactly");
        assertEquals(11, e.scored(), "10 summary tokens (capped) and end-of-text");
        assertEquals(SUMMARY, e.inputs()[64 - 11]);
        assertThrows(IllegalArgumentException.class,
                () -> SummaryTuning.example(BYTES, new SummaryTuning.Pair(text, "s".repeat(100)), 8, 10));
    }

    @Test
    void paddingInABatchDoesNotChangeAnExamplesLoss() {
        GptModel model = model();
        SummaryTuning.Example shortOne = SummaryTuning.example(BYTES, PAIRS.get(0), 64, 48);
        SummaryTuning.Example longOne = SummaryTuning.example(BYTES, PAIRS.get(3), 64, 48);
        double alone = SummaryTuning.loss(model, List.of(shortOne), 1);
        // shortOne padded up to longOne's length in the same batch: its summary tokens see the same context
        int[][] bt = SummaryTuning.pad(List.of(shortOne, longOne));
        int T = bt[0].length / 2;
        int[] onlyShort = bt[1].clone();
        Arrays.fill(onlyShort, T, 2 * T, GptModel.IGNORE);
        float padded = model.forward(bt[0], onlyShort, 2, T);
        assertEquals(alone, padded, 1e-5);
    }

    @Test
    void learnsToWriteTheSummariesAndIsReproducible() {
        List<SummaryTuning.Example> examples = SummaryTuning.examples(BYTES, PAIRS, 64, 48);
        SummaryTuning.Options o = new SummaryTuning.Options(150, 4, 1e-2f, 1e-3f, 10, 0f, 1f, 48, 7L);
        GptModel model = model();
        double before = SummaryTuning.loss(model, examples, 4);
        List<Float> losses = SummaryTuning.fit(model, examples, o, null);
        double after = SummaryTuning.loss(model, examples, 4);
        assertTrue(before > 4 && after < 0.1, "summary loss " + before + " -> " + after);
        for (SummaryTuning.Pair p : PAIRS) {
            assertEquals(p.summary(), greedySummary(model, p.text()), "summary of '" + p.text() + "'");
        }
        GptModel again = model();
        assertEquals(losses, SummaryTuning.fit(again, examples, o, null), "same seed, same losses");
        assertArrayEquals(model.parameters(), again.parameters());
    }

    private static GptModel model() {
        GptModel model = new GptModel(new GptConfig(260 + 4, 64, 32, 2, 2, GptConfig.Positions.LEARNED));
        model.initialize(3);
        return model;
    }

    /** Greedy decoding without a cache: text, <|summary|>, then the arg-max token until end-of-text. */
    private static String greedySummary(GptModel model, String text) {
        List<Integer> seq = new ArrayList<>();
        for (int id : BYTES.encode(text)) {
            seq.add(id);
        }
        seq.add(SUMMARY);
        List<Integer> out = new ArrayList<>();
        int V = model.config().vocabSize();
        for (int i = 0; i < 20 && seq.size() < 64; i++) {
            int[] ids = seq.stream().mapToInt(Integer::intValue).toArray();
            model.forward(ids, null, 1, ids.length);
            float[] logits = model.logits();
            int best = 0;
            for (int v = 1; v < V; v++) {
                if (logits[(ids.length - 1) * V + v] > logits[(ids.length - 1) * V + best]) {
                    best = v;
                }
            }
            if (best == END) {
                break;
            }
            out.add(best);
            seq.add(best);
        }
        return BYTES.decode(out.stream().mapToInt(Integer::intValue).toArray());
    }
}
