package lectern.gpt.classify;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NgramFeaturesTest {

    @Test
    void termsAreWordsWordPairsAndCharacterNgramsInsidePaddedWords() {
        List<String> terms = NgramFeatures.terms("Read DDIA");
        assertTrue(terms.containsAll(List.of("w read", "w ddia", "w read ddia")), terms.toString());
        // char_wb: " ddia " gives 2..5-grams that never cross into the next word
        assertTrue(terms.containsAll(List.of("c  d", "c dd", "c  ddi", "c ddia ", "c ia ")), terms.toString());
        assertFalse(terms.contains("c d r"), "no character n-gram spans two words");
        assertFalse(terms.stream().anyMatch(t -> t.startsWith("c ") && t.length() - 2 > NgramFeatures.CHAR_MAX));
    }

    @Test
    void eachBlockIsUnitLengthAndUnknownTermsAreDropped() {
        NgramFeatures f = NgramFeatures.fit(List.of("read the paper", "read the book", "wrote the post"), 1);
        NgramFeatures.Row row = f.vectorize("read the zzz paper");
        double words = 0, chars = 0;
        int wordTerms = (int) f.terms().stream().filter(t -> t.startsWith("w ")).count();
        for (int i = 0; i < row.ids().length; i++) {
            double v = row.values()[i];
            if (row.ids()[i] < wordTerms) {
                words += v * v;
            } else {
                chars += v * v;
            }
            assertTrue(v > 0);
        }
        assertEquals(1, words, 1e-5);
        assertEquals(1, chars, 1e-5);
        assertEquals(0, f.vectorize("").ids().length);
    }

    @Test
    void minDfKeepsTermsSeenInEnoughTexts() {
        NgramFeatures f = NgramFeatures.fit(List.of("alpha beta", "alpha gamma"), 2);
        assertTrue(f.terms().contains("w alpha"));
        assertFalse(f.terms().contains("w beta"));
        // rarer terms weigh more: idf(1 of 2 texts) > idf(2 of 2)
        NgramFeatures all = NgramFeatures.fit(List.of("alpha beta", "alpha gamma"), 1);
        float[] idf = all.idf();
        assertTrue(idf[all.terms().indexOf("w beta")] > idf[all.terms().indexOf("w alpha")]);
    }
}
