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
