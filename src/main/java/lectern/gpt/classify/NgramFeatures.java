package lectern.gpt.classify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Word and character n-gram TF-IDF features of a short text, as scikit-learn's
 * {@code FeatureUnion(TfidfVectorizer(ngram_range=(1,2)), TfidfVectorizer(analyzer="char_wb", ngram_range=(2,5)))}
 * with {@code sublinear_tf=True}:
 * <ul>
 *   <li>words: lower-cased runs of letters, digits and apostrophes, and adjacent pairs of them;</li>
 *   <li>characters: 2- to 5-grams inside each whitespace-separated lower-cased word padded with one space on each
 *       side ("char_wb"), so "DDIA" and "ddia," share most of their features and typos keep most of theirs;</li>
 *   <li>weights (1 + ln tf) * (ln((1+n)/(1+df)) + 1); each block is L2-normalised on its own, so a text's word and
 *       character parts weigh the same whatever its length.</li>
 * </ul>
 * A term must occur in at least {@code minDf} training texts. Term ids are the sorted term order (words first), so a
 * fit does not depend on hash order. Immutable once fitted; thread-safe.
 */
public final class NgramFeatures {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");
    private static final Pattern SPACE = Pattern.compile("\\s+");
    static final int CHAR_MIN = 2, CHAR_MAX = 5;
    static final String WORD_PREFIX = "w ", CHAR_PREFIX = "c ";

    private final List<String> terms;
    private final Map<String, Integer> ids;
    private final float[] idf;
    /** Terms [0, wordTerms) are words and word pairs, the rest character n-grams. */
    private final int wordTerms;

    /** A sparse row: ascending feature ids and their values. */
    public record Row(int[] ids, float[] values) {
    }

    public NgramFeatures(List<String> terms, float[] idf) {
        if (terms.size() != idf.length) {
            throw new IllegalArgumentException("one idf per term");
        }
        this.terms = List.copyOf(terms);
        this.idf = idf.clone();
        this.ids = new HashMap<>(terms.size() * 2);
        int words = 0;
        for (int i = 0; i < terms.size(); i++) {
            String t = terms.get(i);
            if (ids.put(t, i) != null) {
                throw new IllegalArgumentException("term twice: " + t);
            }
            if (t.startsWith(WORD_PREFIX)) {
                if (words != i) {
                    throw new IllegalArgumentException("word terms must come before character terms");
                }
                words++;
            } else if (!t.startsWith(CHAR_PREFIX)) {
                throw new IllegalArgumentException("a term starts with \"w \" or \"c \": " + t);
            }
        }
        this.wordTerms = words;
    }

    /** Learns the vocabulary and idf from training texts. */
    public static NgramFeatures fit(List<String> texts, int minDf) {
        Map<String, Integer> df = new HashMap<>();
        for (String t : texts) {
            for (String term : new HashSet<>(terms(t))) {
                df.merge(term, 1, Integer::sum);
            }
        }
        List<String> kept = new ArrayList<>();
        df.forEach((term, n) -> {
            if (n >= minDf) {
                kept.add(term);
            }
        });
        kept.sort(null); // "c ..." < "w ...": reorder so that words come first
        List<String> ordered = new ArrayList<>(kept.size());
        kept.stream().filter(t -> t.startsWith(WORD_PREFIX)).forEach(ordered::add);
        kept.stream().filter(t -> t.startsWith(CHAR_PREFIX)).forEach(ordered::add);
        float[] idf = new float[ordered.size()];
        int n = texts.size();
        for (int i = 0; i < idf.length; i++) {
            idf[i] = (float) (Math.log((1.0 + n) / (1.0 + df.get(ordered.get(i)))) + 1.0);
        }
        return new NgramFeatures(ordered, idf);
    }

    /** Every term of a text, with repeats: "w word", "w word pair", "c  wo", ... */
    static List<String> terms(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(lower);
        while (m.find()) {
            words.add(m.group());
        }
        for (int i = 0; i < words.size(); i++) {
            out.add(WORD_PREFIX + words.get(i));
            if (i + 1 < words.size()) {
                out.add(WORD_PREFIX + words.get(i) + " " + words.get(i + 1));
            }
        }
        for (String w : SPACE.split(lower.strip())) {
            if (w.isEmpty()) {
                continue;
            }
            String padded = " " + w + " ";
            for (int len = CHAR_MIN; len <= CHAR_MAX; len++) {
                for (int s = 0; s + len <= padded.length(); s++) {
                    out.add(CHAR_PREFIX + padded.substring(s, s + len));
                }
                if (len >= padded.length()) {
                    break;
                }
            }
        }
        return out;
    }

    public int size() {
        return idf.length;
    }

    public List<String> terms() {
        return terms;
    }

    public float[] idf() {
        return idf.clone();
    }

    /** The TF-IDF row of a text (terms outside the vocabulary are dropped). */
    public Row vectorize(String text) {
        TreeMap<Integer, Integer> tf = new TreeMap<>();
        for (String term : terms(text)) {
            Integer id = ids.get(term);
            if (id != null) {
                tf.merge(id, 1, Integer::sum);
            }
        }
        int[] rowIds = new int[tf.size()];
        float[] values = new float[tf.size()];
        int j = 0;
        double wordNorm = 0, charNorm = 0;
        for (Map.Entry<Integer, Integer> e : tf.entrySet()) {
            rowIds[j] = e.getKey();
            values[j] = (float) ((1.0 + Math.log(e.getValue())) * idf[e.getKey()]);
            if (e.getKey() < wordTerms) {
                wordNorm += (double) values[j] * values[j];
            } else {
                charNorm += (double) values[j] * values[j];
            }
            j++;
        }
        float wordScale = wordNorm > 0 ? (float) (1 / Math.sqrt(wordNorm)) : 0f;
        float charScale = charNorm > 0 ? (float) (1 / Math.sqrt(charNorm)) : 0f;
        for (int i = 0; i < values.length; i++) {
            values[i] *= rowIds[i] < wordTerms ? wordScale : charScale;
        }
        return new Row(rowIds, values);
    }

    public List<Row> vectorize(List<String> texts) {
        List<Row> rows = new ArrayList<>(texts.size());
        texts.forEach(t -> rows.add(vectorize(t)));
        return rows;
    }

    @Override
    public String toString() {
        return "NgramFeatures[" + wordTerms + " word terms, " + (idf.length - wordTerms) + " character terms]";
    }
}
