package lectern.llm;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import lectern.gpt.GptConfig;
import lectern.gpt.onnx.TinyModels;
import lectern.support.PostgresResource;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two sweeps of the background labeller at once, as two Lecterns sharing the database would run them: every log item
 * is classified once and labelled once (rows are claimed with FOR UPDATE SKIP LOCKED).
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(SharedLabellingTest.WithModelNoSchedule.class)
class SharedLabellingTest {

    /** The tiny model, and no scheduled sweeps: the test runs them. */
    public static class WithModelNoSchedule implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory("lectern-test-model");
                TinyModels.writePackage(dir, GptConfig.Positions.LEARNED, 41);
                return Map.of("lectern.model.dir", dir.toString(), "lectern.labels.interval", "PT0S",
                        "lectern.model.threads", "1", "lectern.data.dir", Files.createTempDirectory("lectern-test-data").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    BackgroundLabeler labeler;

    @Inject
    DataSource dataSource;

    @Test
    void twoSweepsAtOnceClassifyAndLabelEachItemOnce() throws Exception {
        LlmModelTest.User u = LlmModelTest.user();
        int items = 0;
        for (int day = 1; day <= 6; day++) {
            StringBuilder log = new StringBuilder("Finished:\n");
            for (int i = 0; i < 10; i++, items++) {
                log.append("- read chapter ").append(day * 10 + i).append(" of the book\n");
            }
            given().auth().oauth2(u.token()).contentType("text/plain").body(log.toString())
                    .when().put("/api/logs/2024-03-0" + day).then().statusCode(200);
        }
        long before = labeler.classifications();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService two = Executors.newFixedThreadPool(2);
        List<Future<Integer>> sweeps = new ArrayList<>();
        try {
            for (int r = 0; r < 2; r++) {
                sweeps.add(two.submit(() -> {
                    start.await();
                    return labeler.sweep();
                }));
            }
            start.countDown();
            int labelled = 0;
            for (Future<Integer> f : sweeps) {
                labelled += f.get();
            }
            assertEquals(items, labelled, "labelled by the two sweeps together");
        } finally {
            two.shutdownNow();
        }
        assertEquals(items, labeler.classifications() - before, "each item classified once");
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("select count(*), count(distinct item_id) from label_event "
                     + "where owner_id = ? and kind = 'predicted'")) {
            q.setLong(1, u.id());
            try (ResultSet r = q.executeQuery()) {
                r.next();
                assertEquals(items, r.getInt(1), "one prediction recorded per item");
                assertEquals(items, r.getInt(2));
            }
        }
        given().auth().oauth2(u.token()).when().get("/api/logs/2024-03-03").then().statusCode(200);
    }
}
