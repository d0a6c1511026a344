package lectern.llm;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelMonitorTest {

    @Test
    void psiIsZeroForTheSameMixAndGrowsWithTheShift() {
        Map<String, Double> training = Map.of("book", 0.25, "paper", 0.25, "project", 0.5);
        assertEquals(0, LabelMonitor.psi(training, training), 1e-12);
        double small = LabelMonitor.psi(Map.of("book", 0.3, "paper", 0.2, "project", 0.5), training);
        double large = LabelMonitor.psi(Map.of("book", 0.8, "paper", 0.1, "project", 0.1), training);
        assertTrue(small > 0 && small < LabelMonitor.PSI_MODERATE, "small shift: " + small);
        assertTrue(large > LabelMonitor.PSI_SIGNIFICANT, "large shift: " + large);
        // hand computed: (0.3-0.25) ln(0.3/0.25) + (0.2-0.25) ln(0.2/0.25), smoothing aside
        assertEquals(0.05 * Math.log(1.2) + 0.05 * Math.log(1.25), small, 1e-3);
        // a label the classifier never gives, or never saw, stays finite
        assertTrue(Double.isFinite(LabelMonitor.psi(Map.of("book", 1.0), Map.of("paper", 1.0))));
    }
}
