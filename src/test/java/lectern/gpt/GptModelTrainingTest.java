package lectern.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Training behaviour a user relies on: it learns, it repeats exactly, and both kernel paths agree. */
class GptModelTrainingTest {

    private static final GptConfig TINY = new GptConfig(64, 16, 32, 2, 4, GptConfig.Positions.LEARNED);

    private static int[][] batch(long seed, int vocab, int n) {
        Random rng = new Random(seed);
        int[] seq = new int[n + 1];
        for (int i = 0; i < seq.length; i++) {
            seq[i] = rng.nextInt(vocab);
        }
        int[] tokens = java.util.Arrays.copyOfRange(seq, 0, n);
        int[] targets = java.util.Arrays.copyOfRange(seq, 1, n + 1);
        return new int[][] {tokens, targets};
    }

    /** Trains on one fixed batch and returns the loss of every step. */
    private static float[] train(GptModel model, int steps, int B, int T, long seed) {
        model.initialize(seed);
        int[][] data = batch(seed + 1, model.config().vocabSize(), B * T);
        AdamW opt = new AdamW(model, 0.9f, 0.95f, 1e-8f, 0.0f);
        float[] losses = new float[steps];
        for (int s = 0; s < steps; s++) {
            model.zeroGradients();
            losses[s] = model.forward(data[0], data[1], B, T);
            model.backward();
            opt.clipGradients(1.0f);
            opt.step(3e-3f);
        }
        return losses;
    }

    @Test
    void overfitsOneBatch() {
        GptModel model = new GptModel(TINY);
        float[] losses = train(model, 150, 2, 16, 42);
        assertEquals(Math.log(64), losses[0], 0.3, "a fresh model is near uniform over the vocabulary");
        assertTrue(losses[losses.length - 1] < 0.1f, "final loss " + losses[losses.length - 1]);
    }

    @Test
    void overfitsOneBatchWithoutPositions() {
        // NoPE still learns order through the causal mask; a repeated pattern is learnable
        GptModel model = new GptModel(TINY.withPositions(GptConfig.Positions.NONE));
        float[] losses = train(model, 150, 2, 16, 43);
        assertTrue(losses[losses.length - 1] < 0.1f, "final loss " + losses[losses.length - 1]);
    }

    @Test
    void sameSeedSameLossesStepByStep() {
        float[] first = train(new GptModel(TINY), 20, 4, 16, 7);
        float[] second = train(new GptModel(TINY), 20, 4, 16, 7);
        assertArrayEquals(first, second, "bit-for-bit repeatable");
        float[] other = train(new GptModel(TINY), 20, 4, 16, 8);
        assertFalse(java.util.Arrays.equals(first, other), "a different seed gives a different run");
    }

    @Test
    void threadCountDoesNotChangeResults() {
        FloatKernels k = FloatKernels.preferred();
        GptModel one = new GptModel(TINY, new Compute(k, new WorkerPool(1)));
        GptModel three = new GptModel(TINY, new Compute(k, new WorkerPool(3)));
        assertArrayEquals(train(one, 10, 4, 16, 9), train(three, 10, 4, 16, 9));
        assertArrayEquals(one.parameters(), three.parameters());
    }

    @Test
    void vectorAndScalarPathsAgree() {
        FloatKernels vector = FloatKernels.vectorOrNull();
        GptConfig cfg = new GptConfig(100, 32, 64, 2, 2, GptConfig.Positions.LEARNED); // vector-sized rows
        GptModel v = new GptModel(cfg, new Compute(vector, WorkerPool.shared()));
        GptModel s = new GptModel(cfg, new Compute(new ScalarKernels(), WorkerPool.shared()));
        float[] lv = train(v, 5, 2, 32, 3);
        float[] ls = train(s, 5, 2, 32, 3);
        for (int i = 0; i < lv.length; i++) {
            assertEquals(ls[i], lv[i], 1e-4 * Math.abs(ls[i]), "step " + i);
        }
        float[] gv = v.gradients(), gs = s.gradients();
        double diff = 0, norm = 0;
        for (int i = 0; i < gv.length; i++) {
            diff += (gv[i] - gs[i]) * (double) (gv[i] - gs[i]);
            norm += gs[i] * (double) gs[i];
        }
        assertTrue(Math.sqrt(diff / norm) < 1e-3, "relative gradient difference " + Math.sqrt(diff / norm));
    }

