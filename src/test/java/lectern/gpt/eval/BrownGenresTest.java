package lectern.gpt.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrownGenresTest {

    @Test
    void detokenizesLikeTheCorpusScript() {
        String[] t = "The/at jury/nn said/vbd ,/, ``/`` no/at evidence/nn ''/'' ./.".split(" ");
        assertEquals("The jury said, \"no evidence\".", BrownGenres.detokenize(t));
        assertEquals("It costs $5 (or less).", BrownGenres.detokenize("It/pps costs/vbz $/nn 5/cd (/( or/cc less/ap )/) ./.".split(" ")));
    }

    @Test
    void readsParagraphsAndSplitsByText(@TempDir Path dir) throws Exception {
        StringBuilder cats = new StringBuilder();
        String[] genres = {"news", "romance"};
        for (String g : genres) {
            char letter = g.equals("news") ? 'a' : 'p';
            for (int i = 1; i <= 6; i++) {
                String id = "c" + letter + String.format("%02d", i);
                cats.append(id).append(' ').append(g).append('\n');
                Files.writeString(dir.resolve(id), "\n\n\tA/at first/od paragraph/nn of/in " + id + "/np ./.\n\n\n"
                        + "\tShort/jj ./.\n\n\tAnother/dt paragraph/nn here/rb ,/, long/jj enough/qlp ./.\n");
            }
        }
        Files.writeString(dir.resolve("cats.txt"), cats.toString());
        List<BrownGenres.Paragraph> all = BrownGenres.read(dir, 4);
        assertEquals(24, all.size(), "two paragraphs of >= 4 words per text; 'Short .' is dropped");
        assertEquals("A first paragraph of ca01.", all.get(0).text());
        BrownGenres.Split split = BrownGenres.splitByText(all, 3);
        Set<String> trainTexts = new HashSet<>(), testTexts = new HashSet<>();
        split.train().forEach(p -> trainTexts.add(p.textId()));
        split.test().forEach(p -> testTexts.add(p.textId()));
        assertTrue(testTexts.stream().noneMatch(trainTexts::contains), "a text on both sides");
        assertEquals(Set.of("ca01", "ca04", "cp01", "cp04"), testTexts);
        assertEquals(8, split.test().size());
        assertEquals(16, split.train().size());
        assertEquals(15, BrownGenres.GENRES.size());
        assertEquals(new HashSet<>(BrownGenres.GROUPS), new HashSet<>(BrownGenres.GROUP.values()));
        assertTrue(BrownGenres.GROUP.keySet().containsAll(BrownGenres.GENRES));
    }
}
