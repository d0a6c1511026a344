package lectern.gpt.summary;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CentroidSelectionTest {

    static final List<String> NOTES = List.of(
            "Replication lag means followers serve stale reads.",
            "I bought coffee beans on the way home.",
            "Leader-based replication sends the log to followers; lag grows under load. Reads from followers can be stale.");

    @Test
    void theNotesMainSubjectIsMostCentralAndEachSentenceKnowsItsNote() {
        List<CentroidSelection.Sentence> scored = CentroidSelection.score(NOTES);
        assertEquals(4, scored.size());
        CentroidSelection.Sentence coffee = scored.get(1);
        assertEquals(1, coffee.part());
        assertTrue(scored.stream().filter(s -> s != coffee).allMatch(s -> s.score() > coffee.score()), scored.toString());
        assertEquals(2, scored.get(3).part(), "the second sentence of the third note");

        // a budget of two sentences (by words) keeps two on replication, in input order
        List<CentroidSelection.Sentence> kept = CentroidSelection.select(scored, 18, s -> s.split("\\s+").length);
        assertTrue(kept.size() >= 1 && kept.stream().noneMatch(s -> s.text().contains("coffee")), kept.toString());
        for (int i = 1; i < kept.size(); i++) {
            assertTrue(kept.get(i - 1).position() < kept.get(i).position());
        }
        assertTrue(CentroidSelection.centralSentence(String.join(" ", NOTES), 0).toLowerCase().contains("replication"));
    }

    @Test
    void aCandidateAboutTheMainSubjectIsMoreCentral() {
        double subject = CentroidSelection.centrality("Replication lag and stale reads", NOTES);
        double aside = CentroidSelection.centrality("Coffee beans", NOTES);
        assertTrue(subject > aside && aside >= 0, subject + " > " + aside);
        assertEquals(0, CentroidSelection.centrality("nothing in common", NOTES), 1e-12);
    }
}
