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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class GoodreadsImportTest {

    static JsonPath importCsv(String token, String csv) {
        return given().auth().oauth2(token).contentType("text/csv; charset=UTF-8").body(csv.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/import/goodreads").then().statusCode(200).extract().jsonPath();
    }

    static List<Map<String, Object>> books(String token) {
        return given().auth().oauth2(token).queryParam("limit", 200).when().get("/api/books")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    static Map<String, Object> book(String token, String title) {
        return books(token).stream().filter(b -> title.equals(b.get("title"))).findFirst()
                .orElseThrow(() -> new AssertionError("no book " + title));
    }

    static String exportCsv(String token) {
        return given().auth().oauth2(token).when().get("/api/export/goodreads")
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
    }

    @Test
    void classicExportImportsEveryQuirk() {
        String token = TestUsers.token();
        JsonPath result = importCsv(token, fixture("goodreads-classic-31.csv"));
        assertEquals(5, result.getInt("created"));
        assertEquals(0, result.getInt("updated"));
        assertEquals(List.of(), result.getList("failed"));

        Map<String, Object> narnia = book(token, "The Voyage of the \"Dawn Treader\" (Chronicles of Narnia, #3)");
        assertEquals("read", narnia.get("status"));
        assertEquals("9780064405027", narnia.get("isbn13"));
        assertEquals(List.of("C.S. Lewis", "Pauline Baynes"), narnia.get("authors"));
        assertEquals(List.of("fantasy"), narnia.get("tags"));
        assertEquals(1952, narnia.get("year"), "the work's year, not the edition's");
        assertEquals(256, narnia.get("pages"));
        int narniaId = (Integer) narnia.get("id");
        given().auth().oauth2(token).when().get("/api/books/" + narniaId + "/review").then().statusCode(200)
                .body("rating", equalTo(4.0f))
                .body("text", containsString("after The Lion, the Witch and the Wardrobe and it was \"better\" than I remembered.\n\n"
                        + "The sea voyage chapters drag a little, but the ending is lovely."));
        given().auth().oauth2(token).when().get("/api/books/" + narniaId + "/readings").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].status", equalTo("read"))
                .body("[0].finishedOn", equalTo("2020-10-25"));

        Map<String, Object> arabic = book(token, "مذكرات عبد أمريكي");
        assertEquals("reading", arabic.get("status"));
        assertNull(arabic.get("isbn13"), "9770920462 has a wrong check digit: the book comes in without it");
        assertEquals(List.of("Frederick Douglass", "فريدريك دوجلاس", "إبراهيم عبد المجيد"), arabic.get("authors"));

        assertEquals("read", book(token, "Hōjōki: Visions of a Torn World").get("status"));
        assertEquals("want", book(token, "It Walks by Night").get("status"));
        Map<String, Object> gaveUp = book(token, "Gave Up On This One");
        assertEquals("abandoned", gaveUp.get("status"));
        assertEquals(List.of("literature"), gaveUp.get("tags"));
    }

    @Test
    void importingTheSameFileAgainCreatesNothing() {
        String token = TestUsers.token();
        importCsv(token, fixture("goodreads-classic-31.csv"));
        String before = exportCsv(token);
        JsonPath again = importCsv(token, fixture("goodreads-classic-31.csv"));
        assertEquals(0, again.getInt("created"));
        assertEquals(0, again.getInt("updated"));
        assertEquals(5, again.getInt("skipped"));
        assertEquals(5, books(token).size());
        assertEquals(before, exportCsv(token));
    }

    @Test
    void otherLayoutsImport() {
        String token = TestUsers.token();
        JsonPath padded = importCsv(token, fixture("goodreads-newest-23-padded.csv"));
        assertEquals(2, padded.getInt("created"));
        assertEquals(List.of(), padded.getList("failed"));
        Map<String, Object> raintree = book(token, "Raintree County");
        assertEquals("9780140236668", raintree.get("isbn13"));
        assertEquals(1088, raintree.get("pages"));
        assertEquals("Penguin Books", raintree.get("publisher"));

        JsonPath noHeader = importCsv(token, fixture("goodreads-no-header-24.csv"));
        assertEquals(2, noHeader.getInt("created"));
        assertEquals("reading", book(token, "Village Christmas: And Other Notes on the English Year (Penguin Modern Classics)")
                .get("status"));
        int poems = (Integer) book(token, "A Poem for Every Autumn Day").get("id");
        given().auth().oauth2(token).when().get("/api/books/" + poems + "/review").then().statusCode(200)
                .body("rating", equalTo(2.0f))
                .body("text", equalTo("This was fine.\n\nGoing to try the winter one next."));
    }

    @Test
    void badRowsAreReportedAndTheRestImports() {
        String token = TestUsers.token();
        JsonPath result = importCsv(token, fixture("goodreads-bad-rows.csv"));
        assertEquals(2, result.getInt("created"));
        assertEquals(List.of(3, 4, 5, 6, 7), result.getList("failed.row"));
        assertTrue(result.getString("failed[0].message").contains("seven"), result.getString("failed[0].message"));
        assertEquals(2, books(token).size());
    }

    @Test
    void notAGoodreadsFileIsRefusedAsAWhole() {
        String token = TestUsers.token();
        given().auth().oauth2(token).contentType("text/csv").body("name,age\nann,3\n")
                .when().post("/api/import/goodreads").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("no header row"));
        given().auth().oauth2(token).contentType("text/csv").body("")
                .when().post("/api/import/goodreads").then().statusCode(400);
        given().contentType("text/csv").body(fixture("goodreads-no-header-24.csv"))
                .when().post("/api/import/goodreads").then().statusCode(401);
    }

    @Test
    void multipartUploadWorks() {
        String token = TestUsers.token();
        given().auth().oauth2(token)
                .multiPart("file", "goodreads_library_export.csv", fixture("goodreads-no-header-24.csv").getBytes(StandardCharsets.UTF_8), "text/csv")
                .when().post("/api/import/goodreads").then().statusCode(200).body("created", equalTo(2));
    }

    @Test
    void editsMadeInLecternAreNeverOverwritten() {
        String token = TestUsers.token();
        importCsv(token, fixture("goodreads-newest-23-padded.csv"));
        Map<String, Object> raintree = book(token, "Raintree County");
        int id = (Integer) raintree.get("id");
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("version", raintree.get("version"), "title", "Raintree County (my copy)", "pages", 1066))
                .when().patch("/api/books/" + id).then().statusCode(200);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("rating", 5))
                .when().put("/api/books/" + id + "/review").then().statusCode(200);

        // Goodreads changed too: a new rating, and the other book was read meanwhile.
        String changed = fixture("goodreads-newest-23-padded.csv")
                .replace("         3, Penguin Books", "         2, Penguin Books")
                .replace("          , 2024/02/11, history     , history (#1)              , to-read        ,",
                        "2024/05/01, 2024/02/11, history     , history (#1)              , read           ,");
        JsonPath result = importCsv(token, changed);
        assertEquals(0, result.getInt("created"));
        assertEquals(List.of(), result.getList("failed"));
        assertEquals(1, result.getInt("updated"), "the untouched book follows Goodreads");

        Map<String, Object> mine = books(token).stream().filter(b -> ((Integer) b.get("id")) == id).findFirst().orElseThrow();
        assertEquals("Raintree County (my copy)", mine.get("title"));
        assertEquals(1066, mine.get("pages"));
        given().auth().oauth2(token).when().get("/api/books/" + id + "/review").then().body("rating", equalTo(5.0f));
        Map<String, Object> boat = book(token, "The Boys in the Boat: Nine Americans, and Their Quest");
        assertEquals("read", boat.get("status"));
        given().auth().oauth2(token).when().get("/api/books/" + boat.get("id") + "/readings").then()
                .body("[0].finishedOn", equalTo("2024-05-01"));
    }

    @Test
    void aBookDeletedAfterImportStaysDeleted() {
        String token = TestUsers.token();
        importCsv(token, fixture("goodreads-newest-23-padded.csv"));
        int id = (Integer) book(token, "Raintree County").get("id");
        given().auth().oauth2(token).when().delete("/api/books/" + id).then().statusCode(204);
        JsonPath again = importCsv(token, fixture("goodreads-newest-23-padded.csv"));
        assertEquals(0, again.getInt("created"));
        assertEquals(1, books(token).size());
    }

    @Test
    void booksLecternHadAreMatchedByIsbnOrTitleAndOnlyCompleted() {
        String token = TestUsers.token();
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("title", "Raintree County", "authors", List.of("Ross Lockridge Jr."), "status", "reading"))
                .when().post("/api/books").then().statusCode(201);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("title", "Boys in the Boat", "isbn13", "9780670025817"))
                .when().post("/api/books").then().statusCode(201);
        JsonPath result = importCsv(token, fixture("goodreads-newest-23-padded.csv"));
        assertEquals(0, result.getInt("created"));
        assertEquals(2, result.getInt("updated"));
        Map<String, Object> raintree = book(token, "Raintree County");
        assertEquals("reading", raintree.get("status"), "Lectern's status stands");
        assertEquals(1088, raintree.get("pages"), "a blank is filled");
        assertEquals("Boys in the Boat", book(token, "Boys in the Boat").get("title"));
    }

    @Test
    void exportRoundTripsIntoAnotherAccount() {
        String alice = TestUsers.token();
        importCsv(alice, fixture("goodreads-classic-31.csv"));
        given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("title", "Made in Lectern, with a comma", "authors", List.of("Zed Writer", "Second Author"),
                        "isbn13", "9780140236668", "pages", 321, "tags", List.of("sci fi", "2024"), "status", "paused"))
                .when().post("/api/books").then().statusCode(201);
        String aliceCsv = exportCsv(alice);
        assertTrue(aliceCsv.startsWith("Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Publisher,"),
                aliceCsv);
        assertTrue(aliceCsv.contains("\"=\"\"014023666X\"\"\""), "ISBN-10 derived, in Goodreads' formula form");
        assertTrue(aliceCsv.contains("<br/>"), "line breaks go back to <br/>");

        String bob = TestUsers.token();
        JsonPath result = importCsv(bob, aliceCsv);
        assertEquals(6, result.getInt("created"));
        assertEquals(List.of(), result.getList("failed"));
        assertEquals(aliceCsv, exportCsv(bob));
        assertEquals("paused", book(bob, "Made in Lectern, with a comma").get("status"));

        // Isolation: each account sees only its own books, and Bob's import matched none of Alice's.
        assertEquals(6, books(alice).size());
        assertEquals(6, books(bob).size());
        assertFalse(books(bob).stream().anyMatch(b -> books(alice).stream().anyMatch(a -> a.get("id").equals(b.get("id")))));
    }
}
