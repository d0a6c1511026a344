package lectern.llm;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import lectern.gpt.GptConfig;
import lectern.gpt.onnx.ModelPackage;
import lectern.gpt.onnx.TinyModels;
import lectern.notes.NoteKind;
import lectern.notes.NoteService;
import lectern.support.PostgresResource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every model HTTP test, in one class so Quarkus starts once with the model profile: a tiny random GPT exported to a
 * temp directory and served from there.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(LlmModelTest.WithModel.class)
public class LlmModelTest {

    public static class WithModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory("lectern-test-model");
                TinyModels.writePackage(dir, GptConfig.Positions.LEARNED, 31);
                // retrained classifiers (RetrainTest) go under <data dir>/models
                Path data = Files.createTempDirectory("lectern-test-data");
                return Map.of("lectern.model.dir", dir.toString(), "lectern.labels.interval", "PT0.3S",
                        "lectern.model.threads", "1", "lectern.data.dir", data.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    NoteService notes;

    record User(long id, String token) {
    }

    static User user() {
        String name = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        long id = given().contentType(ContentType.JSON).body(Map.of("username", name, "password", "correct horse battery"))
                .when().post("/api/auth/signup").then().statusCode(201).extract().jsonPath().getLong("id");
        String token = given().contentType(ContentType.JSON)
                .body(Map.of("username", name, "password", "correct horse battery"))
                .when().post("/api/auth/tokens").then().statusCode(201).extract().path("token");
        return new User(id, token);
    }

    @Test
    void modelDescribesItself() {
        given().auth().oauth2(user().token()).when().get("/api/model")
                .then().statusCode(200)
                .body("vocabSize", equalTo(260)).body("contextLength", equalTo(64))
                .body("device", is("cpu")) // the test profile asks for the CPU
                .body("runtime", containsString("onnxruntime"))
                .body("labels", equalTo(ModelPackage.DEFAULT_LABELS))
                .body("parameters", greaterThan(0))
                .body("metrics.note", equalTo("random weights (test)"));
    }

    @Test
    void classifyAnswersALabelAndProbabilities() {
        Map<String, Object> body = given().auth().oauth2(user().token()).contentType(ContentType.JSON)
                .body(Map.of("text", "Finished chapter 4 of Deep Learning"))
                .when().post("/api/llm/classify")
                .then().statusCode(200).body("label", notNullValue()).body("tookMs", greaterThanOrEqualTo(0))
                .extract().jsonPath().getMap("");
        @SuppressWarnings("unchecked")
        Map<String, Number> scores = (Map<String, Number>) body.get("scores");
        assertEquals(ModelPackage.DEFAULT_LABELS.size(), scores.size());
        double sum = scores.values().stream().mapToDouble(Number::doubleValue).sum();
        assertEquals(1.0, sum, 1e-6);
        String best = scores.entrySet().stream().max((a, b) -> Double.compare(a.getValue().doubleValue(), b.getValue().doubleValue()))
                .orElseThrow().getKey();
        assertEquals(best, body.get("label"));
    }

    @Test
    void classifyRefusesBadInput() {
        String token = user().token();
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("text", "  "))
                .when().post("/api/llm/classify").then().statusCode(400).body("errors[0].field", containsString("text"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("text", "x".repeat(20_001)))
                .when().post("/api/llm/classify").then().statusCode(400).body("errors[0].field", containsString("text"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"text\": ")
                .when().post("/api/llm/classify").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("text", "hello"))
                .when().post("/api/llm/classify").then().statusCode(401);
    }

    @Test
    void fiftyParallelClassifyCallsAllAnswerCorrectly() throws Exception {
        String token = user().token();
        List<String> texts = new ArrayList<>();
        List<Map<String, Object>> sequential = new ArrayList<>();
        long[] nanos = new long[50];
        for (int i = 0; i < 50; i++) {
            texts.add("log item " + i + " " + "attention ".repeat(i % 5));
            long start = System.nanoTime();
            sequential.add(classify(token, texts.get(i)));
            nanos[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(nanos);
        // a figure for the report, not a check: wall-clock time depends on the machine
        System.out.printf("classify over HTTP (tiny model, sequential): p50 %.1f ms, p90 %.1f ms%n", nanos[24] / 1e6, nanos[44] / 1e6);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Future<Map<String, Object>>> answers = new ArrayList<>();
            for (String t : texts) {
                answers.add(pool.submit(() -> classify(token, t)));
            }
            for (int i = 0; i < 50; i++) {
                Map<String, Object> a = answers.get(i).get();
                assertEquals(sequential.get(i).get("label"), a.get("label"), "text " + i);
                assertEquals(sequential.get(i).get("scores"), a.get("scores"), "text " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, Object> classify(String token, String text) {
        Map<String, Object> m = new HashMap<>(given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("text", text))
                .when().post("/api/llm/classify").then().statusCode(200).extract().jsonPath().getMap(""));
        m.remove("tookMs");
        return m;
    }

    @Test
    void generateWithASeedIsReproducible() {
        String token = user().token();
        Map<String, Object> request = Map.of("prompt", "Today I read", "maxTokens", 30, "temperature", 1.0, "topK", 50,
                "topP", 0.9, "seed", 42);
        Response first = given().auth().oauth2(token).contentType(ContentType.JSON).body(request)
                .when().post("/api/llm/generate");
        first.then().statusCode(200).body("tokens", lessThanOrEqualTo(30)).body("tokens", greaterThan(0))
                .body("seed", equalTo(42)).body("tookMs", greaterThanOrEqualTo(0));
        String text = first.jsonPath().getString("text");
        given().auth().oauth2(token).contentType(ContentType.JSON).body(request)
                .when().post("/api/llm/generate").then().statusCode(200).body("text", equalTo(text));
        // without a seed the answer names the one it used, and sending it back repeats the text
        Response unseeded = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("prompt", "Today I read", "maxTokens", 20)).when().post("/api/llm/generate");
        unseeded.then().statusCode(200);
        long seed = unseeded.jsonPath().getLong("seed");
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("prompt", "Today I read", "maxTokens", 20, "seed", seed)).when().post("/api/llm/generate")
                .then().statusCode(200).body("text", equalTo(unseeded.jsonPath().getString("text")));
    }

    @Test
    void generateRefusesBadSettings() {
        String token = user().token();
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("prompt", "x", "temperature", -1), Map.of("prompt", "x", "topP", 0),
                Map.of("prompt", "x", "topP", 1.5), Map.of("prompt", "x", "maxTokens", 0),
                Map.of("prompt", "x", "topK", -3), Map.of("maxTokens", 5))) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(bad)
                    .when().post("/api/llm/generate").then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", notNullValue());
        }
    }

