package lectern.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import lectern.gpt.GptModel;
import lectern.gpt.onnx.ModelPackage;
import lectern.gpt.onnx.OnnxExporter;
import lectern.gpt.onnx.OnnxImporter;
import lectern.gpt.onnx.OnnxNames;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "export-onnx", mixinStandardHelpOptions = true,
        description = {"Writes a served model directory (lm.onnx, classifier.onnx, tokenizer.json, model.json; "
                + "see model/CONTRACT.md) from a training run directory,",
                "or, with --model, writes a model directory's lm.onnx and classifier.onnx again from its own trunk (to change --lm-weights); "
                        + "its classifier, tokenizer and metrics stay as they are."})
public final class ExportOnnxCommand implements Callable<Integer> {

    static final class Source {
        @Option(names = "--checkpoint", required = true, description = "Run directory (config.json, model.safetensors, tokenizer.json).")
        Path checkpoint;

        @Option(names = "--model", required = true, description = "A served model directory whose lm.onnx to write again.")
        Path model;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--out", description = "Model directory to write (e.g. model/ or LECTERN_MODEL_DIR); with --model, "
            + "default: that directory.")
    Path out;

    @Option(names = "--labels", split = ",", description = "Labels of the untrained classifier head when the run has no "
            + "classifier.safetensors (default: ${DEFAULT-VALUE}).",
            defaultValue = "reading,paper,coding,math,writing,other")
    List<String> labels;

    @Option(names = "--seed", defaultValue = "1337", description = "Seed of an untrained head (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lm-weights", defaultValue = "float32",
            description = "How lm.onnx stores its matrix weights: float32 (standard ops only) or int8 (blocks of 32 with a "
                    + "scale each, ONNX Runtime's MatMulNBits: faster generation; default ${DEFAULT-VALUE}).")
    String lmWeights;

    @Override
    public Integer call() throws Exception {
        OnnxExporter.MatrixWeights weights;
        try {
            weights = OnnxExporter.MatrixWeights.valueOf(lmWeights.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("--lm-weights must be float32 or int8, was " + lmWeights);
            return 2;
        }
        long start = System.nanoTime();
        Path from = source.checkpoint != null ? source.checkpoint : source.model;
        Path target = out != null ? out : source.model;
        if (target == null) {
            System.err.println("--out is required with --checkpoint");
            return 2;
        }
        if (source.checkpoint != null) {
            ModelPackage.exportRun(source.checkpoint, target, labels, seed, weights);
        } else {
            rewriteLanguageModel(source.model, target, weights);
        }
        for (String f : new String[] {OnnxNames.LM_FILE, OnnxNames.CLASSIFIER_FILE, OnnxNames.TOKENIZER_FILE, OnnxNames.MODEL_JSON}) {
            if (Files.isRegularFile(target.resolve(f))) {
                System.out.printf("%-16s %,12d bytes%n", f, Files.size(target.resolve(f)));
            }
        }
        System.out.printf("export-onnx: %s -> %s (lm weights %s) in %.1f s%n", from, target,
                weights.name().toLowerCase(Locale.ROOT), (System.nanoTime() - start) / 1e9);
        return 0;
    }

    /** lm.onnx again from the directory's own trunk; the other files are copied when target differs, model.json updated. */
    private static void rewriteLanguageModel(Path model, Path target, OnnxExporter.MatrixWeights weights) throws Exception {
        GptModel gpt = ModelPackage.readGpt(model);
        Files.createDirectories(target);
        if (!Files.isSameFile(model, target)) {
            try (var files = Files.list(model)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, target.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode modelJson = (ObjectNode) ModelPackage.readModelJson(target);
        OnnxExporter.write(OnnxExporter.languageModel(gpt, weights), target.resolve(modelJson.path("files").path("lm")
                .asText(OnnxNames.LM_FILE)));
        // the classifier graph too, with the same trunk and head, so that it has every output the contract names now
        Path classifier = target.resolve(modelJson.path("files").path("classifier").asText(OnnxNames.CLASSIFIER_FILE));
        if (Files.isRegularFile(classifier)) {
            OnnxImporter.Contents contents = OnnxImporter.read(classifier, gpt.config());
            if (contents.head() != null) {
                OnnxExporter.write(OnnxExporter.classifier(gpt, contents.head()), classifier);
            }
        }
        modelJson.put(ModelPackage.LM_WEIGHTS, weights.name().toLowerCase(Locale.ROOT));
        Files.writeString(target.resolve(OnnxNames.MODEL_JSON), json.writerWithDefaultPrettyPrinter()
                .writeValueAsString(modelJson) + "\n", StandardCharsets.UTF_8);
    }
}
