package lectern.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import lectern.accounts.User;
import lectern.notes.NoteKind;
import lectern.notes.NoteService;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static lectern.transfer.GoodreadsCsvTest.fixture;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class BackupTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    NoteService notes;

    private long userId(String username) {
        return QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username).orElseThrow().id);
    }

    private static JsonNode export(String token) throws Exception {
        String body = given().auth().oauth2(token).when().get("/api/export").then().statusCode(200).extract().asString();
        return JSON.readTree(body);
    }

    /** An account with something of every kind. */
    private String fullAccount() {
        TestUsers.TestUser user = TestUsers.create();
        String token = user.token();
        long owner = userId(user.username());
        GoodreadsImportTest.importCsv(token, fixture("goodreads-classic-31.csv"));
        BibtexImportTest.importBib(token, fixture("papers.bib"));

        int bookId = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("title", "Progress Book", "authors", List.of("P. Author"), "pages", 300))
                .when().post("/api/books").then().statusCode(201).extract().path("id");
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("page", 40, "date", "2026-11-01"))
                .when().post("/api/books/" + bookId + "/progress").then().statusCode(201);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("page", 95, "date", "2026-11-03"))
                .when().post("/api/books/" + bookId + "/progress").then().statusCode(201);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("rating", 3.5, "text", "Half a star off."))
                .when().put("/api/books/" + bookId + "/review").then().statusCode(200);
        notes.addToBook(owner, bookId, new NoteService.NewNote("A highlight on page 12", NoteKind.highlight, 12));
        long trashed = notes.addToBook(owner, bookId, new NoteService.NewNote("A note in the trash", NoteKind.idea, null)).id();
        given().auth().oauth2(token).when().delete("/api/notes/" + trashed).then().statusCode(204);

        int paperId = BibtexImportTest.papers(token).stream().filter(p -> "2211.17192".equals(p.get("arxivId")))
                .map(p -> (Integer) p.get("id")).findFirst().orElseThrow();
        notes.addToPaper(owner, paperId, new NoteService.NewNote("Builds on arXiv:1706.03762", NoteKind.idea, null));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("books", 52))
                .when().put("/api/goals/2026").then().statusCode(200);

        given().auth().oauth2(token).contentType("text/plain")
                .body("[ML Grind] Finished: > read the attention paper > wrote notes Have been working on: > backprop "
                        + "Plan for today: > import my Goodreads")
                .when().put("/api/logs/2026-11-02").then().statusCode(200);
        return token;
    }

    @Test
    void exportImportExportIsEqualApartFromIds() throws Exception {
        String alice = fullAccount();
        JsonNode first = export(alice);
        assertEquals(Backup.FORMAT, first.get("format").asText());
        assertEquals(Backup.FORMAT_VERSION, first.get("formatVersion").asInt());
        assertEquals(6, first.get("books").size());
        assertEquals(9, first.get("papers").size());
        assertEquals(1, first.get("logs").size());
        assertEquals(1, first.get("goals").size());
        assertTrue(first.toString().contains("\"references\":[\"1706.03762\"]"), first.toString());
        assertTrue(first.toString().contains("\"progress\":[{\"date\":\"2026-11-01\",\"page\":40},{\"date\":\"2026-11-03\",\"page\":95}]"),
                first.toString());

        String bob = TestUsers.token();
        given().auth().oauth2(bob).contentType(ContentType.JSON).body(first.toString())
                .when().post("/api/import").then().statusCode(200)
                .body("created", equalTo(6 + 9 + 1 + 1)).body("skipped", equalTo(0));
        JsonNode second = export(bob);
        assertEquals(first, second);
        // the note in the trash came along, still in the trash: Bob's notes do not list it, his backup keeps it deleted
        assertTrue(first.toString().contains("A note in the trash"), first.toString());
        assertTrue(given().auth().oauth2(bob).when().get("/api/notes").then().statusCode(200).extract().asString()
                .indexOf("A note in the trash") < 0);
        assertTrue(second.findValues("deletedAt").stream().anyMatch(v -> !v.isNull()), "kept as deleted");

        // Bob's restored library works like any other: his Goodreads import matches the restored books.
        GoodreadsImportTest.importCsv(bob, fixture("goodreads-classic-31.csv"));
        assertEquals(6, GoodreadsImportTest.books(bob).size());

        // Restoring again creates nothing new.
        given().auth().oauth2(bob).contentType(ContentType.JSON).body(first.toString())
                .when().post("/api/import").then().statusCode(200)
                .body("created", equalTo(0)).body("skipped", equalTo(17));
        assertEquals(first, export(bob));
    }

    @Test
    void storyGraphColumnsAndKindleLocationsSurviveABackup() throws Exception {
        String alice = TestUsers.token();
        StoryGraphImportTest.importStoryGraph(alice, fixture("storygraph-export.csv"));
        KindleImportTest.importKindle(alice, fixture("kindle-my-clippings.txt"));
        JsonNode backup = export(alice);
        assertTrue(backup.findValues("storygraph").stream().anyMatch(v -> !v.isNull()), "StoryGraph columns kept");
        assertTrue(backup.findValues("kindle").stream().anyMatch(v -> v.path("locationStart").isInt()), "Kindle locations kept");

        String bob = TestUsers.token();
        given().auth().oauth2(bob).contentType(ContentType.JSON).body(backup.toString())
                .when().post("/api/import").then().statusCode(200);
        assertEquals(backup, export(bob));
        // what StoryGraph gets back is the same, moods, pace and all
        assertEquals(StoryGraphImportTest.exportStoryGraph(alice), StoryGraphImportTest.exportStoryGraph(bob));
        // the clippings are known again: importing the same file adds nothing
        var again = KindleImportTest.importKindle(bob, fixture("kindle-my-clippings.txt"));
        assertEquals(0, again.getInt("created"), again.prettify());
    }

    @Test
    void badBackupsAreRefusedWholeAndNameTheField() throws Exception {
        String token = TestUsers.token();
        ObjectNode backup = (ObjectNode) JSON.readTree("{\"format\":\"lectern-backup\",\"formatVersion\":1,"
                + "\"books\":[{\"title\":\"Fine\",\"status\":\"want\"},{\"title\":\"  \",\"status\":\"read\"}]}");
        given().auth().oauth2(token).contentType(ContentType.JSON).body(backup.toString())
                .when().post("/api/import").then().statusCode(400)
                .body("errors.field", hasItem(org.hamcrest.Matchers.allOf(
                        org.hamcrest.Matchers.containsString("books"), org.hamcrest.Matchers.containsString("title"))));
        backup.put("formatVersion", 99);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(backup.toString())
                .when().post("/api/import").then().statusCode(400);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"format\":\"lectern-backup\",\"formatVersion\":1,\"books\":[{\"title\":\"X\",\"status\":\"shelved\"}]}")
                .when().post("/api/import").then().statusCode(400);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"format\":\"lectern-backup\",\"formatVersion\":1,\"books\":[{\"title\":\"X\",\"status\":\"read\","
                        + "\"readings\":[{\"startedOn\":\"2024-05-02\",\"finishedOn\":\"2024-05-01\",\"status\":\"read\"}]}]}")
                .when().post("/api/import").then().statusCode(400);
        assertEquals(0, GoodreadsImportTest.books(token).size(), "nothing of a refused backup is kept");
        given().contentType(ContentType.JSON).body("{}").when().post("/api/import").then().statusCode(401);
        given().when().get("/api/export").then().statusCode(401);
    }
}
