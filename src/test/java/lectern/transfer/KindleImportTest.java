package lectern.transfer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static lectern.transfer.GoodreadsCsvTest.fixture;
import static lectern.transfer.GoodreadsImportTest.book;
import static lectern.transfer.GoodreadsImportTest.books;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class KindleImportTest {

    static JsonPath importKindle(String token, String text) {
        return given().auth().oauth2(token).contentType("text/plain; charset=UTF-8").body(text.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/import/kindle").then().statusCode(200).extract().jsonPath();
    }

    private static List<Map<String, Object>> notes(String token, Object bookId) {
        return given().auth().oauth2(token).when().get("/api/books/" + bookId + "/notes").then().statusCode(200)
                .extract().jsonPath().getList("$");
    }

    @Test
    void highlightsAndNotesLandOnTheirBooksOnce() {
        String token = TestUsers.token();
        // Lectern has Dune already, without the Kindle's series suffix: the clippings go to it.
        long duneId = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("title", "Dune", "authors", List.of("Frank Herbert")))
                .when().post("/api/books").then().statusCode(201).extract().jsonPath().getLong("id");

        JsonPath result = importKindle(token, fixture("kindle-my-clippings.txt"));
        assertEquals(4, result.getInt("created"), result.prettify());
        assertEquals(2, result.getInt("skipped"), "the bookmark and the first version of the extended highlight");
        assertEquals(List.of(31, 36), result.getList("failed.line", Integer.class));

        List<Map<String, Object>> dune = notes(token, duneId);
        assertEquals(2, dune.size(), dune.toString());
        assertEquals("highlight", dune.get(0).get("kind"));
        assertEquals(12, dune.get(0).get("page"));
        assertTrue(((String) dune.get(0).get("text")).endsWith("total obliteration."), "the later, longer version");
        assertTrue(((String) dune.get(0).get("createdAt")).startsWith("2020-03-03"), "dated the day it was highlighted");
        assertEquals("idea", dune.get(1).get("kind"), "a note typed on the Kindle is the reader's own idea");
        assertEquals("Remember the litany before exams.", dune.get(1).get("text"));

        Map<String, Object> craft = book(token, "The Pragmatic Programmer: From Journeyman to Master");
        assertEquals(List.of("Andrew Hunt", "David Thomas"), craft.get("authors"));
        assertEquals("want", craft.get("status"));
        assertEquals("Care about your craft.", notes(token, craft.get("id")).get(0).get("text"));
        Map<String, Object> personal = book(token, "lectern-design-notes");
        assertEquals(List.of(), personal.get("authors"));
        assertEquals(3, notes(token, personal.get("id")).get(0).get("page"));
        assertEquals(3, books(token).size(), "Dune, the Pragmatic Programmer and the personal document");

        JsonPath again = importKindle(token, fixture("kindle-my-clippings.txt"));
        assertEquals(0, again.getInt("created"), again.prettify());
        assertEquals(0, again.getInt("updated"));
        assertEquals(6, again.getInt("skipped"), again.prettify());
        assertEquals(2, notes(token, duneId).size());
    }

    @Test
    void aHighlightExtendedSinceTheLastImportUpdatesItsNote() {
        String token = TestUsers.token();
        importKindle(token, fixture("kindle-my-clippings.txt"));
        String later = fixture("kindle-my-clippings.txt") + "\uFEFFDune (Dune Chronicles Book 1) (Frank Herbert)\r\n"
                + "- Your Highlight on page 12 | Location 170-176 | Added on Friday, 6 March 2020 20:00:00\r\n\r\n"
                + "I must not fear. Fear is the mind-killer. Fear is the little-death that brings total obliteration. "
                + "I will face my fear.\r\n==========\r\n";
        JsonPath result = importKindle(token, later);
        assertEquals(0, result.getInt("created"));
        assertEquals(1, result.getInt("updated"));
        Object duneId = book(token, "Dune (Dune Chronicles Book 1)").get("id");
        List<Map<String, Object>> dune = notes(token, duneId);
        assertEquals(2, dune.size());
        assertTrue(dune.stream().anyMatch(n -> ((String) n.get("text")).endsWith("I will face my fear.")), dune.toString());
    }

    @Test
    void aNoteDeletedInLecternStaysDeleted() {
        String token = TestUsers.token();
        importKindle(token, fixture("kindle-my-clippings.txt"));
        Object bookId = book(token, "lectern-design-notes").get("id");
        Object noteId = notes(token, bookId).get(0).get("id");
        given().auth().oauth2(token).when().delete("/api/notes/" + noteId).then().statusCode(204);
        assertEquals(0, importKindle(token, fixture("kindle-my-clippings.txt")).getInt("created"));
        assertEquals(List.of(), notes(token, bookId));
    }

    @Test
    void anotherUsersBooksAreNeverMatched() {
        String owner = TestUsers.token();
        given().auth().oauth2(owner).contentType(ContentType.JSON)
                .body(Map.of("title", "Dune", "authors", List.of("Frank Herbert")))
                .when().post("/api/books").then().statusCode(201);
        String other = TestUsers.token();
        importKindle(other, fixture("kindle-my-clippings.txt"));
        assertEquals(1, books(owner).size());
        assertEquals(List.of(), notes(owner, books(owner).get(0).get("id")));
    }
}
