package lectern.notes;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import lectern.api.ProblemException;
import lectern.notes.NoteService.NewNote;
import lectern.notes.NoteService.NoteView;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import lectern.support.TestUsers.TestUser;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class NotesTest {

    @Inject
    NoteService notes;

    @Inject
    EntityManager entityManager;

    private long idOf(TestUser user) {
        return given().auth().oauth2(user.token()).get("/api/auth/me").then().extract().jsonPath().getLong("id");
    }

    private static long bookOf(TestUser user) {
        return given().auth().oauth2(user.token()).contentType(ContentType.JSON).body(Map.of("title", "Science and Sanity"))
                .post("/api/books").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static long paperOf(TestUser user) {
        return given().auth().oauth2(user.token()).contentType(ContentType.JSON).body(Map.of("title", "Attention Is All You Need"))
                .post("/api/papers").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void notesOfABookInOrderAndSearchable() {
        TestUser user = TestUsers.create();
        long owner = idOf(user);
        long book = bookOf(user);
        long paper = paperOf(user);
        NoteView first = notes.addToBook(owner, book, new NewNote("  The map is not the territory ", NoteKind.quote, 12));
        notes.addToBook(owner, book, new NewNote("Apply spaced repetition to papers", NoteKind.application, null));
        notes.addToPaper(owner, paper, new NewNote("Attention is a soft dictionary lookup", null, null));

        assertEquals("The map is not the territory", first.text());
        assertEquals("quote", first.kind());
        assertEquals(2, notes.forBook(owner, book).size());
        assertEquals("idea", notes.forPaper(owner, paper).get(0).kind());

        given().auth().oauth2(user.token()).queryParam("q", "TERRITORY").get("/api/notes")
                .then().statusCode(200).body("$", hasSize(1)).body("[0].page", equalTo(12));
        given().auth().oauth2(user.token()).queryParam("kind", "application").get("/api/notes")
                .then().statusCode(200).body("$", hasSize(1));
        given().auth().oauth2(user.token()).queryParam("kind", "doodle").get("/api/notes").then().statusCode(400);
        given().auth().oauth2(user.token()).queryParam("limit", "1").queryParam("offset", "1").get("/api/notes")
                .then().statusCode(200).body("$", hasSize(1)).body("[0].kind", equalTo("application"))
                .header("X-Total-Count", "3");
        given().auth().oauth2(user.token()).queryParam("q", "map").queryParam("limit", "1").get("/api/notes")
                .then().statusCode(200).header("X-Total-Count", "1");
        given().auth().oauth2(user.token()).queryParam("q", "100%").get("/api/notes")
                .then().statusCode(200).body("$", hasSize(0)).header("X-Total-Count", "0");
        for (String list : new String[] {"/api/notes", "/api/books", "/api/papers"}) {
            given().auth().oauth2(user.token()).queryParam("limit", "lots").get(list)
                    .then().statusCode(400).body("errors[0].field", equalTo("limit"));
        }
    }

    @Test
    void blankOrHugeTextIsRefusedByName() {
        var e = assertThrows(ProblemException.class, () -> notes.addToBook(1, 1, new NewNote(" ", null, null)));
        assertEquals("text", e.problem().errors().get(0).field());
        e = assertThrows(ProblemException.class, () -> notes.addToBook(1, 1, new NewNote("x".repeat(20_001), null, null)));
        assertEquals("text", e.problem().errors().get(0).field());
        e = assertThrows(ProblemException.class, () -> notes.addToBook(1, 1, new NewNote("fine", null, -3)));
        assertEquals("page", e.problem().errors().get(0).field());
    }

    @Test
    void userLabelEditDeleteRestore() {
        TestUser user = TestUsers.create();
        NoteView note = notes.addToBook(idOf(user), bookOf(user), new NewNote("Read chapter 3 of the course", NoteKind.idea, null));
        String path = "/api/notes/" + note.id();

        given().auth().oauth2(user.token()).contentType(ContentType.JSON).body(Map.of("label", "Course"))
                .patch(path).then().statusCode(200).body("label", equalTo("course")).body("userLabel", equalTo(true));
        given().auth().oauth2(user.token()).contentType(ContentType.JSON).body(Map.of("label", "two words"))
                .patch(path).then().statusCode(400).body("errors[0].field", equalTo("label"));

        long version = given().auth().oauth2(user.token()).get(path).then().extract().jsonPath().getLong("version");
        given().auth().oauth2(user.token()).contentType(ContentType.JSON).body(Map.of("version", version, "text", "Read chapter 4"))
                .patch(path).then().statusCode(200).body("text", equalTo("Read chapter 4"));
        given().auth().oauth2(user.token()).contentType(ContentType.JSON).body(Map.of("version", version, "text", "stale edit"))
                .patch(path).then().statusCode(409).contentType("application/problem+json");

        given().auth().oauth2(user.token()).delete(path).then().statusCode(204);
        given().auth().oauth2(user.token()).get(path).then().statusCode(404);
        given().auth().oauth2(user.token()).post(path + "/restore").then().statusCode(200).body("text", equalTo("Read chapter 4"));
        given().auth().oauth2(user.token()).contentType(ContentType.JSON).body("{\"label\": null}")
                .patch(path).then().statusCode(200).body("label", nullValue()).body("userLabel", equalTo(false));
    }

    @Test
    void anotherUsersNoteIsNotFound() {
        TestUser alice = TestUsers.create();
        TestUser bob = TestUsers.create();
        NoteView note = notes.addToBook(idOf(alice), bookOf(alice), new NewNote("private thought", null, null));
        given().auth().oauth2(bob.token()).get("/api/notes/" + note.id()).then().statusCode(404);
        given().auth().oauth2(bob.token()).contentType(ContentType.JSON).body(Map.of("label", "book"))
                .patch("/api/notes/" + note.id()).then().statusCode(404);
        given().auth().oauth2(bob.token()).delete("/api/notes/" + note.id()).then().statusCode(404);
        given().auth().oauth2(bob.token()).queryParam("q", "private").get("/api/notes").then().body("$", hasSize(0));
    }
}
