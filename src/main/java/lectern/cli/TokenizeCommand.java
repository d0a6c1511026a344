package lectern.cli;

import lectern.gpt.BpeTokenizer;
import lectern.gpt.CorpusText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Encodes corpus text files into uint16 token files train.bin and val.bin (plus a copy of tokenizer.json).")
public final class TokenizeCommand implements Callable<Integer> {

    @Option(names = "--tokenizer", required = true, description = "tokenizer.json")
    Path tokenizerFile;

    @Option(names = "--input", required = true, split = ",", arity = "1..*", description = "Corpus text files.")
    List<Path> inputs;

    @Option(names = "--out", required = true, description = "Directory for train.bin and val.bin.")
    Path out;

    @Option(names = "--val-fraction", defaultValue = "0.05", description = "Share of documents held out (default ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--seed", defaultValue = "1337", description = "Seed of the train/validation split (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        BpeTokenizer tokenizer = BpeTokenizer.load(tokenizerFile);
        CorpusText.Split split = CorpusText.tokenize(tokenizer, inputs, out, valFraction, seed);
        tokenizer.save(out.resolve("tokenizer.json")); // train --data DIR finds the tokenizer next to the tokens
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf("tokenize: %d documents -> %,d train tokens, %,d validation tokens in %s (%.1f s, %,.0f tokens/s)%n",
                split.documents(), split.trainTokens(), split.validationTokens(), out, seconds,
                (split.trainTokens() + split.validationTokens()) / seconds);
        if (valFraction > 0 && split.validationTokens() == 0) {
            System.err.printf("tokenize: the validation split is empty (%d documents x --val-fraction %s rounds to none): give "
                    + "more documents or a larger --val-fraction; train needs a val.bin to measure held-out loss%n",
                    split.documents(), valFraction);
            return 2;
        }
        return 0;
    }
}
