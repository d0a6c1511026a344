package lectern.support;

import io.restassured.http.ContentType;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Signs up fresh users through the API so that every test owns its data. */
public final class TestUsers {

    private TestUsers() {
    }

    public record TestUser(String username, String password, String token) {
    }

    public static TestUser create() {
        String username = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String password = "correct horse battery";
        given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .when().post("/api/auth/signup").then().statusCode(201);
        String token = given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password, "name", "tests"))
                .when().post("/api/auth/tokens").then().statusCode(201).extract().path("token");
        return new TestUser(username, password, token);
    }

    /** A bearer token for a new user. */
    public static String token() {
        return create().token();
    }
}
