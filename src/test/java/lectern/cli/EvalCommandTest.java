package lectern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lectern.gpt.BpeTokenizer;
import lectern.gpt.Checkpoint;
import lectern.gpt.GptConfig;
import lectern.gpt.GptModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalCommandTest {

    /** A Brown-shaped fixture: news texts talk about votes, romance texts about love; each text has 3 paragraphs. */
    private static void writeBrown(Path dir) throws Exception {
        StringBuilder cats = new StringBuilder();
        for (String genre : List.of("news", "romance")) {
            String words = genre.equals("news") ? "the/at jury/nn voted/vbd on/in the/at bill/nn" : "she/pps loved/vbd him/ppo with/in all/abn heart/nn";
            for (int i = 1; i <= 10; i++) {
                String id = "c" + (genre.equals("news") ? 'a' : 'p') + String.format("%02d", i);
                cats.append(id).append(' ').append(genre).append('\n');
                StringBuilder text = new StringBuilder();
                for (int p = 0; p < 3; p++) {
                    text.append("\n\n\t").append(words).append(" today/nr ").append(words).append(" ./.\n");
                }
                Files.writeString(dir.resolve(id), text.toString());
            }
        }
        Files.writeString(dir.resolve("cats.txt"), cats.toString());
    }

    @Test
    void printsATableWithBaselinesAndEveryMode(@TempDir Path dir) throws Exception {
        Path brown = Files.createDirectories(dir.resolve("brown"));
        writeBrown(brown);
        BpeTokenizer tokenizer = BpeTokenizer.of(new int[0][], BpeTokenizer.DEFAULT_SPECIAL_TOKENS);
        GptModel model = new GptModel(new GptConfig(tokenizer.vocabSize(), 32, 16, 2, 2, GptConfig.Positions.LEARNED));
        model.initialize(5);
        Path run = dir.resolve("run");
        Checkpoint.saveModel(run, model, tokenizer);

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new EvalCommand()).execute("--task", "brown", "--brown", brown.toString(), "--checkpoint", run.toString(),
                    "--labels", "groups", "--test-every", "5", "--min-words", "5", "--epochs", "2", "--head-epochs", "30",
                    "--max-tokens", "24");
        } finally {
            System.setOut(original);
        }
        assertEquals(0, exit);
        List<String> rows = stdout.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("| ") && !l.startsWith("| method")).toList();
        assertEquals(6, rows.size(), String.join("\n", rows));
        assertTrue(rows.get(0).startsWith("| majority class"));
        assertTrue(rows.get(1).contains("whole paragraphs"));
        assertTrue(rows.get(2).contains("first 24 tokens"));
        assertTrue(rows.get(3).startsWith("| GPT head") && rows.get(4).startsWith("| GPT last-block") && rows.get(5).startsWith("| GPT lora"));
        // 2 test texts per genre (ca01, ca06, cp01, cp06), 3 paragraphs each: the majority class gets exactly half right
        assertTrue(rows.get(0).contains("| 0.500 |"), rows.get(0));
        // word identity separates the classes: TF-IDF and the trained head on whole sentences are perfect
        assertTrue(rows.get(1).contains("| 1.000 | 1.000 |"), rows.get(1));
        assertTrue(rows.get(3).contains("| 1.000 | 1.000 |"), rows.get(3));
    }
}
