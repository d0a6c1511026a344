package lectern.database;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedDatabaseTest {

    @Test
    void dataSurvivesARestartInTheSameDirectory(@TempDir Path dataDirectory) throws SQLException {
        try (EmbeddedDatabase first = EmbeddedDatabase.start(dataDirectory);
             Connection connection = DriverManager.getConnection(first.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE shelf (title TEXT)");
            statement.execute("INSERT INTO shelf VALUES ('The Name of the Rose')");
        }
        try (EmbeddedDatabase second = EmbeddedDatabase.start(dataDirectory);
             Connection connection = DriverManager.getConnection(second.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT title FROM shelf")) {
            assertTrue(rows.next());
            assertEquals("The Name of the Rose", rows.getString(1));
        }
    }

    /**
     * kill -9 of the JVM while two clients write: the next start in the same directory works at once (the postmaster
     * the dead JVM left behind is stopped first), and every write that was acknowledged is there.
     */
    @Test
    void theFirstStartAfterAKilledJvmWorksAndKeepsEveryAcknowledgedWrite(@TempDir Path dataDirectory) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                CrashingWriter.class.getName(), dataDirectory.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        java.util.Set<Long> acknowledged = new java.util.HashSet<>();
        try (java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
            String line;
            while (acknowledged.size() < 300 && (line = out.readLine()) != null) {
                acknowledged.add(Long.parseLong(line.strip()));
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hook, the postmaster outlives the JVM
            child.waitFor();
        }
        assertTrue(acknowledged.size() >= 300, "the child wrote " + acknowledged.size() + " rows before it was killed");
        assertTrue(java.nio.file.Files.exists(EmbeddedDatabase.clusterDirectory(dataDirectory).resolve("postmaster.pid")),
                "the postmaster outlived its JVM");
        try (EmbeddedDatabase again = EmbeddedDatabase.start(dataDirectory);
             Connection connection = DriverManager.getConnection(again.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM acknowledged")) {
            java.util.Set<Long> stored = new java.util.HashSet<>();
            while (rows.next()) {
                stored.add(rows.getLong(1));
            }
            assertTrue(stored.containsAll(acknowledged), "lost: " + acknowledged.stream().filter(id -> !stored.contains(id)).toList());
        }
    }

    /** An install from before postgres/ (the cluster in the data directory itself) moves in place and keeps its data. */
    @Test
    void anOldLayoutMovesIntoPostgresInPlace(@TempDir Path dataDirectory) throws Exception {
        try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres old = io.zonky.test.db.postgres.embedded.EmbeddedPostgres
                .builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).start();
             Connection connection = DriverManager.getConnection(old.getJdbcUrl("postgres", "postgres"));
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE shelf (title TEXT)");
            statement.execute("INSERT INTO shelf VALUES ('Middlemarch')");
        }
        java.nio.file.Files.createDirectories(dataDirectory.resolve("models/user-1/v1"));
        java.nio.file.Files.writeString(dataDirectory.resolve("models/user-1/v1/classifier.json"), "{}");
        assertTrue(java.nio.file.Files.exists(dataDirectory.resolve("PG_VERSION")), "the old layout");

        try (EmbeddedDatabase moved = EmbeddedDatabase.start(dataDirectory);
             Connection connection = DriverManager.getConnection(moved.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT title FROM shelf")) {
            assertTrue(rows.next());
            assertEquals("Middlemarch", rows.getString(1));
        }
        assertTrue(java.nio.file.Files.exists(dataDirectory.resolve("postgres/PG_VERSION")));
        assertTrue(!java.nio.file.Files.exists(dataDirectory.resolve("PG_VERSION")));
        assertEquals("{}", java.nio.file.Files.readString(dataDirectory.resolve("models/user-1/v1/classifier.json")));
        // and the next start just works
        try (EmbeddedDatabase again = EmbeddedDatabase.start(dataDirectory);
             Connection connection = DriverManager.getConnection(again.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM shelf")) {
            assertTrue(rows.next());
            assertEquals(1, rows.getInt(1));
        }
    }

    @Test
    void aFolderThatHoldsOtherFilesIsFineAndAnUnusableOneGetsOneLine(@TempDir Path folder) throws Exception {
        java.nio.file.Files.writeString(folder.resolve("notes.txt"), "my own file");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(folder)) {
            assertTrue(db.jdbcUrl().startsWith("jdbc:postgresql:"));
        }
        assertEquals("my own file", java.nio.file.Files.readString(folder.resolve("notes.txt")));

        Path file = folder.resolve("a-file");
        java.nio.file.Files.writeString(file, "x");
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> EmbeddedDatabase.start(file));
        assertTrue(e.getMessage().contains("is a file, not a folder") && !e.getMessage().contains("\n"), e.getMessage());

        Path other = folder.resolve("other");
        java.nio.file.Files.createDirectories(other.resolve("postgres"));
        java.nio.file.Files.writeString(other.resolve("postgres/holiday.jpg"), "not a cluster");
        e = assertThrows(java.io.UncheckedIOException.class, () -> EmbeddedDatabase.start(other));
        assertTrue(e.getMessage().contains("not a PostgreSQL cluster"), e.getMessage());
        assertEquals("not a cluster", java.nio.file.Files.readString(other.resolve("postgres/holiday.jpg")));
    }

    @Test
    void dbUrlFormsAreAccepted() {
        assertEquals("jdbc:postgresql://db:5432/lectern", DatabaseChoice.toJdbcUrl("jdbc:postgresql://db:5432/lectern"));
        assertEquals("jdbc:postgresql://db/lectern", DatabaseChoice.toJdbcUrl("postgresql://db/lectern"));
        assertEquals("jdbc:postgresql://db/lectern", DatabaseChoice.toJdbcUrl("postgres://db/lectern"));
        assertThrows(IllegalArgumentException.class, () -> DatabaseChoice.toJdbcUrl("mysql://db/lectern"));
    }

    @Test
    void dataDirectoryDefaultsUnderLocalShare() {
        assertEquals(Path.of("/srv/lectern"), DatabaseChoice.defaultDataDirectory(Map.of("LECTERN_DATA_DIR", "/srv/lectern")));
        assertEquals(Path.of("/x/lectern"), DatabaseChoice.defaultDataDirectory(Map.of("XDG_DATA_HOME", "/x")));
        assertEquals(Path.of(System.getProperty("user.home"), ".local", "share", "lectern"),
                DatabaseChoice.defaultDataDirectory(Map.of()));
    }
}
