package lectern.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: every command except {@code serve}, which LecternMain handles. */
@Command(name = "lectern", mixinStandardHelpOptions = true,
        description = "Lectern: reading and learning tracker. Without a command (or with 'serve') it runs the web app.",
        subcommands = {TrainCommand.class, SampleCommand.class, EvalLmCommand.class, TokenizerTrainCommand.class,
                TokenizeCommand.class, BenchTrainCommand.class, EvalCommand.class, FinetuneCommand.class,
                FinetuneSummariesCommand.class, EvalSummariesCommand.class})
public final class LecternCli {

    private LecternCli() {
    }

    /** Runs a command without Quarkus (development: {@code java -cp target/classes:... lectern.cli.LecternCli train ...}). */
    public static void main(String... args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with every command registered (tests set its out and err). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new LecternCli());
        LlmCommands.register(cli); // export-onnx, generate, classify, summarize, bench-llm, bench-http (the model room's commands)
        TransferCommands.register(cli); // import, export (talk to a running Lectern over HTTP)
        return cli;
    }
}
