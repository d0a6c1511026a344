package lectern.gpt.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BaselinesTest {

    @Test
    void metricsByHand() {
        int[] truth = {0, 0, 0, 1, 1, 2};
        int[] pred = {0, 0, 1, 1, 2, 2};
        Metrics m = Metrics.of(truth, pred, 4);
        assertEquals(4.0 / 6, m.accuracy(), 1e-12);
        // F1: class 0: 2*2/(4+0+1)=0.8; class 1: 2/(2+1+1)=0.5; class 2: 2/(2+1+0)=2/3; class 3 absent
        assertEquals((0.8 + 0.5 + 2.0 / 3) / 3, m.macroF1(), 1e-12);
        assertEquals(1.0, Metrics.of(truth, truth, 3).macroF1(), 1e-12);
    }

    @Test
    void majorityAnswersTheMostFrequentTrainingLabel() {
        MajorityClass m = MajorityClass.fit(new int[] {2, 1, 2, 0, 2, 1}, 3);
        assertEquals(2, m.label());
        assertArrayEquals(new int[] {2, 2}, m.predict(2));
        assertEquals(0, MajorityClass.fit(new int[] {1, 0}, 2).label(), "ties go to the lowest label");
    }

    @Test
    void tfIdfWeightsAreSublinearIdfAndUnitLength() {
        List<String> texts = List.of("apple apple pear", "pear plum", "plum apple", "kiwi");
        TfIdfLogisticRegression m = TfIdfLogisticRegression.fit(texts, new int[] {0, 1, 1, 0}, 2,
                new TfIdfLogisticRegression.Options(2, false, 0f, 1, 4, 0.01f, 1));
        assertEquals(3, m.vocabularySize(), "kiwi occurs in one text only (min df 2)");
        TfIdfLogisticRegression.Row r = m.vectorize("apple apple pear kiwi");
        // ids in sorted order apple=0, pear=1, plum=2; all df 2 of n=4 -> idf ln(5/3)+1
        double idf = Math.log(5.0 / 3) + 1;
        double a = (1 + Math.log(2)) * idf, p = idf, norm = Math.sqrt(a * a + p * p);
        assertArrayEquals(new int[] {0, 1}, r.ids());
        assertEquals(a / norm, r.values()[0], 1e-6);
        assertEquals(p / norm, r.values()[1], 1e-6);
    }

    /** Topic words decide the label, with shared filler words; held-out texts use unseen combinations. */
    @Test
    void logisticRegressionLearnsTopicsAndGeneralises() {
        String[][] topics = {
                {"engine", "wheel", "brake", "fuel", "gear", "tyre"},
                {"violin", "melody", "chord", "rhythm", "choir", "tempo"},
                {"protein", "cell", "enzyme", "gene", "membrane", "tissue"}};
        String[] filler = {"the", "a", "of", "and", "it", "was", "very", "some"};
        Random rng = new Random(3);
        List<String> train = new ArrayList<>(), test = new ArrayList<>();
        List<Integer> ytrain = new ArrayList<>(), ytest = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            int y = i % 3;
            StringBuilder s = new StringBuilder();
            for (int w = 0; w < 12; w++) {
                s.append(rng.nextInt(4) == 0 ? topics[y][rng.nextInt(6)] : filler[rng.nextInt(filler.length)]).append(' ');
            }
            s.append(topics[y][rng.nextInt(6)]);
            (i < 180 ? train : test).add(s.toString());
            (i < 180 ? ytrain : ytest).add(y);
        }
        int[] yt = ytrain.stream().mapToInt(Integer::intValue).toArray();
        int[] ye = ytest.stream().mapToInt(Integer::intValue).toArray();
        TfIdfLogisticRegression m = TfIdfLogisticRegression.fit(train, yt, 3, TfIdfLogisticRegression.Options.defaults());
        Metrics trainMetrics = Metrics.of(yt, m.predict(train), 3);
        Metrics testMetrics = Metrics.of(ye, m.predict(test), 3);
        assertTrue(trainMetrics.accuracy() > 0.97, "train " + trainMetrics);
        assertTrue(testMetrics.accuracy() > 0.9, "test " + testMetrics);
        float[] p = m.probabilities("violin melody chord");
        assertTrue(p[1] > 0.8, "probabilities " + java.util.Arrays.toString(p));
        // the majority baseline on the same data is at chance
        assertTrue(Metrics.of(ye, MajorityClass.fit(yt, 3).predict(ye.length), 3).accuracy() < 0.4);
    }
}
