package lectern.it;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A book from creation to review, with read-throughs, progress, notes, a goal and the stats they add up to. */
@QuarkusIntegrationTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(OpenSignup.class)
class BooksJourneyIT {

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    @Test
    void readABookAndSeeTheStats() {
        String token = TestUsers.token();
        // The server's clock decides "today"; both run on this machine.
        String today = LocalDate.now().toString();
        int year = LocalDate.now().getYear();

        var created = as(token).body(Map.of("title", "The Hobbit", "authors", List.of("J. R. R. Tolkien"), "pages", 200,
                        "isbn13", "9780306406157", "tags", List.of("fantasy")))
                .post("/api/books").then().statusCode(201)
                .header("Location", notNullValue())
                .body("status", equalTo("want")).body("version", equalTo(0)).body("tags", contains("fantasy"))
                .extract();
        long hobbit = created.jsonPath().getLong("id");
        as(token).get(created.header("Location")).then().statusCode(200).body("title", equalTo("The Hobbit"));

        as(token).body(Map.of("status", "reading", "date", today)).post("/api/books/" + hobbit + "/status")
                .then().statusCode(200).body("status", equalTo("reading"));
        as(token).body(Map.of("page", 50, "date", today)).post("/api/books/" + hobbit + "/progress").then().statusCode(201);
        as(token).get("/api/books/" + hobbit + "/readings").then().statusCode(200)
                .body("", hasSize(1)).body("[0].startedOn", equalTo(today))
                .body("[0].progress", hasSize(1)).body("[0].progress[0].page", equalTo(50));

        long version = as(token).get("/api/books/" + hobbit).then().statusCode(200).extract().jsonPath().getLong("version");
        as(token).body(Map.of("version", version, "publisher", "Allen & Unwin")).patch("/api/books/" + hobbit)
                .then().statusCode(200).body("publisher", equalTo("Allen & Unwin"));
        as(token).body(Map.of("version", version, "publisher", "Stale")).patch("/api/books/" + hobbit)
                .then().statusCode(409).contentType("application/problem+json");

        as(token).body(Map.of("text", "Not all those who wander are lost", "kind", "quote", "page", 42))
                .post("/api/books/" + hobbit + "/notes").then().statusCode(201);
        as(token).get("/api/books/" + hobbit + "/notes").then().statusCode(200)
                .body("kind", contains("quote")).body("[0].page", equalTo(42));

        long dune = as(token).body(Map.of("title", "Dune", "pages", 600)).post("/api/books").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        as(token).body(Map.of("status", "reading", "date", today)).post("/api/books/" + dune + "/status").then().statusCode(200);
        as(token).body(Map.of("status", "read", "date", today)).post("/api/books/" + dune + "/status")
                .then().statusCode(200).body("status", equalTo("read"));
        as(token).body(Map.of("rating", 4.5, "text", "Spice.")).put("/api/books/" + dune + "/review")
                .then().statusCode(200).body("rating", equalTo(4.5f));
        as(token).get("/api/books/" + dune + "/review").then().statusCode(200).body("text", equalTo("Spice."));

        as(token).get("/api/books?status=reading").then().statusCode(200).body("id", contains((int) hobbit));
        as(token).get("/api/books").then().statusCode(200).header("X-Total-Count", "2");

        as(token).body(Map.of("books", 12)).put("/api/goals/" + year).then().statusCode(200).body("books", equalTo(12));
        JsonPath stats = as(token).get("/api/stats?year=" + year).then().statusCode(200).extract().jsonPath();
        assertEquals(1, stats.getInt("booksRead"));
        assertEquals(12, stats.getInt("goal"));
        assertEquals(50, stats.getInt("pagesRead"));
        List<Map<String, Object>> reading = stats.getList("currentlyReading");
        assertEquals(1, reading.size());
        assertEquals("The Hobbit", reading.get(0).get("title"));
        assertEquals(25.0, ((Number) reading.get(0).get("percent")).doubleValue(), 1e-9);

        as(token).delete("/api/books/" + dune).then().statusCode(204);
        as(token).get("/api/books/" + dune).then().statusCode(404);
    }

    @Test
    void refusals() {
        String token = TestUsers.token();
        long id = as(token).body(Map.of("title", "Mine", "pages", 100)).post("/api/books").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        as(token).body(Map.of("title", "T", "status", "finished")).post("/api/books").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("status"));
        as(token).body(Map.of("title", " ", "pages", 0)).post("/api/books").then().statusCode(400)
                .body("errors.field", hasItem("title")).body("errors.field", hasItem("pages"));
        as(token).body(Map.of("page", 101)).post("/api/books/" + id + "/progress").then().statusCode(400)
                .body("errors[0].field", equalTo("page"));
        as(token).get("/api/books?status=someday").then().statusCode(400).body("errors[0].field", equalTo("status"));
        as(TestUsers.token()).get("/api/books/" + id).then().statusCode(404);
        given().get("/api/books").then().statusCode(401);
    }
}
