package lectern.llm;

import lectern.gpt.GptConfig;
import lectern.gpt.onnx.ClassifierHead;
import lectern.gpt.onnx.OnnxExporter;
import lectern.gpt.onnx.OnnxNames;
import lectern.gpt.onnx.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A replaced classifier stays open for the calls still using it and closes after the last one. */
class ClassifierGraphTest {

    @TempDir
    Path dir;

    @Test
    void closesWhenTheLastReferenceIsGiven() throws Exception {
        TinyModels.Package pkg = TinyModels.writePackage(dir, GptConfig.Positions.LEARNED, 5);
        ClassifierHead head = ClassifierHead.untrained(List.of("x", "y"), pkg.model().config().nEmbd(), 2);
        Path file = dir.resolve("user").resolve(OnnxNames.CLASSIFIER_FILE);
        OnnxExporter.write(OnnxExporter.classifier(pkg.model(), head), file);
        try (ServedModel served = ServedModel.load(dir, ServedModel.DeviceChoice.CPU, 0, 1)) {
            ClassifierGraph graph = served.openClassifier(file, head.labels());
            assertTrue(graph.acquire(), "a call in flight");
            graph.release(); // the installer's reference: the graph was replaced
            assertFalse(graph.closed());
            ServedModel.Classification c = served.classify(graph, "still answering");
            assertTrue(List.of("x", "y").contains(c.label()));
            assertEquals(2, c.scores().size());
            graph.release(); // the call finished
            assertTrue(graph.closed());
            assertFalse(graph.acquire(), "a closed graph is never handed out again");
            assertThrows(IllegalStateException.class, graph::release);
        }
    }
}