    @Test
    void logitsWithoutTargets() {
        GptModel model = new GptModel(TINY);
        model.initialize(1);
        int[][] data = batch(2, 64, 2 * 16);
        float loss = model.forward(data[0], data[1], 2, 16);
        float[] logits = java.util.Arrays.copyOf(model.logits(), 2 * 16 * 64);
        assertTrue(Float.isNaN(model.forward(data[0], null, 2, 16)));
        assertArrayEquals(logits, java.util.Arrays.copyOf(model.logits(), 2 * 16 * 64));
        assertTrue(loss > 0);
        assertThrows(IllegalStateException.class, model::backward);
        // causal: the logits at position t do not depend on later tokens
        int[] changed = data[0].clone();
        changed[10] = (changed[10] + 1) % 64;
        model.forward(changed, null, 2, 16);
        float[] after = model.logits();
        for (int i = 0; i < 10 * 64; i++) {
            assertEquals(logits[i], after[i]);
        }
        assertThrows(IllegalArgumentException.class, () -> model.forward(new int[17], null, 1, 17), "T > block size");
    }

    @Test
    void tensorsFollowNanoGptNamesAndLayout() {
        GptModel mini = new GptModel(GptConfig.mini());
        assertEquals(4_273_664, GptConfig.mini().parameterCount());
        assertEquals(1_334_016, GptConfig.micro().parameterCount());
        assertEquals(2_615_424, GptConfig.small().parameterCount());
        assertEquals(GptConfig.small(), GptConfig.reference("small").orElseThrow());
        assertEquals(mini.parameters().length, GptConfig.mini().parameterCount());
        List<ParameterTensor> t = mini.tensors();
        assertEquals("transformer.wte.weight", t.get(0).name());
        assertArrayEquals(new int[] {4096, 256}, t.get(0).shape());
        assertEquals("transformer.wpe.weight", t.get(1).name());
        assertEquals("transformer.h.0.ln_1.weight", t.get(2).name());
        assertArrayEquals(new int[] {768, 256}, mini.tensor("transformer.h.0.attn.c_attn.weight").shape());
        assertArrayEquals(new int[] {256, 1024}, mini.tensor("transformer.h.3.mlp.c_proj.weight").shape());
        assertEquals("transformer.ln_f.bias", t.get(t.size() - 1).name());
        assertEquals(2 + 4 * 12 + 2, t.size());
        int at = 0;
        for (ParameterTensor x : t) {
            assertEquals(at, x.offset(), x.name());
            at += x.size();
        }
        GptModel nope = new GptModel(GptConfig.micro().withPositions(GptConfig.Positions.NONE));
        assertTrue(nope.tensors().stream().noneMatch(x -> x.name().contains("wpe")));
        assertEquals(1_334_016 - 128 * 128, nope.parameters().length);
    }

    @Test
    void initializationFollowsGpt2() {
        GptModel model = new GptModel(GptConfig.micro());
        model.initialize(5);
        float[] p = model.parameters();
        assertEquals(0.02, std(p, model.tensor("transformer.wte.weight")), 0.001);
        assertEquals(0.02 / Math.sqrt(8), std(p, model.tensor("transformer.h.1.attn.c_proj.weight")), 0.0005);
        assertEquals(0.02 / Math.sqrt(8), std(p, model.tensor("transformer.h.1.mlp.c_proj.weight")), 0.0005);
        assertEquals(0.02, std(p, model.tensor("transformer.h.1.mlp.c_fc.weight")), 0.001);
        ParameterTensor ln = model.tensor("transformer.h.2.ln_2.weight");
        ParameterTensor bias = model.tensor("transformer.h.2.attn.c_attn.bias");
        for (int i = 0; i < ln.size(); i++) {
            assertEquals(1f, p[ln.offset() + i]);
        }
        for (int i = 0; i < bias.size(); i++) {
            assertEquals(0f, p[bias.offset() + i]);
        }
        GptModel again = new GptModel(GptConfig.micro());
        again.initialize(5);
        assertArrayEquals(p, again.parameters());
    }

    private static double std(float[] p, ParameterTensor t) {
        double s = 0;
        for (int i = 0; i < t.size(); i++) {
            s += p[t.offset() + i] * (double) p[t.offset() + i];
        }
        return Math.sqrt(s / t.size());
    }
}
