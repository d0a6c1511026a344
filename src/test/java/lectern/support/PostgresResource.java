package lectern.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import lectern.database.EmbeddedDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** Every @QuarkusTest runs against a real PostgreSQL 17, started once per test JVM. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedDatabase database;

    @Override
    public Map<String, String> start() {
        try {
            database = EmbeddedDatabase.start(Files.createTempDirectory("lectern-test-pg"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.username", database.user(),
                "quarkus.datasource.password", "");
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
    }
}
