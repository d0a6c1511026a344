package lectern.it;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Several Lecterns on one PostgreSQL server, as a lab or a hosted instance runs them behind a load balancer: two (then
 * three) packaged-jar replicas with DB_URL, each with its own data directory, on a real server
 * ({@link PostgresServer}). Tokens, classifiers, retraining jobs and background labelling must behave as if there were
 * one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    private static final String PASSWORD = "correct horse battery";
    /** RetrainJobs.STALE (30 s) + its look every 10 s (ticks of 2 s that drift) + a poll, with room for a slow CI. */
    private static final Duration HEARTBEAT_WINDOW = Duration.ofSeconds(60);

    private static PostgresServer server;
    private static Path work;
    private static final List<Replica> replicas = new ArrayList<>();
    private static Replica a;
    private static Replica b;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        server = PostgresServer.start();
        work = Files.createTempDirectory("lectern-replicas-");
        // one after the other: the first runs the migrations, the second finds them done (both at once is fine too)
        a = Replica.start("a", server, work);
        replicas.add(a);
        b = Replica.start("b", server, work);
        replicas.add(b);
    }

    @AfterAll
    static void stopAll() throws Exception {
        try {
            for (Replica r : replicas) {
                r.stop();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (work != null) {
                try (var walk = Files.walk(work)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    @Test
    @Order(1)
    void aTokenMadeOnOneReplicaWorksOnTheOtherAndItsRevocationReachesItWithinASecond() throws Exception {
        String user = signUp(a);
        JsonPath second = a.api().contentType(ContentType.JSON)
                .body(Map.of("username", user, "password", PASSWORD, "name", "phone"))
                .post("/api/auth/tokens").then().statusCode(201).extract().jsonPath();
        String token = second.getString("token");
        String keep = token(a, user);
        b.api().auth().oauth2(token).get("/api/auth/me").then().statusCode(200); // B now has it cached

        a.api().auth().oauth2(keep).delete("/api/auth/tokens/" + second.getLong("id")).then().statusCode(204);
        long revoked = System.nanoTime();
        while (b.api().auth().oauth2(token).get("/api/auth/me").statusCode() != 401) {
            assertTrue(System.nanoTime() - revoked < TimeUnit.SECONDS.toNanos(1), "B still accepts a token revoked on A");
            Thread.sleep(20);
        }
        b.api().auth().oauth2(keep).get("/api/auth/me").then().statusCode(200);
    }

    @Test
    @Order(2)
    void aClassifierRetrainedOnOneReplicaClassifiesOnTheOther() throws Exception {
        String user = signUp(a);
        String token = token(a, user);
        Map<String, List<String>> texts = Map.of(
                "leetcode", List.of("solved two sum on leetcode", "leetcode medium: longest substring",
                        "three leetcode graph problems", "leetcode daily: binary search"),
                "spanish", List.of("spanish vocabulary drill, 40 words", "duolingo spanish lesson 12",
                        "spanish podcast episode 3 with notes", "practised spanish verbs in the past tense"));
        int day = 1;
        for (var e : texts.entrySet()) {
            for (String text : e.getValue()) {
                String date = String.format("2026-10-%02d", day++);
                long item = a.api().auth().oauth2(token).contentType("text/plain").body("Finished:\n- " + text)
                        .put("/api/logs/" + date).then().statusCode(200).extract().jsonPath().getLong("finished[0].id");
                a.api().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("label", e.getKey()))
                        .patch("/api/logs/" + date + "/items/" + item).then().statusCode(200);
            }
        }
        // both replicas serve (and cache) the model's own classifier for this user before the retraining
        for (Replica r : List.of(a, b)) {
            r.api().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("text", "spanish flashcards"))
                    .post("/api/llm/classify").then().statusCode(200);
        }
        long job = a.api().auth().oauth2(token).post("/api/model/retrain").then().statusCode(202)
                .extract().jsonPath().getLong("jobId");
        JsonPath done = waitForJob(b, token, job, Duration.ofSeconds(180));
        assertEquals("done", done.getString("status"), done.prettify());

        // whichever ran the job, the other hears of the swap (its cached entry is dropped within a second)
        Thread.sleep(1000);
        a.api().auth().oauth2(token).get("/api/model").then().statusCode(200)
                .body("classifierVersion", org.hamcrest.Matchers.equalTo(1));
        b.api().auth().oauth2(token).get("/api/model").then().statusCode(200)
                .body("classifierVersion", org.hamcrest.Matchers.equalTo(1))
                .body("labels", org.hamcrest.Matchers.equalTo(List.of("leetcode", "spanish")));
        JsonPath c = b.api().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("text", "spanish flashcards before breakfast")).post("/api/llm/classify")
                .then().statusCode(200).extract().jsonPath();
        assertEquals("spanish", c.getString("label"), c.prettify());
        assertEquals(2, c.getMap("scores").size(), "B classifies with the user's two labels, not the model's");
    }

    @Test
    @Order(3)
    void withBothReplicasLabellingEveryItemIsLabelledExactlyOnce() throws Exception {
        String user = signUp(b);
        String token = token(b, user);
        int items = 0;
        for (int day = 1; day <= 20; day++) {
            StringBuilder log = new StringBuilder("Finished:\n");
            for (int i = 0; i < 5; i++) {
                log.append("- read chapter ").append(day * 5 + i).append(" of Designing Data-Intensive Applications\n");
                items++;
            }
            (day % 2 == 0 ? a : b).api().auth().oauth2(token).contentType("text/plain").body(log.toString())
                    .put(String.format("/api/logs/2026-09-%02d", day)).then().statusCode(200);
        }
        long owner = b.api().auth().oauth2(token).get("/api/auth/me").then().extract().jsonPath().getLong("id");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (count("select count(*) from log_item where owner_id = ? and label is not null", owner) < items) {
            assertTrue(System.nanoTime() < deadline, "the replicas did not label every item within 2 minutes");
            Thread.sleep(250);
        }
        Thread.sleep(2500); // a sweep or two more on each replica: nothing may be labelled twice
        assertEquals(items, count("select count(*) from label_event where owner_id = ? and kind = 'predicted'", owner));
        assertEquals(0, count("select count(*) from (select item_id from label_event where owner_id = ?"
                + " group by item_id having count(*) > 1) as twice", owner));
    }

    @Test
    @Order(4)
    void aReplicaKilledMidJobLeavesNoJobRunningAndAThirdReplicaStartingFailsNoLiveJob() throws Exception {
        String user = signUp(a);
        String token = token(a, user);
        long owner = a.api().auth().oauth2(token).get("/api/auth/me").then().extract().jsonPath().getLong("id");
        seedLabelledItems(owner, 1200); // enough for a job of tens of seconds

        long job = a.api().auth().oauth2(token).post("/api/model/retrain").then().statusCode(202)
                .extract().jsonPath().getLong("jobId");
        Replica runner = waitForRunner(job);
        Replica survivor = runner == a ? b : a;
        runner.kill();
        long killed = System.nanoTime();
        JsonPath after = waitForJob(survivor, token, job, HEARTBEAT_WINDOW);
        assertEquals("failed", after.getString("status"), after.prettify());
        assertTrue(System.nanoTime() - killed < HEARTBEAT_WINDOW.toNanos());

        // a job live on the survivor, then a third replica starts: the job keeps running and finishes
        long second = survivor.api().auth().oauth2(token).post("/api/model/retrain").then().statusCode(202)
                .extract().jsonPath().getLong("jobId");
        assertEquals(survivor, waitForRunner(second));
        java.time.OffsetDateTime thirdLaunched = java.time.OffsetDateTime.now();
        Replica third = Replica.start("c", server, work);
        replicas.add(third);
        String status = third.api().auth().oauth2(token).get("/api/model/jobs/" + second).then().statusCode(200)
                .extract().jsonPath().getString("status");
        assertTrue(status.equals("running") || status.equals("done"), "after the third replica started: " + status);
        JsonPath done = waitForJob(third, token, second, Duration.ofSeconds(300));
        assertEquals("done", done.getString("status"), done.prettify());
        assertTrue(java.time.OffsetDateTime.parse(done.getString("finishedAt")).isAfter(thirdLaunched),
                "the job was still running while the third replica started: " + done.prettify());
    }

    // ---- helpers ----

    private static String signUp(Replica r) {
        String username = "replica" + Long.toHexString(System.nanoTime());
        r.api().contentType(ContentType.JSON).body(Map.of("username", username, "password", PASSWORD))
                .post("/api/auth/signup").then().statusCode(201);
        return username;
    }

    private static String token(Replica r, String username) {
        return r.api().contentType(ContentType.JSON).body(Map.of("username", username, "password", PASSWORD))
                .post("/api/auth/tokens").then().statusCode(201).extract().path("token");
    }

    /** Polls a job on a replica until it is done or failed; fails when it still runs after {@code within}. */
    private static JsonPath waitForJob(Replica r, String token, long job, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            JsonPath j = r.api().auth().oauth2(token).get("/api/model/jobs/" + job).then().statusCode(200)
                    .extract().jsonPath();
            String status = j.getString("status");
            if (status.equals("done") || status.equals("failed")) {
                return j;
            }
            if (System.nanoTime() > deadline) {
                fail("job " + job + " is still " + status + " after " + within.toSeconds() + " s: " + j.prettify());
            }
            Thread.sleep(500);
        }
    }

    /** The replica whose process runs the job (model_job.runner is host:pid), once it has made some progress. */
    private static Replica waitForRunner(long job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Connection c = database();
                 PreparedStatement q = c.prepareStatement("select status, runner, progress from model_job where id = ?")) {
                q.setLong(1, job);
                try (ResultSet r = q.executeQuery()) {
                    if (r.next() && "running".equals(r.getString(1)) && r.getString(2) != null && r.getFloat(3) > 0) {
                        String pid = r.getString(2).substring(r.getString(2).lastIndexOf(':') + 1);
                        for (Replica replica : replicas) {
                            if (Long.toString(replica.pid()).equals(pid)) {
                                return replica;
                            }
                        }
                        fail("job " + job + " runs on " + r.getString(2) + ", none of the replicas");
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + job + " did not start running within 60 s");
    }

    /** Log items with the user's own labels, written as the API would (one log a day, ten items each). */
    private static void seedLabelledItems(long owner, int n) throws Exception {
        String[] labels = {"leetcode", "spanish", "guitar"};
        String[] words = {"arrays", "verbs", "chords", "graphs", "listening", "scales", "trees", "reading", "rhythm"};
        try (Connection c = database()) {
            c.setAutoCommit(false);
            for (int day = 0; day * 10 < n; day++) {
                long log;
                try (PreparedStatement q = c.prepareStatement("insert into daily_log (owner_id, log_date) values (?, ?) returning id")) {
                    q.setLong(1, owner);
                    q.setObject(2, java.time.LocalDate.of(2025, 1, 1).plusDays(day));
                    try (ResultSet r = q.executeQuery()) {
                        r.next();
                        log = r.getLong(1);
                    }
                }
                try (PreparedStatement q = c.prepareStatement("insert into log_item (owner_id, log_id, section, position, text,"
                        + " label, user_label) values (?, ?, 'finished', ?, ?, ?, true)")) {
                    for (int i = 0; i < 10 && day * 10 + i < n; i++) {
                        int k = (day * 10 + i) % labels.length;
                        q.setLong(1, owner);
                        q.setLong(2, log);
                        q.setInt(3, i);
                        q.setString(4, labels[k] + " practice: " + words[(day + i) % words.length] + " session " + (day * 10 + i));
                        q.setString(5, labels[k]);
                        q.addBatch();
                    }
                    q.executeBatch();
                }
            }
            c.commit();
        }
    }

    private static long count(String sql, long owner) throws Exception {
        try (Connection c = database(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setLong(1, owner);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static Connection database() throws Exception {
        return DriverManager.getConnection(server.jdbcUrl(), server.user(), "");
    }

    /** One Lectern process: the packaged jar, as the README starts it, with DB_URL. */
    static final class Replica {
        private final String name;
        private final Process process;
        private final int port;
        private final Path log;

        private Replica(String name, Process process, int port, Path log) {
            this.name = name;
            this.process = process;
            this.port = port;
            this.log = log;
        }

        static Replica start(String name, PostgresServer server, Path work) throws Exception {
            int port = PostgresServer.freePort();
            Path data = Files.createDirectories(work.resolve(name));
            Path log = work.resolve(name + ".log");
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "--add-modules", "jdk.incubator.vector", "-jar",
                    Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("DB_URL", server.jdbcUrl());
            env.put("DB_USER", server.user());
            env.put("DB_PASSWORD", "unused");
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("LECTERN_DATA_DIR", data.toString());
            env.put("LECTERN_MODEL_DIR", Path.of("model").toAbsolutePath().toString());
            env.put("LECTERN_SIGNUP", "open");
            env.put("LECTERN_LABELS_INTERVAL", "PT1S");
            env.put("LECTERN_MODEL_THREADS", "1");
            Replica r = new Replica(name, pb.start(), port, log);
            try {
                r.waitUntilReady();
            } catch (Throwable e) {
                r.process.destroyForcibly(); // never left running against the database after a failed start
                throw e;
            }
            return r;
        }

        RequestSpecification api() {
            return given().baseUri("http://127.0.0.1").port(port);
        }

        long pid() {
            return process.pid();
        }

        private void waitUntilReady() throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    fail("replica " + name + " stopped while starting:\n" + tail());
                }
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
            fail("replica " + name + " was not ready within 180 s:\n" + tail());
        }

        /** kill -9: no shutdown hook, no last heartbeat. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }

        private String tail() throws IOException {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }

        @Override
        public String toString() {
            return "replica " + name + " (pid " + process.pid() + ", port " + port + ")";
        }
    }
}
