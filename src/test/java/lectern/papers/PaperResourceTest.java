package lectern.papers;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class PaperResourceTest {

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    static long addPaper(String token, Map<String, Object> body) {
        return as(token).body(body).when().post("/api/papers").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static Map<String, Object> paper(String title, Object... more) {
        Map<String, Object> body = new HashMap<>();
        body.put("title", title);
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    @Test
    void createReturnsTheNormalizedPaper() {
        String token = TestUsers.token();
        var created = as(token).body(paper("Attention Is All You Need",
                        "authors", List.of("Ashish Vaswani", " Noam Shazeer "), "arxivId", "https://arxiv.org/abs/1706.03762v7",
                        "doi", "https://doi.org/10.5555/3295222.3295349", "year", 2017, "tags", List.of("transformers", "Transformers", "nlp")))
                .when().post("/api/papers")
                .then().statusCode(201)
                .header("Location", containsString("/api/papers/"))
                .body("id", notNullValue())
                .body("version", equalTo(0))
                .body("title", equalTo("Attention Is All You Need"))
                .body("authors", contains("Ashish Vaswani", "Noam Shazeer"))
                .body("arxivId", equalTo("1706.03762"))
                .body("arxivVersion", equalTo(7))
                .body("arxivUrl", equalTo("https://arxiv.org/abs/1706.03762v7"))
                .body("doi", equalTo("10.5555/3295222.3295349"))
                .body("status", equalTo("to-read"))
                .body("tags", contains("transformers", "nlp"))
                .body("$", not(hasKey("readOn")))
                .extract();
        long id = created.jsonPath().getLong("id");
        org.junit.jupiter.api.Assertions.assertTrue(created.header("Location").endsWith("/api/papers/" + id));
        as(token).when().get("/api/papers/" + id).then().statusCode(200)
                .body("arxivId", equalTo("1706.03762")).body("arxivVersion", equalTo(7));
    }

    @Test
    void acceptsEachArxivForm() {
        String token = TestUsers.token();
        Map<String, String> forms = Map.of(
                "2507.23267v2", "2507.23267",
                "arxiv:1706.03762v5", "1706.03762",
                "hep-th/9901001", "hep-th/9901001",
                "math.GT/0309136", "math/0309136",
                "http://arxiv.org/pdf/1810.04805.pdf", "1810.04805",
                "export.arxiv.org/abs/2005.14165", "2005.14165",
                "10.48550/arXiv.1412.6980", "1412.6980");
        forms.forEach((given, normalized) -> as(token).body(paper("Paper " + given, "arxivId", given))
                .when().post("/api/papers").then().statusCode(201).body("arxivId", equalTo(normalized)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1706.0376", "1713.03762", "2507.2326", "1412.12345", "foo/9901001", "hep-th/9913001",
            "https://example.org/abs/1706.03762", "arXiv:", "2507.23267v0", "not an id at all"})
    void refusesInvalidArxivIdsNamingTheField(String arxivId) {
        as(TestUsers.token()).body(paper("Bad id", "arxivId", arxivId))
                .when().post("/api/papers")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("arxivId"))
                .body("errors[0].message", containsString("2507.23267"));
    }

    @Test
    void sameArxivIdTwiceIsA409WithTheExistingId() {
        String token = TestUsers.token();
        long first = addPaper(token, paper("GPT-3", "arxivId", "2005.14165"));
        as(token).body(paper("GPT-3 again", "arxivId", "https://arxiv.org/pdf/2005.14165v4.pdf"))
                .when().post("/api/papers")
                .then().statusCode(409).contentType("application/problem+json").body("existingId", equalTo((int) first));
        // Another user may have the same paper.
        addPaper(TestUsers.token(), paper("GPT-3", "arxivId", "2005.14165"));
    }

    @Test
    void sameDoiTwiceIsA409RegardlessOfCase() {
        String token = TestUsers.token();
        long first = addPaper(token, paper("Deep learning", "doi", "10.1038/nature14539"));
        as(token).body(paper("Deep learning (copy)", "doi", "https://doi.org/10.1038/NATURE14539"))
                .when().post("/api/papers")
                .then().statusCode(409).body("existingId", equalTo((int) first));
    }

    @Test
    void arxivDoiCountsAsTheArxivId() {
        String token = TestUsers.token();
        long first = addPaper(token, paper("Adam", "doi", "10.48550/arXiv.1412.6980"));
        as(token).when().get("/api/papers/" + first).then().body("arxivId", equalTo("1412.6980"));
        as(token).body(paper("Adam again", "arxivId", "1412.6980v9")).when().post("/api/papers")
                .then().statusCode(409).body("existingId", equalTo((int) first));
        as(token).body(paper("Mismatch", "arxivId", "1706.03762", "doi", "10.48550/arXiv.1810.04805"))
                .when().post("/api/papers").then().statusCode(400).body("errors[0].field", equalTo("doi"));
    }

    @Test
    void deletedPaperCanBeAddedAgain() {
        String token = TestUsers.token();
        long first = addPaper(token, paper("BERT", "arxivId", "1810.04805"));
        as(token).when().delete("/api/papers/" + first).then().statusCode(204);
        as(token).when().get("/api/papers/" + first).then().statusCode(404);
        as(token).when().delete("/api/papers/" + first).then().statusCode(404);
        long second = addPaper(token, paper("BERT", "arxivId", "1810.04805"));
        org.junit.jupiter.api.Assertions.assertNotEquals(first, second);
    }

    @Test
    void refusesBadFieldsNamingEachOne() {
        String token = TestUsers.token();
        as(token).body(paper("   ")).when().post("/api/papers")
                .then().statusCode(400).body("errors.field", hasItem("title"));
        as(token).body(Map.of("authors", List.of("x"))).when().post("/api/papers")
                .then().statusCode(400).body("errors.field", hasItem("title"));
        as(token).body(paper("x".repeat(501))).when().post("/api/papers")
                .then().statusCode(400).body("errors.field", hasItem("title"));
        as(token).body(paper("ok", "url", "ftp://example.org/paper.pdf")).when().post("/api/papers")
                .then().statusCode(400).body("errors[0].field", equalTo("url"));
        as(token).body(paper("ok", "url", "https://example.org/" + "a".repeat(2000))).when().post("/api/papers")
                .then().statusCode(400).body("errors[0].field", equalTo("url"));
        as(token).body(paper("ok", "year", 999)).when().post("/api/papers")
                .then().statusCode(400).body("errors[0].field", equalTo("year"));
        as(token).body(paper("ok", "year", LocalDate.now().getYear() + 2)).when().post("/api/papers")
                .then().statusCode(400).body("errors[0].field", equalTo("year"));
        as(token).body(paper("ok", "doi", "nature14539")).when().post("/api/papers")
                .then().statusCode(400).body("errors[0].field", equalTo("doi"));
        as(token).body(paper("ok", "tags", List.of(""))).when().post("/api/papers")
                .then().statusCode(400).body("errors[0].field", equalTo("tags[0]"));
        as(token).body(paper("ok", "authors", List.of("a", "b".repeat(201)))).when().post("/api/papers")
                .then().statusCode(400).body("errors[0].field", equalTo("authors[1]"));
        as(token).body(paper("ok", "year", "twenty")).when().post("/api/papers")
                .then().statusCode(400).body("errors[0].field", equalTo("year"));
        // Several at once: all are named.
        as(token).body(paper("ok", "arxivId", "nope", "doi", "nope", "year", 3)).when().post("/api/papers")
                .then().statusCode(400).body("errors.field", hasItem("arxivId"))
                .body("errors.field", hasItem("doi")).body("errors.field", hasItem("year"));
    }

    @Test
    void unknownStatusNamesTheField() {
        String token = TestUsers.token();
        as(token).body(paper("ok", "status", "done")).when().post("/api/papers")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("status"))
                .body("errors[0].message", containsString("to-read"));
        as(token).when().get("/api/papers?status=finished")
                .then().statusCode(400).body("errors[0].field", equalTo("status"));
    }

    @Test
    void malformedJsonIs400() {
        as(TestUsers.token()).body("{\"title\": ").when().post("/api/papers")
                .then().statusCode(400).contentType("application/problem+json");
        as(TestUsers.token()).body("[1, 2]").when().post("/api/papers")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void statusReadSetsReadOn() {
        String token = TestUsers.token();
        as(token).body(paper("Read already", "status", "read")).when().post("/api/papers")
                .then().statusCode(201).body("status", equalTo("read")).body("readOn", equalTo(LocalDate.now().toString()));
        as(token).body(paper("Read last year", "status", "read", "readOn", "2025-03-01")).when().post("/api/papers")
                .then().statusCode(201).body("readOn", equalTo("2025-03-01"));
        as(token).body(paper("Not read", "status", "reading", "readOn", "2025-03-01")).when().post("/api/papers")
                .then().statusCode(400).body("errors[0].field", equalTo("readOn"));
        as(token).body(paper("Bad date", "status", "read", "readOn", "2025-13-01")).when().post("/api/papers")
                .then().statusCode(400).body("errors[0].field", equalTo("readOn"));
        as(token).body(paper("Future", "status", "read", "readOn", LocalDate.now().plusDays(3).toString()))
                .when().post("/api/papers").then().statusCode(400).body("errors[0].field", equalTo("readOn"));
    }

    @Test
    void patchChangesFieldsAndBumpsTheVersion() {
        String token = TestUsers.token();
        long id = addPaper(token, paper("Draft title", "doi", "10.1038/nature14539", "year", 2015));
        as(token).body(Map.of("version", 0, "title", "Deep learning", "status", "reading", "arxivId", "arXiv:1706.03762v2"))
                .when().patch("/api/papers/" + id)
                .then().statusCode(200)
                .body("version", equalTo(1))
                .body("title", equalTo("Deep learning"))
                .body("status", equalTo("reading"))
                .body("startedOn", equalTo(LocalDate.now().toString()))
                .body("arxivId", equalTo("1706.03762")).body("arxivVersion", equalTo(2))
                .body("doi", equalTo("10.1038/nature14539")).body("year", equalTo(2015));
        // null clears an optional field; left-out fields stay.
        var body = new HashMap<String, Object>();
        body.put("version", 1);
        body.put("doi", null);
        body.put("status", "read");
        as(token).body(body).when().patch("/api/papers/" + id)
                .then().statusCode(200).body("version", equalTo(2)).body("$", not(hasKey("doi")))
                .body("status", equalTo("read")).body("readOn", equalTo(LocalDate.now().toString()))
                .body("title", equalTo("Deep learning")).body("year", equalTo(2015));
        as(token).body(Map.of("version", 2, "status", "to-read")).when().patch("/api/papers/" + id)
                .then().statusCode(200).body("$", not(hasKey("readOn"))).body("$", not(hasKey("startedOn")));
    }

    @Test
    void patchWithAStaleVersionIs409() {
        String token = TestUsers.token();
        long id = addPaper(token, paper("Versioned"));
        as(token).body(Map.of("version", 0, "title", "First edit")).when().patch("/api/papers/" + id).then().statusCode(200);
        as(token).body(Map.of("version", 0, "title", "Second edit")).when().patch("/api/papers/" + id)
                .then().statusCode(409).contentType("application/problem+json").body("errors[0].field", equalTo("version"));
        as(token).when().get("/api/papers/" + id).then().body("title", equalTo("First edit"));
    }

    @Test
    void patchRefusals() {
        String token = TestUsers.token();
        long id = addPaper(token, paper("Patch me"));
        as(token).body(Map.of("title", "no version")).when().patch("/api/papers/" + id)
                .then().statusCode(400).body("errors[0].field", equalTo("version"));
        as(token).body(Map.of("version", 0, "title", " ")).when().patch("/api/papers/" + id)
                .then().statusCode(400).body("errors[0].field", equalTo("title"));
        as(token).body(Map.of("version", 0, "status", "skimmed")).when().patch("/api/papers/" + id)
                .then().statusCode(400).body("errors[0].field", equalTo("status"));
        as(token).body(Map.of("version", 0, "arxivId", "1713.03762")).when().patch("/api/papers/" + id)
                .then().statusCode(400).body("errors[0].field", equalTo("arxivId"));
        as(token).body(Map.of("version", 0, "titel", "typo")).when().patch("/api/papers/" + id)
                .then().statusCode(400).body("errors[0].field", equalTo("titel"));
        as(token).body(Map.of("version", 0, "authors", List.of(""))).when().patch("/api/papers/" + id)
                .then().statusCode(400).body("errors[0].field", equalTo("authors[0]"));
        as(token).body("{\"version\": 0, ").when().patch("/api/papers/" + id).then().statusCode(400);
        as(token).body("[]").when().patch("/api/papers/" + id).then().statusCode(400);
        as(token).when().get("/api/papers/" + id).then().body("version", equalTo(0)).body("title", equalTo("Patch me"));
    }

    @Test
    void patchToAnArxivIdAnotherPaperHasIs409() {
        String token = TestUsers.token();
        long bert = addPaper(token, paper("BERT", "arxivId", "1810.04805"));
        long other = addPaper(token, paper("Other"));
        as(token).body(Map.of("version", 0, "arxivId", "arxiv.org/abs/1810.04805v2")).when().patch("/api/papers/" + other)
                .then().statusCode(409).body("existingId", equalTo((int) bert));
        // Re-sending a paper's own id is no conflict.
        as(token).body(Map.of("version", 0, "arxivId", "1810.04805v2")).when().patch("/api/papers/" + bert)
                .then().statusCode(200).body("arxivVersion", equalTo(2));
    }

    @Test
    void listFiltersByStatusAndSearches() {
        String token = TestUsers.token();
        long attention = addPaper(token, paper("Attention Is All You Need", "authors", List.of("Ashish Vaswani"),
                "arxivId", "1706.03762", "status", "read"));
        long gpt3 = addPaper(token, paper("Language Models are Few-Shot Learners", "authors", List.of("Tom B. Brown"),
                "arxivId", "2005.14165", "status", "reading"));
        long old = addPaper(token, paper("Old string theory", "arxivId", "hep-th/9901001"));
        as(token).when().get("/api/papers").then().statusCode(200)
                .body("id", contains((int) old, (int) gpt3, (int) attention));
        as(token).when().get("/api/papers?status=reading").then().body("id", contains((int) gpt3));
        as(token).when().get("/api/papers?status=to-read").then().body("id", contains((int) old));
        as(token).when().get("/api/papers?q=attention").then().body("id", contains((int) attention));
        as(token).when().get("/api/papers?q=vaswani").then().body("id", contains((int) attention));
        as(token).when().get("/api/papers?q=2005.14165").then().body("id", contains((int) gpt3));
        as(token).when().get("/api/papers?q=https://arxiv.org/abs/2005.14165v4").then().body("id", contains((int) gpt3));
        as(token).when().get("/api/papers?q=hep-th").then().body("id", contains((int) old));
        as(token).when().get("/api/papers?q=100%25").then().statusCode(200).body("$", empty());
        as(token).when().get("/api/papers?q=" + "x".repeat(201)).then().statusCode(400).body("errors[0].field", equalTo("q"));
        as(token).when().get("/api/papers?status=read&q=language").then().body("$", empty());
        as(token).when().get("/api/papers?status=read,reading").then().body("id", contains((int) gpt3, (int) attention));
    }

    @Test
    void listFiltersByTagAndPages() {
        String token = TestUsers.token();
        long a = addPaper(token, paper("A", "tags", List.of("RL")));
        long b = addPaper(token, paper("B", "tags", List.of("nlp", "rl")));
        long c = addPaper(token, paper("C"));
        as(token).when().get("/api/papers?tag=rl").then().body("id", contains((int) b, (int) a));
        as(token).when().get("/api/papers?limit=2").then().header("X-Total-Count", "3").body("id", contains((int) c, (int) b));
        as(token).when().get("/api/papers?limit=2&offset=2").then().body("id", contains((int) a));
        as(token).when().get("/api/papers?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        as(token).when().get("/api/papers?offset=-1").then().statusCode(400).body("errors[0].field", equalTo("offset"));
        as(token).when().get("/api/papers?limit=lots").then().statusCode(400).body("errors[0].field", equalTo("limit"));
    }

    @Test
    void anotherUsersPaperIs404() {
        String alice = TestUsers.token();
        String bob = TestUsers.token();
        long id = addPaper(alice, paper("Alice's paper", "arxivId", "2507.23267"));
        as(bob).when().get("/api/papers/" + id).then().statusCode(404).contentType("application/problem+json");
        as(bob).body(Map.of("version", 0, "title", "mine now")).when().patch("/api/papers/" + id).then().statusCode(404);
        as(bob).when().delete("/api/papers/" + id).then().statusCode(404);
        as(bob).when().get("/api/papers").then().body("id", not(hasItem((int) id)));
        as(alice).when().get("/api/papers/" + id).then().statusCode(200).body("title", equalTo("Alice's paper"));
    }

    @Test
    void openApiDocumentsThePaperPaths() {
        given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/api/papers"))
                .body("paths", hasKey("/api/papers/{id}"))
                .body("paths", hasKey("/api/papers/{id}/references"))
                .body("paths", hasKey("/api/papers/{id}/cited-by"));
    }

    @Test
    void withoutATokenIs401() {
        given().contentType(ContentType.JSON).body(paper("x")).when().post("/api/papers").then().statusCode(401);
        given().when().get("/api/papers").then().statusCode(401);
        given().when().get("/api/papers/1").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("version", 0)).when().patch("/api/papers/1").then().statusCode(401);
        given().when().delete("/api/papers/1").then().statusCode(401);
    }
}
