package lectern.cli;

import lectern.gpt.BpeTokenizer;
import lectern.gpt.Checkpoint;
import lectern.gpt.GptModel;
import lectern.gpt.Sampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Generates text from a checkpoint; prints the prompt and continuation, then tokens/s on stderr.")
public final class SampleCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, description = "Run directory.")
    Path checkpoint;

    @Option(names = "--prompt", defaultValue = "", description = "Text to continue (empty: start after <|endoftext|>).")
    String prompt;

    @Option(names = "--temperature", defaultValue = "0.8", description = "0 is greedy (default ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", defaultValue = "40", description = "0 keeps all tokens (default ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", description = "1 keeps all tokens (default ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--seed", defaultValue = "1337", description = "(default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--max-tokens", defaultValue = "200", description = "(default ${DEFAULT-VALUE})")
    int maxTokens;

    @Override
    public Integer call() throws Exception {
        GptModel model = Checkpoint.loadModel(checkpoint);
        BpeTokenizer tokenizer = Checkpoint.loadTokenizer(checkpoint);
        int eot = tokenizer.endOfTextId();
        int[] promptIds = tokenizer.encode(prompt, true);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.print(prompt);
        // Tokens can end inside a multi-byte character: print only up to the last complete character.
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int[] generated = new Sampler(model).generate(promptIds, eot,
                new Sampler.Settings(temperature, topK, topP, maxTokens, seed, eot), id -> {
                    if (id == eot) {
                        return;
                    }
                    byte[] b = tokenizer.tokenBytes(id);
                    pending.write(b, 0, b.length);
                    byte[] bytes = pending.toByteArray();
                    int complete = completeUtf8Prefix(bytes);
                    out.print(new String(bytes, 0, complete, StandardCharsets.UTF_8));
                    pending.reset();
                    pending.write(bytes, complete, bytes.length - complete);
                });
        double seconds = (System.nanoTime() - start) / 1e9;
        out.println(new String(pending.toByteArray(), StandardCharsets.UTF_8));
        System.err.printf("sample: %d tokens in %.2f s, %.1f tokens/s%n", generated.length, seconds, generated.length / seconds);
        return 0;
    }

    /** Length of the longest prefix that does not end inside a UTF-8 multi-byte sequence. */
    static int completeUtf8Prefix(byte[] bytes) {
        int n = bytes.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int b = bytes[n - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // continuation byte, look further back for the lead byte
            }
            int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? n - back : n;
        }
        return n;
    }
}
