package lectern.cli;

import lectern.gpt.Checkpoint;
import lectern.gpt.GptModel;
import lectern.gpt.HeldOutLoss;
import lectern.gpt.TokenFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "eval-lm", mixinStandardHelpOptions = true,
        description = "Prints the mean next-token cross-entropy of a checkpoint on a uint16 token file as {\"loss\": x, \"tokens\": n}.")
public final class EvalLmCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, description = "Run directory.")
    Path checkpoint;

    @Option(names = "--tokens", required = true, description = "uint16 token file.")
    Path tokens;

    @Option(names = "--batch", defaultValue = "8", description = "Windows per forward pass (default ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() throws Exception {
        GptModel model = Checkpoint.loadModel(checkpoint);
        HeldOutLoss.Result result = HeldOutLoss.measure(model, TokenFile.open(tokens), batch);
        System.out.println(String.format(Locale.ROOT, "{\"loss\": %.6f, \"tokens\": %d}", result.loss(), result.tokens()));
        return 0;
    }
}
