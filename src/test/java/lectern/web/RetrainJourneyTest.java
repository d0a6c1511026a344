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
import static org.junit.jupiter.api.Assertions.assertTrue;

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

        signIn(user);
        browser.open("/model");
        browser.waitForText("main", "Labels: book, paper");
        browser.click("main", "Retrain on my labels");
        browser.waitForText("main", "Retrained: your classifier now uses your labels.");
        browser.waitForText("main", "Your labels (retrained, version 1): numbers, sleep");
        browser.waitForText("main", "too few items to hold some out");
        assertEquals(List.of(), browser.consoleErrors(), "errors in the browser console");
    }

    @Test
    void anUnsureLabelShowsAsAQuestionAndTheModelPageWatchesCorrections() throws Exception {
        TestUsers.TestUser user = TestUsers.create();
        // the tiny test model's head is untrained: its calibrated confidences are near 1/6, so its labels are unsure
        given().auth().oauth2(user.token()).contentType("text/plain").body("Finished:\n- read chapter 2 of SICP")
                .when().put("/api/logs/2024-07-01").then().statusCode(200);
        Map<String, Object> item = null;
        for (int i = 0; i < 300 && item == null; i++) {
            Map<String, Object> it = given().auth().oauth2(user.token()).when().get("/api/logs/2024-07-01")
                    .then().statusCode(200).extract().jsonPath().getMap("finished[0]");
            if (it.get("label") != null) {
                item = it;
            } else {
                Thread.sleep(100);
            }
        }
        assertEquals(true, item != null && Boolean.TRUE.equals(item.get("unsure")), "an unsure label: " + item);
        String label = (String) item.get("label");

        signIn(user);
        browser.open("/log/2024-07-01");
        browser.waitForText("[data-section=finished] li .chip.unsure", label + "?");
        String title = browser.find("[data-section=finished] li .chip.unsure").getAttribute("title");
        assertTrue(title.startsWith("Unsure: Classifier,"), title);

        // correcting it: a sure chip of the user's own, and one correction on the model page
        String other = label.equals("book") ? "paper" : "book";
        browser.find("[data-section=finished] li .chip").click();
        browser.type("*[@data-section='finished']", "Label", other);
        browser.click("*[@data-section='finished']", "Save");
        browser.waitForText("[data-section=finished] li .chip.mine", other);
        assertEquals(0, browser.driver.findElements(org.openqa.selenium.By.cssSelector("[data-section=finished] .chip.unsure")).size());
        browser.open("/model");
        browser.waitForText("#monitoring", "The classifier in use (last 30 days)");
        browser.waitForText("#monitoring [data-figure=Corrected]", "1");
        browser.waitForText("#monitoring [data-figure='Agreement with you']", "0%");
        assertEquals(List.of(), browser.consoleErrors(), "errors in the browser console");
    }

    private void signIn(TestUsers.TestUser user) {
        browser.reset();
        browser.type("main//form", "Username", user.username());
        browser.type("main//form", "Password", user.password());
        browser.click("main//form", "Sign in");
        browser.waitForText("main h1", "Dashboard");
    }
}
