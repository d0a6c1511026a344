package lectern.gpt.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryMetricsTest {

    @Test
    void rougeOfTheTextbookExample() {
        Rouge.Scores s = Rouge.score("The cat sat on the mat.", "the cat is on the mat");
        assertEquals(5 / 6.0, s.rouge1(), 1e-12);  // the x2, cat, on, mat of 6 words each side
        assertEquals(3 / 5.0, s.rouge2(), 1e-12);  // "the cat", "on the", "the mat" of 5 bigrams each side
        assertEquals(5 / 6.0, s.rougeL(), 1e-12);  // LCS "the cat on the mat"
    }

    @Test
    void rougeClipsRepeatsAndHandlesEmptyText() {
        // "the the the" against "the cat": one "the" matches, P = 1/3, R = 1/2
        assertEquals(2 * (1 / 3.0) * (1 / 2.0) / (1 / 3.0 + 1 / 2.0), Rouge.score("the the the", "the cat").rouge1(), 1e-12);
        assertEquals(0, Rouge.score("", "the cat").rougeL());
        assertEquals(1, Rouge.score("GNU-Emacs  editor!", "gnu emacs editor").rougeL(), 1e-12);
        assertEquals(List.of("x11", "client", "v2"), Rouge.words("X11 client (v2)"));
    }

    @Test
    void leadIsTheFirstSentenceCutToTheSynopsisLength() {
        String description = "Foo is a fast tool for parsing logs. It also draws charts.";
        assertEquals("Foo is a fast", DebianSummaries.lead(description, "fast log parser tool"));
        assertEquals("Foo is a fast tool for parsing logs", DebianSummaries.lead(description, "a b c d e f g h i j k l"));
        assertEquals("First line", DebianSummaries.lead("First line\nsecond line", "x y z"));
    }

    @Test
    void readsPairsAndSplitsBySide(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pairs.jsonl");
        Files.writeString(file, """
                {"package": "libfoo1", "family": "foo", "split": "train", "synopsis": "foo library", "description": "Foo does things."}
                {"package": "foo-utils", "family": "foo", "split": "train", "synopsis": "foo tools", "description": "Tools for foo."}

                {"package": "bar", "family": "bar", "split": "test", "synopsis": "bar tool", "description": "Bar does other things."}
                """);
        List<DebianSummaries.Entry> all = DebianSummaries.read(file);
        assertEquals(3, all.size());
        assertEquals(2, DebianSummaries.sample(all, false, 0, 1).size());
        assertEquals(1, DebianSummaries.sample(all, false, 1, 1).size());
        assertEquals("bar", DebianSummaries.sample(all, true, 0, 1).get(0).packageName());
        Files.writeString(file, "{\"split\": \"dev\"}\n");
        assertThrows(java.io.IOException.class, () -> DebianSummaries.read(file));
    }
}
