package lectern.web;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import lectern.support.PostgresResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The main journeys through the web UI in a real headless Chromium, against the test server. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JourneysTest {

    private static final String SIGN_UP_FORM = "main//form";
    private static final String ADD_BOOK = "form[@aria-labelledby='add-book-h']";
    private static final String ADD_PAPER = "form[@aria-labelledby='add-paper-h']";
    /** Contract paths the pages in these journeys call besides the ones every branch has. */
    private static final List<String> USED_PATHS = List.of("/api/stats", "/api/goals/{year}", "/api/books/{id}/notes",
            "/api/papers/{id}/notes", "/api/papers/{id}/references");

    @TestHTTPResource("/")
    URL server;

    private Browser browser;

    /** Paths the UI calls (API.md) that this server's OpenAPI document does not list yet. */
    private List<Pattern> notYetServed;

    @BeforeAll
    void startBrowser() {
        Set<String> served = given().baseUri(server.toString()).queryParam("format", "json").when().get("q/openapi")
                .then().statusCode(200).extract().jsonPath().getMap("paths").keySet().stream()
                .map(p -> p.toString().replaceAll("\\{[^}]+}", "{}")).collect(Collectors.toSet());
        notYetServed = USED_PATHS.stream().filter(p -> !served.contains(p.replaceAll("\\{[^}]+}", "{}")))
                .map(p -> Pattern.compile(".*" + p.replaceAll("\\{[^}]+}", "[^/?]+") + "(\\?[^ ]*)? - .* 404 .*"))
                .toList();
        if (!notYetServed.isEmpty()) {
            System.err.println("JourneysTest: this server does not serve " + notYetServed + " yet; their 404s are not counted");
        }
        browser = new Browser(server.toString());
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void noConsoleErrors() {
        assertEquals(List.of(), consoleErrors(), "errors in the browser console");
    }

    private List<String> consoleErrors() {
        return browser.consoleErrors().stream()
                .filter(e -> notYetServed.stream().noneMatch(p -> p.matcher(e).matches()))
                .toList();
    }

    private String signUp() {
        browser.reset();
        browser.click("main", "New here? Create an account");
        String username = "web" + UUID.randomUUID().toString().substring(0, 8);
        browser.type(SIGN_UP_FORM, "Username", username);
        browser.type(SIGN_UP_FORM, "Password", "correct horse battery");
        browser.click(SIGN_UP_FORM, "Create account");
        browser.waitForText("main h1", "Dashboard");
        return username;
    }

    @Test
    void signUpAddABookLogPagesAndSeeTheDashboardUpdate() {
        browser.reset();
        browser.click("main", "New here? Create an account");
        browser.type(SIGN_UP_FORM, "Username", "reader" + UUID.randomUUID().toString().substring(0, 8));
        browser.type(SIGN_UP_FORM, "Password", "short");
        browser.click(SIGN_UP_FORM, "Create account");
        // The API's problem names the field; the message sits next to it and the field is marked invalid.
        browser.waitForText(".field-error", "8 to 200 characters");
        WebElement password = browser.control(SIGN_UP_FORM, "Password");
        assertEquals("true", password.getAttribute("aria-invalid"));
        WebElement error = browser.driver.findElement(By.id(password.getAttribute("aria-describedby").split(" ")[0]));
        assertTrue(error.getText().contains("8 to 200 characters"), error.getText());
        List<String> expected = consoleErrors();
        assertTrue(expected.stream().allMatch(e -> e.contains("/api/auth/signup") && e.contains("400")), expected.toString());

        browser.type(SIGN_UP_FORM, "Password", "correct horse battery");
        browser.click(SIGN_UP_FORM, "Create account");
        browser.waitForText("main h1", "Dashboard");
        browser.waitForText("section[aria-labelledby=now-reading]", "Nothing on the go");
        assertTrue(browser.find("#nav").isDisplayed());

        browser.open("/books");
        browser.type(ADD_BOOK, "Title", "The Pragmatic Programmer");
        browser.type(ADD_BOOK, "Authors", "Dave Thomas, Andy Hunt");
        browser.type(ADD_BOOK, "Pages", "320");
        new Select(browser.control(ADD_BOOK, "Shelf")).selectByVisibleText("Reading");
        browser.click(ADD_BOOK, "Add book");
        browser.waitForHash("/books/");
        browser.waitForText("main h1", "The Pragmatic Programmer");

        browser.open("/");
        browser.waitForText("li.reading", "The Pragmatic Programmer");
        browser.waitForText("li.reading", "No progress yet");
        browser.type("li[contains(@class,'reading')]", "Now on page", "80");
        browser.click("li[contains(@class,'reading')]", "Log pages");
        browser.waitForText("li.reading .percent", "25%");
        browser.waitForText("li.reading .pace", "Page 80 of 320");
        browser.waitForText("section[aria-labelledby=pages-h]", "80 pages in 30 days");
        // Focus stays on the box just used, so the next entry is one keystroke away.
        assertEquals("page", browser.driver.switchTo().activeElement().getAttribute("name"));
        browser.screenshot(Path.of("target", "screenshots", "dashboard.png"));
    }

    @Test
    void pasteADailyLogAndSeeItsSections() {
        signUp();
        browser.open("/log");
        browser.type("main//form", "Paste the \"[ML Grind]\" text or type items",
                "[ML Grind] Finished: > read chapter 3 of PRML > fixed the tokenizer bug "
                        + "Have been working on: > attention from scratch Plan for today: > train a 10M model");
        browser.click("main//form", "Save log");
        browser.waitForText("[data-section=finished]", "read chapter 3 of PRML");
        browser.waitForText("[data-section=finished]", "fixed the tokenizer bug");
        browser.waitForText("[data-section=workingOn]", "attention from scratch");
        browser.waitForText("[data-section=plan]", "train a 10M model");
        assertEquals(2, browser.driver.findElements(By.cssSelector("[data-section=finished] li")).size());

        // The user's own label on an item.
        browser.find("[data-section=finished] li .chip").click();
        browser.type("*[@data-section='finished']", "Label", "reading");
        browser.click("*[@data-section='finished']", "Save");
        browser.waitForText("[data-section=finished] li .chip", "reading");

        browser.open("/");
        browser.waitForText("#streak", "1 day in a row");
    }

    @Test
    void addAPaperByArxivLink() {
        signUp();
        browser.open("/papers");
        browser.type(ADD_PAPER, "arXiv id or link", "https://arxiv.org/abs/not-an-id");
        browser.type(ADD_PAPER, "Title", "Attention Is All You Need");
        browser.click(ADD_PAPER, "Add paper");
        browser.waitForText("form[aria-labelledby=add-paper-h] .field-error", "");
        assertEquals("true", browser.control(ADD_PAPER, "arXiv id or link").getAttribute("aria-invalid"));
        List<String> refused = consoleErrors();
        assertTrue(!refused.isEmpty() && refused.stream().allMatch(e -> e.contains("/api/papers") && e.contains("400")),
                refused.toString());

        browser.type(ADD_PAPER, "arXiv id or link", "https://arxiv.org/abs/1706.03762v5");
        browser.type(ADD_PAPER, "Authors", "Vaswani, Shazeer");
        browser.click(ADD_PAPER, "Add paper");
        browser.waitForHash("/papers/");
        browser.waitForText("main h1", "Attention Is All You Need");
        browser.waitForText("main", "arXiv:1706.03762v5");

        browser.open("/papers");
        browser.waitForText("section[aria-label='To read']", "Attention Is All You Need");
        browser.waitForText("section[aria-label='To read']", "arXiv 1706.03762");
    }
}
