package lectern.accounts;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;

import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens are remembered between requests (TokenCache); revoking one must still refuse it at once. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class RevocationTest {

    @Inject
    DataSource dataSource;

    @Test
    void aTokenInUseIsRefusedAsSoonAsItsRevocationIsAnswered() throws Exception {
        var user = TestUsers.create();
        JsonPath second = given().contentType(ContentType.JSON)
                .body(Map.of("username", user.username(), "password", user.password(), "name", "busy"))
                .when().post("/api/auth/tokens").then().statusCode(201).extract().jsonPath();
        String token = second.getString("token");
        // requests keep coming with the token while it is revoked, so some look it up while the deletion commits
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger served = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?>[] busy = new Future<?>[4];
            for (int t = 0; t < busy.length; t++) {
                busy[t] = pool.submit(() -> {
                    while (!stop.get()) {
                        if (given().auth().oauth2(token).when().get("/api/auth/me").statusCode() == 200) {
                            served.incrementAndGet();
                        }
                    }
                });
            }
            while (served.get() < 20) {
                Thread.sleep(5);
            }
            given().auth().oauth2(user.token()).when().delete("/api/auth/tokens/" + second.getLong("id")).then().statusCode(204);
            for (int i = 0; i < 50; i++) {
                given().auth().oauth2(token).when().get("/api/auth/me").then().statusCode(401);
            }
            stop.set(true);
            for (Future<?> f : busy) {
                f.get();
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertTrue(served.get() >= 20);
        given().auth().oauth2(user.token()).when().get("/api/auth/me").then().statusCode(200);
    }

    /**
     * Another Lectern sharing the database revokes a token this one has cached: it deletes the row and notifies, as
     * {@link TokenRevocations} does in its transaction. This instance refuses the token within a second, not after
     * the cache's 30 s.
     */
    @Test
    void aRevocationByAnotherInstanceIsRefusedHereWithinASecond() throws Exception {
        var user = TestUsers.create();
        JsonPath second = given().contentType(ContentType.JSON)
                .body(Map.of("username", user.username(), "password", user.password(), "name", "elsewhere"))
                .when().post("/api/auth/tokens").then().statusCode(201).extract().jsonPath();
        String token = second.getString("token");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).when().get("/api/auth/me").then().statusCode(200); // cached now
        }
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement delete = other.prepareStatement("delete from api_token where id = ?");
                 PreparedStatement notify = other.prepareStatement("select pg_notify(?, ?)")) {
                delete.setLong(1, second.getLong("id"));
                assertEquals(1, delete.executeUpdate());
                notify.setString(1, TokenRevocations.CHANNEL);
                notify.setString(2, "id:" + second.getLong("id"));
                notify.execute();
            }
            other.commit();
        }
        long start = System.nanoTime();
        while (given().auth().oauth2(token).when().get("/api/auth/me").statusCode() == 200) {
            assertTrue(System.nanoTime() - start < 1_000_000_000L, "still served a second after another instance revoked it");
            Thread.sleep(20);
        }
        given().auth().oauth2(token).when().get("/api/auth/me").then().statusCode(401);
    }

    @Test
    void signingOutRefusesTheSessionAtOnceAfterUse() {
        var user = TestUsers.create();
        String session = given().contentType(ContentType.JSON)
                .body(Map.of("username", user.username(), "password", user.password()))
                .when().post("/api/auth/session").then().statusCode(200).extract().cookie("lectern_session");
        for (int i = 0; i < 3; i++) {
            given().cookie("lectern_session", session).when().get("/api/auth/me").then().statusCode(200);
        }
        given().cookie("lectern_session", session).when().delete("/api/auth/session").then().statusCode(204);
        given().cookie("lectern_session", session).when().get("/api/auth/me").then().statusCode(401);
        given().auth().oauth2(session).when().get("/api/auth/me").then().statusCode(401);
    }

    @Test
    void usingATokenRecordsWhenItWasLastUsed() {
        String token = TestUsers.token();
        given().auth().oauth2(token).when().get("/api/auth/tokens").then().statusCode(200)
                .body("lastUsedAt", hasItem(notNullValue()));
    }
}
