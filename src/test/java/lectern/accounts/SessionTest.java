package lectern.accounts;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class SessionTest {

    private static Response signIn(String username, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .when().post("/api/auth/session");
    }

    @Test
    void pagesAndTheApiCarrySecurityHeadersAndPlainHttpGetsNoSecureCookie() {
        for (String path : List.of("/", "/js/app.js", "/api/auth/me")) {
            given().when().get(path).then()
                    .header("X-Content-Type-Options", "nosniff")
                    .header("X-Frame-Options", "DENY")
                    .header("Referrer-Policy", "no-referrer")
                    .header("Content-Security-Policy", containsString("default-src 'self'"))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
        }
        // the UI's files are revalidated on every load, so an upgrade reaches the browser at once
        for (String path : List.of("/", "/js/app.js", "/app.css")) {
            String lastModified = given().when().get(path).then().statusCode(200).header("Cache-Control", "no-cache")
                    .header("Last-Modified", notNullValue()).extract().header("Last-Modified");
            given().header("If-Modified-Since", lastModified).when().get(path).then().statusCode(304);
        }
        // Swagger UI has inline scripts: no CSP there, the other headers still
        given().when().get("/q/health/live").then().header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", org.hamcrest.Matchers.nullValue());
        var user = TestUsers.create();
        String cookie = signIn(user.username(), user.password()).then().statusCode(200).extract().header("Set-Cookie");
        org.junit.jupiter.api.Assertions.assertFalse(cookie.contains("Secure"), "plain HTTP, auto: " + cookie);
    }

    @Test
    void signInSetsAnHttpOnlyCookieThatAuthenticates() {
        var user = TestUsers.create();
        Response response = signIn(user.username(), user.password());
        response.then().statusCode(200).body("username", equalTo(user.username()))
                .header("Set-Cookie", startsWith("lectern_session="))
                .header("Set-Cookie", containsString("HttpOnly"))
                .header("Set-Cookie", containsString("SameSite=Strict"));
        String session = response.getCookie("lectern_session");
        assertFalse(session.isBlank());
        given().cookie("lectern_session", session).when().get("/api/auth/me")
                .then().statusCode(200).body("username", equalTo(user.username()));
        given().auth().oauth2(user.token()).when().get("/api/auth/tokens")
                .then().statusCode(200).body("name", hasItem("web session"));
    }

    @Test
    void signOutRevokesTheSessionAndClearsTheCookie() {
        var user = TestUsers.create();
        String session = signIn(user.username(), user.password()).then().statusCode(200).extract().cookie("lectern_session");
        Response out = given().cookie("lectern_session", session).when().delete("/api/auth/session");
        out.then().statusCode(204);
        String cleared = out.getHeader("Set-Cookie");
        assertTrue(cleared.startsWith("lectern_session=;") && cleared.contains("Max-Age=0"), cleared);
        given().cookie("lectern_session", session).when().get("/api/auth/me").then().statusCode(401);
        // The user's other tokens keep working.
        given().auth().oauth2(user.token()).when().get("/api/auth/me").then().statusCode(200);
    }

    @Test
    void wrongPasswordIs401WithoutACookie() {
        var user = TestUsers.create();
        signIn(user.username(), "not the password").then().statusCode(401)
                .contentType("application/problem+json").header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        signIn("nobody-at-all", "whatever1").then().statusCode(401);
    }

    @Test
    void missingFieldsAreNamed() {
        given().contentType(ContentType.JSON).body(Map.of("username", " "))
                .when().post("/api/auth/session")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("username")).body("errors.field", hasItem("password"));
        given().contentType(ContentType.JSON).body("{\"username\": ")
                .when().post("/api/auth/session").then().statusCode(400);
    }

    @Test
    void signOutNeedsASession() {
        given().when().delete("/api/auth/session").then().statusCode(401);
    }
}
