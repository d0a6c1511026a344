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
import java.util.List;
import java.util.Random;
import lectern.gpt.BpeTokenizer;
import lectern.gpt.Checkpoint;
import lectern.gpt.GptConfig;
import lectern.gpt.GptModel;
import lectern.gpt.onnx.ClassifierHead;
import lectern.gpt.onnx.ModelPackage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FinetuneCommandTest {

    @Test
    void trainsEvaluatesAndWritesAnExportableRun(@TempDir Path dir) throws Exception {
        BpeTokenizer tokenizer = BpeTokenizer.of(new int[0][], BpeTokenizer.DEFAULT_SPECIAL_TOKENS);
        GptModel model = new GptModel(new GptConfig(tokenizer.vocabSize(), 32, 16, 2, 2, GptConfig.Positions.LEARNED));
        model.initialize(3);
        Path run = dir.resolve("run");
        Checkpoint.saveModel(run, model, tokenizer);
        // two labels told apart by their words
        StringBuilder jsonl = new StringBuilder();
        Random rng = new Random(1);
        String[][] words = {{"read", "chapter", "novel", "pages"}, {"fixed", "bug", "code", "deploy"}};
        for (int i = 0; i < 40; i++) {
            int y = i % 2;
            String text = words[y][rng.nextInt(4)] + " " + words[y][rng.nextInt(4)] + " " + i;
            jsonl.append("{\"text\": \"").append(text).append("\", \"label\": \"").append(y == 0 ? "book" : "project").append("\"}\n");
        }
        Path data = dir.resolve("items.jsonl");
        Files.writeString(data, jsonl.toString());
        Path out = dir.resolve("tuned");

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new FinetuneCommand()).execute("--checkpoint", run.toString(), "--data", data.toString(),
                    "--mode", "lora", "--epochs", "40", "--lr", "0.01", "--out", out.toString(),
                    "--package", dir.resolve("served").toString());
        } finally {
            System.setOut(original);
        }
        assertEquals(0, exit);
        String text = stdout.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("| majority class | 0.500 |"), text);
        String gptRow = text.lines().filter(l -> l.startsWith("| GPT lora")).findFirst().orElseThrow();
        double accuracy = Double.parseDouble(gptRow.split("\\|")[2].trim());
        assertTrue(accuracy >= 0.75, "held-out accuracy " + accuracy + " on a word-separable task");

        ClassifierHead head = ClassifierHead.readIfPresent(out);
        assertEquals(List.of("book", "project"), head.labels());
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(accuracy, metrics.path("classifier").path("held_out_accuracy").asDouble(), 1e-3);
        GptModel tuned = Checkpoint.loadModel(out);
        float diff = 0;
        for (int i = 0; i < model.parameters().length; i++) {
            diff += Math.abs(tuned.parameters()[i] - model.parameters()[i]);
        }
        assertTrue(diff > 0, "merged LoRA adapters change the attention weights");

        Path pkg = ModelPackage.exportRun(out, dir.resolve("pkg"), ModelPackage.DEFAULT_LABELS, 1);
        JsonNode modelJson = ModelPackage.readModelJson(pkg);
        assertTrue(modelJson.path("classifier_trained").asBoolean());
        assertEquals("book", modelJson.path("labels").get(0).asText());
        assertEquals(accuracy, modelJson.path("metrics").path("classifier").path("held_out_accuracy").asDouble(), 1e-3);

        // --package: generation keeps the pretrained weights, the classifier graph gets the tuned ones
        Path served = dir.resolve("served");
        Path untuned = ModelPackage.exportRun(run, dir.resolve("original"), ModelPackage.DEFAULT_LABELS, 1);
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(untuned.resolve("lm.onnx")), Files.readAllBytes(served.resolve("lm.onnx"))),
                "lm.onnx must come from the pretrained weights");
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(pkg.resolve("classifier.onnx")), Files.readAllBytes(served.resolve("classifier.onnx"))),
                "classifier.onnx must come from the tuned weights and head");
        assertTrue(ModelPackage.readModelJson(served).path("classifier_trained").asBoolean());
    }
}
