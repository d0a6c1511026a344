package lectern.gpt.summary;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The novel-content-word rate of a summary: the share of its content words (lower-cased words of letters and digits,
 * not in a short stop list) that do not occur in its input. A faithful extractive-style summary scores 0; a model that
 * invents names and facts scores high. Words, not tokens, so that a new word built from the input's BPE pieces counts
 * as new.
 */
public final class NovelWords {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    static final Set<String> STOP = Set.of("a", "an", "the", "of", "for", "and", "or", "to", "in", "on", "with", "by",
            "from", "as", "at", "into", "over", "about", "via", "using", "between", "through", "its", "it", "their", "this",
            "that", "these", "those", "is", "are", "was", "were", "be", "been", "can", "how", "what", "why", "not", "no",
            "vs", "s", "which", "who", "has", "have", "will", "also", "more", "most", "other", "such", "all", "any", "each");

    /** Counts of one summary: content words, and those absent from the input. */
    public record Count(int content, int novel) {
        public double rate() {
            return content == 0 ? 0 : (double) novel / content;
        }
    }

    private NovelWords() {
    }

    public static Count count(String summary, String input) {
        Set<String> seen = new HashSet<>(words(input));
        int content = 0, novel = 0;
        for (String w : words(summary)) {
            if (STOP.contains(w)) {
                continue;
            }
            content++;
            if (!seen.contains(w)) {
                novel++;
            }
        }
        return new Count(content, novel);
    }

    static List<String> words(String text) {
        List<String> out = new java.util.ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** Pooled over many summaries: novel content words / content words. */
    public static final class Rate {
        private long content, novel;

        public void add(Count c) {
            content += c.content();
            novel += c.novel();
        }

        public double rate() {
            return content == 0 ? 0 : (double) novel / content;
        }
    }
}
