package lectern.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL 17 started from the binaries on the classpath (zonky), with its data in a
 * directory that survives restarts. Used when no DB_URL is configured, and by the tests.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /** zonky's lock file: held by the JVM that runs the cluster, released by the OS when that JVM dies. */
    static final String ZONKY_LOCK = "epg-lock";
    static final long STALE_SHUTDOWN_SECONDS = 60;

    /**
     * Starts PostgreSQL on a free port; an existing cluster in {@code dataDirectory} is reused as it is. A postmaster
     * left running by a Lectern that was killed (kill -9, the OOM killer) is stopped first, so the first start after a
     * crash works: see {@link #stopStalePostmaster}.
     */
    public static EmbeddedDatabase start(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
            stopStalePostmaster(dataDirectory);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "100")
                    .start();
            return new EmbeddedDatabase(postgres, dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /**
     * A postmaster.pid whose process is alive while nobody holds zonky's lock on the directory is a postmaster whose
     * JVM died without stopping it (a live Lectern holds the lock for as long as it runs). It is asked to shut down
     * (SIGTERM: it waits for its sessions, whose client is gone, then checkpoints) and, if it has not after a minute,
     * killed; PostgreSQL's crash recovery then replays its WAL, so nothing committed is lost either way.
     */
    static void stopStalePostmaster(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        } catch (RuntimeException e) {
            return; // unreadable: PostgreSQL's own check of its lock file will say what is wrong
        }
        java.util.Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (process.isEmpty()) {
            return; // a pid file of a dead postmaster: PostgreSQL removes it itself
        }
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(dataDirectory.resolve(ZONKY_LOCK),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new IOException("another Lectern is running on the data directory " + dataDirectory
                        + "; stop it, or give this one another LECTERN_DATA_DIR");
            }
            System.err.printf("Lectern: stopping the PostgreSQL (pid %d) left running in %s by a Lectern that did not "
                    + "shut down; its data is kept%n", pid, dataDirectory);
            ProcessHandle postmaster = process.get();
            postmaster.destroy();
            try {
                postmaster.onExit().get(STALE_SHUTDOWN_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                postmaster.destroyForcibly();
                postmaster.onExit().get(STALE_SHUTDOWN_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw new IOException("this JVM already runs a PostgreSQL on " + dataDirectory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the stale PostgreSQL in " + dataDirectory, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the stale PostgreSQL (pid " + pid + ") in " + dataDirectory + " did not stop", e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public String user() {
        return "postgres";
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
