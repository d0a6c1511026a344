package lectern.database;

import java.nio.file.Path;
import java.util.Map;

/**
 * Decides where Lectern's data lives: the PostgreSQL named by DB_URL, or an embedded one under
 * LECTERN_DATA_DIR (default ~/.local/share/lectern). Returns the Quarkus properties to set.
 */
public final class DatabaseChoice {

    private DatabaseChoice() {
    }

    /** Accepts both {@code jdbc:postgresql://host/db} and libpq-style {@code postgresql://host/db}. */
    public static String toJdbcUrl(String dbUrl) {
        String url = dbUrl.trim();
        if (url.startsWith("jdbc:")) {
            return url;
        }
        if (url.startsWith("postgres://")) {
            return "jdbc:postgresql://" + url.substring("postgres://".length());
        }
        if (url.startsWith("postgresql://")) {
            return "jdbc:" + url;
        }
        throw new IllegalArgumentException("DB_URL must look like jdbc:postgresql://host:5432/lectern, got: " + dbUrl);
    }

    public static Path defaultDataDirectory(Map<String, String> env) {
        String configured = env.get("LECTERN_DATA_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("lectern");
    }
}
