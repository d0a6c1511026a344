package lectern.logs;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class LogResourceTest {

    static final String PROBLEM = "application/problem+json";

    static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }

    static JsonPath putText(String token, String date, String text) {
        return as(token).contentType("text/plain; charset=UTF-8").body(text)
                .when().put("/api/logs/" + date).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void theIssueExampleAsPlainText() {
        String token = TestUsers.token();
        putText(token, "2026-11-29", LogParserTest.ML_GRIND_EXAMPLE);
        as(token).when().get("/api/logs/2026-11-29").then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("date", equalTo("2026-11-29"))
                .body("finished", hasSize(2)).body("workingOn", hasSize(3)).body("plan", hasSize(3))
                .body("other", hasSize(0))
                .body("finished[0].text", startsWith("Foundation Models: finished transformer-based"))
                .body("workingOn[1].text", containsString("(agent/prompt refinements <> MCP <> backend infra)"))
                .body("plan[2].text", equalTo("Read a new ML paper"))
                .body("plan[2].id", notNullValue())
                .body("plan[2].label", nullValue());
    }

    @Test
    void putAnswersWithTheParsedLog() {
        String token = TestUsers.token();
        JsonPath log = putText(token, "2026-11-02", "[ML Grind] Finished: > a > b Plan for today: > c");
        assertEquals(List.of("a", "b"), log.getList("finished.text"));
        assertEquals(List.of("c"), log.getList("plan.text"));
        assertEquals("2026-11-02", log.getString("date"));
    }

    @Test
    void markdownInAndMarkdownOut() {
        String token = TestUsers.token();
        String markdown = "# 2026-11-03\n\n## Finished\n- chapter 3 🚀\n\n## Have been working on\n- tokenizer\n\n"
                + "## Plan for today\n- chapter 4\n\n## Other\n- slept well\n";
        as(token).contentType("text/markdown; charset=UTF-8").body(markdown)
                .when().put("/api/logs/2026-11-03").then().statusCode(200).body("finished[0].text", equalTo("chapter 3 🚀"));
        String back = as(token).accept("text/markdown").when().get("/api/logs/2026-11-03")
                .then().statusCode(200).contentType(startsWith("text/markdown")).extract().asString();
        assertEquals(markdown, back);
        // text/plain in Accept gets the same markdown; JSON stays the default.
        as(token).accept("text/plain").when().get("/api/logs/2026-11-03")
                .then().statusCode(200).contentType(startsWith("text/plain")).body(equalTo(markdown));
        as(token).accept("*/*").when().get("/api/logs/2026-11-03")
                .then().statusCode(200).contentType(ContentType.JSON).body("workingOn[0].text", equalTo("tokenizer"));
        as(token).accept("text/markdown;q=0.5, application/json").when().get("/api/logs/2026-11-03")
                .then().statusCode(200).contentType(ContentType.JSON);
    }

    @Test
    void jsonInWithStringsAndObjects() {
        String token = TestUsers.token();
        Map<String, Object> body = Map.of(
                "finished", List.of("read chapter 3", Map.of("text", "  wrote notes  ")),
                "workingOn", List.of(),
                "plan", List.of(Map.of("text", "chapter 4", "label", "ignored")),
                "other", List.of("", "   "));
        as(token).contentType(ContentType.JSON).body(body).when().put("/api/logs/2026-11-04")
                .then().statusCode(200)
                .body("finished.text", equalTo(List.of("read chapter 3", "wrote notes")))
                .body("plan.text", equalTo(List.of("chapter 4")))
                .body("plan[0].label", nullValue())
                .body("other", hasSize(0))
                .body("version", notNullValue());
    }

    @Test
    void putReplacesTheDayAndKeepsIdsAndLabelsOfUnchangedItems() {
        String token = TestUsers.token();
        JsonPath first = putText(token, "2026-11-05", "Finished: > kept > dropped\nPlan: > moves to finished");
        long keptId = first.getLong("finished[0].id");
        long movedId = first.getLong("plan[0].id");
        as(token).contentType(ContentType.JSON).body(Map.of("label", "study"))
                .when().patch("/api/logs/2026-11-05/items/" + keptId).then().statusCode(200);

        JsonPath second = putText(token, "2026-11-05", "Finished: > new one > kept > moves to finished");
        assertEquals(List.of("new one", "kept", "moves to finished"), second.getList("finished.text"));
        assertEquals(List.of(), second.getList("plan"));
        assertEquals(keptId, second.getLong("finished[1].id"));
        assertEquals("study", second.getString("finished[1].label"));
        assertEquals(true, second.getBoolean("finished[1].userLabel"));
        assertEquals(movedId, second.getLong("finished[2].id"));
        assertNotEquals(first.getLong("finished[1].id"), second.getLong("finished[0].id"));
        assertEquals(first.getLong("version") + 1, second.getLong("version"));

        as(token).when().get("/api/logs/2026-11-05").then().statusCode(200)
                .body("finished.text", equalTo(List.of("new one", "kept", "moves to finished")))
                .body("plan", hasSize(0));
    }

    @Test
    void aStaleVersionInJsonIsAConflict() {
        String token = TestUsers.token();
        long version = putText(token, "2026-11-06", "Done: > a").getLong("version");
        putText(token, "2026-11-06", "Done: > b");
        as(token).contentType(ContentType.JSON).body(Map.of("version", version, "finished", List.of("c")))
                .when().put("/api/logs/2026-11-06").then().statusCode(409).contentType(PROBLEM)
                .body("errors[0].field", equalTo("version"));
        as(token).when().get("/api/logs/2026-11-06").then().body("finished[0].text", equalTo("b"));
    }

    @Test
    void getOfADayWithoutALogIs404() {
        String token = TestUsers.token();
        as(token).when().get("/api/logs/2026-01-01").then().statusCode(404).contentType(PROBLEM)
                .body("status", equalTo(404));
        as(token).accept("text/markdown").when().get("/api/logs/2026-01-01").then().statusCode(404)
                .contentType(PROBLEM);
    }

    @Test
    void deleteRemovesTheLog() {
        String token = TestUsers.token();
        putText(token, "2026-11-07", "Done: > a");
        as(token).when().delete("/api/logs/2026-11-07").then().statusCode(204);
        as(token).when().get("/api/logs/2026-11-07").then().statusCode(404);
        as(token).when().delete("/api/logs/2026-11-07").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void rangeListsTheLogsOldestFirst() {
        String token = TestUsers.token();
        putText(token, "2026-10-03", "Done: > third");
        putText(token, "2026-10-01", "Done: > first");
        putText(token, "2026-10-02", "Plan: > second");
        putText(token, "2026-10-09", "Done: > outside");
        as(token).queryParam("from", "2026-10-01").queryParam("to", "2026-10-03")
                .when().get("/api/logs").then().statusCode(200)
                .body("date", equalTo(List.of("2026-10-01", "2026-10-02", "2026-10-03")))
                .body("[1].plan[0].text", equalTo("second"))
                .body("[2].finished[0].text", equalTo("third"));
        as(token).queryParam("from", "2026-10-04").queryParam("to", "2026-10-08")
                .when().get("/api/logs").then().statusCode(200).body("$", hasSize(0));
        String markdown = as(token).accept("text/markdown").queryParam("from", "2026-10-01").queryParam("to", "2026-10-02")
                .when().get("/api/logs").then().statusCode(200).extract().asString();
        assertEquals("# 2026-10-01\n\n## Finished\n- first\n\n# 2026-10-02\n\n## Plan for today\n- second\n", markdown);
    }

    @Test
    void rangeWithoutParametersIsTheLast30Days() {
        String token = TestUsers.token();
        LocalDate today = LocalDate.now();
        putText(token, today.toString(), "Done: > today");
        putText(token, today.minusDays(29).toString(), "Done: > 29 days ago");
        putText(token, today.minusDays(30).toString(), "Done: > 30 days ago");
        as(token).when().get("/api/logs").then().statusCode(200)
                .body("finished.text.flatten()", equalTo(List.of("29 days ago", "today")));
    }

    @Test
    void aWeeksDigestGroupsEachSectionByLabelWithItemsAndDays() {
        String token = TestUsers.token();
        putText(token, "2026-03-02", "Finished: > ch 5 of DDIA > fixed the flaky test Plan for today: > write the post");
        putText(token, "2026-03-04", "Finished: > ch 6 of DDIA Have been working on: > the tracker app");
        putText(token, "2026-03-10", "Finished: > outside the week");
        long first = as(token).get("/api/logs/2026-03-02").then().extract().jsonPath().getLong("finished[0].id");
        long later = as(token).get("/api/logs/2026-03-04").then().extract().jsonPath().getLong("finished[0].id");
        as(token).contentType(ContentType.JSON).body(Map.of("label", "book")).patch("/api/logs/2026-03-02/items/" + first)
                .then().statusCode(200);
        as(token).contentType(ContentType.JSON).body(Map.of("label", "book")).patch("/api/logs/2026-03-04/items/" + later)
                .then().statusCode(200);

        as(token).queryParam("from", "2026-03-02").queryParam("to", "2026-03-08").when().get("/api/logs/digest")
                .then().statusCode(200)
                .body("from", equalTo("2026-03-02")).body("to", equalTo("2026-03-08"))
                .body("daysLogged", equalTo(2)).body("items", equalTo(5))
                .body("sections.finished.items", equalTo(3))
                .body("sections.finished.labels.book.items", equalTo(2))
                .body("sections.finished.labels.book.days", equalTo(2))
                .body("sections.finished.labels.unlabelled.items", equalTo(1))
                .body("sections.workingOn.items", equalTo(1))
                .body("sections.plan.items", equalTo(1))
                .body("sections.plan.examples", equalTo(List.of("write the post")))
                .body("labels.book.items", equalTo(2))
                .body("labels.unlabelled.days", equalTo(2))
                .body("headline", nullValue()); // no model in these tests: the digest is still served
        // a week ending on to by default; another user's digest is empty
        as(token).queryParam("to", "2026-03-08").when().get("/api/logs/digest").then().statusCode(200)
                .body("from", equalTo("2026-03-02")).body("items", equalTo(5));
        as(TestUsers.token()).queryParam("from", "2026-03-02").queryParam("to", "2026-03-08").when().get("/api/logs/digest")
                .then().statusCode(200).body("items", equalTo(0)).body("daysLogged", equalTo(0));
        as(token).queryParam("from", "2026-03-08").queryParam("to", "2026-03-02").when().get("/api/logs/digest")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("from"));
        as(token).queryParam("from", "last week").when().get("/api/logs/digest")
                .then().statusCode(400).body("errors[0].field", equalTo("from"));
    }

    @Test
    void rangeRefusals() {
        String token = TestUsers.token();
        as(token).queryParam("from", "2026-10-05").queryParam("to", "2026-10-01").when().get("/api/logs")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("from"));
        as(token).queryParam("from", "2024-01-01").queryParam("to", "2026-10-01").when().get("/api/logs")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("to"))
                .body("detail", containsString("366"));
        as(token).queryParam("from", "2025-10-01").queryParam("to", "2026-10-01").when().get("/api/logs")
                .then().statusCode(200);
        as(token).queryParam("from", "yesterday").when().get("/api/logs")
                .then().statusCode(400).body("errors[0].field", equalTo("from"));
        as(token).queryParam("to", "2026-13-01").when().get("/api/logs")
                .then().statusCode(400).body("errors[0].field", equalTo("to"));
    }

    @Test
    void badDatesInThePathAre400NamingDate() {
        String token = TestUsers.token();
        for (String bad : List.of("2026-02-30", "29-11-2026", "today", "2026-11-29T10:00")) {
            as(token).when().get("/api/logs/" + bad).then().statusCode(400).contentType(PROBLEM)
                    .body("errors[0].field", equalTo("date"));
            as(token).contentType("text/plain").body("Done: > a").when().put("/api/logs/" + bad)
                    .then().statusCode(400).body("errors[0].field", equalTo("date"));
            as(token).when().delete("/api/logs/" + bad).then().statusCode(400).body("errors[0].field", equalTo("date"));
        }
    }

    @Test
    void emptyBodiesAre400() {
        String token = TestUsers.token();
        as(token).contentType("text/plain").body("").when().put("/api/logs/2026-11-08")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("body"));
        as(token).contentType("text/plain").body("  \n ").when().put("/api/logs/2026-11-08")
                .then().statusCode(400).body("errors[0].field", equalTo("body"));
        as(token).contentType("text/markdown").body("## Finished\n## Plan\n").when().put("/api/logs/2026-11-08")
                .then().statusCode(400).body("errors[0].field", equalTo("body"));
        as(token).contentType(ContentType.JSON).when().put("/api/logs/2026-11-08")
                .then().statusCode(400).contentType(PROBLEM);
        as(token).contentType(ContentType.JSON).body("{}").when().put("/api/logs/2026-11-08")
                .then().statusCode(400).body("errors[0].field", equalTo("body"));
        as(token).when().get("/api/logs/2026-11-08").then().statusCode(404);
    }

    @Test
    void badJsonIs400NamingTheField() {
        String token = TestUsers.token();
        as(token).contentType(ContentType.JSON).body("{\"finished\": [\"a\"").when().put("/api/logs/2026-11-09")
                .then().statusCode(400).contentType(PROBLEM).body("status", equalTo(400));
        as(token).contentType(ContentType.JSON).body("{\"finished\": \"a\"}").when().put("/api/logs/2026-11-09")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("finished"));
        as(token).contentType(ContentType.JSON).body("{\"plan\": [\"a\", 3, {\"txt\": \"b\"}, null]}")
                .when().put("/api/logs/2026-11-09")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("plan[1]", "plan[2]", "plan[3]")));
        as(token).contentType(ContentType.JSON).body("{\"date\": \"2026-11-10\", \"plan\": [\"a\"]}")
                .when().put("/api/logs/2026-11-09")
                .then().statusCode(400).body("errors[0].field", equalTo("date"));
        as(token).contentType(ContentType.JSON).body("{\"date\": \"soon\", \"plan\": [\"a\"]}")
                .when().put("/api/logs/2026-11-09")
                .then().statusCode(400).body("errors[0].field", equalTo("date"));
        as(token).contentType("application/xml").body("<log/>").when().put("/api/logs/2026-11-09")
                .then().statusCode(415).contentType(PROBLEM);
        as(token).when().get("/api/logs/2026-11-09").then().statusCode(404);
    }

    @Test
    void anItemOver2000CharactersIs400NamingTheItem() {
        String token = TestUsers.token();
        String longItem = "x".repeat(2001);
        as(token).contentType(ContentType.JSON)
                .body(Map.of("finished", List.of("a", "b", "c", longItem), "plan", List.of("y".repeat(2000))))
                .when().put("/api/logs/2026-11-11")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("finished[3]")))
                .body("detail", containsString("2000"));
        as(token).contentType("text/plain").body("Done: > a\nPlan: > ok > " + longItem)
                .when().put("/api/logs/2026-11-11")
                .then().statusCode(400).body("errors.field", equalTo(List.of("plan[1]")));
        // 2000 emoji are 2000 characters, though 4000 UTF-16 units.
        as(token).contentType("text/plain; charset=UTF-8").body("Done: > " + "🚀".repeat(2000))
                .when().put("/api/logs/2026-11-11").then().statusCode(200);
    }

    @Test
    void tooManyItemsOrTooLargeATextAreRefused() {
        String token = TestUsers.token();
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            many.add("item " + i);
        }
        as(token).contentType(ContentType.JSON).body(Map.of("other", many)).when().put("/api/logs/2026-11-12")
                .then().statusCode(400).body("errors[0].field", equalTo("other"));
        as(token).contentType("text/plain").body("> " + "a".repeat(1024 * 1024)).when().put("/api/logs/2026-11-12")
                .then().statusCode(413).contentType(PROBLEM);
    }

    @Test
    void labelAnItem() {
        String token = TestUsers.token();
        long id = putText(token, "2026-11-13", "Done: > read about RoPE").getLong("finished[0].id");
        as(token).contentType(ContentType.JSON).body(Map.of("label", "paper-notes"))
                .when().patch("/api/logs/2026-11-13/items/" + id).then().statusCode(200)
                .body("id", equalTo((int) id)).body("label", equalTo("paper-notes"))
                .body("userLabel", equalTo(true)).body("confidence", equalTo(1.0f))
                .body("text", equalTo("read about RoPE"));
        as(token).when().get("/api/logs/2026-11-13").then().body("finished[0].label", equalTo("paper-notes"))
                .body("finished[0].userLabel", equalTo(true));
        // Labels are stored in lower case, like note labels; "" takes the user's label away.
        as(token).contentType(ContentType.JSON).body(Map.of("label", " Idea "))
                .when().patch("/api/logs/2026-11-13/items/" + id).then().statusCode(200).body("label", equalTo("idea"));
        as(token).contentType(ContentType.JSON).body(Map.of("label", ""))
                .when().patch("/api/logs/2026-11-13/items/" + id).then().statusCode(200)
                .body("label", nullValue()).body("confidence", nullValue()).body("userLabel", equalTo(false));
        as(token).when().get("/api/logs/2026-11-13").then().body("finished[0].label", nullValue());
    }

    @Test
    void labelRefusals() {
        String token = TestUsers.token();
        long id = putText(token, "2026-11-14", "Done: > a").getLong("finished[0].id");
        String path = "/api/logs/2026-11-14/items/" + id;
        for (Object bad : List.of("two words", "x".repeat(41), "émotion", "a/b", "-dash", "idea!")) {
            as(token).contentType(ContentType.JSON).body(Map.of("label", bad)).when().patch(path)
                    .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("label"));
        }
        as(token).contentType(ContentType.JSON).body("{}").when().patch(path)
                .then().statusCode(400).body("errors[0].field", equalTo("label"));
        as(token).contentType(ContentType.JSON).body("{\"label\": [\"a\"]}").when().patch(path)
                .then().statusCode(400).body("errors[0].field", equalTo("label"));
        as(token).contentType(ContentType.JSON).when().patch(path).then().statusCode(400);
        as(token).contentType(ContentType.JSON).body(Map.of("label", "x".repeat(40))).when().patch(path)
                .then().statusCode(200);
        // Wrong day, unknown item, bad id.
        as(token).contentType(ContentType.JSON).body(Map.of("label", "idea"))
                .when().patch("/api/logs/2026-11-15/items/" + id).then().statusCode(404).contentType(PROBLEM);
        as(token).contentType(ContentType.JSON).body(Map.of("label", "idea"))
                .when().patch("/api/logs/2026-11-14/items/999999999").then().statusCode(404);
        as(token).contentType(ContentType.JSON).body(Map.of("label", "idea"))
                .when().patch("/api/logs/2026-11-14/items/abc").then().statusCode(400)
                .body("errors[0].field", equalTo("itemId"));
    }

    @Test
    void twoUsersNeverSeeEachOthersLogs() {
        String alice = TestUsers.token();
        String bob = TestUsers.token();
        long aliceItem = putText(alice, "2026-11-16", "Done: > alice's secret").getLong("finished[0].id");
        putText(bob, "2026-11-17", "Done: > bob's day");

        as(bob).when().get("/api/logs/2026-11-16").then().statusCode(404);
        as(bob).accept("text/markdown").when().get("/api/logs/2026-11-16").then().statusCode(404);
        as(bob).queryParam("from", "2026-11-16").queryParam("to", "2026-11-17").when().get("/api/logs")
                .then().statusCode(200).body("date", equalTo(List.of("2026-11-17")))
                .body(not(containsString("secret")));
        as(bob).contentType(ContentType.JSON).body(Map.of("label", "stolen"))
                .when().patch("/api/logs/2026-11-16/items/" + aliceItem).then().statusCode(404);
        as(bob).when().delete("/api/logs/2026-11-16").then().statusCode(404);

        // Bob writing the same day makes his own log; Alice's stays as it was.
        putText(bob, "2026-11-16", "Done: > bob's own");
        as(alice).when().get("/api/logs/2026-11-16").then().statusCode(200)
                .body("finished.text", equalTo(List.of("alice's secret")))
                .body("finished[0].id", equalTo((int) aliceItem))
                .body("finished[0].label", nullValue());
        as(bob).when().get("/api/logs/2026-11-16").then().body("finished.text", equalTo(List.of("bob's own")));
        as(bob).contentType(ContentType.JSON).body(Map.of("label", "stolen"))
                .when().patch("/api/logs/2026-11-16/items/" + aliceItem).then().statusCode(404);
    }

    @Test
    void withoutATokenEverythingIs401() {
        given().when().get("/api/logs/2026-11-29").then().statusCode(401).contentType(PROBLEM);
        given().when().get("/api/logs").then().statusCode(401);
        given().contentType("text/plain").body("Done: > a").when().put("/api/logs/2026-11-29").then().statusCode(401);
        given().when().delete("/api/logs/2026-11-29").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("label", "idea"))
                .when().patch("/api/logs/2026-11-29/items/1").then().statusCode(401);
    }

    @Test
    void unicodeSurvivesTheRoundTrip() {
        String token = TestUsers.token();
        String text = "Finished: > 读完了《深度学习》第三章 🎉 > قرأت الفصل الأول > family 👨‍👩‍👧";
        putText(token, "2026-11-18", text);
        as(token).when().get("/api/logs/2026-11-18").then().statusCode(200)
                .body("finished.text", equalTo(List.of("读完了《深度学习》第三章 🎉", "قرأت الفصل الأول", "family 👨‍👩‍👧")));
        as(token).accept("text/markdown").when().get("/api/logs/2026-11-18").then().statusCode(200)
                .body(containsString("- 读完了《深度学习》第三章 🎉\n"));
        // curl -H 'Content-Type: text/plain' --data-binary @log.txt sends UTF-8 without saying so.
        as(token).config(RestAssured.config().encoderConfig(
                        EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .contentType("text/plain").body(text.getBytes(StandardCharsets.UTF_8))
                .when().put("/api/logs/2026-11-20").then().statusCode(200)
                .body("finished[2].text", equalTo("family 👨‍👩‍👧"));
    }

    @Inject
    SavedLogEvents events;

    @Test
    void savingAnnouncesTheNewItemsForTheClassifier() {
        String token = TestUsers.token();
        long owner = as(token).when().get("/api/auth/me").then().extract().jsonPath().getLong("id");
        LocalDate day = LocalDate.of(2026, 11, 21);
        JsonPath first = putText(token, day.toString(), "Done: > a > b");
        JsonPath second = putText(token, day.toString(), "Done: > a > c");
        putText(token, day.toString(), "Done: > a > c");
        List<LogItemsSaved> seen = events.forOwnerAndDate(owner, day);
        assertEquals(2, seen.size(), "a save without new items announces nothing");
        assertEquals(first.getList("finished.id", Long.class), seen.get(0).newItemIds());
        assertEquals(List.of(second.getLong("finished[1].id")), seen.get(1).newItemIds());
    }

    @Test
    void racingFirstSavesOfADayBothSucceed() throws Exception {
        String token = TestUsers.token();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String text = "Done: > try " + i;
                answers.add(pool.submit(() -> as(token).contentType("text/plain").body(text)
                        .when().put("/api/logs/2026-11-22").then().extract().statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertEquals(200, answer.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        as(token).when().get("/api/logs/2026-11-22").then().statusCode(200).body("finished", hasSize(1));
    }

    @Test
    void theSameLogSentTwiceChangesNothingButTheVersion() {
        String token = TestUsers.token();
        JsonPath first = putText(token, "2026-11-19", "Done: > a > a > b");
        JsonPath second = putText(token, "2026-11-19", "Done: > a > a > b");
        assertEquals(first.getList("finished.id"), second.getList("finished.id"));
        as(token).when().get("/api/logs/2026-11-19").then().body("finished.text", hasItem("b"))
                .body("finished", hasSize(3));
    }
}
