package lectern.llm;

import lectern.gpt.BpeTokenizer;
import lectern.gpt.GptConfig;
import lectern.gpt.GptModel;
import lectern.gpt.eval.LabelledTexts;
import lectern.gpt.onnx.ClassifierHead;
import lectern.gpt.onnx.ModelPackage;
import lectern.gpt.onnx.OnnxExporter;
import lectern.gpt.onnx.OnnxImporter;
import lectern.gpt.onnx.OnnxNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How long the steps of a retraining take for a GPT-mini sized model (random weights, the project's tokenizer) on the
 * 203 learning-log items shipped with Lectern. Not part of the suite (the name does not end in Test); run it with
 * {@code ./mvnw -B -o test -Dtest=RetrainBenchmark -Dsurefire.failIfNoSpecifiedTests=false}. It prints times and
 * checks only counts.
 */
class RetrainBenchmark {

    @TempDir
    Path dir;

    @Test
    void miniModelOnTheLearningLogItems() throws Exception {
        BpeTokenizer tokenizer = BpeTokenizer.load(Path.of("model", "tokenizer.json"));
        GptModel original = new GptModel(GptConfig.mini());
        original.initialize(1);
        ModelPackage.write(original, tokenizer, ClassifierHead.untrained(ModelPackage.DEFAULT_LABELS, 256, 1), false, dir,
                null, null);

        long t0 = System.nanoTime();
        GptModel gpt = OnnxImporter.read(dir.resolve(OnnxNames.LM_FILE), GptConfig.mini()).model();
        long t1 = System.nanoTime();
        LabelledTexts set = LabelledTexts.readResource(LabelledTexts.LOG_LABELS);
        List<ClassifierTraining.LabelledText> items = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            items.add(new ClassifierTraining.LabelledText(set.texts().get(i), set.labelNames().get(set.labels()[i])));
        }
        ClassifierTraining.Result r = ClassifierTraining.train(gpt, tokenizer, items, 1337, p -> { });
        long t2 = System.nanoTime();
        Path out = dir.resolve("user.onnx");
        OnnxExporter.write(OnnxExporter.classifier(gpt, r.head()), out);
        long t3 = System.nanoTime();
        try (ServedModel served = ServedModel.load(dir, ServedModel.DeviceChoice.CPU, 0, 0)) {
            long t4 = System.nanoTime();
            ClassifierGraph graph = served.openClassifier(out, r.head().labels());
            long t5 = System.nanoTime();
            System.out.printf("retrain, GPT-mini (random weights), %d items: read lm.onnx %.2f s | features %.2f s + head %.2f s"
                            + " | export classifier.onnx %.2f s | open session %.2f s%n", items.size(), (t1 - t0) / 1e9,
                    r.report().featureMillis() / 1e3, r.report().trainMillis() / 1e3, (t3 - t2) / 1e9, (t5 - t4) / 1e9);
            graph.release();
        }
        assertEquals(items.size(), r.report().examples());
    }
}
