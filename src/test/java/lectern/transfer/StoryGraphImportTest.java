package lectern.transfer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static lectern.transfer.GoodreadsCsvTest.fixture;
import static lectern.transfer.GoodreadsImportTest.book;
import static lectern.transfer.GoodreadsImportTest.books;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class StoryGraphImportTest {

    static JsonPath importStoryGraph(String token, String csv) {
        return given().auth().oauth2(token).contentType("text/csv; charset=UTF-8").body(csv.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/import/storygraph").then().statusCode(200).extract().jsonPath();
    }

    static String exportStoryGraph(String token) {
        return given().auth().oauth2(token).when().get("/api/export/storygraph")
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
    }

    private static List<Map<String, Object>> readings(String token, Object bookId) {
        return given().auth().oauth2(token).when().get("/api/books/" + bookId + "/readings").then().statusCode(200)
                .extract().jsonPath().getList("$");
    }

    @Test
    void everyRowImportsWithAuthorsStatusExactRatingReadThroughsAndTags() {
        String token = TestUsers.token();
        JsonPath result = importStoryGraph(token, fixture("storygraph-export.csv"));
        assertEquals(7, result.getInt("created"));
        assertEquals(List.of(), result.getList("failed"));

        Map<String, Object> dune = book(token, "Dune");
        assertEquals("read", dune.get("status"));
        assertEquals(List.of("Frank Herbert"), dune.get("authors"));
        assertEquals("9780441013593", dune.get("isbn13"));
        assertEquals(List.of("adventurous", "challenging", "reflective", "slow-paced", "sci-fi", "classics"), dune.get("tags"));
        given().auth().oauth2(token).when().get("/api/books/" + dune.get("id") + "/review").then().statusCode(200)
                .body("rating", equalTo(4.25f), "text", equalTo("A desert planet, and the spice.\nBetter the second time."));
        List<Map<String, Object>> duneReads = readings(token, dune.get("id"));
        assertEquals(2, duneReads.size(), "one read-through per Dates Read range");
        assertTrue(duneReads.stream().allMatch(r -> "read".equals(r.get("status"))));
        assertTrue(duneReads.stream().anyMatch(r -> "2023-01-05".equals(r.get("startedOn")) && "2023-01-20".equals(r.get("finishedOn"))));
        assertTrue(duneReads.stream().anyMatch(r -> "2024-06-01".equals(r.get("startedOn")) && "2024-06-15".equals(r.get("finishedOn"))));

        Map<String, Object> omens = book(token, "Good Omens");
        assertEquals(List.of("Terry Pratchett", "Neil Gaiman"), omens.get("authors"), "the narrator is a contributor, not an author");
        assertEquals(3.75, ((Number) omens.get("rating")).doubleValue());

        assertEquals("reading", book(token, "The Name of the Wind").get("status"));
        List<Map<String, Object>> wind = readings(token, book(token, "The Name of the Wind").get("id"));
        assertEquals(1, wind.size());
        assertEquals("2024-05-01", wind.get(0).get("startedOn"), "no range: started the day it was shelved");
        List<Map<String, Object>> hailMary = readings(token, book(token, "Project Hail Mary").get("id"));
        assertEquals("2024-06-20", hailMary.get(0).get("startedOn"));
        assertEquals("reading", hailMary.get(0).get("status"));

        Map<String, Object> jest = book(token, "Infinite Jest");
        assertEquals("abandoned", jest.get("status"), "did-not-finish");
        assertEquals("abandoned", readings(token, jest.get("id")).get(0).get("status"));
        List<Map<String, Object>> jestNotes = given().auth().oauth2(token).when().get("/api/books/" + jest.get("id") + "/notes")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals("Too long for now.", jestNotes.get(0).get("text"), "a review without stars is kept as a note");

        assertEquals("want", book(token, "Piranesi").get("status"));
        List<Map<String, Object>> hobbit = readings(token, book(token, "The Hobbit").get("id"));
        assertEquals("2019-08-20", hobbit.get(0).get("finishedOn"), "no range: read on the Last Date Read");
        assertEquals(5.0, ((Number) book(token, "The Hobbit").get("rating")).doubleValue());
    }

    @Test
    void importingTheSameFileAgainCreatesNothing() {
        String token = TestUsers.token();
        importStoryGraph(token, fixture("storygraph-export.csv"));
        String before = exportStoryGraph(token);
        JsonPath again = importStoryGraph(token, fixture("storygraph-export.csv"));
        assertEquals(0, again.getInt("created"));
        assertEquals(0, again.getInt("updated"));
        assertEquals(7, again.getInt("skipped"));
        assertEquals(7, books(token).size());
        assertEquals(before, exportStoryGraph(token));
    }

    @Test
    void exportThenImportGivesTheSameLibrary() {
        String first = TestUsers.token();
        importStoryGraph(first, fixture("storygraph-export.csv"));
        String exported = exportStoryGraph(first);
        assertTrue(exported.startsWith(String.join(",", StoryGraphCsv.COLUMNS) + "\n"), "StoryGraph's own columns");
        assertTrue(exported.contains(",4.25,"), "the exact rating");

        String second = TestUsers.token();
        JsonPath result = importStoryGraph(second, exported);
        assertEquals(7, result.getInt("created"));
        assertEquals(List.of(), result.getList("failed"));
        assertEquals(library(first), library(second));
        assertEquals(exported, exportStoryGraph(second));
    }

    /** What a reader sees of each book: fields, rating, review and read-throughs, by title. */
    private static Map<String, Object> library(String token) {
        Map<String, Object> library = new TreeMap<>();
        for (Map<String, Object> b : books(token)) {
            List<Object> readThroughs = new ArrayList<>();
            for (Map<String, Object> r : readings(token, b.get("id"))) {
                readThroughs.add(List.of(String.valueOf(r.get("startedOn")), String.valueOf(r.get("finishedOn")), r.get("status")));
            }
            readThroughs.sort(java.util.Comparator.comparing(Object::toString));
            library.put((String) b.get("title"), List.of(b.get("authors"), String.valueOf(b.get("isbn13")), b.get("status"),
                    String.valueOf(b.get("rating")), b.get("tags"), readThroughs));
        }
        return library;
    }

    @Test
    void badRowsAreReportedAndCostNoGoodOne() {
        String token = TestUsers.token();
        JsonPath result = importStoryGraph(token, fixture("storygraph-bad-rows.csv"));
        assertEquals(2, result.getInt("created"));
        assertEquals(List.of(3, 4, 5), result.getList("failed.row", Integer.class));
        assertEquals(4.5, ((Number) book(token, "Good Book One").get("rating")).doubleValue());
    }

    @Test
    void aBookEditedInLecternIsNotOverwrittenByALaterImport() {
        String token = TestUsers.token();
        importStoryGraph(token, fixture("storygraph-export.csv"));
        Map<String, Object> dune = book(token, "Dune");
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("version", dune.get("version"), "title", "Dune (my copy)"))
                .when().patch("/api/books/" + dune.get("id")).then().statusCode(200);
        JsonPath again = importStoryGraph(token, fixture("storygraph-export.csv"));
        assertEquals(0, again.getInt("created"), "matched by its ISBN/UID");
        assertEquals("Dune (my copy)", given().auth().oauth2(token).when().get("/api/books/" + dune.get("id"))
                .then().extract().path("title"));
    }

    @Test
    void goodreadsAndStoryGraphFilesAreRefusedByEachOthersImporter() {
        String token = TestUsers.token();
        given().auth().oauth2(token).contentType("text/csv").body(fixture("goodreads-classic-31.csv"))
                .when().post("/api/import/storygraph").then().statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("detail", allOf(containsString("looks like a Goodreads export"), containsString("use /api/import/goodreads")));
        given().auth().oauth2(token).contentType("text/csv").body(fixture("storygraph-export.csv"))
                .when().post("/api/import/goodreads").then().statusCode(400)
                .body("detail", allOf(containsString("looks like a StoryGraph export"), containsString("use /api/import/storygraph")));
        given().auth().oauth2(token).contentType("text/plain").body(fixture("kindle-my-clippings.txt"))
                .when().post("/api/import/bibtex").then().statusCode(400)
                .body("detail", containsString("use /api/import/kindle"));
        given().auth().oauth2(token).contentType("text/plain").body(fixture("papers.bib"))
                .when().post("/api/import/kindle").then().statusCode(400)
                .body("detail", containsString("use /api/import/bibtex"));
        given().auth().oauth2(token).contentType("text/csv").body(fixture("goodreads-classic-31.csv"))
                .when().post("/api/import").then().statusCode(400)
                .body("detail", containsString("use /api/import/goodreads"));
        assertEquals(0, books(token).size(), "nothing was half-read");
    }

    @Test
    void detectNamesTheFormatAndWhereToSendIt() {
        String token = TestUsers.token();
        given().auth().oauth2(token).contentType("text/csv").body(fixture("storygraph-export.csv"))
                .when().post("/api/import/detect").then().statusCode(200)
                .body("format", equalTo("storygraph"), "endpoint", equalTo("/api/import/storygraph"));
        given().auth().oauth2(token).contentType("text/plain").body(fixture("kindle-my-clippings.txt"))
                .when().post("/api/import/detect").then().statusCode(200).body("format", equalTo("kindle"));
        given().auth().oauth2(token).contentType("text/plain").body("a shopping list")
                .when().post("/api/import/detect").then().statusCode(400).body("detail", containsString("StoryGraph"));
    }
}
