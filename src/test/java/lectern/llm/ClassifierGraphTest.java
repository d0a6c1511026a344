package lectern.llm;

import lectern.gpt.GptConfig;
import lectern.gpt.onnx.ClassifierHead;
import lectern.gpt.onnx.OnnxExporter;
import lectern.gpt.onnx.OnnxNames;
import lectern.gpt.onnx.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lectern.gpt.onnx.proto.Onnx.GraphProto;
import lectern.gpt.onnx.proto.Onnx.ModelProto;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replaced classifier stays open for the calls still using it and closes after the last one; a user's head applied
 * to the served trunk's features gives what a graph with that head gives.
 */
class ClassifierGraphTest {

    private static final List<String> TEXTS = List.of("Finished chapter 3 of DDIA", "watched a lecture on attention",
            "", "Plan: read the Raft paper and write a breakdown");

    @Test
    void aUsersHeadOnTheServedFeaturesGivesWhatAGraphWithThatHeadGives() throws Exception {
        TinyModels.Package pkg = TinyModels.writePackage(dir, GptConfig.Positions.LEARNED, 5);
        ClassifierHead head = ClassifierHead.untrained(List.of("a", "b", "c"), pkg.model().config().nEmbd(), 9);
        Path file = dir.resolve("user").resolve(OnnxNames.CLASSIFIER_FILE);
        OnnxExporter.write(OnnxExporter.classifier(pkg.model(), head), file);
        try (ServedModel served = ServedModel.load(dir, ServedModel.DeviceChoice.CPU, 0, 1)) {
            ClassifierGraph graph = served.openClassifier(file, head.labels());
            for (String text : TEXTS) {
                assertSameProbabilities(served.classify(graph, text), served.classify(head, null, text), text);
            }
            graph.release();
        }
    }

    @Test
    void aClassifierGraphWithoutTheFeaturesOutputGetsThemFromTheTrunk() throws Exception {
        TinyModels.Package pkg = TinyModels.writePackage(dir, GptConfig.Positions.LEARNED, 6);
        // the served classifier.onnx as exported before it had the hidden output
        Path served = dir.resolve(OnnxNames.CLASSIFIER_FILE);
        ModelProto withHidden = ModelProto.parseFrom(Files.readAllBytes(served));
        ModelProto.Builder older = withHidden.toBuilder();
        GraphProto.Builder graph = older.getGraphBuilder();
        for (int i = graph.getOutputCount() - 1; i >= 0; i--) {
            if (graph.getOutput(i).getName().equals(OnnxNames.HIDDEN)) {
                graph.removeOutput(i);
            }
        }
        Files.write(served, older.build().toByteArray());
        ClassifierHead head = ClassifierHead.untrained(List.of("a", "b"), pkg.model().config().nEmbd(), 4);
        Path file = dir.resolve("user").resolve(OnnxNames.CLASSIFIER_FILE);
        OnnxExporter.write(OnnxExporter.classifier(pkg.model(), head), file);
        try (ServedModel model = ServedModel.load(dir, ServedModel.DeviceChoice.CPU, 0, 1)) {
            assertFalse(model.classifierGraph().hasHidden());
            ClassifierGraph userGraph = model.openClassifier(file, head.labels());
            for (String text : TEXTS) {
                assertSameProbabilities(model.classify(userGraph, text), model.classify(head, null, text), text);
            }
            userGraph.release();
        }
    }

    private static void assertSameProbabilities(ServedModel.Classification expected, ServedModel.Classification actual,
                                                String text) {
        assertEquals(expected.label(), actual.label(), text);
        assertEquals(expected.scores().keySet(), actual.scores().keySet());
        expected.scores().forEach((label, p) -> assertEquals(p, actual.scores().get(label), 1e-5, text + ": " + label));
    }

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
