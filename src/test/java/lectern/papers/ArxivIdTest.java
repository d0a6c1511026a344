package lectern.papers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArxivIdTest {

    @ParameterizedTest(name = "{0} -> {1} v{2}")
    @CsvSource(nullValues = "-", value = {
            "2507.23267,                                   2507.23267,     -",
            "2507.23267v2,                                 2507.23267,     2",
            "  2507.23267v12  ,                            2507.23267,     12",
            "arXiv:1706.03762,                             1706.03762,     -",
            "arxiv:1706.03762v5,                           1706.03762,     5",
            "ARXIV: 1706.03762,                            1706.03762,     -",
            "0704.0001,                                    0704.0001,      -",
            "1412.6980v9,                                  1412.6980,      9",
            "1501.00001,                                   1501.00001,     -",
            "hep-th/9901001,                               hep-th/9901001, -",
            "HEP-TH/9901001v3,                             hep-th/9901001, 3",
            "math.GT/0309136,                              math/0309136,   -",
            "cs/0112017v1,                                 cs/0112017,     1",
            "cond-mat.str-el/0101001,                      cond-mat/0101001, -",
            "arXiv:hep-th/9901001,                         hep-th/9901001, -",
            "https://arxiv.org/abs/1706.03762v7,           1706.03762,     7",
            "http://arxiv.org/pdf/1706.03762.pdf,          1706.03762,     -",
            "arxiv.org/pdf/2507.23267v2,                   2507.23267,     2",
            "https://arxiv.org/pdf/2507.23267v2.pdf,       2507.23267,     2",
            "https://export.arxiv.org/abs/1706.03762,      1706.03762,     -",
            "https://www.arxiv.org/abs/1706.03762/,        1706.03762,     -",
            "https://arxiv.org/html/2507.23267v1#S3,       2507.23267,     1",
            "https://arxiv.org/abs/1706.03762?context=cs,  1706.03762,     -",
            "https://arxiv.org/abs/hep-th/9901001v2,       hep-th/9901001, 2",
            "http://arxiv.org/pdf/math.GT/0309136.pdf,     math/0309136,   -",
            "10.48550/arXiv.1706.03762,                    1706.03762,     -",
            "doi:10.48550/arXiv.1706.03762,                1706.03762,     -",
            "https://doi.org/10.48550/arXiv.2507.23267,    2507.23267,     -",
            "10.48550/arXiv.hep-th/9901001,                hep-th/9901001, -",
    })
    void parsesEveryAcceptedForm(String input, String id, Integer version) {
        ArxivId parsed = ArxivId.parse(input);
        assertEquals(id, parsed.id());
        assertEquals(version, parsed.version());
    }

    @ParameterizedTest(name = "refuses \"{0}\"")
    @ValueSource(strings = {
            "", "   ", "not an id", "1706.0376", "1706.037621", "17063.03762", "1713.03762", "1700.03762",
            "0703.1234", "0612.12345", "1412.12345", "1501.1234", "2507.00000", "2507.23267v0", "2507.23267v",
            "2507.23267 v2", "foo-bar/9901001", "hep-th/990100", "hep-th/99010011", "hep-th/9913001", "hep-th/9007001",
            "hep-th/0704001", "hep-th/9901000", "https://example.org/abs/1706.03762", "https://arxiv.org/list/cs.LG/recent",
            "arxiv.org/abs/", "https://arxiv.org/abs/1706.03762junk", "10.1145/3292500.3330701", "arXiv:", "1706.03762.pdf",
    })
    void refusesWhatIsNotAnArxivId(String input) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArxivId.parse(input));
        assertTrue(e.getMessage().contains("2507.23267"), "the message shows an accepted form: " + e.getMessage());
    }

    @Test
    void refusalSaysWhatIsWrong() {
        assertTrue(refusal("1713.03762").contains("month 13"));
        assertTrue(refusal("1501.1234").contains("5 digits"));
        assertTrue(refusal("1412.12345").contains("4 digits"));
        assertTrue(refusal("0612.12345").contains("April 2007"));
        assertTrue(refusal("foo-bar/9901001").contains("not an arXiv archive"));
    }

    private static String refusal(String input) {
        return assertThrows(IllegalArgumentException.class, () -> ArxivId.parse(input)).getMessage();
    }

    @Test
    void nullIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ArxivId.parse(null));
    }

    @Test
    void formatsWithAndWithoutVersion() {
        ArxivId id = ArxivId.parse("https://arxiv.org/abs/1706.03762v7");
        assertEquals("1706.03762v7", id.withVersion());
        assertEquals("https://arxiv.org/abs/1706.03762v7", id.absUrl());
        assertEquals("hep-th/9901001", ArxivId.parse("hep-th/9901001").withVersion());
    }

    @Test
    void constructorRefusesUnnormalizedIds() {
        assertThrows(IllegalArgumentException.class, () -> new ArxivId("1706.03762v7", null));
        assertThrows(IllegalArgumentException.class, () -> new ArxivId("math.GT/0309136", null));
        assertThrows(IllegalArgumentException.class, () -> new ArxivId("1706.03762", 0));
    }

    @Test
    void tryParseIsEmptyForGarbage() {
        assertTrue(ArxivId.tryParse("nonsense").isEmpty());
        assertEquals("1706.03762", ArxivId.tryParse("arXiv:1706.03762").orElseThrow().id());
    }

    // ---- findAll

    private static List<String> found(String text) {
        return ArxivId.findAll(text).stream().map(ArxivId::withVersion).toList();
    }

    @Test
    void findsIdsAndLinksInANote() {
        String note = """
                Builds on Attention Is All You Need (arXiv:1706.03762) and https://arxiv.org/abs/2005.14165v4.
                Compare 2507.23267, and the pdf http://arxiv.org/pdf/1810.04805.pdf; old work: arXiv:hep-th/9901001
                and https://arxiv.org/abs/math.GT/0309136v2.
                """;
        assertEquals(List.of("1706.03762", "2005.14165v4", "2507.23267", "1810.04805", "hep-th/9901001", "math/0309136v2"),
                found(note));
    }

    @Test
    void findsLinksWithTrailingPartsAndInMarkdown() {
        assertEquals(List.of("1706.03762", "2005.14165v4", "1810.04805", "2001.08361"),
                found("[paper](https://arxiv.org/abs/1706.03762/) <https://arxiv.org/abs/2005.14165v4#S2> "
                        + "arxiv.org/pdf/1810.04805?download=1 and ARXIV.ORG/ABS/2001.08361."));
    }

    @Test
    void eachIdOnceInOrderOfFirstAppearance() {
        assertEquals(List.of("2507.23267v2", "1706.03762"),
                found("2507.23267v2 then 1706.03762 then again arxiv.org/abs/2507.23267 and arXiv:1706.03762v3"));
    }

    @Test
    void oldStyleOnlyWhenPrefixedOrLinked() {
        assertEquals(List.of(), found("see hep-th/9901001 and cs/0112017 for details"));
        assertEquals(List.of("cs/0112017v1"), found("see arXiv:cs/0112017v1."));
        assertEquals(List.of("hep-th/9901001"), found("(export.arxiv.org/abs/hep-th/9901001)"));
        assertEquals(List.of(), found("arXiv:hep-th/990100 is one digit short"));
    }

    @Test
    void bareIdsMustStandAlone() {
        assertEquals(List.of(), found("version 1.1706.03762 and 31706.03762 and 1706.037621 and 1706.03762.5"));
        assertEquals(List.of(), found("abc1706.03762 and 1706.03762abc and 1706.03762/foo"));
        assertEquals(List.of(), found("price 1300.5000 and ratio 0012.3456 and 1713.03762"));
        assertEquals(List.of("1706.03762"), found("Transformer (1706.03762)."));
        assertEquals(List.of("1706.03762", "2507.23267v2"), found("1706.03762,2507.23267v2"));
        assertEquals(List.of("2507.23267"), found("end of sentence 2507.23267."));
    }

    @Test
    void findsDoiFormAndOtherMirrorsOfArxiv() {
        assertEquals(List.of("1706.03762"), found("doi:10.48550/arXiv.1706.03762"));
        assertEquals(List.of("2507.23267"), found("https://doi.org/10.48550/arXiv.2507.23267 was nice"));
        assertEquals(List.of("2507.23267"), found("https://huggingface.co/papers/2507.23267"));
    }

    @Test
    void nothingInEmptyText() {
        assertEquals(List.of(), found(""));
        assertEquals(List.of(), found(null));
        assertEquals(List.of(), found("no ids here, only 2024 and 3.14159"));
    }

    @Test
    void impossibleIdsInTextAreSkippedNotFatal() {
        assertEquals(List.of("1706.03762"), found("arXiv:1713.03762 is a typo, arXiv:foo/9901001 too; 1706.03762 is real"));
    }

    @Test
    void versionIsNull() {
        assertNull(ArxivId.parse("1706.03762").version());
    }
}
