package lectern.accounts;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class AuthTest {

    @Test
    void signupThenTokenThenMe() {
        var user = TestUsers.create();
        given().auth().oauth2(user.token()).when().get("/api/auth/me")
                .then().statusCode(200).body("username", equalTo(user.username()));
        given().auth().oauth2(user.token()).when().get("/api/auth/tokens")
                .then().statusCode(200).body("name", hasItem("tests")).body("[0].token", nullValue());
    }

    @Test
    void signupAnswersCreatedWithIdAndUsername() {
        given().contentType(ContentType.JSON).body(Map.of("username", "ada_lovelace1", "password", "analytical engine"))
                .when().post("/api/auth/signup")
                .then().statusCode(201).body("id", notNullValue()).body("username", equalTo("ada_lovelace1"));
        given().contentType(ContentType.JSON).body(Map.of("username", "ADA_lovelace1", "password", "another password"))
                .when().post("/api/auth/signup")
                .then().statusCode(409).contentType("application/problem+json").body("existingId", notNullValue());
    }

    @Test
    void passwordGuessingIsSlowedWith429AndRetryAfter() throws Exception {
        TestUsers.TestUser user = TestUsers.create();
        for (int i = 0; i < 5; i++) {
            given().contentType(ContentType.JSON).body(Map.of("username", user.username(), "password", "guess number " + i))
                    .when().post("/api/auth/tokens").then().statusCode(401);
        }
        // now even the right password waits, and the refusal says for how long
        given().contentType(ContentType.JSON).body(Map.of("username", user.username(), "password", user.password()))
                .when().post("/api/auth/tokens").then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", "1").body("status", equalTo(429));
        given().contentType(ContentType.JSON).body(Map.of("username", user.username(), "password", user.password()))
                .when().post("/api/auth/session").then().statusCode(429).header("Retry-After", notNullValue());
        Thread.sleep(1100);
        given().contentType(ContentType.JSON).body(Map.of("username", user.username(), "password", user.password(), "name", "after"))
                .when().post("/api/auth/tokens").then().statusCode(201);
    }

    @Test
    void wrongPasswordIs401() {
        var user = TestUsers.create();
        given().contentType(ContentType.JSON).body(Map.of("username", user.username(), "password", "not the password"))
                .when().post("/api/auth/tokens")
                .then().statusCode(401).contentType("application/problem+json").body("status", equalTo(401));
        given().contentType(ContentType.JSON).body(Map.of("username", "nobody-here", "password", "whatever1"))
                .when().post("/api/auth/tokens").then().statusCode(401);
    }

    @Test
    void apiNeedsAToken() {
        given().when().get("/api/auth/me").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", startsWith("Bearer"));
        given().auth().oauth2("lct_made-up").when().get("/api/auth/me").then().statusCode(401);
    }

    @Test
    void revokedTokenStopsWorking() {
        var user = TestUsers.create();
        var second = given().contentType(ContentType.JSON)
                .body(Map.of("username", user.username(), "password", user.password(), "name", "phone"))
                .when().post("/api/auth/tokens").then().statusCode(201).extract().jsonPath();
        String token = second.getString("token");
        given().auth().oauth2(token).when().get("/api/auth/me").then().statusCode(200);
        given().auth().oauth2(user.token()).when().delete("/api/auth/tokens/" + second.getLong("id")).then().statusCode(204);
        given().auth().oauth2(token).when().get("/api/auth/me").then().statusCode(401);
    }

    @Test
    void badSignupNamesTheField() {
        given().contentType(ContentType.JSON).body(Map.of("username", "x", "password", "short"))
                .when().post("/api/auth/signup")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("username")).body("errors.field", hasItem("password"));
        given().contentType(ContentType.JSON).body("{\"username\": ")
                .when().post("/api/auth/signup")
                .then().statusCode(400).contentType("application/problem+json").body("title", equalTo("Malformed JSON"));
        given().contentType(ContentType.JSON).body("{\"username\": [1], \"password\": \"long enough\"}")
                .when().post("/api/auth/signup")
                .then().statusCode(400).body("errors[0].field", equalTo("username"));
    }

    @Test
    void oversizedJsonIs413() {
        String huge = "{\"username\": \"" + "a".repeat(1_100_000) + "\", \"password\": \"whatever1\"}";
        given().contentType(ContentType.JSON).body(huge).when().post("/api/auth/signup")
                .then().statusCode(413).contentType("application/problem+json");
    }

    @Test
    void unknownPathIsAProblem() {
        var token = TestUsers.token();
        given().auth().oauth2(token).when().get("/api/no-such-thing")
                .then().statusCode(404).contentType("application/problem+json");
    }
}
