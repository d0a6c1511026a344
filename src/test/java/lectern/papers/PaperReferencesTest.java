package lectern.papers;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class PaperReferencesTest {

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static long addPaper(String token, String title, String arxivId) {
        Map<String, Object> body = arxivId == null ? Map.of("title", title) : Map.of("title", title, "arxivId", arxivId);
        return PaperResourceTest.addPaper(token, body);
    }

    private static long addNote(String token, long paperId, String text) {
        return as(token).body(Map.of("text", text)).when().post("/api/papers/" + paperId + "/notes")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void notesAreAddedAndListed() {
        String token = TestUsers.token();
        long paper = addPaper(token, "Attention Is All You Need", "1706.03762");
        var created = as(token).body(Map.of("text", "Scaled dot-product attention divides by sqrt(d_k)", "kind", "highlight", "page", 4))
                .when().post("/api/papers/" + paper + "/notes")
                .then().statusCode(201).header("Location", containsString("/api/notes/"))
                .body("id", notNullValue()).body("kind", equalTo("highlight")).body("page", equalTo(4))
                .body("paperId", equalTo((int) paper)).extract();
        addNote(token, paper, "Second thought");
        as(token).when().get("/api/papers/" + paper + "/notes").then().statusCode(200)
                .body("text", contains("Scaled dot-product attention divides by sqrt(d_k)", "Second thought"))
                .body("[0].id", equalTo(created.jsonPath().getInt("id")));
    }

    @Test
    void noteRefusals() {
        String token = TestUsers.token();
        long paper = addPaper(token, "Some paper", null);
        as(token).body(Map.of("text", "  ")).when().post("/api/papers/" + paper + "/notes")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("text"));
        as(token).body(Map.of("page", 3)).when().post("/api/papers/" + paper + "/notes")
                .then().statusCode(400).body("errors[0].field", equalTo("text"));
        as(token).body(Map.of("text", "x", "kind", "rant")).when().post("/api/papers/" + paper + "/notes")
                .then().statusCode(400).body("errors[0].field", equalTo("kind"));
        as(token).body(Map.of("text", "x", "page", -1)).when().post("/api/papers/" + paper + "/notes")
                .then().statusCode(400).body("errors[0].field", equalTo("page"));
        as(token).body("{\"text\": ").when().post("/api/papers/" + paper + "/notes").then().statusCode(400);
        as(token).body(Map.of("text", "x")).when().post("/api/papers/999999999/notes").then().statusCode(404);
        as(token).when().get("/api/papers/" + paper + "/notes").then().statusCode(200).body("$", empty());
    }

    @Test
    void referencesAreResolvedWhenTheCitedPaperIsAddedLater() {
        String token = TestUsers.token();
        long gpt3 = addPaper(token, "Language Models are Few-Shot Learners", "2005.14165");
        addNote(token, gpt3, "Architecture as in arXiv:1706.03762 (see https://arxiv.org/pdf/1706.03762v7.pdf); "
                + "scaling laws: https://arxiv.org/abs/2001.08361v1. This paper itself is 2005.14165v4. Old: arXiv:hep-th/9901001");
        as(token).when().get("/api/papers/" + gpt3 + "/references").then().statusCode(200)
                .body("arxivId", contains("1706.03762", "2001.08361", "hep-th/9901001"))
                .body("[0]", not(hasKey("paperId")))
                .body("[0].arxivUrl", equalTo("https://arxiv.org/abs/1706.03762"));

        long attention = addPaper(token, "Attention Is All You Need", "arXiv:1706.03762v5");
        as(token).when().get("/api/papers/" + gpt3 + "/references").then().statusCode(200)
                .body("[0].arxivId", equalTo("1706.03762"))
                .body("[0].paperId", equalTo((int) attention))
                .body("[0].title", equalTo("Attention Is All You Need"))
                .body("[1]", not(hasKey("paperId")));
        as(token).when().get("/api/papers/" + attention + "/cited-by").then().statusCode(200)
                .body("paperId", contains((int) gpt3)).body("[0].title", equalTo("Language Models are Few-Shot Learners"));

        // Deleting the cited paper unlinks it again; deleting the citing one removes it from cited-by.
        as(token).when().delete("/api/papers/" + attention).then().statusCode(204);
        as(token).when().get("/api/papers/" + gpt3 + "/references").then()
                .body("[0].arxivId", equalTo("1706.03762")).body("[0]", not(hasKey("paperId")));
        long again = addPaper(token, "Attention (again)", "1706.03762");
        as(token).when().delete("/api/papers/" + gpt3).then().statusCode(204);
        as(token).when().get("/api/papers/" + again + "/cited-by").then().body("$", empty());
    }

    @Test
    void referencesFollowNotesThatAreEditedDeletedAndRestored() {
        String token = TestUsers.token();
        long paper = addPaper(token, "Survey", null);
        long note = addNote(token, paper, "compare 1810.04805 with arXiv:1706.03762");
        addNote(token, paper, "also 1810.04805 again");
        as(token).when().get("/api/papers/" + paper + "/references").then().body("arxivId", contains("1810.04805", "1706.03762"));

        as(token).when().delete("/api/notes/" + note).then().statusCode(204);
        as(token).when().get("/api/papers/" + paper + "/references").then().body("arxivId", contains("1810.04805"));
        as(token).when().post("/api/notes/" + note + "/restore").then().statusCode(200);
        as(token).when().get("/api/papers/" + paper + "/references").then().body("arxivId", hasItem("1706.03762"));

        as(token).body(Map.of("text", "actually only https://arxiv.org/abs/2005.14165")).when().patch("/api/notes/" + note)
                .then().statusCode(200);
        as(token).when().get("/api/papers/" + paper + "/references").then()
                .body("arxivId", hasSize(2)).body("arxivId", hasItem("2005.14165")).body("arxivId", hasItem("1810.04805"))
                .body("arxivId", not(hasItem("1706.03762")));
    }

    @Test
    void citedByCatchesUpWithEditedNotes() {
        String token = TestUsers.token();
        long cited = addPaper(token, "BERT", "1810.04805");
        long citing = addPaper(token, "Reader", null);
        long note = addNote(token, citing, "nothing cited yet");
        as(token).when().get("/api/papers/" + cited + "/cited-by").then().body("$", empty());
        as(token).body(Map.of("text", "now citing arxiv.org/abs/1810.04805")).when().patch("/api/notes/" + note).then().statusCode(200);
        as(token).when().get("/api/papers/" + cited + "/cited-by").then().body("paperId", contains((int) citing));
    }

    @Test
    void aPaperNeverReferencesItself() {
        String token = TestUsers.token();
        long paper = addPaper(token, "Self", "2507.23267");
        addNote(token, paper, "this is https://arxiv.org/abs/2507.23267v2 and arXiv:2507.23267");
        as(token).when().get("/api/papers/" + paper + "/references").then().statusCode(200).body("$", empty());
        as(token).when().get("/api/papers/" + paper + "/cited-by").then().statusCode(200).body("$", empty());
        // A paper without an arXiv id is cited by nothing.
        long plain = addPaper(token, "No arXiv id", null);
        as(token).when().get("/api/papers/" + plain + "/cited-by").then().statusCode(200).body("$", empty());
    }

    @Test
    void anotherUsersLibraryIsNeverLinkedOrShown() {
        String alice = TestUsers.token();
        String bob = TestUsers.token();
        long alicePaper = addPaper(alice, "Alice reads", null);
        addNote(alice, alicePaper, "cites 1412.6980");
        addPaper(bob, "Adam (Bob's copy)", "1412.6980");
        as(alice).when().get("/api/papers/" + alicePaper + "/references").then()
                .body("arxivId", contains("1412.6980")).body("[0]", not(hasKey("paperId")));
        for (String path : List.of("/notes", "/references", "/cited-by")) {
            as(bob).when().get("/api/papers/" + alicePaper + path).then().statusCode(404).contentType("application/problem+json");
        }
        as(bob).body(Map.of("text", "sneaky")).when().post("/api/papers/" + alicePaper + "/notes").then().statusCode(404);
        as(alice).when().get("/api/papers/" + alicePaper + "/notes").then().body("$", hasSize(1));
    }

    @Test
    void withoutATokenIs401() {
        given().contentType(ContentType.JSON).body(Map.of("text", "x")).when().post("/api/papers/1/notes").then().statusCode(401);
        given().when().get("/api/papers/1/notes").then().statusCode(401);
        given().when().get("/api/papers/1/references").then().statusCode(401);
        given().when().get("/api/papers/1/cited-by").then().statusCode(401);
    }
}
