package lectern.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import lectern.gpt.Checkpoint;
import lectern.gpt.GptConfig;
import lectern.gpt.GptModel;
import lectern.gpt.TokenFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EvalLmCommandTest {

    @Test
    void printsLossAndTokenCountAsJson(@TempDir Path dir) throws Exception {
        GptModel model = new GptModel(new GptConfig(32, 8, 16, 1, 2, GptConfig.Positions.NONE));
        model.initialize(11);
        Checkpoint.saveModel(dir.resolve("run"), model, null);
        int[] tokens = new int[21]; // two full windows of 8 and a last window of 4 targets
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 7) % 32;
        }
        TokenFile.write(dir.resolve("val.bin"), tokens);

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new EvalLmCommand()).execute("--checkpoint", dir.resolve("run").toString(),
                    "--tokens", dir.resolve("val.bin").toString());
        } finally {
            System.setOut(original);
        }
        assertEquals(0, exit);
        String out = stdout.toString(StandardCharsets.UTF_8).trim();
        JsonNode json = new ObjectMapper().readTree(out);
        List<String> keys = new java.util.ArrayList<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        assertEquals(List.of("loss", "tokens"), keys);
        assertEquals(20, json.get("tokens").asLong());

        // The same mean, window by window, token-weighted.
        double sum = 0;
        int[][] windows = {{0, 8}, {8, 8}, {16, 4}};
        for (int[] w : windows) {
            int[] in = java.util.Arrays.copyOfRange(tokens, w[0], w[0] + w[1]);
            int[] tg = java.util.Arrays.copyOfRange(tokens, w[0] + 1, w[0] + w[1] + 1);
            sum += model.forward(in, tg, 1, w[1]) * w[1];
        }
        assertEquals(sum / 20, json.get("loss").asDouble(), 1e-5);
    }
}
