package lectern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import lectern.gpt.BpeTokenizer;
import lectern.gpt.Checkpoint;
import lectern.gpt.GptConfig;
import lectern.gpt.GptModel;
import lectern.gpt.onnx.ModelPackage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** finetune-summaries -> finetune --package -> eval-summaries --record, on a tiny model and a handful of pairs. */
class SummariesCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tunesPackagesAndScoresAgainstTheLeadBaseline(@TempDir Path dir) throws Exception {
        BpeTokenizer tokenizer = BpeTokenizer.of(new int[0][], BpeTokenizer.DEFAULT_SPECIAL_TOKENS);
        GptModel model = new GptModel(new GptConfig(tokenizer.vocabSize(), 96, 16, 2, 2, GptConfig.Positions.LEARNED));
        model.initialize(3);
        Path pretrained = dir.resolve("pretrained");
        Checkpoint.saveModel(pretrained, model, tokenizer);
        String[] tools = {"zip", "tar", "ssh", "vim", "git", "gcc", "make", "curl", "wget", "perl", "rsync", "nano"};
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            String name = tools[i % tools.length];
            String split = i % 4 == 0 ? "test" : "train";
            jsonl.append(JSON.writeValueAsString(java.util.Map.of("package", name + i, "family", name + i, "split", split,
                    "synopsis", name + " tool", "description", "The " + name + " tool helps. It is small."))).append('\n');
        }
        Path pairs = dir.resolve("pairs.jsonl");
        Files.writeString(pairs, jsonl.toString());

        Path tuned = dir.resolve("tuned");
        assertEquals(0, new CommandLine(new FinetuneSummariesCommand()).execute("--checkpoint", pretrained.toString(),
                "--pairs", pairs.toString(), "--out", tuned.toString(), "--steps", "30", "--batch", "4", "--lr", "3e-3",
                "--val-pairs", "4"));
        JsonNode tuning = JSON.readTree(tuned.resolve("metrics.json").toFile()).path("summary_tuning");
        assertEquals(26, tuning.path("training_pairs").asInt(), "30 training-family pairs less 4 held out");
        assertTrue(tuning.path("held_out_summary_loss_after").asDouble() < tuning.path("held_out_summary_loss_before").asDouble(),
                tuning.toString());
        assertEquals(30, Files.readAllLines(tuned.resolve("summary_log.jsonl")).size());

        Path served = dir.resolve("served");
        PrintStream original = System.out;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            assertEquals(0, new CommandLine(new FinetuneCommand()).execute("--checkpoint", tuned.toString(),
                    "--test-every", "0", "--epochs", "1", "--package", served.toString()));
            assertEquals(0, new CommandLine(new EvalSummariesCommand()).execute("--model", served.toString(),
                    "--pairs", pairs.toString(), "--max-tokens", "8", "--examples", "1", "--record"));
        } finally {
            System.setOut(original);
        }
        String text = stdout.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("held-out source families: 10 test pairs"), text);
        // the lead baseline's first sentence "The X tool helps" cut to 2 words is "The X": ROUGE-1 F1 1/2 on every pair
        assertTrue(text.contains("| lead baseline (first sentence, cut to the reference's length) | 50.0 | 0.0 | 50.0 | 0.0% |"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("| GPT, copy-aware decoding, best of") && l.contains("(**served**) |")), text);

        JsonNode metrics = ModelPackage.readModelJson(served).path("metrics");
        assertEquals(26, metrics.path("summary_tuning").path("training_pairs").asInt(), "finetune --package keeps the checkpoint's metrics");
        assertEquals(10, metrics.path("summarization").path("test_pairs").asInt());
        assertEquals(0.5, metrics.path("summarization").path("lead_baseline").path("rougeL").asDouble(), 1e-9);
    }
}
