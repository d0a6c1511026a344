package lectern.gpt.onnx;

import lectern.gpt.GptConfig;
import lectern.gpt.GptModel;
import lectern.gpt.ParameterTensor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import lectern.gpt.BpeTokenizer;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Random;

/** Small GPTs with every parameter random (LayerNorm weights near 1), so no part of the graph hides behind a zero. */
public final class TinyModels {

    private TinyModels() {
    }

    public static GptConfig config(GptConfig.Positions positions) {
        return new GptConfig(96, 24, 32, 2, 4, positions);
    }

    public static GptModel random(GptConfig config, long seed) {
        GptModel model = new GptModel(config);
        Random rng = new Random(seed);
        float[] p = model.parameters();
        for (ParameterTensor t : model.tensors()) {
            boolean lnWeight = t.name().contains(".ln_") && t.name().endsWith(".weight");
            float std = t.name().endsWith(".bias") || lnWeight ? 0.1f : 0.15f;
            for (int i = 0; i < t.size(); i++) {
                p[t.offset() + i] = (lnWeight ? 1f : 0f) + (float) rng.nextGaussian() * std;
            }
        }
        return model;
    }

    public static int[] tokens(int n, int vocab, Random rng) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = rng.nextInt(vocab);
        }
        return t;
    }

    /**
     * The ln_f output (C) of the last position of a one-row forward: the classifier's input. GptModel has no public
     * accessor for hidden states, so this reads its activation block (layout in GptModel's javadoc).
     */
    public static float[] lastHidden(GptModel model, int[] tokens) {
        model.forward(tokens, null, 1, tokens.length);
        try {
            Field acts = GptModel.class.getDeclaredField("acts");
            Field lnf = GptModel.class.getDeclaredField("lnf");
            acts.setAccessible(true);
            lnf.setAccessible(true);
            float[] a = (float[]) acts.get(model);
            int C = model.config().nEmbd();
            int at = lnf.getInt(model) + (tokens.length - 1) * C;
            return java.util.Arrays.copyOfRange(a, at, at + C);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("GptModel's activation layout changed", e);
        }
    }

    /** A served model's pieces: the Java model, its tokenizer (bytes + special tokens, no merges) and head. */
    public record Package(GptModel model, BpeTokenizer tokenizer, ClassifierHead head) {
    }

    /** Writes a model directory (lm.onnx, classifier.onnx, tokenizer.json, model.json) for a tiny random GPT. */
    public static Package writePackage(Path dir, GptConfig.Positions positions, long seed) throws IOException {
        BpeTokenizer tokenizer = BpeTokenizer.of(new int[0][], BpeTokenizer.DEFAULT_SPECIAL_TOKENS);
        GptConfig cfg = new GptConfig(tokenizer.vocabSize(), 64, 32, 2, 4, positions);
        GptModel model = random(cfg, seed);
        ClassifierHead head = ClassifierHead.untrained(ModelPackage.DEFAULT_LABELS, cfg.nEmbd(), seed);
        ObjectMapper json = new ObjectMapper();
        ObjectNode metrics = json.createObjectNode().put("note", "random weights (test)");
        ModelPackage.write(model, tokenizer, head, false, dir, metrics, json.createObjectNode().put("source", "TinyModels"));
        return new Package(model, tokenizer, head);
    }
}
