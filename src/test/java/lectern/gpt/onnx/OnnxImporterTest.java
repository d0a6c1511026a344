package lectern.gpt.onnx;

import lectern.gpt.GptConfig;
import lectern.gpt.GptModel;
import lectern.gpt.onnx.proto.Onnx.ModelProto;
import lectern.gpt.onnx.proto.Onnx.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A GPT exported to ONNX and read back is the same GPT, bit for bit, from either graph. */
class OnnxImporterTest {

    @TempDir
    Path dir;

    private static int[] bits(float[] values) {
        int[] b = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = Float.floatToRawIntBits(values[i]);
        }
        return b;
    }

    @Test
    void bothGraphsGiveBackTheSameParametersConfigAndHead() throws IOException {
        for (GptConfig.Positions positions : GptConfig.Positions.values()) {
            GptConfig cfg = TinyModels.config(positions);
            GptModel model = TinyModels.random(cfg, 17);
            ClassifierHead head = ClassifierHead.untrained(List.of("alpha", "beta", "gamma"), cfg.nEmbd(), 4);
            Path lm = dir.resolve(positions + "-lm.onnx");
            Path classifier = dir.resolve(positions + "-classifier.onnx");
            OnnxExporter.write(OnnxExporter.languageModel(model), lm);
            OnnxExporter.write(OnnxExporter.classifier(model, head), classifier);

            OnnxImporter.Contents fromLm = OnnxImporter.read(lm, null);
            assertEquals(cfg, fromLm.model().config());
            assertArrayEquals(bits(model.parameters()), bits(fromLm.model().parameters()), positions + " lm");
            assertNull(fromLm.head(), "the LM graph has no classifier head");

            OnnxImporter.Contents fromClassifier = OnnxImporter.read(classifier, cfg);
            assertEquals(cfg, fromClassifier.model().config());
            assertArrayEquals(bits(model.parameters()), bits(fromClassifier.model().parameters()), positions + " classifier");
            assertEquals(head.labels(), fromClassifier.head().labels());
            assertArrayEquals(bits(head.weight()), bits(fromClassifier.head().weight()));
            assertArrayEquals(bits(head.bias()), bits(fromClassifier.head().bias()));
        }
    }

    @Test
    void readsModelsFromOtherProducers() throws IOException {
        GptConfig cfg = TinyModels.config(GptConfig.Positions.LEARNED);
        GptModel model = TinyModels.random(cfg, 3);
        ModelProto exported = OnnxExporter.languageModel(model);
        // no config metadata, and weights as float_data instead of raw bytes: the config must come from model.json
        ModelProto.Builder other = exported.toBuilder().clearMetadataProps();
        other.getGraphBuilder().clearInitializer();
        for (TensorProto t : exported.getGraph().getInitializerList()) {
            if (t.hasRawData()) {
                float[] values = new float[t.getRawData().size() / 4];
                t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
                TensorProto.Builder b = t.toBuilder().clearRawData();
                for (float v : values) {
                    b.addFloatData(v);
                }
                t = b.build();
            }
            other.getGraphBuilder().addInitializer(t);
        }
        IOException noConfig = assertThrows(IOException.class, () -> OnnxImporter.read(other.build(), null));
        assertTrue(noConfig.getMessage().contains("lectern_config"), noConfig.getMessage());
        OnnxImporter.Contents read = OnnxImporter.read(other.build(), cfg);
        assertArrayEquals(bits(model.parameters()), bits(read.model().parameters()));
    }

    @Test
    void refusesAGraphThatDoesNotFitTheConfig() throws IOException {
        GptConfig cfg = TinyModels.config(GptConfig.Positions.LEARNED);
        ModelProto exported = OnnxExporter.languageModel(TinyModels.random(cfg, 3));
        GptConfig wider = new GptConfig(cfg.vocabSize(), cfg.blockSize(), cfg.nEmbd() * 2, cfg.nLayer(), cfg.nHead(), cfg.positions());
        IOException differs = assertThrows(IOException.class, () -> OnnxImporter.read(exported, wider));
        assertTrue(differs.getMessage().contains("differs"), differs.getMessage());
        IOException shape = assertThrows(IOException.class,
                () -> OnnxImporter.read(exported.toBuilder().clearMetadataProps().build(), wider));
        assertTrue(shape.getMessage().contains("transformer.wte.weight has shape"), shape.getMessage());
        Path garbage = dir.resolve("garbage.onnx");
        java.nio.file.Files.writeString(garbage, "not a model at all");
        assertThrows(IOException.class, () -> OnnxImporter.read(garbage, cfg));
    }
}
