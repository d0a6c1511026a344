package lectern.books;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class BooksTest {

    @Inject
    Clock clock;

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    static long createBook(String token, Map<String, Object> body) {
        return as(token).body(body).when().post("/api/books").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static long createBook(String token, String title, Integer pages) {
        Map<String, Object> body = new HashMap<>();
        body.put("title", title);
        body.put("authors", List.of("Some Author"));
        if (pages != null) {
            body.put("pages", pages);
        }
        return createBook(token, body);
    }

    private static long version(String token, long id) {
        return as(token).get("/api/books/" + id).then().statusCode(200).extract().jsonPath().getLong("version");
    }

    @Test
    void createAnswers201WithLocationAndDefaults() {
        String token = TestUsers.token();
        var response = as(token).body(Map.of("title", "  Thinking, Fast and Slow ", "authors", List.of("Daniel Kahneman"),
                        "isbn13", "0-306-40615-2", "pages", 499, "year", 2011, "publisher", "FSG",
                        "tags", List.of("psychology", "Psychology", "decisions")))
                .when().post("/api/books")
                .then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/api/books/"))
                .body("id", notNullValue())
                .body("title", equalTo("Thinking, Fast and Slow"))
                .body("authors", contains("Daniel Kahneman"))
                .body("isbn13", equalTo("9780306406157"))
                .body("status", equalTo("want"))
                .body("version", equalTo(0))
                .body("tags", contains("psychology", "decisions"))
                .body("createdAt", notNullValue())
                .body("updatedAt", notNullValue())
                .body("currentReading", nullValue())
                .extract();
        long id = response.jsonPath().getLong("id");
        as(token).get(response.header("Location")).then().statusCode(200).body("id", equalTo((int) id));
    }

    @Test
    void createRefusesBadFieldsNamingThem() {
        String token = TestUsers.token();
        as(token).body(Map.of("title", " ")).post("/api/books").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("title"));
        as(token).body(Map.of("title", "x".repeat(501))).post("/api/books").then().statusCode(400)
                .body("errors.field", hasItem("title"));
        as(token).body(Map.of("authors", List.of("A"))).post("/api/books").then().statusCode(400)
                .body("errors.field", hasItem("title"));
        as(token).body(Map.of("title", "T", "authors", List.of("ok", ""))).post("/api/books").then().statusCode(400)
                .body("errors.field", hasItem("authors[1]"));
        as(token).body(Map.of("title", "T", "authors", java.util.Collections.nCopies(51, "a"))).post("/api/books")
                .then().statusCode(400).body("errors.field", hasItem("authors"));
        as(token).body(Map.of("title", "T", "authors", List.of("a".repeat(301)))).post("/api/books")
                .then().statusCode(400).body("errors.field", hasItem("authors[0]"));
        as(token).body(Map.of("title", "T", "pages", 0)).post("/api/books").then().statusCode(400)
                .body("errors.field", hasItem("pages"));
        as(token).body(Map.of("title", "T", "pages", 100_001)).post("/api/books").then().statusCode(400)
                .body("errors.field", hasItem("pages"));
        as(token).body(Map.of("title", "T", "isbn13", "978-0-306-40615-8")).post("/api/books").then().statusCode(400)
                .body("errors[0].field", equalTo("isbn13"));
        int nextYear = LocalDate.now(clock).getYear() + 1;
        as(token).body(Map.of("title", "T", "year", nextYear + 1)).post("/api/books").then().statusCode(400)
                .body("errors[0].field", equalTo("year"));
        as(token).body(Map.of("title", "T", "year", nextYear)).post("/api/books").then().statusCode(201);
        as(token).body(Map.of("title", "T", "year", -3001)).post("/api/books").then().statusCode(400)
                .body("errors[0].field", equalTo("year"));
        as(token).body(Map.of("title", "T", "tags", List.of("x".repeat(51)))).post("/api/books").then().statusCode(400)
                .body("errors.field", hasItem("tags[0]"));
        as(token).body(Map.of("title", "T", "publisher", "p".repeat(301))).post("/api/books").then().statusCode(400)
                .body("errors.field", hasItem("publisher"));
        as(token).body(Map.of("title", "T", "status", "finished")).post("/api/books").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        as(token).body(Map.of("title", "T", "pages", "many")).post("/api/books").then().statusCode(400)
                .body("errors[0].field", equalTo("pages"));
        as(token).body("{\"title\": \"T\",").post("/api/books").then().statusCode(400)
                .contentType("application/problem+json").body("title", equalTo("Malformed JSON"));
    }

    @Test
    void sameIsbnTwiceIsAConflictWithTheExistingId() {
        String token = TestUsers.token();
        long first = createBook(token, Map.of("title", "First", "isbn13", "9780306406157"));
        as(token).body(Map.of("title", "Again", "isbn13", "0306406152")).post("/api/books")
                .then().statusCode(409).body("existingId", equalTo((int) first));
        // Another user may own the same edition.
        createBook(TestUsers.token(), Map.of("title", "Mine", "isbn13", "9780306406157"));
    }

    @Test
    void needsAToken() {
        given().contentType(ContentType.JSON).body(Map.of("title", "T")).post("/api/books").then().statusCode(401);
        given().get("/api/books").then().statusCode(401);
    }

    @Test
    void listFiltersByStatusAndTextAndPages() {
        String token = TestUsers.token();
        long dune = createBook(token, Map.of("title", "Dune", "authors", List.of("Frank Herbert"), "tags", List.of("SF")));
        long hobbit = createBook(token, Map.of("title", "The Hobbit", "authors", List.of("J. R. R. Tolkien"),
                "status", "reading"));
        long percent = createBook(token, Map.of("title", "100% Sure", "authors", List.of("Nobody")));
        // Most recently changed first.
        as(token).get("/api/books").then().statusCode(200).header("X-Total-Count", "3")
                .body("id", contains((int) percent, (int) hobbit, (int) dune));
        as(token).get("/api/books?status=reading").then().statusCode(200).body("id", contains((int) hobbit));
        as(token).get("/api/books?status=reading,want").then().statusCode(200).body("id", hasSize(3));
        as(token).get("/api/books?q=TOLKIEN").then().statusCode(200).body("id", contains((int) hobbit));
        as(token).get("/api/books?q=dun").then().statusCode(200).body("id", contains((int) dune));
        // % is a character to find, not a wildcard.
        as(token).queryParam("q", "0%").get("/api/books").then().statusCode(200).body("id", contains((int) percent));
        as(token).get("/api/books?tag=sf").then().statusCode(200).body("id", contains((int) dune));
        as(token).get("/api/books?limit=2").then().statusCode(200).body("id", contains((int) percent, (int) hobbit));
        as(token).get("/api/books?limit=2&offset=2").then().statusCode(200).body("id", contains((int) dune));
        as(token).get("/api/books?status=done").then().statusCode(400).body("errors[0].field", equalTo("status"));
        as(token).get("/api/books?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        as(token).get("/api/books?offset=-1").then().statusCode(400).body("errors[0].field", equalTo("offset"));
    }

    @Test
    void anotherUsersBookIsNotFoundAndNeverListed() {
        String alice = TestUsers.token();
        String bob = TestUsers.token();
        long book = createBook(alice, "Alice's secret diary", 100);
        as(bob).get("/api/books/" + book).then().statusCode(404).contentType("application/problem+json");
        as(bob).body(Map.of("version", 0, "title", "mine now")).patch("/api/books/" + book).then().statusCode(404);
        as(bob).delete("/api/books/" + book).then().statusCode(404);
        as(bob).body(Map.of("status", "reading")).post("/api/books/" + book + "/status").then().statusCode(404);
        as(bob).body(Map.of("page", 3)).post("/api/books/" + book + "/progress").then().statusCode(404);
        as(bob).get("/api/books/" + book + "/readings").then().statusCode(404);
        as(bob).body(Map.of("rating", 1)).put("/api/books/" + book + "/review").then().statusCode(404);
        as(bob).get("/api/books").then().statusCode(200).body("id", not(hasItem((int) book)));
        as(bob).get("/api/books?q=secret").then().statusCode(200).body("", empty());
        as(alice).get("/api/books/" + book).then().statusCode(200).body("title", equalTo("Alice's secret diary"));
    }

    @Test
    void patchChangesOnlyTheFieldsSentAndRefusesAStaleVersion() {
        String token = TestUsers.token();
        long id = createBook(token, Map.of("title", "Old title", "authors", List.of("A"), "pages", 300, "year", 1999,
                "publisher", "Pub"));
        as(token).body(Map.of("version", 0, "title", "New title", "pages", 320)).patch("/api/books/" + id)
                .then().statusCode(200)
                .body("title", equalTo("New title")).body("pages", equalTo(320))
                .body("authors", contains("A")).body("year", equalTo(1999)).body("publisher", equalTo("Pub"))
                .body("version", equalTo(1));
        // Explicit null clears a field.
        as(token).body("{\"version\": 1, \"publisher\": null}").patch("/api/books/" + id)
                .then().statusCode(200).body("publisher", nullValue()).body("year", equalTo(1999)).body("version", equalTo(2));
        // Two clients PATCH from the same version: the first wins, the second gets 409.
        as(token).body(Map.of("version", 2, "title", "Client one")).patch("/api/books/" + id).then().statusCode(200);
        as(token).body(Map.of("version", 2, "title", "Client two")).patch("/api/books/" + id)
                .then().statusCode(409).contentType("application/problem+json").body("errors[0].field", equalTo("version"));
        as(token).get("/api/books/" + id).then().body("title", equalTo("Client one")).body("version", equalTo(3));
        as(token).body(Map.of("title", "no version")).patch("/api/books/" + id)
                .then().statusCode(400).body("errors.field", hasItem("version"));
        as(token).body("{\"version\": 3, \"title\": null}").patch("/api/books/" + id)
                .then().statusCode(400).body("errors[0].field", equalTo("title"));
        as(token).body(Map.of("version", 3, "pages", -1)).patch("/api/books/" + id)
                .then().statusCode(400).body("errors.field", hasItem("pages"));
        as(token).body(Map.of("version", 3, "isbn13", "123")).patch("/api/books/" + id)
                .then().statusCode(400).body("errors[0].field", equalTo("isbn13"));
        as(token).body(Map.of("version", 3, "status", "gone")).patch("/api/books/" + id)
                .then().statusCode(400).body("errors[0].field", equalTo("status"));
        as(token).get("/api/books/" + id).then().body("version", equalTo(3)).body("pages", equalTo(320));
    }

    @Test
    void patchStatusFollowsTheStatusRules() {
        String token = TestUsers.token();
        long id = createBook(token, "Patch me into reading", 200);
        as(token).body(Map.of("version", 0, "status", "reading")).patch("/api/books/" + id)
                .then().statusCode(200).body("status", equalTo("reading"))
                .body("currentReading.startedOn", equalTo(LocalDate.now(clock).toString()));
        as(token).get("/api/books/" + id + "/readings").then().body("", hasSize(1)).body("[0].status", equalTo("reading"));
    }

    @Test
    void deleteIsSoftAndHidesTheBook() {
        String token = TestUsers.token();
        long id = createBook(token, Map.of("title", "To delete", "isbn13", "9780306406157"));
        as(token).delete("/api/books/" + id).then().statusCode(204);
        as(token).get("/api/books/" + id).then().statusCode(404);
        as(token).get("/api/books").then().body("id", not(hasItem((int) id)));
        as(token).delete("/api/books/" + id).then().statusCode(404);
        // Its ISBN is free again.
        createBook(token, Map.of("title", "Bought it again", "isbn13", "9780306406157"));
    }

    @Test
    void rereadStartsASecondReadThroughAndKeepsTheFirst() {
        String token = TestUsers.token();
        LocalDate today = LocalDate.now(clock);
        long id = createBook(token, "Twice", 300);
        as(token).body(Map.of("status", "reading", "date", today.minusDays(20).toString()))
                .post("/api/books/" + id + "/status").then().statusCode(200)
                .body("status", equalTo("reading")).body("currentReading.startedOn", equalTo(today.minusDays(20).toString()));
        as(token).body(Map.of("page", 150, "date", today.minusDays(15).toString())).post("/api/books/" + id + "/progress")
                .then().statusCode(201);
        as(token).body(Map.of("status", "read", "date", today.minusDays(10).toString()))
                .post("/api/books/" + id + "/status").then().statusCode(200)
                .body("status", equalTo("read")).body("currentReading", nullValue());
        as(token).body(Map.of("status", "reading")).post("/api/books/" + id + "/status").then().statusCode(200)
                .body("currentReading.startedOn", equalTo(today.toString())).body("currentReading.currentPage", nullValue());
        as(token).body(Map.of("page", 30)).post("/api/books/" + id + "/progress").then().statusCode(201);
        as(token).get("/api/books/" + id + "/readings").then().statusCode(200)
                .body("", hasSize(2))
                .body("[0].status", equalTo("read"))
                .body("[0].startedOn", equalTo(today.minusDays(20).toString()))
                .body("[0].finishedOn", equalTo(today.minusDays(10).toString()))
                .body("[0].progress.page", contains(150))
                .body("[0].progress[0].percent", equalTo(50.0f))
                .body("[1].status", equalTo("reading"))
                .body("[1].finishedOn", nullValue())
                .body("[1].progress.page", contains(30));
        as(token).get("/api/books/" + id).then().body("currentReading.currentPage", equalTo(30))
                .body("currentReading.percent", equalTo(10.0f));
    }

    @Test
    void pauseResumesTheSameReadThroughAndAbandonEndsIt() {
        String token = TestUsers.token();
        long id = createBook(token, "Long one", 1000);
        as(token).body(Map.of("page", 100)).post("/api/books/" + id + "/progress").then().statusCode(201);
        as(token).body(Map.of("status", "paused")).post("/api/books/" + id + "/status").then().statusCode(200)
                .body("status", equalTo("paused")).body("currentReading.status", equalTo("paused"));
        as(token).body(Map.of("status", "reading")).post("/api/books/" + id + "/status").then().statusCode(200)
                .body("currentReading.currentPage", equalTo(100));
        as(token).get("/api/books/" + id + "/readings").then().body("", hasSize(1));
        as(token).body(Map.of("status", "abandoned")).post("/api/books/" + id + "/status").then().statusCode(200)
                .body("status", equalTo("abandoned"));
        as(token).get("/api/books/" + id + "/readings").then().body("", hasSize(1))
                .body("[0].status", equalTo("abandoned")).body("[0].finishedOn", notNullValue());
    }

    @Test
    void statusRefusals() {
        String token = TestUsers.token();
        LocalDate today = LocalDate.now(clock);
        long id = createBook(token, "Status refusals", 100);
        as(token).body(Map.of("status", "reading", "date", today.minusDays(3).toString()))
                .post("/api/books/" + id + "/status").then().statusCode(200);
        as(token).body(Map.of("status", "read", "date", today.minusDays(4).toString()))
                .post("/api/books/" + id + "/status").then().statusCode(400).body("errors[0].field", equalTo("date"));
        as(token).body(Map.of("status", "read", "date", today.plusDays(5).toString()))
                .post("/api/books/" + id + "/status").then().statusCode(400).body("errors[0].field", equalTo("date"));
        as(token).body(Map.of("status", "read", "date", "yesterday"))
                .post("/api/books/" + id + "/status").then().statusCode(400).body("errors[0].field", equalTo("date"));
        as(token).body(Map.of("status", "done")).post("/api/books/" + id + "/status")
                .then().statusCode(400).body("errors[0].field", equalTo("status"));
        as(token).body(Map.of()).post("/api/books/" + id + "/status")
                .then().statusCode(400).body("errors[0].field", equalTo("status"));
        as(token).get("/api/books/" + id).then().body("status", equalTo("reading"));
        as(token).body(Map.of("status", "read")).post("/api/books/999999999/status").then().statusCode(404);
    }

    @Test
    void createWithStatusReadRecordsAFinishedReadThrough() {
        String token = TestUsers.token();
        long id = createBook(token, Map.of("title", "Already read", "status", "read"));
        String today = LocalDate.now(clock).toString();
        as(token).get("/api/books/" + id + "/readings").then().body("", hasSize(1))
                .body("[0].status", equalTo("read")).body("[0].startedOn", equalTo(today))
                .body("[0].finishedOn", equalTo(today));
    }

    @Test
    void progressByPageOrPercent() {
        String token = TestUsers.token();
        LocalDate today = LocalDate.now(clock);
        long id = createBook(token, "Measured", 400);
        // The first progress starts a read-through and sets the book reading.
        as(token).body(Map.of("page", 40, "date", today.minusDays(2).toString())).post("/api/books/" + id + "/progress")
                .then().statusCode(201).body("page", equalTo(40)).body("percent", equalTo(10.0f))
                .body("date", equalTo(today.minusDays(2).toString()));
        as(token).get("/api/books/" + id).then().body("status", equalTo("reading"))
                .body("currentReading.startedOn", equalTo(today.minusDays(2).toString()));
        as(token).body(Map.of("percent", 25)).post("/api/books/" + id + "/progress")
                .then().statusCode(201).body("page", equalTo(100)).body("percent", equalTo(25.0f));
        // The last page does not finish the book.
        as(token).body(Map.of("page", 400)).post("/api/books/" + id + "/progress").then().statusCode(201);
        as(token).get("/api/books/" + id).then().body("status", equalTo("reading"))
                .body("currentReading.currentPage", equalTo(400)).body("currentReading.percent", equalTo(100.0f));
        as(token).get("/api/books/" + id + "/readings").then().body("[0].progress.page", contains(40, 100, 400));
    }

    @Test
    void progressFromTwoClientsIsAllKept() {
        String token = TestUsers.token();
        long id = createBook(token, "Shared", 500);
        long before = version(token, id);
        as(token).body(Map.of("page", 10)).post("/api/books/" + id + "/progress").then().statusCode(201);
        as(token).body(Map.of("page", 12)).post("/api/books/" + id + "/progress").then().statusCode(201);
        as(token).get("/api/books/" + id + "/readings").then().body("", hasSize(1)).body("[0].progress", hasSize(2));
        // Logging pages does not bump the version (only the status change from want did), so an edit in flight still applies.
        long after = version(token, id);
        as(token).body(Map.of("page", 13)).post("/api/books/" + id + "/progress").then().statusCode(201);
        as(token).body(Map.of("version", after, "title", "Shared, renamed")).patch("/api/books/" + id).then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertEquals(before + 1, after);
    }

    @Test
    void progressRefusals() {
        String token = TestUsers.token();
        LocalDate today = LocalDate.now(clock);
        long id = createBook(token, "Short", 120);
        String path = "/api/books/" + id + "/progress";
        as(token).body(Map.of("page", 121)).post(path).then().statusCode(400).body("errors[0].field", equalTo("page"));
        as(token).body(Map.of("page", -1)).post(path).then().statusCode(400).body("errors[0].field", equalTo("page"));
        as(token).body(Map.of("percent", 100.5)).post(path).then().statusCode(400).body("errors[0].field", equalTo("percent"));
        as(token).body(Map.of("percent", -2)).post(path).then().statusCode(400).body("errors[0].field", equalTo("percent"));
        as(token).body(Map.of("page", 10, "percent", 10)).post(path).then().statusCode(400);
        as(token).body(Map.of()).post(path).then().statusCode(400);
        as(token).body(Map.of("page", 10, "date", today.plusDays(2).toString())).post(path)
                .then().statusCode(400).body("errors[0].field", equalTo("date"));
        as(token).body(Map.of("page", 10, "date", "2026-02-30")).post(path)
                .then().statusCode(400).body("errors[0].field", equalTo("date"));
        as(token).body(Map.of("page", "ten")).post(path).then().statusCode(400).body("errors[0].field", equalTo("page"));
        // Nothing was recorded, and the book was not started.
        as(token).get("/api/books/" + id + "/readings").then().body("", empty());
        as(token).get("/api/books/" + id).then().body("status", equalTo("want"));
        // Tomorrow is accepted: a client a time zone ahead is already there.
        as(token).body(Map.of("page", 10, "date", today.plusDays(1).toString())).post(path).then().statusCode(201);
        // Without a page count any page up to 100000 goes.
        long unknown = createBook(token, "Unknown length", null);
        as(token).body(Map.of("page", 5000)).post("/api/books/" + unknown + "/progress").then().statusCode(201)
                .body("percent", nullValue());
        as(token).body(Map.of("page", 100_001)).post("/api/books/" + unknown + "/progress").then().statusCode(400)
                .body("errors[0].field", equalTo("page"));
    }

    @Test
    void reviewWithHalfStars() {
        String token = TestUsers.token();
        long id = createBook(token, "Reviewed", 100);
        String path = "/api/books/" + id + "/review";
        as(token).get(path).then().statusCode(404);
        as(token).body(Map.of("rating", 4.5, "text", "Loved it")).put(path).then().statusCode(200)
                .body("rating", equalTo(4.5f)).body("text", equalTo("Loved it"));
        as(token).body(Map.of("rating", 3)).put(path).then().statusCode(200).body("rating", equalTo(3.0f))
                .body("text", nullValue());
        as(token).get(path).then().statusCode(200).body("rating", equalTo(3.0f));
        as(token).get("/api/books/" + id).then().body("rating", equalTo(3.0f));
        as(token).body(Map.of("rating", 4.3)).put(path).then().statusCode(400).body("errors[0].field", equalTo("rating"));
        as(token).body(Map.of("rating", 0)).put(path).then().statusCode(400).body("errors[0].field", equalTo("rating"));
        as(token).body(Map.of("rating", 5.5)).put(path).then().statusCode(400).body("errors[0].field", equalTo("rating"));
        as(token).body(Map.of("text", "no rating")).put(path).then().statusCode(400).body("errors[0].field", equalTo("rating"));
        as(token).body(Map.of("rating", 2, "text", "x".repeat(20_001))).put(path).then().statusCode(400)
                .body("errors[0].field", equalTo("text"));
        as(token).get(path).then().body("rating", equalTo(3.0f));
        as(token).delete(path).then().statusCode(204);
        as(token).get(path).then().statusCode(404);
    }

    @Test
    void notesOnABook() {
        String token = TestUsers.token();
        long id = createBook(token, "Annotated", 250);
        String path = "/api/books/" + id + "/notes";
        as(token).body(Map.of("text", "Attention is a soft lookup", "kind", "highlight", "page", 42)).post(path)
                .then().statusCode(201).header("Location", org.hamcrest.Matchers.containsString("/api/notes/"))
                .body("kind", equalTo("highlight")).body("page", equalTo(42)).body("bookId", equalTo((int) id));
        as(token).body(Map.of("text", "Try it at work")).post(path).then().statusCode(201).body("kind", equalTo("idea"));
        as(token).get(path).then().statusCode(200).body("text", contains("Attention is a soft lookup", "Try it at work"));
        as(token).body(Map.of("text", "past the end", "page", 251)).post(path).then().statusCode(400)
                .body("errors[0].field", equalTo("page"));
        as(token).body(Map.of("text", " ")).post(path).then().statusCode(400).body("errors[0].field", equalTo("text"));
        as(token).body(Map.of("text", "x", "kind", "rant")).post(path).then().statusCode(400)
                .body("errors[0].field", equalTo("kind"));
        String other = TestUsers.token();
        as(other).body(Map.of("text", "sneaky")).post(path).then().statusCode(404);
        as(other).get(path).then().statusCode(404);
        as(token).get(path).then().body("", hasSize(2));
    }

    @Test
    void aMistakenProgressEntryCanBeRemoved() {
        String token = TestUsers.token();
        long id = createBook(token, "Typo", 300);
        as(token).body(Map.of("page", 30)).post("/api/books/" + id + "/progress").then().statusCode(201);
        long typo = as(token).body(Map.of("page", 290)).post("/api/books/" + id + "/progress")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        String other = TestUsers.token();
        as(other).delete("/api/books/" + id + "/progress/" + typo).then().statusCode(404);
        long otherBook = createBook(token, "Not that one", 100);
        as(token).delete("/api/books/" + otherBook + "/progress/" + typo).then().statusCode(404);
        as(token).delete("/api/books/" + id + "/progress/" + typo).then().statusCode(204);
        as(token).delete("/api/books/" + id + "/progress/" + typo).then().statusCode(404);
        as(token).get("/api/books/" + id + "/readings").then().body("[0].progress.page", contains(30));
        as(token).get("/api/books/" + id).then().body("currentReading.currentPage", equalTo(30));
    }

    @Test
    void backToWantDropsAnUntouchedReadThroughButKeepsOneWithProgress() {
        String token = TestUsers.token();
        long misclick = createBook(token, "Clicked reading by mistake", 100);
        as(token).body(Map.of("status", "reading")).post("/api/books/" + misclick + "/status").then().statusCode(200);
        as(token).body(Map.of("status", "want")).post("/api/books/" + misclick + "/status").then().statusCode(200)
                .body("status", equalTo("want")).body("currentReading", nullValue());
        as(token).get("/api/books/" + misclick + "/readings").then().body("", empty());

        long started = createBook(token, "Started, then shelved", 100);
        as(token).body(Map.of("page", 20)).post("/api/books/" + started + "/progress").then().statusCode(201);
        as(token).body(Map.of("status", "want")).post("/api/books/" + started + "/status").then().statusCode(200);
        as(token).get("/api/books/" + started + "/readings").then().body("", hasSize(1))
                .body("[0].status", equalTo("abandoned")).body("[0].progress.page", contains(20));
    }

    @Test
    void readAgainWithADateCorrectsTheFinishDate() {
        String token = TestUsers.token();
        LocalDate today = LocalDate.now(clock);
        long id = createBook(token, "Finished, date fixed later", 100);
        as(token).body(Map.of("status", "reading", "date", today.minusDays(10).toString()))
                .post("/api/books/" + id + "/status").then().statusCode(200);
        as(token).body(Map.of("status", "read")).post("/api/books/" + id + "/status").then().statusCode(200);
        as(token).body(Map.of("status", "read", "date", today.minusDays(2).toString()))
                .post("/api/books/" + id + "/status").then().statusCode(200);
        as(token).get("/api/books/" + id + "/readings").then().body("", hasSize(1))
                .body("[0].finishedOn", equalTo(today.minusDays(2).toString()));
        as(token).body(Map.of("status", "read", "date", today.minusDays(11).toString()))
                .post("/api/books/" + id + "/status").then().statusCode(400).body("errors[0].field", equalTo("date"));
    }
}
