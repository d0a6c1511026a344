package lectern.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command's --help prints without picocli warnings, and training on too few tokens is a clear exit 2. */
class CliHelpTest {

    @Test
    void everyCommandsHelpPrintsCleanly() {
        CommandLine cli = LecternCli.commandLine();
        assertTrue(cli.getSubcommands().size() >= 15, cli.getSubcommands().keySet().toString());
        PrintStream originalErr = System.err;
        for (String name : cli.getSubcommands().keySet()) {
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            StringWriter out = new StringWriter();
            int exit;
            try {
                System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8)); // picocli's tracer writes here
                CommandLine fresh = LecternCli.commandLine();
                fresh.setOut(new PrintWriter(out));
                exit = fresh.execute(name, "--help");
            } finally {
                System.setErr(originalErr);
            }
            String warnings = stderr.toString(StandardCharsets.UTF_8);
            assertEquals(0, exit, name);
            assertTrue(out.toString().contains("Usage: lectern " + name), name + ": " + out);
            assertFalse(warnings.contains("WARN"), name + " --help warned: " + warnings);
        }
    }

    @Test
    void trainingOnFewerTokensThanAWindowIsExit2WithWhatToDo(@TempDir Path dir) throws Exception {
        Path train = dir.resolve("train.bin");
        Files.write(train, new byte[20]); // 10 tokens
        StringWriter err = new StringWriter();
        CommandLine cli = LecternCli.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("train", "--config", "micro", "--train", train.toString(), "--out", dir.resolve("run").toString(),
                "--steps", "1");
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("has 10 tokens, fewer than one window"), err.toString());
    }
}
