package lectern.transfer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How long a large Goodreads export takes to import. Not part of the suite (the name does not end in Test);
 * run it with {@code ./mvnw -B -o test -Dtest=GoodreadsImportBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * It prints the seconds for a first import of {@value #ROWS} generated rows and for importing the same file again;
 * it checks the counts, never the times.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class GoodreadsImportBenchmark {

    static final int ROWS = 5000;

    /** A file in the classic layout, with the quirks of real exports, generated with a fixed seed. */
    static String generate(int rows, long seed) {
        Random random = new Random(seed);
        String[] shelves = {"read", "currently-reading", "to-read"};
        List<GoodreadsRow> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            String shelf = shelves[random.nextInt(3)];
            String body = String.format("978%09d", 100_000_000 + i);
            String isbn13 = random.nextInt(5) == 0 ? null : body + check13(body);
            int rating = shelf.equals("read") ? random.nextInt(6) : 0;
            String review = rating > 0 && random.nextInt(4) == 0
                    ? ("A \"long\" review of book " + i + " with [b:Another Book|" + (i + 7) + "|Another Book|Some One|x|1]<br/>")
                            .repeat(1 + random.nextInt(30))
                    : null;
            out.add(new GoodreadsRow(0, String.valueOf(1_000_000 + i), "Generated Book " + i + ": a \"quoted\", subtitle",
                    "Author " + (i % 700), random.nextInt(3) == 0 ? List.of("Translator " + (i % 50)) : List.of(),
                    null, isbn13, rating, "Publisher " + (i % 90), "Paperback", 80 + random.nextInt(900),
                    1950 + random.nextInt(70), 1900 + random.nextInt(120),
                    shelf.equals("read") && random.nextBoolean() ? java.time.LocalDate.of(2015 + random.nextInt(10), 1 + random.nextInt(12), 1 + random.nextInt(28)) : null,
                    java.time.LocalDate.of(2014 + random.nextInt(10), 1 + random.nextInt(12), 1 + random.nextInt(28)),
                    random.nextBoolean() ? List.of(shelf, "tag-" + (i % 40)) : List.of(shelf), shelf, review, false,
                    random.nextInt(10) == 0 ? "private note " + i : null, shelf.equals("read") ? 1 : 0, 0));
        }
        return GoodreadsCsv.write(out);
    }

    private static char check13(String twelve) {
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += (twelve.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
        }
        return (char) ('0' + (10 - sum % 10) % 10);
    }

    @Test
    void fiveThousandRows() {
        String csv = generate(ROWS, 42);
        String token = TestUsers.token();
        GoodreadsImportTest.importCsv(token, "Book Id,Title\n1,Warm-up\n"); // the first request pays for class loading

        // Quarkus' test client gives up after 30 s; a slow run should still report its time.
        io.restassured.config.RestAssuredConfig before = io.restassured.RestAssured.config;
        io.restassured.RestAssured.config = io.restassured.RestAssured.config().httpClient(
                io.restassured.config.HttpClientConfig.httpClientConfig()
                        .setParam("http.socket.timeout", 600_000).setParam("http.connection.timeout", 600_000));
        long start = System.nanoTime();
        JsonPath first = GoodreadsImportTest.importCsv(token, csv);
        double firstSeconds = (System.nanoTime() - start) / 1e9;
        assertEquals(ROWS, first.getInt("created"));
        assertEquals(0, first.getList("failed").size());

        start = System.nanoTime();
        JsonPath again = GoodreadsImportTest.importCsv(token, csv);
        double againSeconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, again.getInt("created"));
        assertEquals(ROWS, again.getInt("skipped"));

        io.restassured.RestAssured.config = before;
        System.out.printf("GoodreadsImportBenchmark: %d rows (%d KB): first import %.2f s, same file again %.2f s%n",
                ROWS, csv.length() / 1024, firstSeconds, againSeconds);
    }
}
