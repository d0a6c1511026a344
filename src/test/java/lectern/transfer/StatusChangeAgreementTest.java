package lectern.transfer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static lectern.transfer.GoodreadsImportTest.book;
import static lectern.transfer.GoodreadsImportTest.importCsv;
import static lectern.transfer.StoryGraphImportTest.importStoryGraph;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A book goes back to the to-read shelf while pages were logged on its open read-through: whether the user says so
 * in Lectern or a re-imported file does, the read-through is kept as abandoned (the pages stay history) and the
 * book is wanted again. The importers once left it open.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class StatusChangeAgreementTest {

    private static final String GOODREADS_HEADER = "Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,"
            + "Average Rating,Publisher,Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,"
            + "Bookshelves,Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,"
            + "Recommended For,Recommended By,Owned Copies,Original Purchase Date,Original Purchase Location,Condition,"
            + "Condition Description,BCID\n";
    private static final String STORYGRAPH_HEADER = "Title,Authors,Contributors,ISBN/UID,Format,Read Status,Date Added,"
            + "Last Date Read,Dates Read,Read Count,Moods,Pace,Character- or Plot-Driven?,Strong Character Development?,"
            + "Loveable Characters?,Diverse Characters?,Flawed Characters?,Star Rating,Review,Content Warnings,"
            + "Content Warning Description,Tags,Owned?\n";

    private static String goodreads(String shelf) {
        return GOODREADS_HEADER + "9001,Shelved Again,Ann Writer,\"Writer, Ann\",,,,0,3.9,Press,Paperback,300,2001,2001,,"
                + "2024/01/05,,,\"" + shelf + "\",,,,0,,,0,,,,,\n";
    }

    private static String storyGraph(String status, String datesRead) {
        return STORYGRAPH_HEADER + "Graphed Again,Ben Writer,,storygraph-uid-9002,paperback," + status + ",2024/01/05,,"
                + datesRead + ",0,,,,,,,,,,,,,No\n";
    }

    @Test
    void wantWithPagesLoggedEndsTheSameFromTheApiGoodreadsAndStoryGraph() {
        String token = TestUsers.token();
        // through the API
        int api = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("title", "Changed By Hand", "status", "reading"))
                .when().post("/api/books").then().statusCode(201).extract().path("id");
        logPages(token, api);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("status", "want"))
                .when().post("/api/books/" + api + "/status").then().statusCode(200);

        // through a Goodreads file: shelved as currently reading, pages logged in Lectern, then back to to-read
        assertEquals(1, importCsv(token, goodreads("currently-reading")).getInt("created"));
        Object goodreadsId = book(token, "Shelved Again").get("id");
        logPages(token, goodreadsId);
        assertEquals(1, importCsv(token, goodreads("to-read")).getInt("updated"));

        // through a StoryGraph file, likewise
        assertEquals(1, importStoryGraph(token, storyGraph("currently-reading", "2024/01/05-")).getInt("created"));
        Object storyGraphId = book(token, "Graphed Again").get("id");
        logPages(token, storyGraphId);
        assertEquals(1, importStoryGraph(token, storyGraph("to-read", "")).getInt("updated"));

        Map<String, Object> byHand = onlyReadThrough(token, api);
        assertEquals("abandoned", byHand.get("status"));
        assertNotNull(byHand.get("finishedOn"));
        for (Object imported : List.of(goodreadsId, storyGraphId)) {
            Map<String, Object> reading = onlyReadThrough(token, imported);
            assertEquals("abandoned", reading.get("status"), "book " + imported + ": " + reading);
            assertEquals(byHand.get("finishedOn"), reading.get("finishedOn"), "book " + imported + ": " + reading);
            assertEquals("2024-01-05", reading.get("startedOn"));
        }
        for (Object id : List.of(api, goodreadsId, storyGraphId)) {
            given().auth().oauth2(token).when().get("/api/books/" + id).then().statusCode(200)
                    .body("status", org.hamcrest.Matchers.equalTo("want"));
        }
    }

    private static void logPages(String token, Object bookId) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("page", 40))
                .when().post("/api/books/" + bookId + "/progress").then().statusCode(201);
    }

    private static Map<String, Object> onlyReadThrough(String token, Object bookId) {
        List<Map<String, Object>> readings = given().auth().oauth2(token).when().get("/api/books/" + bookId + "/readings")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(1, readings.size(), readings.toString());
        return readings.get(0);
    }
}
