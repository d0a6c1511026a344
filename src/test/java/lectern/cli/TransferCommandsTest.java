package lectern.cli;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** import and export from the command line against the running test server. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class TransferCommandsTest {

    @TestHTTPResource("/")
    URL server;

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = LecternCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    Path fixture(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/lectern/transfer/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }

    static List<Map<String, Object>> books(String token) {
        return given().auth().oauth2(token).queryParam("limit", 200).when().get("/api/books")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    @Test
    void importsAGoodreadsCsvAndPrintsTheReport() throws IOException {
        String token = TestUsers.token();
        Result result = cli("import", "--server", server.toString(), "--token", token,
                fixture("goodreads-classic-31.csv").toString());
        assertEquals(0, result.exit(), result.err());
        assertEquals("created 5, updated 0, skipped 0", result.out().strip());
        List<Map<String, Object>> books = books(token);
        assertEquals(5, books.size());
        assertTrue(books.stream().anyMatch(b -> "It Walks by Night".equals(b.get("title"))), books.toString());

        Result again = cli("import", "--server", server.toString(), "--token", token, "--format", "goodreads",
                dir.resolve("goodreads-classic-31.csv").toString());
        assertEquals(0, again.exit(), again.err());
        assertEquals("created 0, updated 0, skipped 5", again.out().strip(), "an unchanged file changes nothing");
    }

    @Test
    void printsEachFailedRow() throws IOException {
        String token = TestUsers.token();
        Result result = cli("import", "--server", server.toString(), "--token", token,
                fixture("goodreads-bad-rows.csv").toString());
        assertEquals(0, result.exit(), result.err());
        assertTrue(result.out().contains("failed "), result.out());
        assertTrue(result.out().contains("  row "), result.out());
    }

    @Test
    void exportsGoodreadsAndBackup() throws IOException {
        String token = TestUsers.token();
        assertEquals(0, cli("import", "--server", server.toString(), "--token", token,
                fixture("goodreads-classic-31.csv").toString()).exit());

        Path csv = dir.resolve("out/library.csv");
        Result goodreads = cli("export", "--server", server.toString(), "--token", token, "--format", "goodreads",
                "--out", csv.toString());
        assertEquals(0, goodreads.exit(), goodreads.err());
        assertTrue(goodreads.out().startsWith("wrote "), goodreads.out());
        String text = Files.readString(csv, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("Book Id,Title,Author"), text);
        assertTrue(text.contains("It Walks by Night"), text);
        assertTrue(text.contains("Kamo no Chōmei"), text);

        Path json = dir.resolve("backup.json");
        Result backup = cli("export", "--server", server.toString(), "--token", token, "--out", json.toString());
        assertEquals(0, backup.exit(), backup.err());
        String backupText = Files.readString(json, StandardCharsets.UTF_8);
        assertTrue(backupText.startsWith("{"), backupText);
        assertTrue(backupText.contains("\"books\""), backupText);
        assertTrue(backupText.contains("It Walks by Night"), backupText);

        // the backup goes back in through import (format from the extension) into a fresh account
        String other = TestUsers.token();
        Result restore = cli("import", "--server", server.toString(), "--token", other, json.toString());
        assertEquals(0, restore.exit(), restore.err());
        assertEquals(5, books(other).size(), restore.out());
    }

    @Test
    void everyFormatIsRecognizedFromItsContentWhateverTheFileIsCalled() throws IOException {
        String token = TestUsers.token();
        // Names that say nothing: the content decides.
        Path storyGraph = Files.move(fixture("storygraph-export.csv"), dir.resolve("export-1.txt"));
        Result imported = cli("import", "--server", server.toString(), "--token", token, storyGraph.toString());
        assertEquals(0, imported.exit(), imported.err());
        assertTrue(imported.err().contains("is a StoryGraph export"), imported.err());
        assertEquals("created 7, updated 0, skipped 0", imported.out().strip());

        Path clippings = Files.move(fixture("kindle-my-clippings.txt"), dir.resolve("clippings.csv"));
        Result kindle = cli("import", "--server", server.toString(), "--token", token, clippings.toString());
        assertEquals(0, kindle.exit(), kindle.err());
        assertTrue(kindle.err().contains("is a Kindle"), kindle.err());
        assertTrue(kindle.out().startsWith("created 4, updated 0, skipped 2"), kindle.out());
        assertTrue(kindle.out().contains("  line 31: "), kindle.out());

        Path bib = Files.move(fixture("papers.bib"), dir.resolve("papers"));
        Result papers = cli("import", "--server", server.toString(), "--token", token, bib.toString());
        assertEquals(0, papers.exit(), papers.err());
        assertTrue(papers.err().contains("is a BibTeX file"), papers.err());

        Path csv = dir.resolve("out/storygraph.csv");
        Result storyGraphOut = cli("export", "--server", server.toString(), "--token", token, "--format", "storygraph",
                "--out", csv.toString());
        assertEquals(0, storyGraphOut.exit(), storyGraphOut.err());
        assertTrue(Files.readString(csv, StandardCharsets.UTF_8).startsWith("Title,Authors,Contributors,ISBN/UID"));
        Path zip = dir.resolve("out/vault.zip");
        Result vault = cli("export", "--server", server.toString(), "--token", token, "--format", "obsidian",
                "--out", zip.toString());
        assertEquals(0, vault.exit(), vault.err());
        try (java.util.zip.ZipFile entries = new java.util.zip.ZipFile(zip.toFile())) {
            assertTrue(entries.getEntry("Books/Dune.md") != null);
        }

        // A StoryGraph file sent as a Goodreads one is refused, and nothing is imported.
        String other = TestUsers.token();
        Result forced = cli("import", "--server", server.toString(), "--token", other, "--format", "goodreads",
                storyGraph.toString());
        assertEquals(1, forced.exit());
        assertTrue(forced.err().contains("looks like a StoryGraph export; use /api/import/storygraph"), forced.err());
        assertEquals(0, books(other).size());
    }

    @Test
    void wrongTokenIsExitOneWithTheProblemDetail() throws IOException {
        Path csv = fixture("goodreads-classic-31.csv");
        Result result = cli("import", "--server", server.toString(), "--token", "not-a-token", csv.toString());
        assertEquals(1, result.exit(), result.out());
        assertTrue(result.err().contains("HTTP 401"), result.err());
        assertTrue(result.err().lines().anyMatch(l -> l.startsWith("import failed (HTTP 401): ") && l.length() > 27),
                result.err());

        Result export = cli("export", "--server", server.toString(), "--token", "not-a-token", "--format", "bibtex",
                "--out", dir.resolve("x.bib").toString());
        assertEquals(1, export.exit());
        assertTrue(export.err().contains("HTTP 401"), export.err());
    }

    @Test
    void badArgumentsAndAnUnreachableServerAreExitTwo() throws IOException {
        Path unknown = dir.resolve("library.txt");
        Files.writeString(unknown, "x");
        Result noFormat = cli("import", "--server", server.toString(), "--token", "t", unknown.toString());
        assertEquals(2, noFormat.exit());
        assertTrue(noFormat.err().contains("--format"), noFormat.err());

        assertEquals(2, cli("export", "--server", server.toString(), "--token", "t", "--format", "pdf",
                "--out", dir.resolve("x").toString()).exit());

        Result down = cli("import", "--server", "http://127.0.0.1:1", "--token", "t",
                fixture("goodreads-classic-31.csv").toString());
        assertEquals(2, down.exit());
        assertTrue(down.err().contains("cannot reach Lectern"), down.err());
    }
}
