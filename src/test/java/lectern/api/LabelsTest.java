package lectern.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelsTest {

    @Test
    void aUsersLabelIsOneLowerCaseWordOrNothing() {
        assertEquals("paper", Labels.userLabel("  Paper "));
        assertEquals("deep-learning_2", Labels.userLabel("deep-learning_2"));
        assertNull(Labels.userLabel("   "));
        assertNull(Labels.userLabel(null));
        assertEquals("x".repeat(Labels.MAX_LENGTH), Labels.userLabel("x".repeat(Labels.MAX_LENGTH)));
        for (String bad : new String[] {"two words", "-dash-first", "x".repeat(Labels.MAX_LENGTH + 1), "é"}) {
            ProblemException e = assertThrows(ProblemException.class, () -> Labels.userLabel(bad), bad);
            assertTrue(String.valueOf(e.problem()).contains("label"), bad + ": " + e.problem());
        }
    }

    @Test
    void aClassifiersLabelIsCutToFit() {
        assertEquals("book", Labels.fromClassifier("book"));
        assertEquals(Labels.MAX_LENGTH, Labels.fromClassifier("y".repeat(60)).length());
    }
}
