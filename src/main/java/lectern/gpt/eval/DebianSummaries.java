package lectern.gpt.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import lectern.gpt.SummaryTuning;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The summarization benchmark's data: Debian packages' long descriptions and their one-line synopses, as
 * {@code model/corpus.sh} writes them to {@code debian-pairs.jsonl} ({@code package, family, split, synopsis,
 * description}). The split is by source package family (computed by the script, so the pretraining text can leave
 * the test families out too): no family has packages on both sides.
 */
public final class DebianSummaries {

    public record Entry(String packageName, String family, boolean test, String synopsis, String description) {
        public SummaryTuning.Pair pair() {
            return new SummaryTuning.Pair(description, synopsis);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private DebianSummaries() {
    }

    public static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                String split = n.path("split").asText("");
                if (!split.equals("train") && !split.equals("test")) {
                    throw new IOException(file + " line " + number + ": split must be \"train\" or \"test\", was \"" + split + "\"");
                }
                // docs-sections.jsonl (model/corpus-docs.sh) has the same shape with title and text
                out.add(new Entry(n.path("package").asText(), n.path("family").asText(), split.equals("test"),
                        n.has("synopsis") ? n.path("synopsis").asText() : n.path("title").asText(),
                        n.has("description") ? n.path("description").asText() : n.path("text").asText()));
            }
        }
        return out;
    }

    /** The entries of one side of the split, in a seeded random order, at most {@code limit} (0: all). */
    public static List<Entry> sample(List<Entry> entries, boolean test, int limit, long seed) {
        List<Entry> side = new ArrayList<>();
        for (Entry e : entries) {
            if (e.test() == test) {
                side.add(e);
            }
        }
        Collections.shuffle(side, new Random(seed));
        return limit > 0 && limit < side.size() ? side.subList(0, limit) : side;
    }

    /**
     * The lead baseline: the description's first sentence (up to the first ". ", "! ", "? " or line break), cut to as
     * many words as the reference synopsis has.
     */
    public static String lead(String description, String synopsis) {
        String text = description.strip();
        int end = text.length();
        for (String stop : new String[] {". ", "! ", "? ", "\n", ".\t"}) {
            int at = text.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String sentence = text.substring(0, end);
        if (sentence.endsWith(".")) {
            sentence = sentence.substring(0, sentence.length() - 1);
        }
        String[] words = sentence.trim().split("\\s+");
        int keep = Math.max(1, synopsis.trim().split("\\s+").length);
        return String.join(" ", java.util.Arrays.copyOf(words, Math.min(words.length, keep)));
    }
}
