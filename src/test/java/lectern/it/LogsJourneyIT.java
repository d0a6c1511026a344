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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

/** Daily logs: the "[ML Grind]" text form, markdown out, JSON in, a user label, a range and a delete. */
@QuarkusIntegrationTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(OpenSignup.class)
class LogsJourneyIT {

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }

    @Test
    void writeReadLabelAndDeleteLogs() {
        String token = TestUsers.token();
        as(token).contentType("text/plain; charset=UTF-8")
                .body("[ML Grind] Finished: > read the attention paper > chapter 3 Have been working on: > tokenizer "
                        + "Plan for today: > write the breakdown")
                .put("/api/logs/2026-11-02").then().statusCode(200)
                .body("date", equalTo("2026-11-02"))
                .body("finished.text", equalTo(List.of("read the attention paper", "chapter 3")))
                .body("workingOn.text", equalTo(List.of("tokenizer")))
                .body("plan.text", equalTo(List.of("write the breakdown")));
        String itemId = as(token).get("/api/logs/2026-11-02").then().statusCode(200).contentType(ContentType.JSON)
                .extract().jsonPath().getString("finished[0].id");
        as(token).accept("text/markdown").get("/api/logs/2026-11-02").then().statusCode(200)
                .contentType(startsWith("text/markdown")).body(containsString("## Finished"));

        as(token).contentType(ContentType.JSON).body(Map.of("label", "Reading")).patch("/api/logs/2026-11-02/items/" + itemId)
                .then().statusCode(200).body("label", equalTo("reading"));
        as(token).get("/api/logs/2026-11-02").then().statusCode(200).body("finished[0].label", equalTo("reading"));

        as(token).contentType(ContentType.JSON)
                .body(Map.of("finished", List.of("slides", Map.of("text", "exercises")), "plan", List.of("chapter 4")))
                .put("/api/logs/2026-11-03").then().statusCode(200).body("finished", hasSize(2));
        as(token).get("/api/logs?from=2026-11-01&to=2026-11-30").then().statusCode(200)
                .body("date", equalTo(List.of("2026-11-02", "2026-11-03")));

        as(token).delete("/api/logs/2026-11-03").then().statusCode(204);
        as(token).get("/api/logs/2026-11-03").then().statusCode(404).contentType("application/problem+json");
        as(TestUsers.token()).get("/api/logs/2026-11-02").then().statusCode(404);
    }

    @Test
    void refusals() {
        String token = TestUsers.token();
        as(token).get("/api/logs/2026-13-01").then().statusCode(400).body("errors[0].field", equalTo("date"));
        as(token).contentType(ContentType.JSON).body("{\"finished\": ").put("/api/logs/2026-11-04").then().statusCode(400);
        given().contentType("text/plain").body("Finished: > x").put("/api/logs/2026-11-04").then().statusCode(401);
    }
}
