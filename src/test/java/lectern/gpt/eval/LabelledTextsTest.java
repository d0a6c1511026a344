package lectern.gpt.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelledTextsTest {

    @Test
    void theShippedLearningLogSetHasTheDefaultLabelsBalanced() throws IOException {
        LabelledTexts set = LabelledTexts.readResource(LabelledTexts.LOG_LABELS);
        assertEquals(List.of("book", "course", "other", "paper", "project", "writing"), set.labelNames());
        assertTrue(set.size() >= 150 && set.size() <= 300, "size " + set.size());
        int[] counts = new int[6];
        for (int y : set.labels()) {
            counts[y]++;
        }
        for (int c : counts) {
            assertTrue(c >= 25, "each label needs at least 25 items: " + java.util.Arrays.toString(counts));
        }
        assertEquals(set.size(), new HashSet<>(set.texts()).size(), "duplicate texts would leak across the split");
    }

    @Test
    void splitIsStratifiedAndDisjoint() throws IOException {
        LabelledTexts set = LabelledTexts.readResource(LabelledTexts.LOG_LABELS);
        LabelledTexts[] split = set.split(5);
        assertEquals(set.size(), split[0].size() + split[1].size());
        Set<String> train = new HashSet<>(split[0].texts());
        assertTrue(split[1].texts().stream().noneMatch(train::contains));
        int[] perLabel = new int[6];
        for (int y : split[1].labels()) {
            perLabel[y]++;
        }
        for (int c : perLabel) {
            assertTrue(c >= 6 && c <= 7, "held out per label " + java.util.Arrays.toString(perLabel));
        }
    }

    @Test
    void readsJsonLinesAndRejectsMissingFields() throws IOException {
        String jsonl = "{\"text\": \"b\", \"label\": \"z\"}\n\n{\"text\": \"a\", \"label\": \"y\"}\n";
        LabelledTexts set = LabelledTexts.read(new ByteArrayInputStream(jsonl.getBytes(StandardCharsets.UTF_8)), "test");
        assertEquals(List.of("y", "z"), set.labelNames());
        assertEquals(List.of("b", "a"), set.texts());
        assertEquals(1, set.labels()[0]);
        assertThrows(IOException.class, () -> LabelledTexts.read(
                new ByteArrayInputStream("{\"text\": \"no label\"}\n".getBytes(StandardCharsets.UTF_8)), "test"));
    }
}
