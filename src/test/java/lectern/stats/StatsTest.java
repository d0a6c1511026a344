package lectern.stats;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import lectern.support.PostgresResource;
import lectern.support.TestUsers;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Stats on a known day: 2026-03-01, day 60 of 365. Every figure below is worked out by hand in the comments. */
@QuarkusTest
@TestProfile(StatsTest.OnMarchFirst.class)
@QuarkusTestResource(PostgresResource.class)
class StatsTest {

    public static class OnMarchFirst implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lectern.today", "2026-03-01");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static long book(String token, String title, Integer pages) {
        Map<String, Object> body = new HashMap<>();
        body.put("title", title);
        if (pages != null) {
            body.put("pages", pages);
        }
        return as(token).body(body).post("/api/books").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static void status(String token, long book, String status, String date) {
        as(token).body(Map.of("status", status, "date", date)).post("/api/books/" + book + "/status").then().statusCode(200);
    }

    private static void page(String token, long book, int page, String date) {
        as(token).body(Map.of("page", page, "date", date)).post("/api/books/" + book + "/progress").then().statusCode(201);
    }

    private static void percent(String token, long book, double percent, String date) {
        as(token).body(Map.of("percent", percent, "date", date)).post("/api/books/" + book + "/progress").then().statusCode(201);
    }

    @Test
    void figuresMatchTheHandCount() {
        String alice = TestUsers.token();
        as(alice).body(Map.of("books", 52)).put("/api/goals/2026").then().statusCode(200)
                .body("year", equalTo(2026)).body("books", equalTo(52));

        // A: started in 2025 (50 pages then), 150 more pages on 2026-01-04, finished 2026-01-05.
        long a = book(alice, "Started last year", 200);
        status(alice, a, "reading", "2025-12-20");
        page(alice, a, 50, "2025-12-25");
        page(alice, a, 200, "2026-01-04");
        status(alice, a, "read", "2026-01-05");
        // Finished on the last day of 2025: counts for 2025 only.
        long december = book(alice, "Finished in December", 100);
        status(alice, december, "reading", "2025-12-01");
        status(alice, december, "read", "2025-12-31");
        // Read twice in 2026: two read-throughs, two books read.
        long twice = book(alice, "Read twice", 150);
        status(alice, twice, "reading", "2026-01-10");
        status(alice, twice, "read", "2026-01-20");
        status(alice, twice, "reading", "2026-02-01");
        status(alice, twice, "read", "2026-02-10");
        // C, being read: 20 (02-10), +80 (02-20), back to 90 (02-25, reads nothing), +30 (02-27), +30 (03-01).
        long c = book(alice, "Being read by page", 300);
        page(alice, c, 20, "2026-02-10");
        page(alice, c, 100, "2026-02-20");
        page(alice, c, 90, "2026-02-25");
        page(alice, c, 130, "2026-02-27");
        page(alice, c, 160, "2026-03-01");
        // D, being read by percent of 400 pages: 10% = 40 pages (02-28), 25% = +60 pages (03-01).
        long d = book(alice, "Being read by percent", 400);
        percent(alice, d, 10, "2026-02-28");
        percent(alice, d, 25, "2026-03-01");
        // E, no page count: 50% on 02-22; counts no pages, but has a pace in percent.
        long e = book(alice, "Unknown length", null);
        percent(alice, e, 50, "2026-02-22");
        // F, paused: its 10 pages (02-24) count, but it is not "currently reading".
        long f = book(alice, "Paused", 100);
        page(alice, f, 10, "2026-02-24");
        status(alice, f, "paused", "2026-02-25");
        // G, deleted: its pages and its finish count for nothing.
        long g = book(alice, "Deleted", 500);
        page(alice, g, 77, "2026-02-26");
        status(alice, g, "read", "2026-02-27");
        as(alice).delete("/api/books/" + g).then().statusCode(204);

        JsonPath stats = as(alice).get("/api/stats").then().statusCode(200).extract().jsonPath();
        assertEquals(2026, stats.getInt("year"));
        // A (01-05) + twice (01-20, 02-10).
        assertEquals(3, stats.getInt("booksRead"));
        assertEquals(52, stats.getInt("goal"));
        // 52 * 60 / 365 = 8.547..., floor 8 > 3.
        assertEquals(8.55, stats.getDouble("expectedByToday"), 1e-9);
        assertEquals(false, stats.getBoolean("onTrack"));
        // A 150 + C (20 + 80 + 0 + 30 + 30) + D (40 + 60) + F 10 = 420.
        assertEquals(420, stats.getLong("pagesRead"));
        // 02-23..03-01: C 0 + 30 + 30, D 40 + 60, F 10 = 170; 170 / 7 = 24.29.
        assertEquals(24.3, stats.getDouble("pagesPerDay7"), 1e-9);
        // 01-31..03-01: C 160, D 100, F 10 = 270; 270 / 30 = 9.
        assertEquals(9.0, stats.getDouble("pagesPerDay30"), 1e-9);

        List<Map<String, Object>> reading = stats.getList("currentlyReading");
        assertEquals(3, reading.size());
        Map<Long, Map<String, Object>> byBook = new HashMap<>();
        reading.forEach(r -> byBook.put(((Number) r.get("bookId")).longValue(), r));
        // C: window 02-16..03-01 = 14 days, 80 + 0 + 30 + 30 = 140 pages -> 10 a day; 140 left -> 14 days.
        assertEquals("Being read by page", byBook.get(c).get("title"));
        assertEquals(53.3, ((Number) byBook.get(c).get("percent")).doubleValue(), 1e-4);
        assertEquals(10.0, ((Number) byBook.get(c).get("pagesPerDay")).doubleValue(), 1e-4);
        assertEquals("2026-03-15", byBook.get(c).get("projectedFinish"));
        // D: started 02-28, 2 days, 100 pages -> 50 a day; 300 left -> 6 days.
        assertEquals(25.0, ((Number) byBook.get(d).get("percent")).doubleValue(), 1e-4);
        assertEquals(50.0, ((Number) byBook.get(d).get("pagesPerDay")).doubleValue(), 1e-4);
        assertEquals("2026-03-07", byBook.get(d).get("projectedFinish"));
        // E: started 02-22, 8 days, 50% -> 6.25% a day; 50% left -> 8 days.
        assertEquals(50.0, ((Number) byBook.get(e).get("percent")).doubleValue(), 1e-4);
        assertEquals(null, byBook.get(e).get("pagesPerDay"));
        assertEquals("2026-03-09", byBook.get(e).get("projectedFinish"));

        // 2025: the December book; A's 50 pages of 2025-12-25. Over, so the whole goal is expected.
        as(alice).body(Map.of("books", 12)).put("/api/goals/2025").then().statusCode(200);
        as(alice).get("/api/stats?year=2025").then().statusCode(200)
                .body("booksRead", equalTo(1)).body("pagesRead", equalTo(50))
                .body("expectedByToday", equalTo(12.0f)).body("onTrack", equalTo(false));
        // A year not begun expects nothing yet, so no goal there is behind.
        as(alice).body(Map.of("books", 5)).put("/api/goals/2027").then().statusCode(200);
        as(alice).get("/api/stats?year=2027").then().statusCode(200)
                .body("booksRead", equalTo(0)).body("expectedByToday", equalTo(0.0f)).body("onTrack", equalTo(true));

        // Bob sees none of it.
        String bob = TestUsers.token();
        as(bob).get("/api/stats").then().statusCode(200)
                .body("year", equalTo(2026)).body("booksRead", equalTo(0)).body("goal", nullValue())
                .body("expectedByToday", nullValue()).body("onTrack", nullValue())
                .body("pagesRead", equalTo(0)).body("pagesPerDay7", equalTo(0.0f))
                .body("currentlyReading", empty());
        as(bob).get("/api/goals/2026").then().statusCode(404);
    }

