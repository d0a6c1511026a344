package lectern.llm;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Without a model the tracker runs and the model endpoints answer 503 with a problem body. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class NoModelTest {

    @Test
    void modelEndpointsAnswer503WithAProblem() {
        String token = TestUsers.token();
        given().auth().oauth2(token).when().get("/api/model")
                .then().statusCode(503).contentType("application/problem+json")
                .body("status", equalTo(503)).body("detail", containsString("LECTERN_MODEL_DIR"));
        for (String path : new String[] {"/api/llm/classify", "/api/llm/summarize"}) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("text", "hello"))
                    .when().post(path).then().statusCode(503).contentType("application/problem+json");
        }
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("prompt", "hello"))
                .when().post("/api/llm/generate").then().statusCode(503).contentType("application/problem+json");
        given().auth().oauth2(token).when().post("/api/model/retrain")
                .then().statusCode(503).contentType("application/problem+json").body("detail", containsString("LECTERN_MODEL_DIR"));
    }

    @Test
    void theTrackerStillRuns() {
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/api/model").then().statusCode(401);
    }
}
