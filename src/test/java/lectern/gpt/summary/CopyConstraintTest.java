package lectern.gpt.summary;

import lectern.gpt.BpeTokenizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CopyConstraintTest {

    /** Byte-level tokens: every word is several tokens, so the trie's walk inside words is exercised. */
    static final BpeTokenizer BYTES = BpeTokenizer.of(new int[0][], BpeTokenizer.DEFAULT_SPECIAL_TOKENS);
    static final String INPUT = "Replication lag: followers may serve stale reads. Log-structured storage engines "
            + "append to a log; two-phase commit blocks when the coordinator fails.";

    /** Decodes greedily from random logits under the constraint, as ServedModel does. */
    static String decode(CopyConstraint c, long seed, int max) {
        Random rng = new Random(seed);
        int eot = BYTES.endOfTextId();
        List<Integer> out = new ArrayList<>();
        float[] logits = new float[BYTES.vocabSize()];
        for (int step = 0; step < max; step++) {
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) rng.nextGaussian();
            }
            logits[eot] -= 2; // prefer to go on, so that summaries are long enough to test something
            c.mask(logits);
            int best = 0;
            for (int i = 1; i < logits.length; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            c.accept(best);
            if (best == eot) {
                break;
            }
            out.add(best);
        }
        String text = BYTES.decode(out.stream().mapToInt(Integer::intValue).toArray());
        // cut off by max inside a word: the served summary drops that part word too (ServedModel.summarize)
        return c.insideWord() ? text.substring(0, Math.max(0, text.lastIndexOf(' '))) : text;
    }

    @Test
    void randomModelsOnlyEverWriteTheInputsWordsOnceEach() {
        Set<String> inputWords = new HashSet<>(NovelWords.words(INPUT));
        CopyConstraint.FUNCTION_WORDS.forEach(w -> inputWords.add(w.toLowerCase(Locale.ROOT)));
        inputWords.add("s"); // "lag's": the possessive is allowed punctuation
        for (long seed = 0; seed < 200; seed++) {
            String summary = decode(CopyConstraint.of(BYTES, INPUT, BYTES.vocabSize(), BYTES.endOfTextId()), seed, 80);
            List<String> words = NovelWords.words(summary);
            assertFalse(words.isEmpty(), "seed " + seed);
            for (String w : words) {
                assertTrue(inputWords.contains(w), "seed " + seed + ": \"" + w + "\" is not a word of the input in: " + summary);
            }
            // the constraint's words keep their hyphens ("log-structured" is one word, "log" another)
            List<String> content = java.util.Arrays.stream(summary.toLowerCase(Locale.ROOT).split("\\s+"))
                    .map(w -> w.replaceAll("('s)?[,.:;?!]*$", "")).filter(w -> w.matches(".*[\\p{L}\\p{N}].*"))
                    .filter(w -> !CopyConstraint.FUNCTION_WORDS.contains(w) && !NovelWords.STOP.contains(w)).toList();
            assertEquals(new HashSet<>(content).size(), content.size(), "a content word twice: " + summary);
            assertFalse(summary.matches("(?s).*[,.:;?!]\\s*[,.:;?!].*"), "a run of punctuation: " + summary);
            assertEquals(0, NovelWords.count(summary, INPUT + " " + String.join(" ", CopyConstraint.FUNCTION_WORDS)).novel());
        }
    }

    @Test
    void theFirstWordMayComeWithoutASpaceAndEndOfTextOnlyBetweenWords() {
        CopyConstraint c = CopyConstraint.of(BYTES, "storage", BYTES.vocabSize(), BYTES.endOfTextId());
        float[] logits = new float[BYTES.vocabSize()];
        c.mask(logits);
        assertTrue(logits['s'] == 0 && logits[' '] == 0 && logits['S'] == 0, "storage, Storage, or a space");
        assertEquals(Float.NEGATIVE_INFINITY, logits[BYTES.endOfTextId()], "nothing written yet");
        assertEquals(Float.NEGATIVE_INFINITY, logits['x']);
        for (char ch : "stor".toCharArray()) {
            c.accept(ch);
        }
        assertTrue(c.insideWord());
        logits = new float[BYTES.vocabSize()];
        c.mask(logits);
        assertEquals(0, logits['a']);
        assertEquals(Float.NEGATIVE_INFINITY, logits[BYTES.endOfTextId()], "not in the middle of a word");
        for (char ch : "age".toCharArray()) {
            c.accept(ch);
        }
        logits = new float[BYTES.vocabSize()];
        c.mask(logits);
        assertEquals(0, logits[BYTES.endOfTextId()], "a complete word may end the summary");
    }
}
