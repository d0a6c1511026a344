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
import io.restassured.http.ContentType;
import lectern.support.TestUsers;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.time.LocalDate;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The main journeys through the web UI in a real headless Chromium, against the test server. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JourneysTest {

    private static final String SIGN_UP_FORM = "main//form";
    private static final String ADD_BOOK = "form[@aria-labelledby='add-book-h']";
    private static final String ADD_PAPER = "form[@aria-labelledby='add-paper-h']";

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

    @AfterEach
    void noConsoleErrors() {
        assertEquals(List.of(), browser.consoleErrors(), "errors in the browser console");
    }

    private void signIn(TestUsers.TestUser user) {
        browser.reset();
        browser.type(SIGN_UP_FORM, "Username", user.username());
        browser.type(SIGN_UP_FORM, "Password", user.password());
        browser.click(SIGN_UP_FORM, "Sign in");
        browser.waitForText("main h1", "Dashboard");
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
        List<String> expected = browser.consoleErrors();
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
        browser.find("section[aria-labelledby=review-h] .stars");
        // A note by kind and page, and a half-star rating set from the keyboard.
        String notes = "section[@aria-labelledby='notes-h']";
        browser.type(notes, "Note", "Care about your craft");
        new Select(browser.control(notes, "Kind")).selectByVisibleText("idea");
        browser.type(notes, "Page", "1");
        browser.click(notes, "Add note");
        browser.waitForText(".notes", "Care about your craft");
        browser.waitForText(".notes", "p. 1");
        String review = "section[@aria-labelledby='review-h']";
        WebElement rating = browser.control(review, "Rating 3 of 5");
        rating.sendKeys(Keys.ARROW_LEFT);
        browser.waitForText("section[aria-labelledby=review-h] label", "2.5 of 5");
        browser.click(review, "Save review");
        browser.waitForText("section[aria-labelledby=review-h] .saved", "Saved.");
        browser.screenshot(Path.of("target", "screenshots", "book.png"));
        browser.driver.navigate().refresh();
        browser.waitForText("section[aria-labelledby=review-h] label", "2.5 of 5");
        browser.waitForText(".notes", "Care about your craft");

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
        // the week's digest beside it: each section by label (none yet: no model here), with items and days
        browser.waitForText("#digest", "Finished (2)");
        browser.waitForText("#digest dd[data-digest-section=finished]", "unlabelled 2 items on 1 day");
        browser.waitForText("#digest dd[data-digest-section=plan]", "train a 10M model");
        browser.screenshot(Path.of("target", "screenshots", "log.png"));

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
        List<String> refused = browser.consoleErrors();
        assertTrue(!refused.isEmpty() && refused.stream().allMatch(e -> e.contains("/api/papers") && e.contains("400")),
                refused.toString());

        browser.type(ADD_PAPER, "arXiv id or link", "https://arxiv.org/abs/1706.03762v5");
        browser.type(ADD_PAPER, "Authors", "Vaswani, Shazeer");
        browser.click(ADD_PAPER, "Add paper");
        browser.waitForHash("/papers/");
        browser.waitForText("main h1", "Attention Is All You Need");
        browser.waitForText("main", "arXiv:1706.03762v5");
        // An arXiv link in a note becomes a reference; one to a paper in the library links to it.
        String attention = browser.driver.getCurrentUrl();
        browser.open("/papers");
        browser.type(ADD_PAPER, "arXiv id or link", "1409.0473");
        browser.type(ADD_PAPER, "Title", "Neural Machine Translation by Jointly Learning to Align and Translate");
        browser.click(ADD_PAPER, "Add paper");
        browser.waitForText("main h1", "Neural Machine Translation");
        browser.driver.get(attention);
        browser.waitForText("main h1", "Attention Is All You Need");
        browser.type("section[@aria-labelledby='notes-h']", "Note", "Attention as in https://arxiv.org/abs/1409.0473 and arXiv:1512.03385");
        browser.click("section[@aria-labelledby='notes-h']", "Add note");
        browser.waitForText(".notes", "Attention as in");
        browser.waitForText(".refs", "Neural Machine Translation");
        browser.waitForText(".refs", "arXiv:1512.03385");
        assertTrue(browser.driver.findElement(By.linkText("Neural Machine Translation by Jointly Learning to Align and Translate"))
                .getAttribute("href").contains("#/papers/"));
        browser.screenshot(Path.of("target", "screenshots", "paper.png"));

        browser.open("/papers");
        browser.waitForText("section[aria-label='To read']", "Attention Is All You Need");
        browser.waitForText("section[aria-label='To read']", "arXiv 1706.03762");
    }

    @Test
    void signInToAMonthOfReadingOnADesktopAndAPhone() {
        var user = TestUsers.create();
        LocalDate today = LocalDate.now();
        int ddia = seedBook(user.token(), "Designing Data-Intensive Applications", 560, today, Map.of(
                20, 30, 18, 55, 15, 90, 12, 140, 10, 170, 8, 210, 5, 260, 3, 300, 1, 330));
        int geb = seedBook(user.token(), "Gödel, Escher, Bach", 777, today, Map.of(9, 40, 6, 95, 2, 130, 0, 160));
        for (int daysAgo = 0; daysAgo <= 13; daysAgo++) {
            if (daysAgo == 7) {
                continue;
            }
            given().auth().oauth2(user.token()).contentType(ContentType.JSON)
                    .body(Map.of("finished", List.of("chapter " + daysAgo), "workingOn", List.of("notes on attention"),
                            "plan", List.of("read one paper", "train the tokenizer")))
                    .when().put("/api/logs/" + today.minusDays(daysAgo)).then().statusCode(200);
        }
        given().auth().oauth2(user.token()).contentType(ContentType.JSON).body(Map.of("books", 24))
                .when().put("/api/goals/" + today.getYear()).then().statusCode(200);

        signIn(user);
        browser.waitForText("section[aria-labelledby=pages-h]", (ddia + geb) + " pages in 30 days");
        browser.waitForText("#streak", "7 days in a row");
        assertEquals(2, browser.driver.findElements(By.cssSelector("li.reading")).size());
        // Every day of the 26 weeks is one square, whatever weekday today is.
        int squares = browser.driver.findElements(By.cssSelector(".heatmap rect")).size();
        assertTrue(squares >= 25 * 7 + 1 && squares <= 26 * 7, "squares: " + squares);
        browser.driver.manage().window().setSize(new Dimension(1200, 1420));
        browser.screenshot(Path.of("target", "screenshots", "dashboard.png"));

        browser.driver.manage().window().setSize(new Dimension(390, 844));
        browser.open("/books");
        browser.open("/");
        browser.waitForText("#streak", "7 days in a row");
        assertFalse(pageScrollsSideways(), "the dashboard is wider than a phone");
        browser.screenshot(Path.of("target", "screenshots", "dashboard-phone.png"));
        for (String page : List.of("/books", "/log", "/papers")) {
            browser.open(page);
            browser.find("main h1");
            assertFalse(pageScrollsSideways(), page + " is wider than a phone");
        }
        browser.driver.manage().window().setSize(new Dimension(1280, 1000));
    }

    private boolean pageScrollsSideways() {
        return (Boolean) ((JavascriptExecutor) browser.driver)
                .executeScript("return document.documentElement.scrollWidth > window.innerWidth");
    }

    /** A book being read with its page on each of the given days ago; answers the last page. */
    private static int seedBook(String token, String title, int pages, LocalDate today, Map<Integer, Integer> pageByDaysAgo) {
        int id = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("title", title, "pages", pages, "status", "reading"))
                .when().post("/api/books").then().statusCode(201).extract().path("id");
        new TreeMap<>(pageByDaysAgo).descendingMap().forEach((daysAgo, page) ->
                given().auth().oauth2(token).contentType(ContentType.JSON)
                        .body(Map.of("page", page, "date", today.minusDays(daysAgo).toString()))
                        .when().post("/api/books/" + id + "/progress").then().statusCode(201));
        return pageByDaysAgo.values().stream().max(Integer::compare).orElseThrow();
    }

    @Test
    void importAnyFileRecognizedByItsContentAndSeeThePerRowReport() {
        signUp();
        String form = "form[@aria-label='Import a file']";
        String report = "form[aria-label='Import a file'] .report";
        browser.open("/transfer");
        browser.control(form, "File").sendKeys(fixturePath("goodreads-bad-rows.csv"));
        browser.click(form, "Import");
        browser.waitForText(report, "Recognized as a Goodreads export.");
        browser.waitForText(report, "2 created, 0 updated, 0 skipped, 5 failed.");
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("form[aria-label='Import a file'] tbody tr"));
        assertEquals(5, rows.size());
        assertTrue(rows.get(0).getText().startsWith("3") && rows.get(0).getText().contains("seven"), rows.get(0).getText());

        // The same form takes a StoryGraph export and a Kindle's clippings, without being told which they are.
        browser.open("/transfer");
        browser.control(form, "File").sendKeys(fixturePath("storygraph-export.csv"));
        browser.click(form, "Import");
        browser.waitForText(report, "Recognized as a StoryGraph export.");
        browser.waitForText(report, "7 created, 0 updated, 0 skipped, 0 failed.");
        browser.open("/transfer");
        browser.control(form, "File").sendKeys(fixturePath("kindle-my-clippings.txt"));
        browser.click(form, "Import");
        browser.waitForText(report, "Recognized as a Kindle \"My Clippings.txt\".");
        browser.waitForText(report, "4 created, 0 updated, 2 skipped, 2 failed.");

        browser.open("/books");
        browser.waitForText("section[aria-label='Read']", "Good Book One");
        browser.waitForText("section[aria-label='Want to read']", "Good Book Two");
        browser.waitForText("section[aria-label='Read']", "Dune");
        // StoryGraph's quarter stars are kept and shown as they are.
        browser.find("section[aria-label='Read']").findElement(By.linkText("Dune")).click();
        browser.waitForText("main h1", "Dune");
        browser.waitForText("section[aria-labelledby=review-h]", "4.25 of 5");
        browser.waitForText("section[aria-labelledby=review-h] .hint", "kept exactly");
    }

    private static String fixturePath(String name) {
        return Path.of("src/test/resources/lectern/transfer/" + name).toAbsolutePath().toString();
    }
}
