package lectern.llm;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import lectern.gpt.onnx.ModelPackage;
import lectern.notes.NoteKind;
import lectern.notes.NoteService;
import lectern.support.PostgresResource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Retraining the classifier on a user's own labels, end to end: real PostgreSQL, the tiny exported model of
 * {@link LlmModelTest} (same profile, so Quarkus starts once for both), real ONNX Runtime.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(LlmModelTest.WithModel.class)
class RetrainTest {

    @Inject
    NoteService notes;

    @Inject
    RetrainJobs jobs;

    @Inject
    UserClassifiers classifiers;

    @Inject
    LlmService llm;

    @Inject
    javax.sql.DataSource dataSource;

    /** Texts of clearly different words (characters, since the test tokenizer has no merges) per label. */
    static final Map<String, List<String>> TEXTS = Map.of(
            "sleep", List.of("zzz quiz", "jazz fizz", "buzz zoom", "zero zzz", "fizz jazz"),
            "punctuation", List.of(".... !!!!", "???? ;;;;", ":::: ,,,,", "---- ....", "!!!! ????"),
            "numbers", List.of("1234 5678", "9012 3456", "7890 2468", "1357 1234", "5678 9012"));

    /** Labels {@code perLabel} notes of each of {@code labels} through the API (the user's own labels). */
    static List<Long> labelNotes(NoteService notes, LlmModelTest.User u, long bookId, int perLabel, String... labels) {
        List<Long> ids = new ArrayList<>();
        for (String label : labels) {
            for (int i = 0; i < perLabel; i++) {
                long id = notes.addToBook(u.id(), bookId, new NoteService.NewNote(TEXTS.get(label).get(i), NoteKind.idea, null)).id();
                given().auth().oauth2(u.token()).contentType(ContentType.JSON).body(Map.of("label", label))
                        .when().patch("/api/notes/" + id).then().statusCode(200).body("label", equalTo(label));
                ids.add(id);
            }
        }
        return ids;
    }

    static long startRetrain(LlmModelTest.User u) {
        Response r = given().auth().oauth2(u.token()).when().post("/api/model/retrain");
        r.then().statusCode(202).body("jobId", notNullValue()).header("Location", containsString("/api/model/jobs/"));
        return r.jsonPath().getLong("jobId");
    }

    /** Polls a job until it is done or failed (bounded so that a hang fails rather than blocks). */
    static JsonPath finished(LlmModelTest.User u, long jobId) throws InterruptedException {
        double last = 0;
        for (int i = 0; i < 1200; i++) {
            JsonPath job = given().auth().oauth2(u.token()).when().get("/api/model/jobs/" + jobId)
                    .then().statusCode(200).extract().jsonPath();
            String status = job.getString("status");
            double progress = job.getDouble("progress");
            assertTrue(progress >= last && progress <= 1, "progress " + last + " -> " + progress);
            last = progress;
            if (status.equals("done") || status.equals("failed")) {
                return job;
            }
            assertTrue(status.equals("queued") || status.equals("running"), status);
            Thread.sleep(100);
        }
        fail("job " + jobId + " did not finish");
        return null;
    }

    static JsonPath classify(LlmModelTest.User u, String text) {
        return given().auth().oauth2(u.token()).contentType(ContentType.JSON).body(Map.of("text", text))
                .when().post("/api/llm/classify").then().statusCode(200).extract().jsonPath();
    }

    static List<String> labelsOf(LlmModelTest.User u) {
        return given().auth().oauth2(u.token()).when().get("/api/model").then().statusCode(200)
                .extract().jsonPath().getList("labels", String.class);
    }

