package lectern.cli;

import lectern.gpt.BpeTokenizer;
import lectern.gpt.Checkpoint;
import lectern.gpt.TokenFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** corpus -> tokenizer-train -> tokenize -> train -> train --resume -> sample, through the command line. */
class PipelineCommandsTest {

    @Test
    void theDocumentedPipelineRunsEndToEnd(@TempDir Path dir) throws Exception {
        StringBuilder corpus = new StringBuilder();
        String[] sentences = {"The reader finished the book today.", "This package provides a small library.",
                "A gloss: a short note that explains a word.", "Progress is measured in pages per day."};
        for (int doc = 0; doc < 60; doc++) {
            if (doc > 0) {
                corpus.append("\n<|endoftext|>\n");
            }
            for (int s = 0; s < 6; s++) {
                corpus.append(sentences[(doc + s) % sentences.length]).append(' ');
            }
        }
        Path text = dir.resolve("corpus.txt");
        Files.writeString(text, corpus.toString());

        assertEquals(0, LecternCli.run("tokenizer-train", "--input", text.toString(), "--vocab", "300",
                "--out", dir.resolve("tokenizer.json").toString()));
        assertEquals(300, BpeTokenizer.load(dir.resolve("tokenizer.json")).vocabSize());
        Path data = dir.resolve("tokens");
        assertEquals(0, LecternCli.run("tokenize", "--tokenizer", dir.resolve("tokenizer.json").toString(),
                "--input", text.toString(), "--out", data.toString(), "--val-fraction", "0.2"));
        assertTrue(TokenFile.open(data.resolve("train.bin")).length() > 500);
        assertTrue(TokenFile.open(data.resolve("val.bin")).length() > 50);
        assertTrue(Files.exists(data.resolve("tokenizer.json")));

        Path config = dir.resolve("tiny.json");
        Files.writeString(config, "{\"vocab_size\": 300, \"block_size\": 16, \"n_embd\": 16, \"n_layer\": 1, "
                + "\"n_head\": 2, \"positions\": \"learned\"}");
        Path run = dir.resolve("run");
        String[] train = {"train", "--config", config.toString(), "--data", data.toString(), "--out", run.toString(),
                "--seed", "5", "--batch", "2", "--eval-every", "2", "--eval-windows", "2", "--checkpoint-every", "2"};
        assertEquals(0, LecternCli.run(concat(train, "--steps", "4", "--positions", "none")));
        assertTrue(Files.readString(run.resolve("config.json")).contains("\"none\""));
        assertEquals(4, Checkpoint.readTrainerState(run).step());
        assertEquals(0, LecternCli.run(concat(train, "--steps", "6", "--resume")));
        assertEquals(6, Checkpoint.readTrainerState(run).step());
        List<String> log = Files.readAllLines(run.resolve("train_log.jsonl"));
        assertEquals(7, log.size(), String.join("\n", log)); // step 0 (validation only) and steps 1..6

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            assertEquals(0, LecternCli.run("sample", "--checkpoint", run.toString(), "--prompt", "The reader",
                    "--max-tokens", "5", "--seed", "3"));
        } finally {
            System.setOut(original);
        }
        assertTrue(stdout.toString(StandardCharsets.UTF_8).startsWith("The reader"));
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
