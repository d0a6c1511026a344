package lectern.gpt.summary;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extractive selection by centroid (Radev et al., 2004): the text is split into sentences; each sentence's TF-IDF
 * vector (idf over the text's own sentences) is compared by cosine with the centroid of all of them; the most central
 * sentences are kept, up to a budget, and given back in their original order. It picks what a text keeps coming back
 * to, which for a book's notes or a week of logs is their main subject. Used to fit long inputs into the model's context,
 * for the key ideas of a book's notes, and as the extractive baseline of the summarization benchmark.
 */
public final class CentroidSelection {

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[\\p{Lu}\\p{N}\"'(\\[])|\\n+");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    /** A sentence of the text, where it came from ({@code part}: index of the input part), and its centrality. */
    public record Sentence(String text, int part, int position, double score) {
    }

    private CentroidSelection() {
    }

    /** Sentences of parts (e.g. notes), each scored; in input order. */
    public static List<Sentence> score(List<String> parts) {
        List<String> texts = new ArrayList<>();
        List<Integer> partOf = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            for (String s : SENTENCE_END.split(parts.get(p).strip())) {
                if (!s.isBlank() && !NovelWords.words(s).isEmpty()) {
                    texts.add(s.strip());
                    partOf.add(p);
                }
            }
        }
        int n = texts.size();
        List<Map<String, Double>> tf = new ArrayList<>();
        Map<String, Integer> df = new HashMap<>();
        for (String s : texts) {
            Map<String, Double> counts = termCounts(s);
            counts.keySet().forEach(w -> df.merge(w, 1, Integer::sum));
            tf.add(counts);
        }
        Map<String, Double> centroid = new HashMap<>();
        List<Map<String, Double>> vectors = new ArrayList<>();
        for (Map<String, Double> counts : tf) {
            Map<String, Double> v = weigh(counts, df, n);
            v.forEach((w, x) -> centroid.merge(w, x, Double::sum));
            vectors.add(v);
        }
        normalize(centroid);
        List<Sentence> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double dot = 0;
            for (Map.Entry<String, Double> e : vectors.get(i).entrySet()) {
                dot += e.getValue() * centroid.getOrDefault(e.getKey(), 0.0);
            }
            out.add(new Sentence(texts.get(i), partOf.get(i), i, dot));
        }
        return out;
    }

    /**
     * The most central sentences whose total length (by {@code length}, e.g. tokens) stays within {@code budget}, at
     * least one, in input order.
     */
    public static List<Sentence> select(List<Sentence> sentences, int budget, java.util.function.ToIntFunction<String> length) {
        List<Sentence> byScore = new ArrayList<>(sentences);
        byScore.sort((a, b) -> a.score() != b.score() ? Double.compare(b.score(), a.score()) : Integer.compare(a.position(), b.position()));
        List<Sentence> kept = new ArrayList<>();
        int used = 0;
        for (Sentence s : byScore) {
            int len = length.applyAsInt(s.text());
            if (kept.isEmpty() || used + len <= budget) {
                kept.add(s);
                used += len;
            }
        }
        kept.sort((a, b) -> Integer.compare(a.position(), b.position()));
        return kept;
    }

    /** The lead-style extractive baseline: the single most central sentence, cut to {@code words} words (0: whole). */
    public static String centralSentence(String text, int words) {
        List<Sentence> s = score(List.of(text));
        if (s.isEmpty()) {
            return "";
        }
        Sentence best = s.stream().max((a, b) -> a.score() != b.score() ? Double.compare(a.score(), b.score())
                : Integer.compare(b.position(), a.position())).orElseThrow();
        if (words <= 0) {
            return best.text();
        }
        String[] w = best.text().split("\\s+");
        return String.join(" ", java.util.Arrays.copyOf(w, Math.min(words, w.length)));
    }

    /**
     * The centroid of a text's sentences (TF-IDF, idf over those sentences), built once, to score many candidate
     * summaries against it.
     */
    public static final class Centroid {
        private final Map<String, Integer> df;
        private final int sentences;
        private final Map<String, Double> centroid = new HashMap<>();

        private Centroid(List<String> parts) {
            List<Sentence> scored = score(parts);
            df = new HashMap<>();
            List<Map<String, Double>> tfs = new ArrayList<>();
            for (Sentence s : scored) {
                Map<String, Double> tf = termCounts(s.text());
                tf.keySet().forEach(w -> df.merge(w, 1, Integer::sum));
                tfs.add(tf);
            }
            sentences = scored.size();
            for (Map<String, Double> tf : tfs) {
                weigh(tf, df, sentences).forEach((w, x) -> centroid.merge(w, x, Double::sum));
            }
            normalize(centroid);
        }

        /** How central a candidate is: the cosine of its TF-IDF vector with the centroid; 0 when they share no word. */
        public double similarity(String candidate) {
            double dot = 0;
            for (Map.Entry<String, Double> e : weigh(termCounts(candidate), df, sentences).entrySet()) {
                dot += e.getValue() * centroid.getOrDefault(e.getKey(), 0.0);
            }
            return dot;
        }
    }

    public static Centroid centroid(List<String> parts) {
        return new Centroid(parts);
    }

    /** How central a candidate summary is to a text ({@link Centroid#similarity}). */
    public static double centrality(String candidate, List<String> parts) {
        return centroid(parts).similarity(candidate);
    }

    private static Map<String, Double> termCounts(String text) {
        Map<String, Double> counts = new HashMap<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            if (!NovelWords.STOP.contains(m.group())) {
                counts.merge(m.group(), 1.0, Double::sum);
            }
        }
        return counts;
    }

    /** (1 + ln tf) * ln(1 + n / df), normalised; words the text does not have weigh nothing. */
    private static Map<String, Double> weigh(Map<String, Double> tf, Map<String, Integer> df, int n) {
        Map<String, Double> v = new HashMap<>();
        tf.forEach((w, c) -> {
            Integer d = df.get(w);
            if (d != null) {
                v.put(w, (1 + Math.log(c)) * Math.log(1.0 + (double) n / d));
            }
        });
        normalize(v);
        return v;
    }

    private static void normalize(Map<String, Double> v) {
        double norm = Math.sqrt(v.values().stream().mapToDouble(x -> x * x).sum());
        if (norm > 0) {
            v.replaceAll((k, x) -> x / norm);
        }
    }
}