    @Test
    void retrainedClassifierServesTheUserAndOnlyThem() throws Exception {
        LlmModelTest.User u = LlmModelTest.user();
        LlmModelTest.User other = LlmModelTest.user();
        long bookId = LlmModelTest.bookOf(u);
        // a note saved before the retraining: the model's learning-log labels never go on notes, so it waits for the
        // user's own classifier (a log item saved after it shows that a sweep passed it by)
        long early = notes.addToBook(u.id(), bookId, new NoteService.NewNote("1111 2222", NoteKind.idea, null)).id();
        // the labeller stored what the model's classifier says of the item (before the retraining: the model's)
        assertEquals(classify(u, "read two chapters").getString("label"), waitForLogLabel(u, "2024-02-01", "read two chapters"));
        assertNull(noteLabel(u, early));

        labelNotes(notes, u, bookId, 4, "sleep", "punctuation");
        // log items are training data too
        JsonPath log = given().auth().oauth2(u.token()).contentType("text/plain")
                .body("Finished:\n- 2468 1357\n- 3456 7890\n- 9012 1234\n- 5678 2468")
                .when().put("/api/logs/2024-02-03").then().statusCode(200).extract().jsonPath();
        for (int i = 0; i < 4; i++) {
            given().auth().oauth2(u.token()).contentType(ContentType.JSON).body(Map.of("label", "numbers"))
                    .when().patch("/api/logs/2024-02-03/items/" + log.getLong("finished[" + i + "].id"))
                    .then().statusCode(200);
        }

        long jobId = startRetrain(u);
        JsonPath job = finished(u, jobId);
        assertEquals("done", job.getString("status"), job.prettify());
        assertEquals(1.0, job.getDouble("progress"));
        assertEquals(12, job.getInt("metrics.examples"), job.prettify());
        assertEquals(List.of("numbers", "punctuation", "sleep"), job.getList("metrics.labels"));
        assertEquals(1, job.getInt("metrics.version"));
        double trainAccuracy = job.getDouble("metrics.trainAccuracy");
        System.out.printf("retrain over HTTP (tiny random GPT, 12 items, 3 labels): trainAccuracy %.3f%n", trainAccuracy);

        // the user's classifier answers with their labels ...
        assertEquals(List.of("numbers", "punctuation", "sleep"), labelsOf(u));
        given().auth().oauth2(u.token()).when().get("/api/model").then().body("classifierVersion", equalTo(1));
        JsonPath c = classify(u, "zzz jazz");
        assertTrue(List.of("numbers", "punctuation", "sleep").contains(c.getString("label")), c.prettify());
        assertEquals(3, c.getMap("scores").size());
        // ... and the served ONNX graph agrees with the Java training on the training items (one near-tie allowed)
        int right = 0;
        int n = 0;
        for (Map.Entry<String, List<String>> e : TEXTS.entrySet()) {
            if (!e.getKey().equals("numbers")) {
                for (String text : e.getValue().subList(0, 4)) {
                    right += classify(u, text).getString("label").equals(e.getKey()) ? 1 : 0;
                    n++;
                }
            }
        }
        for (String text : List.of("2468 1357", "3456 7890", "9012 1234", "5678 2468")) {
            right += classify(u, text).getString("label").equals("numbers") ? 1 : 0;
            n++;
        }
        assertTrue(Math.abs((double) right / n - trainAccuracy) <= 1.0 / n + 1e-9,
                "served " + right + "/" + n + ", trained " + trainAccuracy);

        // another user keeps the model's classifier
        assertEquals(ModelPackage.DEFAULT_LABELS, labelsOf(other));
        assertTrue(ModelPackage.DEFAULT_LABELS.contains(classify(other, "zzz jazz").getString("label")));
        given().auth().oauth2(other.token()).when().get("/api/model").then().body("classifierVersion", equalTo(null));

        // the background labeller uses the user's classifier, trained on their labelled notes: for new notes, and for
        // the one saved before
        long later = notes.addToBook(u.id(), bookId, new NoteService.NewNote("buzz fizz", NoteKind.idea, null)).id();
        // the stored label is the one the retrained classifier gives that text (the model's labels are never among
        // the user's three, and a note gets no label from the model at all)
        assertEquals(classify(u, "buzz fizz").getString("label"), waitForLabel(u, later));
        assertEquals(classify(u, "1111 2222").getString("label"), waitForLabel(u, early));
        assertTrue(List.of("numbers", "punctuation", "sleep").contains(noteLabel(u, later)));
        assertTrue(ModelPackage.DEFAULT_LABELS.stream().noneMatch(List.of("numbers", "punctuation", "sleep")::contains));
        // another user without a classifier of their own: their log items get the model's labels, their notes none
        long othersNote = notes.addToBook(other.id(), LlmModelTest.bookOf(other),
                new NoteService.NewNote("buzz fizz", NoteKind.idea, null)).id();
        assertEquals(classify(other, "wrote the blog post").getString("label"),
                waitForLogLabel(other, "2024-02-02", "wrote the blog post"));
        assertNull(noteLabel(other, othersNote));

        // after a restart, or on another instance, the user's latest classifier is read from the database
        UserClassifiers fresh = freshRegistry();
        assertEquals(List.of("numbers", "punctuation", "sleep"), fresh.labels(u.id()));
        assertEquals(1, fresh.version(u.id()));
        assertEquals(c.getString("label"), fresh.classify(u.id(), "zzz jazz").orElseThrow().label());
        // a labeller elsewhere that classified with the model's classifier (version 0) may not store that label now
        try (java.sql.Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            assertTrue(fresh.stillCurrent(conn, u.id(), 1));
            assertTrue(!fresh.stillCurrent(conn, u.id(), 0), "a label of the replaced classifier is refused");
            conn.rollback();
        }
        assertEquals(ModelPackage.DEFAULT_LABELS, fresh.labels(other.id()));
    }

