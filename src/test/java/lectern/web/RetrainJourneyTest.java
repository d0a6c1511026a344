package lectern.web;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import lectern.llm.LlmModelTest;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URL;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The model page with a model installed (the tiny one of the model tests, same profile so Quarkus starts once):
 * "Retrain on my labels" runs a job, shows its progress and metrics, and the card then shows the user's labels.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(LlmModelTest.WithModel.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetrainJourneyTest {

    @TestHTTPResource("/")
    URL server;

    private Browser browser;

    @BeforeAll
    void startBrowser() {
        browser = new Browser(server.toString());
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void retrainOnMyLabelsFromTheModelPage() {
        TestUsers.TestUser user = TestUsers.create();
        long book = given().auth().oauth2(user.token()).contentType(ContentType.JSON).body(Map.of("title", "Labels"))
                .when().post("/api/books").then().statusCode(201).extract().jsonPath().getLong("id");
        Map<String, List<String>> texts = Map.of("sleep", List.of("zzz quiz", "jazz fizz"),
                "numbers", List.of("1234 5678", "9012 3456"));
        texts.forEach((label, list) -> list.forEach(text -> {
            long note = given().auth().oauth2(user.token()).contentType(ContentType.JSON).body(Map.of("text", text))
                    .when().post("/api/books/" + book + "/notes").then().statusCode(201).extract().jsonPath().getLong("id");
            given().auth().oauth2(user.token()).contentType(ContentType.JSON).body(Map.of("label", label))
                    .when().patch("/api/notes/" + note).then().statusCode(200);
        }));

        browser.reset();
        browser.type("main//form", "Username", user.username());
        browser.type("main//form", "Password", user.password());
        browser.click("main//form", "Sign in");
        browser.waitForText("main h1", "Dashboard");
        browser.open("/model");
        browser.waitForText("main", "Labels: book, paper");
        browser.click("main", "Retrain on my labels");
        browser.waitForText("main", "Retrained: your classifier now uses your labels.");
        browser.waitForText("main", "Your labels (retrained, version 1): numbers, sleep");
        browser.waitForText("main", "too few items to hold some out");
        assertEquals(List.of(), browser.consoleErrors(), "errors in the browser console");
    }
}
