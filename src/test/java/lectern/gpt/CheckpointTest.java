package lectern.gpt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {

    static final GptConfig TINY = new GptConfig(64, 16, 16, 2, 2, GptConfig.Positions.LEARNED);

    @Test
    void savedModelGivesTheSameLossAfterLoading(@TempDir Path dir) throws Exception {
        for (GptConfig config : new GptConfig[] {TINY, TINY.withPositions(GptConfig.Positions.NONE)}) {
            GptModel model = new GptModel(config);
            model.initialize(5);
            Random random = new Random(1);
            int[] tokens = new int[2 * 16], targets = new int[2 * 16];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = random.nextInt(64);
                targets[i] = random.nextInt(64);
            }
            float before = model.forward(tokens, targets, 2, 16);
            Path run = dir.resolve(config.positions().jsonName());
            Checkpoint.saveModel(run, model, null);
            GptModel loaded = Checkpoint.loadModel(run);
            assertEquals(config, loaded.config());
            assertArrayEquals(model.parameters(), loaded.parameters());
            assertEquals(before, loaded.forward(tokens, targets, 2, 16));
        }
    }

    @Test
    void writesNanoGptNamesWithATiedHeadCopy(@TempDir Path dir) throws Exception {
        GptModel model = new GptModel(TINY);
        model.initialize(1);
        Checkpoint.saveModel(dir, model, null);
        Safetensors.Contents contents = Safetensors.read(dir.resolve(Checkpoint.MODEL));
        assertEquals("pt", contents.metadata().get("format"));
        assertArrayEquals(contents.require("transformer.wte.weight").values(), contents.require("lm_head.weight").values());
        assertArrayEquals(new int[] {64, 16}, contents.require("lm_head.weight").shape());
        assertArrayEquals(new int[] {48, 16}, contents.require("transformer.h.0.attn.c_attn.weight").shape());
        assertTrue(contents.tensors().containsKey("transformer.wpe.weight"));
        assertTrue(contents.tensors().containsKey("transformer.ln_f.bias"));
        assertEquals(model.tensors().size() + 1, contents.tensors().size());

        String config = Files.readString(dir.resolve(Checkpoint.CONFIG));
        for (String key : new String[] {"\"vocab_size\" : 64", "\"block_size\" : 16", "\"n_embd\" : 16", "\"n_layer\" : 2",
                "\"n_head\" : 2", "\"positions\" : \"learned\""}) {
            assertTrue(config.contains(key), config);
        }
    }

    @Test
    void noPositionsMeansNoWpeTensor(@TempDir Path dir) throws Exception {
        GptModel model = new GptModel(TINY.withPositions(GptConfig.Positions.NONE));
        model.initialize(1);
        Checkpoint.saveModel(dir, model, null);
        assertFalse(Safetensors.read(dir.resolve(Checkpoint.MODEL)).tensors().containsKey("transformer.wpe.weight"));
        assertTrue(Files.readString(dir.resolve(Checkpoint.CONFIG)).contains("\"none\""));
    }

    @Test
    void loadingIntoAnotherShapeSaysWhatIsWrong(@TempDir Path dir) throws Exception {
        GptModel model = new GptModel(TINY);
        model.initialize(1);
        Checkpoint.saveWeights(dir, model);
        GptModel wider = new GptModel(new GptConfig(64, 16, 32, 2, 2, GptConfig.Positions.LEARNED));
        Exception e = assertThrows(java.io.IOException.class, () -> Checkpoint.loadWeights(dir.resolve(Checkpoint.MODEL), wider));
        assertTrue(e.getMessage().contains("transformer.wte.weight"), e.getMessage());
    }
}
