package lectern.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL 17 started from the binaries on the classpath (zonky), with its data in a
 * directory that survives restarts. Used when no DB_URL is configured, and by the tests.
 * <p>
 * Lectern's data directory (LECTERN_DATA_DIR) holds the cluster in {@code postgres/} and retrained classifiers in
 * {@code models/} (lectern.llm.UserClassifiers), so it may be a folder that already holds other files. Installs from
 * before this layout had the cluster in the data directory itself; they are moved into {@code postgres/} in place at
 * the first start ({@link #moveOldLayout}).
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
        Path cluster = clusterDirectory(dataDirectory);
        try {
            checkUsable(dataDirectory);
            Files.createDirectories(dataDirectory);
            if (Files.isRegularFile(dataDirectory.resolve("PG_VERSION")) || Files.isDirectory(dataDirectory.resolve(MOVING))) {
                stopStalePostmaster(dataDirectory);
                moveOldLayout(dataDirectory);
            }
            Files.createDirectories(cluster);
            checkCluster(cluster);
            stopStalePostmaster(cluster);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(cluster)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "100")
                    .start();
            return new EmbeddedDatabase(postgres, dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + cluster + ": " + e.getMessage(), e);
        }
    }

    /** Where the cluster lives inside Lectern's data directory. */
    public static Path clusterDirectory(Path dataDirectory) {
        return dataDirectory.resolve("postgres");
    }

    /** The old layout's files while they move: a crash in the middle is finished at the next start. */
    static final String MOVING = "postgres.moving";

    /**
     * Moves a cluster that sits in the data directory itself (the layout before {@code postgres/}) into
     * {@code postgres/}: every entry but {@code models/} goes into {@code postgres.moving/}, which is then renamed. Each
     * step is a rename on one file system, so nothing is copied and a crash leaves everything in one of the two places,
     * from where the next start goes on.
     */
    static void moveOldLayout(Path dataDirectory) throws IOException {
        Path moving = dataDirectory.resolve(MOVING);
        Path cluster = clusterDirectory(dataDirectory);
        if (Files.exists(cluster) && !Files.isDirectory(moving)) {
            throw new IOException(dataDirectory + " holds both a PostgreSQL cluster and " + cluster
                    + "; keep one of them (the newer is " + cluster + ")");
        }
        Files.createDirectories(moving);
        try { // PostgreSQL refuses a data directory that others may read (it must be 0700, as initdb made the old one)
            Files.setPosixFilePermissions(moving, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to set
        }
        try (java.util.stream.Stream<Path> entries = Files.list(dataDirectory)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.equals(MOVING) && !name.equals("models") && !name.equals("postgres")) {
                    Files.move(entry, moving.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
        Files.move(moving, cluster, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.err.printf("Lectern: moved the PostgreSQL cluster of %s into %s (the data directory now holds postgres/ "
                + "and models/)%n", dataDirectory, cluster);
    }

    /** A data directory that cannot be used gets one line that says why and what to do. */
    static void checkUsable(Path dataDirectory) throws IOException {
        if (Files.exists(dataDirectory) && !Files.isDirectory(dataDirectory)) {
            throw new IOException("LECTERN_DATA_DIR " + dataDirectory + " is a file, not a folder; point it at a folder");
        }
        if (Files.isDirectory(dataDirectory) && !Files.isWritable(dataDirectory)) {
            throw new IOException("LECTERN_DATA_DIR " + dataDirectory + " is not writable by this user; fix its "
                    + "permissions or point LECTERN_DATA_DIR at a folder you own");
        }
    }

    /** postgres/ is Lectern's: empty, or a cluster. Anything else there is someone else's, and stays untouched. */
    private static void checkCluster(Path cluster) throws IOException {
        if (Files.isRegularFile(cluster.resolve("PG_VERSION"))) {
            return;
        }
        try (java.util.stream.Stream<Path> entries = Files.list(cluster)) {
            java.util.List<Path> others = entries.filter(p -> !p.getFileName().toString().equals(ZONKY_LOCK)).toList();
            if (!others.isEmpty()) {
                throw new IOException(cluster + " holds files that are not a PostgreSQL cluster (" + others.get(0).getFileName()
                        + ", ...); move them away or point LECTERN_DATA_DIR at another folder");
            }
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