    @Test
    void goalsAreSetReplacedAndChecked() {
        String token = TestUsers.token();
        as(token).get("/api/goals/2026").then().statusCode(404).contentType("application/problem+json");
        as(token).body(Map.of("books", 40)).put("/api/goals/2026").then().statusCode(200).body("books", equalTo(40));
        as(token).body(Map.of("books", 45)).put("/api/goals/2026").then().statusCode(200);
        as(token).get("/api/goals/2026").then().statusCode(200).body("year", equalTo(2026)).body("books", equalTo(45));
        as(token).body(Map.of("books", 0)).put("/api/goals/2026").then().statusCode(400).body("errors[0].field", equalTo("books"));
        as(token).body(Map.of("books", 1001)).put("/api/goals/2026").then().statusCode(400).body("errors[0].field", equalTo("books"));
        as(token).body(Map.of()).put("/api/goals/2026").then().statusCode(400).body("errors[0].field", equalTo("books"));
        as(token).body(Map.of("books", "many")).put("/api/goals/2026").then().statusCode(400).body("errors[0].field", equalTo("books"));
        as(token).body(Map.of("books", 10)).put("/api/goals/1899").then().statusCode(400).body("errors[0].field", equalTo("year"));
        as(token).body(Map.of("books", 10)).put("/api/goals/2201").then().statusCode(400).body("errors[0].field", equalTo("year"));
        as(token).body(Map.of("books", 10)).put("/api/goals/next").then().statusCode(400).body("errors[0].field", equalTo("year"));
        as(token).body("{\"books\": ").put("/api/goals/2026").then().statusCode(400);
        as(token).get("/api/stats?year=soon").then().statusCode(400).body("errors[0].field", equalTo("year"));
        as(token).get("/api/stats?year=1800").then().statusCode(400).body("errors[0].field", equalTo("year"));
        given().get("/api/stats").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("books", 3)).put("/api/goals/2026").then().statusCode(401);
    }

    @Test
    void logStreakCountsDaysInARow() throws Exception {
        // Yesterday, the day before, and three days before that: today's log not written yet -> 2.
        String notYetToday = TestUsers.token();
        writeLogs(notYetToday, "2026-02-28", "2026-02-27", "2026-02-24");
        as(notYetToday).get("/api/stats").then().statusCode(200).body("logStreakDays", equalTo(2));
        // Today and the two days before, across the month's end -> 3.
        String withToday = TestUsers.token();
        writeLogs(withToday, "2026-03-01", "2026-02-28", "2026-02-27", "2026-02-25");
        as(withToday).get("/api/stats").then().statusCode(200).body("logStreakDays", equalTo(3));
        // The day before yesterday only: the streak is broken.
        String broken = TestUsers.token();
        writeLogs(broken, "2026-02-27");
        as(broken).get("/api/stats").then().statusCode(200).body("logStreakDays", equalTo(0));
    }

    /** Rows in the logs room's table, the contract stats reads (daily_log(owner_id, log_date)). */
    private void writeLogs(String token, String... dates) throws Exception {
        long owner = as(token).get("/api/auth/me").then().statusCode(200).extract().jsonPath().getLong("id");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO daily_log (owner_id, log_date) VALUES (?, ?)")) {
            for (String date : dates) {
                insert.setLong(1, owner);
                insert.setObject(2, LocalDate.parse(date));
                insert.executeUpdate();
            }
        }
    }
}
