package lectern.it;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import lectern.support.PostgresResource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's API example, run as written (with bash and curl) against the packaged app: only the port differs. It
 * signs up, takes a token and posts a day's log; the last answer is that log, parsed.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(OpenSignup.class)
class ReadmeExampleIT {

    @Test
    void theApiExampleWorksAsWritten() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int section = readme.indexOf("## Using the API");
        int start = readme.indexOf("```bash\n", section) + "```bash\n".length();
        String script = readme.substring(start, readme.indexOf("```", start));
        assertTrue(script.contains("/api/auth/signup") && script.contains("TOKEN="), script);
        Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c",
                script.replace("localhost:8080", "localhost:" + RestAssured.port)).redirectErrorStream(true).start();
        assertTrue(bash.waitFor(60, TimeUnit.SECONDS), "the example did not finish");
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, bash.exitValue(), out);
        assertTrue(out.contains("\"username\":\"reader\"") || out.contains("already"), "signed up: " + out);
        assertTrue(out.contains("read the attention paper") && out.contains("write the breakdown"), "the saved log: " + out);
    }
}