    private static String noteLabel(LlmModelTest.User u, long noteId) {
        return given().auth().oauth2(u.token()).when().get("/api/notes/" + noteId)
                .then().statusCode(200).extract().jsonPath().getString("label");
    }

    /** Saves a one-item log on {@code date} and waits for the background labeller to label it; returns the label. */
    private static String waitForLogLabel(LlmModelTest.User u, String date, String text) throws InterruptedException {
        given().auth().oauth2(u.token()).contentType("text/plain").body("Finished:\n- " + text)
                .when().put("/api/logs/" + date).then().statusCode(200);
        for (int i = 0; i < 600; i++) {
            String label = given().auth().oauth2(u.token()).when().get("/api/logs/" + date)
                    .then().statusCode(200).extract().jsonPath().getString("finished[0].label");
            if (label != null) {
                return label;
            }
            Thread.sleep(100);
        }
        fail("the log item of " + date + " got no label");
        return null;
    }

    /** Waits for the background labeller to give a note a label, any label; returns it for the caller to check. */
    private static String waitForLabel(LlmModelTest.User u, long noteId) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            String label = noteLabel(u, noteId);
            if (label != null) {
                return label;
            }
            Thread.sleep(100);
        }
        fail("note " + noteId + " got no label");
        return null;
    }

    @Test
    void refusesTooFewLabelsAnotherUsersJobAndNoSignIn() {
        LlmModelTest.User u = LlmModelTest.user();
        given().auth().oauth2(u.token()).when().post("/api/model/retrain")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("none yet")).body("detail", containsString("PATCH /api/notes/"));
        long bookId = LlmModelTest.bookOf(u);
        labelNotes(notes, u, bookId, 3, "sleep");
        labelNotes(notes, u, bookId, 1, "numbers");
        given().auth().oauth2(u.token()).when().post("/api/model/retrain")
                .then().statusCode(400).body("detail", containsString("numbers 1, sleep 3"));
        given().when().post("/api/model/retrain").then().statusCode(401);
        given().when().get("/api/model/jobs/1").then().statusCode(401);
        given().auth().oauth2(u.token()).when().get("/api/model/jobs/999999999").then().statusCode(404);
        given().auth().oauth2(u.token()).when().get("/api/model/jobs/abc").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aSecondJobWhileOneIsQueuedIs409AndOtherUsersCannotSeeIt() throws Exception {
        LlmModelTest.User u = LlmModelTest.user();
        LlmModelTest.User other = LlmModelTest.user();
        labelNotes(notes, u, LlmModelTest.bookOf(u), 2, "sleep", "numbers");
        jobs.runPermit().acquire(); // the worker waits: the job stays queued
        long jobId;
        try {
            jobId = startRetrain(u);
            given().auth().oauth2(u.token()).when().get("/api/model/jobs/" + jobId)
                    .then().statusCode(200).body("status", equalTo("queued")).body("progress", equalTo(0f));
            given().auth().oauth2(u.token()).when().post("/api/model/retrain")
                    .then().statusCode(409).contentType("application/problem+json")
                    .body("existingId", equalTo((int) jobId)).body("detail", containsString("/api/model/jobs/" + jobId));
            given().auth().oauth2(other.token()).when().get("/api/model/jobs/" + jobId).then().statusCode(404);
        } finally {
            jobs.runPermit().release();
        }
        JsonPath done = finished(u, jobId);
        assertEquals("done", done.getString("status"), done.prettify());
        assertNull(done.get("metrics.heldOutAccuracy"), "2 items per label: none held out");
        // finished: a new one may start
        assertEquals("done", finished(u, startRetrain(u)).getString("status"));
        given().auth().oauth2(other.token()).when().get("/api/model/jobs/" + jobId).then().statusCode(404);
    }

    @Test
    void jobsLeftUnfinishedByAStoppedServerAreMarkedFailed() {
        LlmModelTest.User u = LlmModelTest.user();
        long id = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            ModelJob j = new ModelJob();
            j.ownerId = u.id();
            j.status = ModelJob.Status.running; // as a crash leaves it: no worker will ever finish it
            j.persistAndFlush();
            return j.id;
        });
        assertTrue(jobs.failStale() >= 1);
        given().auth().oauth2(u.token()).when().get("/api/model/jobs/" + id).then().statusCode(200)
                .body("status", equalTo("failed")).body("error", containsString("server running it stopped"));
    }

    @Test
    void aJobLiveOnAnotherInstanceIsLeftAloneAndAStaleOneFails() {
        LlmModelTest.User live = LlmModelTest.user();
        LlmModelTest.User gone = LlmModelTest.user();
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now();
        long liveId = runningJob(live, "other-host:1", now);
        long goneId = runningJob(gone, "other-host:2", now.minus(RetrainJobs.STALE).minusSeconds(1));
        jobs.failStale(); // what a starting instance does, and every instance every few seconds
        given().auth().oauth2(live.token()).when().get("/api/model/jobs/" + liveId).then().statusCode(200)
                .body("status", equalTo("running"));
        given().auth().oauth2(gone.token()).when().get("/api/model/jobs/" + goneId).then().statusCode(200)
                .body("status", equalTo("failed"));
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> ModelJob.deleteById(liveId));
    }

    @Test
    void aQueuedJobThatAnotherInstanceLeftIsClaimedAndRunHere() throws Exception {
        LlmModelTest.User u = LlmModelTest.user();
        labelNotes(notes, u, LlmModelTest.bookOf(u), 2, "sleep", "numbers");
        // queued by an instance that stopped before it ran it: only the table knows of it
        long id = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            ModelJob j = new ModelJob();
            j.ownerId = u.id();
            j.persistAndFlush();
            return j.id;
        });
        JsonPath done = finished(u, id);
        assertEquals("done", done.getString("status"), done.prettify());
    }

    /** A trigger that makes every insert of this user's classifiers fail (true), or none (false). */
    private void refuseClassifiersOf(long userId, boolean refuse) throws java.sql.SQLException {
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
            if (refuse) {
                s.execute("create or replace function refuse_classifier() returns trigger language plpgsql as"
                        + " $$ begin raise exception 'no space left on device (a test)'; end $$");
                s.execute("create trigger refuse_classifier before insert on user_classifier for each row"
                        + " when (new.owner_id = " + userId + ") execute function refuse_classifier()");
            } else {
                s.execute("drop trigger refuse_classifier on user_classifier");
            }
        }
    }

    private static long runningJob(LlmModelTest.User u, String runner, java.time.OffsetDateTime heartbeat) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            ModelJob j = new ModelJob();
            j.ownerId = u.id();
            j.status = ModelJob.Status.running;
            j.runner = runner;
            j.startedAt = heartbeat;
            j.heartbeatAt = heartbeat;
            j.persistAndFlush();
            return j.id;
        });
    }

    @Test
    void aJobThatCannotInstallItsClassifierFailsAndTheOldOneKeepsServing() throws Exception {
        LlmModelTest.User u = LlmModelTest.user();
        long bookId = LlmModelTest.bookOf(u);
        labelNotes(notes, u, bookId, 2, "sleep", "numbers");
        assertEquals("done", finished(u, startRetrain(u)).getString("status"));
        assertEquals(List.of("numbers", "sleep"), labelsOf(u));

        // the database refuses the next version (as a full disk would): it cannot be stored
        refuseClassifiersOf(u.id(), true);
        labelNotes(notes, u, bookId, 2, "punctuation");
        JsonPath failed = finished(u, startRetrain(u));
        assertEquals("failed", failed.getString("status"), failed.prettify());
        assertTrue(failed.getString("error").startsWith("could not save the new classifier"), failed.getString("error"));
        assertEquals(List.of("numbers", "sleep"), labelsOf(u), "the old classifier still serves");
        assertTrue(List.of("numbers", "sleep").contains(classify(u, "zzz quiz").getString("label")));
        given().auth().oauth2(u.token()).when().get("/api/model").then().body("classifierVersion", equalTo(1));

        // with the way clear, the next job swaps while classify calls keep arriving: none of them fails
        refuseClassifiersOf(u.id(), false);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<?>> callers = new ArrayList<>();
        try {
            for (int t = 0; t < 3; t++) {
                callers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        classify(u, "zzz quiz");
                        calls.incrementAndGet();
                    }
                    return null;
                }));
            }
            JsonPath done = finished(u, startRetrain(u));
            assertEquals("done", done.getString("status"), done.prettify());
            assertEquals(2, done.getInt("metrics.version"));
            // a few more calls on the new classifier
            int after = calls.get();
            while (calls.get() < after + 6) {
                Thread.sleep(20);
            }
        } finally {
            stop.set(true);
            for (Future<?> f : callers) {
                f.get(); // rethrows a failed classify call
            }
            pool.shutdownNow();
        }
        assertEquals(List.of("numbers", "punctuation", "sleep"), labelsOf(u));
    }

    @Test
    void aClassifierRetrainedBeforeTheDatabaseHeldThemIsMovedIntoIt() throws Exception {
        LlmModelTest.User u = LlmModelTest.user();
        // the layout of earlier versions: <data dir>/models/user-<id>/v<n>/ with the graph, the n-gram half, the about file
        lectern.gpt.GptModel gpt = ModelPackage.readGpt(llm.modelDirectory());
        lectern.gpt.onnx.ClassifierHead head = lectern.gpt.onnx.ClassifierHead.untrained(List.of("alpha", "beta"),
                gpt.config().nEmbd(), 3);
        java.nio.file.Path dir = classifiers.modelsDirectory().resolve("user-" + u.id()).resolve("v3");
        java.nio.file.Files.createDirectories(dir);
        lectern.gpt.onnx.OnnxExporter.write(lectern.gpt.onnx.OnnxExporter.classifier(gpt, head),
                dir.resolve(lectern.gpt.onnx.OnnxNames.CLASSIFIER_FILE));
        java.nio.file.Files.writeString(dir.resolve("classifier.json"), "{\"labels\": [\"alpha\", \"beta\"], \"base\": \""
                + classifiers.servedFingerprint() + "\", \"metrics\": {\"itemsPerLabel\": {\"alpha\": 3, \"beta\": 4}}}");
        // a newer version that does not read: the import falls back to v3
        java.nio.file.Files.createDirectories(dir.resolveSibling("v4"));
        java.nio.file.Files.writeString(dir.resolveSibling("v4").resolve("classifier.json"), "{\"base\": \""
                + classifiers.servedFingerprint() + "\"}");

        assertEquals(1, classifiers.importOldFiles()); // as at a start
        assertEquals(0, classifiers.importOldFiles(), "once");
        given().auth().oauth2(u.token()).when().get("/api/model").then().statusCode(200)
                .body("labels", equalTo(List.of("alpha", "beta"))).body("classifierVersion", equalTo(1));
        assertTrue(java.nio.file.Files.isDirectory(classifiers.modelsDirectory().resolve("user-" + u.id() + ".imported")));
        assertTrue(!java.nio.file.Files.exists(classifiers.modelsDirectory().resolve("user-" + u.id())));
        // it is a row now: a fresh instance (empty cache) serves it too
        UserClassifiers fresh = freshRegistry();
        assertEquals(List.of("alpha", "beta"), fresh.labels(u.id()));
        assertEquals(1, fresh.version(u.id()));

        // deleting the account takes the old files too: they hold the user's words
        given().auth().oauth2(u.token()).contentType(ContentType.JSON).body(Map.of("password", "correct horse battery"))
                .when().delete("/api/auth/me").then().statusCode(204);
        // every replica hears of it (this one too) within about a second, through the notification
        java.nio.file.Path imported = classifiers.modelsDirectory().resolve("user-" + u.id() + ".imported");
        for (int i = 0; i < 100 && java.nio.file.Files.exists(imported); i++) {
            Thread.sleep(50);
        }
        assertTrue(!java.nio.file.Files.exists(imported));
    }

    /** Another instance's registry (or this one's after a restart): nothing cached, the same database and data dir. */
    private UserClassifiers freshRegistry() {
        UserClassifiers fresh = new UserClassifiers();
        fresh.llm = llm;
        fresh.dataSource = dataSource;
        fresh.dataDir = Optional.of(classifiers.modelsDirectory().getParent().toString());
        fresh.cacheMegabytes = 1;
        fresh.createCache();
        return fresh;
    }
}
