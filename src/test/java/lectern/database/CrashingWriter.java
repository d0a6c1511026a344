package lectern.database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * A child JVM for {@link EmbeddedDatabaseTest}: starts the embedded PostgreSQL in args[0] and writes rows for ever (two
 * writers at once), printing the id of each row once its commit is acknowledged, until it is killed.
 */
public final class CrashingWriter {

    public static void main(String[] args) throws Exception {
        EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]));
        try (Connection c = DriverManager.getConnection(database.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS acknowledged (id BIGINT PRIMARY KEY)");
        }
        Runnable writer = () -> {
            try (Connection c = DriverManager.getConnection(database.jdbcUrl());
                 PreparedStatement insert = c.prepareStatement("INSERT INTO acknowledged VALUES (?)")) {
                for (long id = Thread.currentThread().getName().equals("even") ? 0 : 1; ; id += 2) {
                    insert.setLong(1, id);
                    insert.executeUpdate(); // autocommit: acknowledged once this returns
                    synchronized (System.out) {
                        System.out.println(id);
                        System.out.flush();
                    }
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
        };
        Thread even = new Thread(writer, "even");
        Thread odd = new Thread(writer, "odd");
        even.start();
        odd.start();
        even.join();
    }
}
