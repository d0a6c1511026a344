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
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.blankOrNullString;

/**
 * The fresh-clone promise: the packaged app, started from the repository root with no model settings, serves the
 * model committed in {@code model/}: it describes itself, classifies into the default labels and summarizes.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(OpenSignup.class)
class ShippedModelJourneyIT {

    private static final List<String> DEFAULT_LABELS = List.of("book", "paper", "course", "project", "writing", "other");

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }

    @Test
    void theCommittedModelClassifiesAndSummarizes() {
        String token = TestUsers.token();
        as(token).get("/api/model").then().statusCode(200)
                .body("labels", containsInAnyOrder(DEFAULT_LABELS.toArray()))
                .body("parameters", greaterThan(1_000_000))
                .body("contextLength", equalTo(256))
                .body("device", equalTo("cpu"));
        as(token).contentType(ContentType.JSON).body(Map.of("text", "Read chapter 3 of Deep Learning, the part on regularization"))
                .post("/api/llm/classify").then().statusCode(200)
                .body("label", in(DEFAULT_LABELS));
        as(token).contentType(ContentType.JSON)
                .body(Map.of("text", "A command-line tool that compresses and decompresses files in the zip format. "
                        + "It can create archives, list their contents and extract single files."))
                .post("/api/llm/summarize").then().statusCode(200)
                .body("summary", not(blankOrNullString()));
    }
}
