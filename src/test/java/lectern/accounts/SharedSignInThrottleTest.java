package lectern.accounts;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import lectern.api.ProblemException;
import lectern.support.PostgresResource;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Wrong passwords are counted in the database: a guesser spread over several replicas meets one count. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class SharedSignInThrottleTest {

    @Inject
    SignInThrottle throttle;

    @Inject
    DataSource dataSource;

    @Test
    void failuresOnOneReplicaSlowTheNextTryOnAnother() throws InterruptedException {
        SignInThrottle other = new SignInThrottle(); // another Lectern on the same database
        other.store = new SignInThrottle.DatabaseStore(dataSource);
        String user = "shared" + System.nanoTime();
        String address = "203.0.113." + (System.nanoTime() % 200);
        for (int i = 0; i < SignInThrottle.FREE_PER_ACCOUNT_AND_ADDRESS; i++) {
            throttle.begin(user, address);
        }
        ProblemException refused = assertThrows(ProblemException.class, () -> other.begin(user, address));
        assertEquals(429, refused.problem().status());
        assertDoesNotThrow(() -> other.begin(user, "198.51.100.7"), "another address is not slowed");
        Thread.sleep(1_100); // the 5th failure's wait
        other.succeeded(other.begin(user, address));
        assertDoesNotThrow(() -> throttle.begin(user, address), "a right password on one replica clears it on all");
    }

    @Test
    void parallelGuessesOnTwoReplicasCannotAllPassBeforeTheFirstIsCounted() throws Exception {
        SignInThrottle other = new SignInThrottle();
        other.store = new SignInThrottle.DatabaseStore(dataSource);
        String user = "parallel" + System.nanoTime();
        String address = "198.51.100." + (System.nanoTime() % 200);
        assertEquals(SignInThrottle.FREE_PER_ACCOUNT_AND_ADDRESS,
                ParallelTries.passed(40, 8, i -> i % 2 == 0 ? throttle : other, user, address),
                "only the free tries get to a password check, whichever replica they reach; the rest wait");
    }

    @Test
    void aWrongPasswordIsCountedAlthoughTheRequestFailsAndAnyUsernameIsSafeToCount() {
        String user = "nul\u0000user" + System.nanoTime();
        for (int i = 0; i < SignInThrottle.FREE_PER_ACCOUNT_AND_ADDRESS; i++) {
            given().contentType(ContentType.JSON).body(Map.of("username", user, "password", "wrong password"))
                    .when().post("/api/auth/tokens").then().statusCode(401);
        }
        given().contentType(ContentType.JSON).body(Map.of("username", user, "password", "wrong password"))
                .when().post("/api/auth/tokens").then().statusCode(429);
    }

    @Test
    void aNulCharacterInAnyTextIsABadRequestNotAServerError() {
        var user = lectern.support.TestUsers.create();
        given().auth().oauth2(user.token()).contentType("text/plain").body("Finished:\n- read \u0000 chapter 2")
                .when().put("/api/logs/2026-11-02").then().statusCode(400)
                .body(org.hamcrest.Matchers.containsString("U+0000"));
        given().auth().oauth2(user.token()).when().get("/api/logs/2026-11-02").then().statusCode(404);
    }
}