    @Test
    void streamingSendsTokenEventsThatAddUpToTheGeneratedText() {
        String token = user().token();
        Map<String, Object> request = Map.of("prompt", "Plan for today:", "maxTokens", 25, "temperature", 0.9, "seed", 5);
        String expected = given().auth().oauth2(token).contentType(ContentType.JSON).body(request)
                .when().post("/api/llm/generate").then().statusCode(200).extract().path("text");
        Response r = given().auth().oauth2(token).contentType(ContentType.JSON).accept("text/event-stream").body(request)
                .when().post("/api/llm/generate/stream");
        r.then().statusCode(200).contentType(containsString("text/event-stream"));
        StringBuilder streamed = new StringBuilder();
        String done = null;
        // SSE: events separated by blank lines; "event:" names it, "data:" lines (joined by \n) carry it
        for (String event : r.asString().split("\n\n")) {
            String name = null;
            List<String> data = new ArrayList<>();
            for (String line : event.split("\n", -1)) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.add(line.substring(line.startsWith("data: ") ? 6 : 5));
                }
            }
            if ("token".equals(name)) {
                streamed.append(String.join("\n", data));
            } else if ("done".equals(name)) {
                done = String.join("\n", data);
            }
        }
        assertNotNull(done, "no done event in " + r.asString());
        assertTrue(done.contains("\"tokens\""), done);
        // tokens may hold blank lines, which SSE cannot carry inside one event; compare without newlines
        assertEquals(expected.replace("\n", ""), streamed.toString().replace("\n", ""));
    }

    /** A real book of this user, since notes reference books. */
    static long bookOf(User u) {
        return given().auth().oauth2(u.token()).contentType(ContentType.JSON).body(Map.of("title", "Deep Learning"))
                .when().post("/api/books").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void summarizeTextAndNotesAndRefusals() {
        User u = user();
        given().auth().oauth2(u.token()).contentType(ContentType.JSON)
                .body(Map.of("text", "Read three chapters about attention and wrote notes on multi-head projections.", "maxTokens", 12))
                .when().post("/api/llm/summarize")
                .then().statusCode(200).body("summary", notNullValue()).body("tookMs", greaterThanOrEqualTo(0))
                .body("source", equalTo("text"));
        long bookId = bookOf(u);
        notes.addToBook(u.id(), bookId, new NoteService.NewNote("Chapter 2 explains gradient descent", NoteKind.idea, 12));
        notes.addToBook(u.id(), bookId, new NoteService.NewNote("Momentum smooths the updates", NoteKind.highlight, 20));
        JsonPath summary = given().auth().oauth2(u.token()).contentType(ContentType.JSON).body(Map.of("bookId", bookId, "maxTokens", 8))
                .when().post("/api/llm/summarize")
                .then().statusCode(200).body("source", containsString("(2)")).extract().jsonPath();
        // the key ideas are the notes' own sentences, each with the note it came from
        List<Map<String, Object>> ideas = summary.getList("keyIdeas");
        assertEquals(2, ideas.size(), summary.prettify());
        List<NoteService.NoteView> bookNotes = notes.forBook(u.id(), bookId);
        for (Map<String, Object> idea : ideas) {
            long noteId = ((Number) idea.get("noteId")).longValue();
            assertTrue(bookNotes.stream().anyMatch(n -> n.id() == noteId && n.text().equals(idea.get("text"))), idea.toString());
        }
        assertEquals(0, lectern.gpt.summary.NovelWords.count(summary.getString("summary"),
                "Chapter 2 explains gradient descent Momentum smooths the updates the of for and a an to in on with by from as at")
                .novel(), "copy-aware: " + summary.getString("summary"));
        // another user's book looks like no book
        given().auth().oauth2(user().token()).contentType(ContentType.JSON).body(Map.of("bookId", bookId))
                .when().post("/api/llm/summarize").then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(u.token()).contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/llm/summarize").then().statusCode(400);
        // a date range of daily logs: only the items of this user's logs in that range
        given().auth().oauth2(u.token()).contentType("text/plain")
                .body("[ML Grind] Finished: > read the attention paper Plan for today: > write the breakdown")
                .when().put("/api/logs/2024-03-04").then().statusCode(200);
        given().auth().oauth2(u.token()).contentType("text/plain").body("Finished:\n- outside the range")
                .when().put("/api/logs/2024-03-09").then().statusCode(200);
        given().auth().oauth2(u.token()).contentType(ContentType.JSON)
                .body(Map.of("from", "2024-03-01", "to", "2024-03-07", "maxTokens", 8))
                .when().post("/api/llm/summarize")
                .then().statusCode(200).body("summary", notNullValue()).body("source", containsString("(2 items)"));
        given().auth().oauth2(user().token()).contentType(ContentType.JSON).body(Map.of("from", "2024-03-01", "to", "2024-03-07"))
                .when().post("/api/llm/summarize").then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(u.token()).contentType(ContentType.JSON).body(Map.of("text", "a", "bookId", 1))
                .when().post("/api/llm/summarize").then().statusCode(400);
        given().auth().oauth2(u.token()).contentType(ContentType.JSON).body(Map.of("from", "2024-13-01", "to", "2024-12-31"))
                .when().post("/api/llm/summarize").then().statusCode(400).body("errors[0].field", equalTo("from"));
        given().auth().oauth2(u.token()).contentType(ContentType.JSON).body(Map.of("from", "2024-12-31", "to", "2024-12-01"))
                .when().post("/api/llm/summarize").then().statusCode(400).body("errors[0].field", equalTo("to"));
        given().auth().oauth2(u.token()).contentType(ContentType.JSON).body(Map.of("from", "2024-12-01"))
                .when().post("/api/llm/summarize").then().statusCode(400).body("errors[0].field", equalTo("to"));
    }

    @Test
    void logItemsGetALabelInTheBackgroundNotesNeverGetLearningLogLabelsAndUserLabelsWin() throws Exception {
        User u = user();
        long bookId = bookOf(u);
        NoteService.NoteView saved = notes.addToBook(u.id(), bookId,
                new NoteService.NewNote("Replication lag: followers can serve stale reads", NoteKind.idea, null));
        assertEquals(null, saved.label(), "the save does not wait for the classifier");
        NoteService.NoteView mine = notes.addToBook(u.id(), bookId, new NoteService.NewNote("Mine to label", NoteKind.idea, null));
        given().auth().oauth2(u.token()).contentType(ContentType.JSON).body(Map.of("label", "keep-me"))
                .when().patch("/api/notes/" + mine.id()).then().statusCode(200).body("unsure", equalTo(false));

        // a daily-log item saved after the notes: once it has its label, a sweep has passed over the notes too
        given().auth().oauth2(u.token()).contentType("text/plain").body("Finished:\n- wrote the tokenizer chapter")
                .when().put("/api/logs/2024-05-06").then().statusCode(200).body("finished[0].label", nullValue());
        Map<String, Object> item = null;
        for (int i = 0; i < 300 && item == null; i++) { // up to 30 s on a busy machine
            Map<String, Object> it = given().auth().oauth2(u.token()).when().get("/api/logs/2024-05-06")
                    .then().statusCode(200).extract().jsonPath().getMap("finished[0]");
            if (it.get("label") != null) {
                item = it;
            } else {
                Thread.sleep(100);
            }
        }
        assertNotNull(item, "the log item was not labelled in the background");
        assertTrue(ModelPackage.DEFAULT_LABELS.contains((String) item.get("label")), item.toString());
        double confidence = ((Number) item.get("confidence")).doubleValue();
        assertTrue(confidence > 0 && confidence <= 1, item.toString());
        assertEquals(confidence < 0.5, item.get("unsure"), "unsure exactly below one half: " + item);

        // the model's labels are learning-log labels: a note about a book keeps none
        given().auth().oauth2(u.token()).when().get("/api/notes/" + saved.id())
                .then().statusCode(200).body("label", nullValue()).body("confidence", nullValue()).body("unsure", equalTo(false));
        given().auth().oauth2(u.token()).when().get("/api/notes/" + mine.id())
                .then().statusCode(200).body("label", equalTo("keep-me"));
        given().auth().oauth2(u.token()).when().get("/api/notes").then().statusCode(200)
                .body("label", hasItem("keep-me"));
    }

    @Test
    void theModelPageFiguresComeFromTheUsersOwnCorrections() throws Exception {
        User u = user();
        given().auth().oauth2(u.token()).contentType("text/plain")
                .body("Finished:\n- read chapter 2 of SICP\n- fixed the flaky test\n- wrote the weekly post")
                .when().put("/api/logs/2024-06-01").then().statusCode(200);
        JsonPath log = null;
        for (int i = 0; i < 300; i++) {
            log = given().auth().oauth2(u.token()).when().get("/api/logs/2024-06-01").then().statusCode(200).extract().jsonPath();
            if (log.getList("finished.label").stream().allMatch(java.util.Objects::nonNull)) {
                break;
            }
            Thread.sleep(100);
        }
        List<String> labels = log.getList("finished.label", String.class);
        assertTrue(labels.stream().allMatch(java.util.Objects::nonNull), "labelled in the background: " + labels);
        JsonPath before = given().auth().oauth2(u.token()).when().get("/api/model").then().statusCode(200).extract().jsonPath();
        assertEquals(3, before.getInt("monitoring.predicted"), before.prettify());
        assertEquals(0, before.getInt("monitoring.reviewed"));
        assertNull(before.get("monitoring.agreementRate"), "nothing reviewed yet");
        assertNull(before.get("monitoring.drift"), "3 predictions are too few to call drift");
        Map<String, Float> mix = before.getMap("monitoring.predictedMix");
        assertEquals(1.0, mix.values().stream().mapToDouble(Float::doubleValue).sum(), 1e-3);
        assertEquals(30, before.getInt("monitoring.windowDays"));

        // the user keeps the first label (agreement) and corrects the second; clearing the third reviews nothing
        String first = labels.get(0), second = labels.get(1);
        String other = ModelPackage.DEFAULT_LABELS.stream().filter(l -> !l.equals(second)).findFirst().orElseThrow();
        for (Object[] change : new Object[][] {{0, first}, {1, other}, {2, ""}}) {
            given().auth().oauth2(u.token()).contentType(ContentType.JSON).body(Map.of("label", change[1]))
                    .when().patch("/api/logs/2024-06-01/items/" + log.getLong("finished[" + change[0] + "].id"))
                    .then().statusCode(200);
        }
        // a second change of a label the user set is not a review of the classifier
        given().auth().oauth2(u.token()).contentType(ContentType.JSON).body(Map.of("label", second))
                .when().patch("/api/logs/2024-06-01/items/" + log.getLong("finished[1].id")).then().statusCode(200);
        JsonPath after = given().auth().oauth2(u.token()).when().get("/api/model").then().statusCode(200).extract().jsonPath();
        assertEquals(2, after.getInt("monitoring.reviewed"), after.prettify());
        assertEquals(1, after.getInt("monitoring.agreed"));
        assertEquals(1, after.getInt("monitoring.corrections"));
        assertEquals(1, after.getInt("monitoring.correctionsAllTime"));
        assertEquals(0.5, after.getDouble("monitoring.agreementRate"), 1e-9);

        // another user's figures know nothing of this
        JsonPath stranger = given().auth().oauth2(user().token()).when().get("/api/model").then().extract().jsonPath();
        assertEquals(0, stranger.getInt("monitoring.predicted"));
        assertEquals(0, stranger.getInt("monitoring.reviewed"));
    }

    @Test
    void theWeeksDigestHasAHeadlineInTheLogsOwnWords() {
        User u = user();
        given().auth().oauth2(u.token()).contentType("text/plain")
                .body("[ML Grind] Finished: > read the attention paper Plan for today: > write the breakdown")
                .when().put("/api/logs/2024-08-05").then().statusCode(200);
        JsonPath d = given().auth().oauth2(u.token()).queryParam("to", "2024-08-07").when().get("/api/logs/digest")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(2, d.getInt("items"), d.prettify());
        String headline = d.getString("headline");
        assertNotNull(headline, d.prettify());
        assertEquals(0, lectern.gpt.summary.NovelWords.count(headline,
                "read the attention paper write the breakdown of for and a an to in on with by from as at").novel(), headline);
    }
}
