package lectern.accounts;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A user deletes their account: everything of theirs goes, and nobody else's. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class AccountDeletionTest {

    @Inject
    DataSource dataSource;

    @Test
    void deletingAnAccountAsksForThePasswordAndRemovesOnlyThatAccountsData() throws Exception {
        var user = TestUsers.create();
        var other = TestUsers.create();
        for (var u : new TestUsers.TestUser[] {user, other}) {
            given().auth().oauth2(u.token()).contentType(ContentType.JSON).body(Map.of("title", "Dune", "authors", new String[] {"Frank Herbert"}))
                    .when().post("/api/books").then().statusCode(201);
            given().auth().oauth2(u.token()).contentType("text/plain").body("Finished:\n- chapter 1 of Dune")
                    .when().put("/api/logs/2026-11-30").then().statusCode(200);
        }
        long userId = given().auth().oauth2(user.token()).when().get("/api/auth/me").then().statusCode(200)
                .extract().jsonPath().getLong("id");

        given().auth().oauth2(user.token()).contentType(ContentType.JSON).body(Map.of("password", "not the password"))
                .when().delete("/api/auth/me").then().statusCode(401);
        given().auth().oauth2(user.token()).contentType(ContentType.JSON).body(Map.of())
                .when().delete("/api/auth/me").then().statusCode(400).body(containsString("password"));
        assertEquals(1, rows("book", userId), "a refused deletion deletes nothing");

        given().auth().oauth2(user.token()).contentType(ContentType.JSON).body(Map.of("password", user.password()))
                .when().delete("/api/auth/me").then().statusCode(204);
        given().auth().oauth2(user.token()).when().get("/api/auth/me").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("username", user.username(), "password", user.password()))
                .when().post("/api/auth/tokens").then().statusCode(401);
        for (String table : new String[] {"app_user", "api_token", "book", "daily_log", "log_item"}) {
            assertEquals(0, rows(table, userId), table);
        }
        given().auth().oauth2(other.token()).when().get("/api/books").then().statusCode(200).body(containsString("Dune"));
        given().auth().oauth2(other.token()).when().get("/api/logs/2026-11-30").then().statusCode(200);
    }

    private long rows(String table, long userId) throws Exception {
        String column = table.equals("app_user") ? "id" : "owner_id";
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("select count(*) from " + table + " where " + column + " = ?")) {
            q.setLong(1, userId);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
