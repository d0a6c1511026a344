package lectern.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a new user sees when Lectern starts, as the README starts it (the packaged jar, the embedded PostgreSQL, the
 * shipped model, on a machine without CUDA): no DEBUG or TRACE lines, no errors, nothing red, no warnings about our own
 * code, and one INFO line that says where the model runs.
 */
class StartupLogIT {

    @Test
    void aCpuStartIsQuietAndSaysWhereTheModelRunsInOneLine(@TempDir Path data) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-jar",
                Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString()).redirectErrorStream(true);
        pb.environment().put("LECTERN_DATA_DIR", data.toString());
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().remove("DB_URL");
        Process app = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String line;
            while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
                lines.add(line);
                if (line.contains("Listening on")) {
                    break;
                }
            }
        } finally {
            app.destroy();
            if (!app.waitFor(30, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
        String log = String.join("\n", lines);
        assertTrue(log.contains("Listening on"), "the app started:\n" + log);
        for (String line : lines) {
            assertTrue(!line.contains(" DEBUG ") && !line.contains(" TRACE "), "a DEBUG or TRACE line: " + line);
            assertTrue(!line.contains("ERROR") && !line.contains("[E:onnxruntime"), "an error: " + line);
            assertTrue(!line.contains("\u001b[31m") && !line.contains("\u001b[0;31m") && !line.contains("\u001b[1;31m"),
                    "a red line: " + line);
            assertTrue(!line.contains(" WARN ") || !line.contains("[lectern") && !line.contains("HV0"),
                    "a warning about Lectern's own code: " + line);
        }
        long modelLines = lines.stream().filter(l -> l.contains(" INFO ") && l.contains("Model: ")).count();
        assertEquals(1, modelLines, "one INFO line for the model:\n" + log);
        assertTrue(lines.stream().anyMatch(l -> l.contains("Model: ") && l.contains(" on cpu")), log);
        assertTrue(Files.isDirectory(data.resolve("postgres")), "the cluster is in <data>/postgres");
    }
}
