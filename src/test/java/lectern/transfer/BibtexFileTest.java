package lectern.transfer;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BibtexFileTest {

    private static Map<String, BibtexFile.Entry> byKey(BibtexFile.ParsedFile file) {
        return file.entries().stream().collect(Collectors.toMap(BibtexFile.Entry::key, Function.identity()));
    }

    @Test
    void arxivIdsWhereverExportersPutThem() {
        Map<String, BibtexFile.Entry> entries = byKey(BibtexFile.parse(GoodreadsCsvTest.fixture("papers.bib")));
        assertEquals("1705.07874", entries.get("lundberg_unified_2017").arxivId().id(), "eprint + lower-case archiveprefix");
        assertEquals("1705.07874", entries.get("lundberg_again").arxivId().id(), "archivePrefix = {ARXIV}, versioned eprint");
        assertEquals(2, entries.get("lundberg_again").arxivId().version());
        assertEquals("1610.02391", entries.get("selvaraju2016grad").arxivId().id(), "journal = {arXiv preprint arXiv:...}");
        assertEquals("1212.5701", entries.get("zeiler2012adadelta").arxivId().id(), "journal = {arXiv:...}");
        assertEquals("2211.17192", entries.get("spec1").arxivId().id(), "quoted strings");
        assertEquals("cs.LG", entries.get("spec1").primaryClass());
        assertEquals("1706.03762", entries.get("kaiser2019").arxivId().id(), "10.48550/arXiv DOI in the url");
        assertEquals("1512.03385", entries.get("dblp_resnet").arxivId().id(), "DBLP's CoRR abs/ volume");
        assertNull(entries.get("strumbelj2014explaining").arxivId());
        assertEquals("10.1007/s10115-013-0679-x", entries.get("strumbelj2014explaining").doi().value());
    }

    @Test
    void latexAccentsBracesAndNamesAreDecoded() {
        Map<String, BibtexFile.Entry> entries = byKey(BibtexFile.parse(GoodreadsCsvTest.fixture("papers.bib")));
        assertEquals(List.of("Erik Štrumbelj", "Igor Kononenko"), entries.get("strumbelj2014explaining").authors());
        assertEquals("A Unified Approach to Interpreting Model Predictions", entries.get("lundberg_unified_2017").title());
        assertEquals("ADADELTA: An Adaptive Learning Rate Method", entries.get("zeiler2012adadelta").title());
        BibtexFile.Entry kaiser = entries.get("kaiser2019");
        assertEquals("Café naïve résumés: Łukasz and François on 50% of α-nets", kaiser.title());
        assertEquals(List.of("Łukasz Kaiser", "François Chollet", "Google Brain Team"), kaiser.authors(),
                "a braced name with 'and'-free words stays one author");
        assertEquals(2022, entries.get("spec1").year(), "bare year and month = nov macro");
    }

    @Test
    void typesOtherThanPapersAreSkippedAndBrokenEntriesReportedByLine() {
        BibtexFile.ParsedFile file = BibtexFile.parse(GoodreadsCsvTest.fixture("papers.bib"));
        assertEquals(1, file.skipped(), "@Manual is not a paper");
        // a broken entry is reported at the line where it starts (jbibtex read to its end before failing)
        assertEquals(List.of(80, 91), file.failures().stream().map(ImportResult.Failure::line).sorted().toList());
        assertTrue(file.failures().stream().anyMatch(f -> f.line() == 80 && f.message().contains("no title")));
        assertTrue(byKey(file).containsKey("after_broken"), "the entry after a broken one still reads");
        assertEquals(10, file.entries().size());
    }

    @Test
    void aPublishersLinkInTheDoiFieldGivesTheDoi() {
        BibtexFile.ParsedFile file = BibtexFile.parse(
                "@misc{k, title={T}, doi={https://journals.sagepub.com/doi/10.1037/1089-2680.2.2.175}}");
        assertEquals(List.of(), file.failures());
        assertEquals("10.1037/1089-2680.2.2.175", file.entries().get(0).doi().value());
    }

    @Test
    void latexDecoding() {
        assertEquals("Schrödinger’s été", LatexText.decode("Schr{\\\"o}dinger’s {\\'e}t{\\'{e}}"));
        assertEquals("d'equations — x", LatexText.decode("d'equations --- x"));
        assertEquals("Hölder and Ñ and ł", LatexText.decode("H\\\"{o}lder and \\~N and \\l{}"));
        assertEquals("Deep nets with θ^2", LatexText.decode("\\emph{Deep} \\textbf{nets} with $\\theta^2$"));
        assertEquals("a & b_c {x} \\ ~", LatexText.decode(LatexText.encode("a & b_c {x} \\ ~")));
    }

    @Test
    void writtenInArxivStyleAndReadBackToTheSamePapers() {
        BibtexFile.ParsedFile original = BibtexFile.parse(GoodreadsCsvTest.fixture("papers.bib"));
        List<BibtexFile.ExportEntry> export = original.entries().stream()
                .map(e -> new BibtexFile.ExportEntry(e.key(), e.title(), e.authors(), e.year(),
                        e.arxivId() == null ? null : e.arxivId().id(), null, e.doi() == null ? null : e.doi().value(),
                        e.url(), e.primaryClass()))
                .toList();
        String written = BibtexFile.write(export);
        assertTrue(written.contains("@misc{spec1,\n      title={Fast inference from Transformers via speculative decoding},\n"
                + "      author={Yaniv Leviathan and Matan Kalman and Yossi Matias},\n      year={2022},\n"
                + "      eprint={2211.17192},\n      archivePrefix={arXiv},\n      primaryClass={cs.LG},\n"
                + "      url={https://arxiv.org/abs/2211.17192},\n}"), written);
        BibtexFile.ParsedFile again = BibtexFile.parse(written);
        assertEquals(List.of(), again.failures());
        assertEquals(original.entries().size(), again.entries().size());
        for (int i = 0; i < original.entries().size(); i++) {
            BibtexFile.Entry a = original.entries().get(i);
            BibtexFile.Entry b = again.entries().get(i);
            assertEquals(a.title(), b.title());
            assertEquals(a.authors(), b.authors());
            assertEquals(a.year(), b.year());
            assertEquals(a.arxivId() == null ? null : a.arxivId().id(), b.arxivId() == null ? null : b.arxivId().id());
            assertEquals(a.doi(), b.doi());
            assertEquals(a.primaryClass(), b.primaryClass());
        }
    }

    static final String GOOD = "@article{good1,\n  title = {A Good Paper},\n  author = {Doe, Jane},\n  year = {2020}\n}\n";
    static final String GOOD2 = "@misc{good2,\n  title = {Another Good One},\n  year = {2021}\n}\n";

    /** The five inputs that answered 500 (issue: hardening), each between two good entries. */
    @Test
    void brokenEntriesCostOnlyThemselvesAndAreReportedByLine() {
        Map<String, Integer> cases = new java.util.LinkedHashMap<>();
        cases.put("@misc{", 7);
        cases.put("@@@", 7);
        cases.put("@article{extra,\n  title = {Extra braces}}}\n}", -1); // the entry reads; stray braces are comment
        cases.put("@article{cut,\n  title = {Cut off before its clos", 7);
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            String text = GOOD + "\n" + c.getKey() + "\n\n" + GOOD2;
            BibtexFile.ParsedFile file = BibtexFile.parse(text);
            Map<String, BibtexFile.Entry> entries = byKey(file);
            assertTrue(entries.containsKey("good1") && entries.containsKey("good2"), c.getKey() + " -> " + entries.keySet());
            if (c.getValue() > 0) {
                assertEquals(List.of(c.getValue()), file.failures().stream().map(ImportResult.Failure::line).toList(),
                        c.getKey() + " -> " + file.failures());
            }
        }
        // a file whose last entry is cut off: the ones before it import
        BibtexFile.ParsedFile cut = BibtexFile.parse(GOOD + GOOD2 + "@article{last,\n  title = {Never clo");
        assertEquals(2, cut.entries().size());
        assertEquals(List.of(10), cut.failures().stream().map(ImportResult.Failure::line).toList(), cut.failures().toString());
    }

    @Test
    void parenthesizedEntriesAreValidBibtex() {
        BibtexFile.ParsedFile file = BibtexFile.parse("@inproceedings(key, title=\"A\", author=\"B\")\n"
                + "@misc(paren2, title = {With (parentheses) inside}, year = 2019)\n" + GOOD);
        Map<String, BibtexFile.Entry> entries = byKey(file);
        assertEquals("A", entries.get("key").title());
        assertEquals(List.of("B"), entries.get("key").authors());
        assertEquals("With (parentheses) inside", entries.get("paren2").title());
        assertEquals(2019, entries.get("paren2").year());
        assertEquals(List.of(), file.failures());
    }

    @Test
    void stringMacrosApplyToTheEntriesAfterThem() {
        BibtexFile.ParsedFile file = BibtexFile.parse("@string{nips = \"Advances in NeurIPS\"}\n"
                + "@inproceedings{m1, title = {Macro User}, booktitle = nips, year = 2017}\n");
        assertEquals(1, file.entries().size(), file.failures().toString());
        assertEquals(List.of(), file.failures());
    }
}
