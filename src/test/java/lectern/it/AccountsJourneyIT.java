package lectern.it;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
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

@QuarkusIntegrationTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(OpenSignup.class)
class AccountsJourneyIT {

    @Test
    void healthAndOpenApiAnswer() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("info.title", equalTo("Lectern API")).body("paths", notNullValue());
    }

    @Test
    void signUpTakeTokensRevokeOne() {
        String username = "it" + Long.toHexString(System.nanoTime());
        given().contentType(ContentType.JSON).body(Map.of("username", username, "password", "correct horse battery"))
                .post("/api/auth/signup").then().statusCode(201)
                .body("id", notNullValue()).body("username", equalTo(username));
        String laptop = given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", "correct horse battery", "name", "laptop"))
                .post("/api/auth/tokens").then().statusCode(201).extract().path("token");
        var phone = given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", "correct horse battery", "name", "phone"))
                .post("/api/auth/tokens").then().statusCode(201).extract().jsonPath();

        given().auth().oauth2(laptop).get("/api/auth/me").then().statusCode(200).body("username", equalTo(username));
        given().auth().oauth2(laptop).get("/api/auth/tokens").then().statusCode(200)
                .body("name", hasItem("laptop")).body("name", hasItem("phone")).body("[0].token", nullValue());
        given().auth().oauth2(phone.getString("token")).get("/api/auth/me").then().statusCode(200);
        given().auth().oauth2(laptop).delete("/api/auth/tokens/" + phone.getLong("id")).then().statusCode(204);
        given().auth().oauth2(phone.getString("token")).get("/api/auth/me").then().statusCode(401);
    }

    @Test
    void refusalsAreProblemsNamingTheField() {
        given().get("/api/auth/me").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", startsWith("Bearer"));
        given().contentType(ContentType.JSON).body(Map.of("username", "x", "password", "short"))
                .post("/api/auth/signup").then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem("username")).body("errors.field", hasItem("password"));
        given().contentType(ContentType.JSON).body("{\"username\": ")
                .post("/api/auth/signup").then().statusCode(400).body("title", equalTo("Malformed JSON"));
        var user = TestUsers.create();
        given().contentType(ContentType.JSON).body(Map.of("username", user.username(), "password", "not the password"))
                .post("/api/auth/tokens").then().statusCode(401).body("detail", notNullValue());
        given().contentType(ContentType.JSON).body(Map.of("username", user.username().toUpperCase(), "password", "another password"))
                .post("/api/auth/signup").then().statusCode(409).body("existingId", notNullValue());
    }
}
