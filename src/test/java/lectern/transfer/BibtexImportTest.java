package lectern.transfer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static lectern.transfer.GoodreadsCsvTest.fixture;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class BibtexImportTest {

    static JsonPath importBib(String token, String bib) {
        return given().auth().oauth2(token).contentType("application/x-bibtex; charset=UTF-8")
                .body(bib.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/import/bibtex").then().statusCode(200).extract().jsonPath();
    }

    static List<Map<String, Object>> papers(String token) {
        return given().auth().oauth2(token).when().get("/api/papers").then().statusCode(200).extract().jsonPath().getList("$");
    }

    static String exportBib(String token) {
        return given().auth().oauth2(token).when().get("/api/export/bibtex").then().statusCode(200)
                .contentType(containsString("application/x-bibtex")).extract().asString();
    }

    private static Map<String, Object> paper(String token, String arxivId) {
        return papers(token).stream().filter(p -> arxivId.equals(p.get("arxivId"))).findFirst()
                .orElseThrow(() -> new AssertionError("no paper " + arxivId));
    }

    /** The inputs that once answered 500 and imported nothing (issue: hardening): now 200, the good entries, the bad by line. */
    @Test
    void brokenBibtexNeverCostsTheGoodEntries() {
        String good = "@article{g1, title = {Good One}, year = {2020}}\n";
        for (String broken : List.of("@misc{", "@@@", "@article{cut,\n  title = {Cut off",
                "@inproceedings(paren, title=\"Parenthesized\", author=\"B\")", "@article{x, title = {Extra}}}}")) {
            String token = TestUsers.token();
            JsonPath result = importBib(token, good + broken + "\n\n@misc{g2, title = {Good Two}}\n");
            int expected = broken.startsWith("@inproceedings") || broken.contains("Extra") ? 3 : 2;
            assertEquals(expected, result.getInt("created"), broken + " -> " + result.prettify());
            assertEquals(expected == 3 ? List.of() : List.of(2), result.getList("failed.line"), broken);
        }
    }

    @Test
    void importsPapersMergesDuplicatesAndReportsBadEntriesByLine() {
        String token = TestUsers.token();
        JsonPath result = importBib(token, fixture("papers.bib"));
        // 10 readable entries; lundberg_again is the same arXiv paper as lundberg_unified_2017.
        assertEquals(9, result.getInt("created"));
        assertEquals(2, result.getInt("skipped"), "the @Manual, and the duplicate that adds nothing");
        assertEquals(List.of(80, 91), result.getList("failed.line"));
        assertEquals(9, papers(token).size());

        Map<String, Object> lundberg = paper(token, "1705.07874");
        assertEquals("A Unified Approach to Interpreting Model Predictions", lundberg.get("title"));
        assertEquals(List.of("Scott Lundberg", "Su-In Lee"), lundberg.get("authors"));
        assertEquals("10.48550/arXiv.1705.07874", lundberg.get("doi"));
        Map<String, Object> kaiser = paper(token, "1706.03762");
        assertEquals("Café naïve résumés: Łukasz and François on 50% of α-nets", kaiser.get("title"));
        assertEquals(2019, kaiser.get("year"));
        assertNull(paper(token, "1610.02391").get("doi"));
        assertEquals("https://arxiv.org/pdf/1610.02391.pdf", paper(token, "1610.02391").get("url"));
    }

    @Test
    void importingTwiceChangesNothing() {
        String token = TestUsers.token();
        importBib(token, fixture("papers.bib"));
        String before = exportBib(token);
        JsonPath again = importBib(token, fixture("papers.bib"));
        assertEquals(0, again.getInt("created"));
        assertEquals(0, again.getInt("updated"));
        assertEquals(before, exportBib(token));
    }

    @Test
    void aDuplicateByDoiCompletesThePaperItMatches() {
        String token = TestUsers.token();
        importBib(token, "@article{a, title={The Entry}, doi={10.1000/xyz123}}");
        JsonPath result = importBib(token, "@article{b, title={The Entry, again}, doi={10.1000/XYZ123}, year={2021},"
                + " author={Last, First}}");
        assertEquals(0, result.getInt("created"));
        assertEquals(1, result.getInt("updated"));
        List<Map<String, Object>> all = papers(token);
        assertEquals(1, all.size());
        assertEquals("The Entry", all.get(0).get("title"), "what the library had stays");
        assertEquals(2021, all.get(0).get("year"));
        assertEquals(List.of("First Last"), all.get(0).get("authors"));
    }

    @Test
    void exportIsArxivStyleAndRoundTripsIntoAnotherAccount() {
        String alice = TestUsers.token();
        importBib(alice, fixture("papers.bib"));
        String bib = exportBib(alice);
        assertTrue(bib.contains("@misc{spec1,\n      title={Fast inference from Transformers via speculative decoding},\n"
                + "      author={Yaniv Leviathan and Matan Kalman and Yossi Matias},\n      year={2022},\n"
                + "      eprint={2211.17192},\n      archivePrefix={arXiv},\n      primaryClass={cs.LG},\n"
                + "      url={https://arxiv.org/abs/2211.17192},\n}"), bib);
        assertTrue(bib.contains("title={Café naïve résumés: Łukasz and François on 50\\% of α-nets}"), bib);

        String bob = TestUsers.token();
        JsonPath result = importBib(bob, bib);
        assertEquals(9, result.getInt("created"));
        assertEquals(List.of(), result.getList("failed"));
        assertEquals(bib, exportBib(bob));
        assertEquals(9, papers(alice).size(), "each account has its own papers");
    }

    @Test
    void refusals() {
        String token = TestUsers.token();
        given().auth().oauth2(token).contentType("application/x-bibtex").body("   ".getBytes(StandardCharsets.UTF_8))
                .when().post("/api/import/bibtex").then().statusCode(400);
        given().contentType("application/x-bibtex").body("@misc{a, title={T}}".getBytes(StandardCharsets.UTF_8))
                .when().post("/api/import/bibtex").then().statusCode(401);
        JsonPath garbage = importBib(token, "this is not bibtex at all {");
        assertEquals(0, garbage.getInt("created"));
    }
}
