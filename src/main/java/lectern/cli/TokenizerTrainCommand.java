package lectern.cli;

import lectern.gpt.BpeTokenizer;
import lectern.gpt.CorpusText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "tokenizer-train", mixinStandardHelpOptions = true,
        description = "Learns a byte-level BPE tokenizer from corpus text files (documents separated by <|endoftext|> lines).")
public final class TokenizerTrainCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, split = ",", arity = "1..*", description = "Corpus text files.")
    List<Path> inputs;

    @Option(names = "--vocab", defaultValue = "4096", description = "Vocabulary size, special tokens included (default ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--out", required = true, description = "Where to write tokenizer.json.")
    Path out;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        List<String> docs = new ArrayList<>();
        long chars = 0;
        for (Path input : inputs) {
            for (String doc : CorpusText.documents(input)) {
                docs.add(doc);
                chars += doc.length();
            }
        }
        BpeTokenizer tokenizer = BpeTokenizer.train(docs, vocab, BpeTokenizer.DEFAULT_SPECIAL_TOKENS);
        tokenizer.save(out);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf("tokenizer-train: %d documents, %,d characters, %d merges, vocab %d, %.1f s -> %s%n",
                docs.size(), chars, tokenizer.merges().length, tokenizer.vocabSize(), seconds, out);
        return 0;
    }
}
