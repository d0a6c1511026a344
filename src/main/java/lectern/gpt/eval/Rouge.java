package lectern.gpt.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ROUGE-1, ROUGE-2 and ROUGE-L F1 between a candidate and a reference summary, as Google's rouge-score computes
 * them without stemming: lower-cased, every run of characters other than a-z and 0-9 is a word break; n-gram
 * overlaps are clipped counts; ROUGE-L uses the longest common subsequence of words.
 */
public final class Rouge {

    /** F1 scores in [0, 1]. */
    public record Scores(double rouge1, double rouge2, double rougeL) {
    }

    /** Running means over many pairs. */
    public static final class Mean {
        private double r1, r2, rl;
        private int n;

        public void add(Scores s) {
            r1 += s.rouge1();
            r2 += s.rouge2();
            rl += s.rougeL();
            n++;
        }

        public int count() {
            return n;
        }

        public Scores mean() {
            return n == 0 ? new Scores(0, 0, 0) : new Scores(r1 / n, r2 / n, rl / n);
        }
    }

    private Rouge() {
    }

    public static Scores score(String candidate, String reference) {
        List<String> c = words(candidate), r = words(reference);
        return new Scores(ngramF1(c, r, 1), ngramF1(c, r, 2), lcsF1(c, r));
    }

    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        for (char ch : text.toLowerCase(Locale.ROOT).toCharArray()) {
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
                w.append(ch);
            } else if (w.length() > 0) {
                out.add(w.toString());
                w.setLength(0);
            }
        }
        if (w.length() > 0) {
            out.add(w.toString());
        }
        return out;
    }

    static double ngramF1(List<String> candidate, List<String> reference, int n) {
        Map<List<String>, Integer> c = ngrams(candidate, n), r = ngrams(reference, n);
        int overlap = 0;
        for (Map.Entry<List<String>, Integer> e : c.entrySet()) {
            overlap += Math.min(e.getValue(), r.getOrDefault(e.getKey(), 0));
        }
        return f1(overlap, Math.max(0, candidate.size() - n + 1), Math.max(0, reference.size() - n + 1));
    }

    static double lcsF1(List<String> candidate, List<String> reference) {
        int[] prev = new int[reference.size() + 1], cur = new int[reference.size() + 1];
        for (String w : candidate) {
            for (int j = 1; j <= reference.size(); j++) {
                cur[j] = w.equals(reference.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return f1(prev[reference.size()], candidate.size(), reference.size());
    }

    private static Map<List<String>, Integer> ngrams(List<String> words, int n) {
        Map<List<String>, Integer> out = new HashMap<>();
        for (int i = 0; i + n <= words.size(); i++) {
            out.merge(List.copyOf(words.subList(i, i + n)), 1, Integer::sum);
        }
        return out;
    }

    private static double f1(int overlap, int candidateCount, int referenceCount) {
        if (overlap == 0 || candidateCount == 0 || referenceCount == 0) {
            return 0;
        }
        double precision = (double) overlap / candidateCount, recall = (double) overlap / referenceCount;
        return 2 * precision * recall / (precision + recall);
    }
}
