package lectern.transfer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import lectern.logs.LogParser;
import lectern.logs.ParsedLog;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static io.restassured.RestAssured.given;
import static lectern.transfer.GoodreadsCsvTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ObsidianVaultTest {

    private static final Map<String, String> LOGS = Map.of(
            "2026-11-28", "[ML Grind] Finished: > read the attention paper > [x] wrote the breakdown "
                    + "Have been working on: > the tokenizer Plan for today: > train the small GPT",
            "2026-11-29", "## Finished\n- chapter 3 of Dune\n- --- a dashed thought\n\n## Plan for today\n- review notes\n");

    static Map<String, String> vault(String token) throws IOException {
        byte[] zip = given().auth().oauth2(token).when().get("/api/export/obsidian").then().statusCode(200)
                .contentType("application/zip").extract().asByteArray();
        Map<String, String> files = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                files.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    @Test
    void booksPapersAndDailyNotesMakeAVault() throws IOException {
        String token = TestUsers.token();
        StoryGraphImportTest.importStoryGraph(token, fixture("storygraph-export.csv"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("title", "Attention Is All You Need", "authors", List.of("Ashish Vaswani"), "arxivId", "1706.03762"))
                .when().post("/api/papers").then().statusCode(201);
        long bert = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("title", "BERT: Pre-training of Deep Bidirectional Transformers", "arxivId", "1810.04805",
                        "doi", "10.18653/v1/N19-1423"))
                .when().post("/api/papers").then().statusCode(201).extract().jsonPath().getLong("id");
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("text", "Builds on arXiv:1706.03762 with a masked objective"))
                .when().post("/api/papers/" + bert + "/notes").then().statusCode(201);
        Object duneId = GoodreadsImportTest.book(token, "Dune").get("id");
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("text", "Fear is the mind-killer\nand so on", "kind", "quote", "page", 12))
                .when().post("/api/books/" + duneId + "/notes").then().statusCode(201);
        LOGS.forEach((date, text) -> given().auth().oauth2(token).contentType("text/plain").body(text)
                .when().put("/api/logs/" + date).then().statusCode(200));

        Map<String, String> vault = vault(token);
        assertTrue(vault.keySet().containsAll(List.of("Books/Dune.md", "Books/Good Omens.md",
                "Papers/Attention Is All You Need.md", "Papers/BERT Pre-training of Deep Bidirectional Transformers.md",
                "Daily notes/2026-11-28.md", "Daily notes/2026-11-29.md")), vault.keySet().toString());

        String dune = vault.get("Books/Dune.md");
        assertTrue(dune.startsWith("---\ntitle: \"Dune\"\nauthors:\n  - \"Frank Herbert\"\nstatus: read\nrating: 4.25\n"), dune);
        assertTrue(dune.contains("finished: 2024-06-15\n"), dune);
        assertTrue(dune.contains("tags:\n  - \"adventurous\""), dune);
        assertTrue(dune.contains("## Notes\n\n- (p. 12, quote) Fear is the mind-killer\n  and so on\n"), dune);

        String bertNote = vault.get("Papers/BERT Pre-training of Deep Bidirectional Transformers.md");
        assertTrue(bertNote.contains("arxiv: \"1810.04805\"\ndoi: \"10.18653/v1/N19-1423\""), bertNote);
        assertTrue(bertNote.contains("Builds on [[Attention Is All You Need|arXiv:1706.03762]] with a masked objective"), bertNote);
    }

    @Test
    void dailyNotesParseBackToTheSameLogs() throws IOException {
        String token = TestUsers.token();
        LOGS.forEach((date, text) -> given().auth().oauth2(token).contentType("text/plain").body(text)
                .when().put("/api/logs/" + date).then().statusCode(200));
        Map<String, String> vault = vault(token);
        String other = TestUsers.token();
        for (String date : LOGS.keySet()) {
            String daily = vault.get("Daily notes/" + date + ".md");
            Map<String, Object> stored = given().auth().oauth2(token).when().get("/api/logs/" + date).then().statusCode(200)
                    .extract().jsonPath().getMap("$");
            ParsedLog parsed = LogParser.parse(daily);
            for (String section : List.of("finished", "workingOn", "plan", "other")) {
                @SuppressWarnings("unchecked")
                List<String> texts = ((List<Map<String, Object>>) stored.getOrDefault(section, List.of())).stream()
                        .map(i -> (String) i.get("text")).toList();
                assertEquals(texts, parsed.items(lectern.logs.Section.ofField(section)), date + " " + section);
            }
            // And through the API, as a user would paste it.
            given().auth().oauth2(other).contentType("text/markdown").body(daily).when().put("/api/logs/" + date)
                    .then().statusCode(200);
            assertEquals(given().auth().oauth2(token).accept("text/markdown").when().get("/api/logs/" + date).asString(),
                    given().auth().oauth2(other).accept("text/markdown").when().get("/api/logs/" + date).asString());
        }
        assertTrue(vault.get("Daily notes/2026-11-28.md").contains("[x] wrote the breakdown"), vault.toString());
    }
}
