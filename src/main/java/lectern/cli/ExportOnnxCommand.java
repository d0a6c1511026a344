package lectern.cli;

import lectern.gpt.onnx.ModelPackage;
import lectern.gpt.onnx.OnnxNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "export-onnx", mixinStandardHelpOptions = true,
        description = "Writes a served model directory (lm.onnx, classifier.onnx, tokenizer.json, model.json; "
                + "see model/CONTRACT.md) from a training run directory.")
public final class ExportOnnxCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, description = "Run directory (config.json, model.safetensors, tokenizer.json).")
    Path checkpoint;

    @Option(names = "--out", required = true, description = "Model directory to write (e.g. model/ or LECTERN_MODEL_DIR).")
    Path out;

    @Option(names = "--labels", split = ",", description = "Labels of the untrained classifier head when the run has no "
            + "classifier.safetensors (default: ${DEFAULT-VALUE}).",
            defaultValue = "reading,paper,coding,math,writing,other")
    List<String> labels;

    @Option(names = "--seed", defaultValue = "1337", description = "Seed of an untrained head (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        ModelPackage.exportRun(checkpoint, out, labels, seed);
        for (String f : new String[] {OnnxNames.LM_FILE, OnnxNames.CLASSIFIER_FILE, OnnxNames.TOKENIZER_FILE, OnnxNames.MODEL_JSON}) {
            System.out.printf("%-16s %,12d bytes%n", f, Files.size(out.resolve(f)));
        }
        System.out.printf("export-onnx: %s -> %s in %.1f s%n", checkpoint, out, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
