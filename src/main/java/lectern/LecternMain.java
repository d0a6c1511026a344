package lectern;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import lectern.cli.LecternCli;
import lectern.database.DatabaseChoice;
import lectern.database.EmbeddedDatabase;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;

/**
 * One jar, several commands: {@code serve} (the default) runs the web app; anything else is a
 * command-line tool (train, sample, ...) that runs without starting the server.
 */
@QuarkusMain
public class LecternMain {

    private static final Logger LOG = Logger.getLogger(LecternMain.class);

    public static void main(String... args) {
        if (preferScalarKernelsInNativeImage(System.getProperties())) {
            LOG.info("Native image: the GPT kernels run scalar (no Vector API in a native image)");
        }
        if (args.length > 0 && !"serve".equals(args[0])) {
            System.exit(LecternCli.run(args));
        }
        String[] serverArgs = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
        chooseDatabase(System.getenv());
        Quarkus.run(serverArgs);
    }

    /**
     * A native image has no jdk.incubator.vector, so the GPT kernels must take their scalar path there (and the image
     * must never try to load the Vector API kernels). GraalVM sets {@code org.graalvm.nativeimage.imagecode} in a
     * native image; {@code lectern.gpt.simd=false} is what makes lectern.gpt choose its scalar kernels. Returns true
     * when it was set. Runs before anything in lectern.gpt chooses its kernels.
     */
    static boolean preferScalarKernelsInNativeImage(Properties properties) {
        if (properties.getProperty("org.graalvm.nativeimage.imagecode") == null) {
            return false;
        }
        properties.setProperty("lectern.gpt.simd", "false");
        return true;
    }

    /** Points the datasource at DB_URL, or starts the embedded PostgreSQL, before Quarkus reads its config. */
    static void chooseDatabase(Map<String, String> env) {
        if (System.getProperty("quarkus.datasource.jdbc.url") != null) {
            LOG.infof("Database: %s (from quarkus.datasource.jdbc.url)", System.getProperty("quarkus.datasource.jdbc.url"));
            return;
        }
        String dbUrl = env.get("DB_URL");
        if (dbUrl != null && !dbUrl.isBlank()) {
            String jdbcUrl = DatabaseChoice.toJdbcUrl(dbUrl);
            System.setProperty("quarkus.datasource.jdbc.url", jdbcUrl);
            LOG.infof("Database: external PostgreSQL at %s (DB_URL)", jdbcUrl);
            return;
        }
        Path dataDirectory = DatabaseChoice.defaultDataDirectory(env);
        EmbeddedDatabase database;
        try {
            database = EmbeddedDatabase.start(dataDirectory);
        } catch (java.io.UncheckedIOException e) {
            // one line that says what to do, not a stack trace
            System.err.println("Lectern: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(database::close, "embedded-postgres-stop"));
        System.setProperty("quarkus.datasource.jdbc.url", database.jdbcUrl());
        System.setProperty("quarkus.datasource.username", database.user());
        System.setProperty("quarkus.datasource.password", "");
        LOG.infof("Database: embedded PostgreSQL 17 on port %d, data in %s (set DB_URL to use your own server)",
                database.port(), EmbeddedDatabase.clusterDirectory(dataDirectory));
    }
}
