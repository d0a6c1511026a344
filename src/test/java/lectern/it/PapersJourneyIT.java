package lectern.it;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

/** Papers: arXiv ids in their accepted forms, duplicates, a merge-style PATCH, notes that become references. */
@QuarkusIntegrationTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(OpenSignup.class)
class PapersJourneyIT {

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    @Test
    void papersNotesAndReferences() {
        String token = TestUsers.token();
        long gpt3 = as(token).body(Map.of("title", "Language Models are Few-Shot Learners", "authors", List.of("Tom Brown"),
                        "arxivId", "https://arxiv.org/pdf/2005.14165v4.pdf", "tags", List.of("llm")))
                .post("/api/papers").then().statusCode(201)
                .body("arxivId", equalTo("2005.14165")).body("arxivVersion", equalTo(4)).body("status", equalTo("to-read"))
                .extract().jsonPath().getLong("id");
        as(token).body(Map.of("title", "GPT-3 again", "arxivId", "arXiv:2005.14165"))
                .post("/api/papers").then().statusCode(409).body("existingId", equalTo((int) gpt3));

        long version = as(token).get("/api/papers/" + gpt3).then().statusCode(200).extract().jsonPath().getLong("version");
        as(token).body(Map.of("version", version, "status", "reading")).patch("/api/papers/" + gpt3)
                .then().statusCode(200).body("status", equalTo("reading")).body("tags", contains("llm"));
        as(token).body(Map.of("version", version, "year", 2020)).patch("/api/papers/" + gpt3).then().statusCode(409);

        as(token).body(Map.of("text", "Architecture as in arXiv:1706.03762; scaling laws: https://arxiv.org/abs/2001.08361v1"))
                .post("/api/papers/" + gpt3 + "/notes").then().statusCode(201);
        as(token).get("/api/papers/" + gpt3 + "/references").then().statusCode(200)
                .body("arxivId", contains("1706.03762", "2001.08361")).body("[0]", not(hasKey("paperId")));
        long attention = as(token).body(Map.of("title", "Attention Is All You Need", "arxivId", "1706.03762v5"))
                .post("/api/papers").then().statusCode(201).extract().jsonPath().getLong("id");
        as(token).get("/api/papers/" + gpt3 + "/references").then().statusCode(200)
                .body("[0].paperId", equalTo((int) attention));
        as(token).get("/api/papers/" + attention + "/cited-by").then().statusCode(200).body("paperId", contains((int) gpt3));
        as(token).get("/api/papers?q=attention").then().statusCode(200).body("id", contains((int) attention));

        as(token).delete("/api/papers/" + attention).then().statusCode(204);
        as(token).get("/api/papers/" + attention).then().statusCode(404);
    }

    @Test
    void refusals() {
        String token = TestUsers.token();
        as(token).body(Map.of("title", "Bad id", "arxivId", "1713.03762")).post("/api/papers").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("arxivId"));
        as(token).body(Map.of("title", "Bad status", "status", "skimmed")).post("/api/papers").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        long id = as(token).body(Map.of("title", "Mine")).post("/api/papers").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        as(token).body(Map.of("title", "No version")).patch("/api/papers/" + id).then().statusCode(400)
                .body("errors[0].field", equalTo("version"));
        as(TestUsers.token()).get("/api/papers/" + id).then().statusCode(404);
        given().get("/api/papers").then().statusCode(401);
    }
}
