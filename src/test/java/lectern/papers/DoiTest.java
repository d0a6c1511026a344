package lectern.papers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoiTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "10.1145/3292500.3330701,                          10.1145/3292500.3330701",
            "  10.1145/3292500.3330701 ,                       10.1145/3292500.3330701",
            "doi:10.1038/nature14539,                          10.1038/nature14539",
            "DOI: 10.1038/nature14539,                         10.1038/nature14539",
            "https://doi.org/10.1038/nature14539,              10.1038/nature14539",
            "http://dx.doi.org/10.1038/nature14539,            10.1038/nature14539",
            "doi.org/10.1038/nature14539?via=x,                10.1038/nature14539",
            "https://doi.org/10.1000%2F182,                    10.1000/182",
            "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O, 10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O",
            "10.48550/arXiv.1706.03762,                        10.48550/arXiv.1706.03762",
            "10.1000.10/abc,                                   10.1000.10/abc",
    })
    void parsesTheUsualForms(String input, String value) {
        assertEquals(value, Doi.parse(input).value());
    }

    @ParameterizedTest(name = "refuses \"{0}\"")
    @ValueSource(strings = {"", "  ", "doi:", "10.1038", "10.1038/", "11.1038/nature14539", "10.12/abc", "nature14539",
            "https://example.org/10.1038/nature14539", "10.1038/has space", "https://doi.org/10.1000%zz"})
    void refusesWhatIsNotADoi(String input) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Doi.parse(input));
        assertTrue(e.getMessage().contains("10.1145/3292500.3330701"), e.getMessage());
    }

    @Test
    void refusesOverlongDois() {
        assertThrows(IllegalArgumentException.class, () -> Doi.parse("10.1038/" + "x".repeat(400)));
    }

    @Test
    void comparesCaseInsensitively() {
        assertEquals(Doi.parse("10.1038/NATURE14539").key(), Doi.parse("https://doi.org/10.1038/nature14539").key());
        assertEquals("10.1038/NATURE14539", Doi.parse("10.1038/NATURE14539").value());
    }

    @Test
    void knowsArxivDois() {
        assertEquals("1706.03762", Doi.parse("10.48550/arXiv.1706.03762").arxivId().orElseThrow().id());
        assertEquals("hep-th/9901001", Doi.parse("doi:10.48550/ARXIV.hep-th/9901001").arxivId().orElseThrow().id());
        assertTrue(Doi.parse("10.1038/nature14539").arxivId().isEmpty());
    }

    @Test
    void linksToTheResolver() {
        assertEquals("https://doi.org/10.1038/nature14539", Doi.parse("doi:10.1038/nature14539").url());
    }
}
