package lectern.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own for tests that start several Lecterns on one database, as a deployment would: Debian's
 * {@code postgresql} package (which {@code .ci/run} installs) in a temporary cluster on a free port, run as the
 * {@code postgres} user when the tests run as root (the server refuses root). Where that package is missing (a
 * developer's machine), the embedded PostgreSQL binaries Lectern ships, started on a free port, stand in for it.
 */
final class PostgresServer implements AutoCloseable {

    private final Path directory;
    private final Path bin;
    private final EmbeddedPostgres embedded;
    private final int port;
    private final String user;
    private final String database;
    private final String description;

    private PostgresServer(Path directory, Path bin, EmbeddedPostgres embedded, int port, String user, String database,
                           String description) {
        this.directory = directory;
        this.bin = bin;
        this.embedded = embedded;
        this.port = port;
        this.user = user;
        this.database = database;
        this.description = description;
    }

    static PostgresServer start() throws Exception {
        Path bin = debianBinaries();
        int port = freePort();
        if (bin == null) {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().setPort(port).start();
            return new PostgresServer(null, null, pg, port, "postgres", "postgres",
                    "embedded PostgreSQL binaries (no Debian postgresql package here)");
        }
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "lectern-pg-");
        if (root()) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
        }
        Path data = dir.resolve("data");
        PostgresServer server = new PostgresServer(dir, bin, null, port, "lectern", "postgres",
                "Debian PostgreSQL in " + bin.getParent());
        try {
            run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "lectern", "--auth=trust",
                    "-E", "UTF8", "--no-sync"), true);
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                    "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                            + " -c max_connections=200", "start"), true);
        } catch (Exception e) {
            server.close(); // a server that half started is stopped, and the directory removed
            throw e;
        }
        return server;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    String user() {
        return user;
    }

    @Override
    public String toString() {
        return description + " on port " + port;
    }

    @Override
    public void close() throws Exception {
        if (embedded != null) {
            embedded.close();
            return;
        }
        try {
            if (Files.isRegularFile(directory.resolve("data").resolve("postmaster.pid"))) {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", directory.resolve("data").toString(), "-m",
                        "immediate", "-w", "stop"), true);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(directory)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The newest Debian PostgreSQL's bin directory, or null. */
    private static Path debianBinaries() throws IOException {
        Path versions = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(versions)) {
            return null;
        }
        try (Stream<Path> all = Files.list(versions)) {
            return all.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(PostgresServer::majorVersion)).orElse(null);
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs a command to its end (as the postgres user when asked and running as root); fails with its output. */
    private static void run(List<String> command, boolean asPostgres) throws Exception {
        List<String> full = new ArrayList<>();
        if (asPostgres && root()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path out = Files.createTempFile("lectern-pg-command", ".log");
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            if (!ended || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + (ended ? " failed:\n" : " did not end in 120 s:\n")
                        + Files.readString(out));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
