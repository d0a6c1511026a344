package lectern.gpt.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootstrapTest {

    @Test
    void intervalsBracketTheFigureAndShrinkWithMoreItems() {
        int[] truth = new int[40], predicted = new int[40];
        for (int i = 0; i < 40; i++) {
            truth[i] = i % 2;
            predicted[i] = i % 4 == 3 ? 0 : truth[i]; // 30 of 40 right
        }
        Bootstrap.Result r = Bootstrap.of(truth, predicted, 2, 1);
        assertEquals(0.75, r.accuracy().value(), 1e-12);
        assertTrue(r.accuracy().low() < 0.75 && r.accuracy().high() > 0.75, r.toString());
        assertTrue(r.accuracy().low() > 0.5 && r.accuracy().high() < 0.95, r.toString());

        int[] t4 = new int[400], p4 = new int[400];
        for (int i = 0; i < 400; i++) {
            t4[i] = truth[i % 40];
            p4[i] = predicted[i % 40];
        }
        Bootstrap.Result big = Bootstrap.of(t4, p4, 2, 1);
        assertTrue(big.accuracy().high() - big.accuracy().low() < r.accuracy().high() - r.accuracy().low());

        Bootstrap.Result perfect = Bootstrap.of(truth, truth, 2, 1);
        assertEquals(1, perfect.accuracy().low());
        assertEquals(1, perfect.macroF1().high());
    }
}
