package lectern.gpt.onnx;

import lectern.gpt.Checkpoint;
import lectern.gpt.GptConfig;
import lectern.gpt.GptModel;
import lectern.gpt.ParameterTensor;
import lectern.gpt.onnx.proto.Onnx.ModelProto;
import lectern.gpt.onnx.proto.Onnx.TensorProto.DataType;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static lectern.gpt.onnx.GraphBuilder.attr;
import static lectern.gpt.onnx.GraphBuilder.attrInts;

/**
 * Writes a {@link GptModel} as ONNX graphs (opset 17, weights as initializers with their nanoGPT names and layouts):
 * <ul>
 *   <li>{@link #languageModel}: {@code input_ids} (B,S) and the past keys/values (B,NH,P,hs) per layer (P may be 0)
 *       -> {@code logits} (B,S,V) and the present keys/values (B,NH,P+S,hs). Positions are P..P+S-1. Prefill is a
 *       call with P = 0, each decode step a call with S = 1 and the previous presents as pasts.</li>
 *   <li>{@link #classifier}: {@code input_ids} and {@code attention_mask} (B,S) -> {@code logits} (B,n) (and the
 *       features they are made from, {@code hidden} (B,C)) from the
 *       ln_f hidden state of the last real token. Padding may be on either side: padded keys are masked out and
 *       positions count real tokens only, so a padded row gives the same logits as the row alone.</li>
 * </ul>
 * The graphs use only standard ops: Gather, LayerNormalization, MatMul, Add, Mul, Split, Reshape, Transpose, Concat,
 * Range, LessOrEqual, Where, Softmax, Tanh, CumSum, ArgMax, GatherND.
 */
public final class OnnxExporter {

    /** Masked attention scores; finite so a fully padded query row stays finite (its output is never used). */
    private static final float MASKED = -1e9f;
    private static final float GELU_SCALE = (float) Math.sqrt(2.0 / Math.PI);
    private static final float LN_EPS = 1e-5f;
    /**
     * MatMulNBits' accuracy_level 4: the activations are quantized to int8 per block as well and the products run on
     * int8 dot-product instructions. At level 0 (float32 compute) ONNX Runtime 1.24's 8-bit CPU kernel was 5 times
     * slower than float32 MatMul on a decode step; at level 4 it is about 1.5 times faster (issue 14's notes).
     */
    private static final long INT8_COMPUTE = 4;

    private OnnxExporter() {
    }

    /** How the decoder graph stores the weights of its matrix products. */
    public enum MatrixWeights {
        /** float32, standard ops only. */
        FLOAT32,
        /**
         * int8 codes with a float scale per block of {@value Int8Blocks#BLOCK} inputs ({@link Int8Blocks}), multiplied by
         * ONNX Runtime's MatMulNBits (com.microsoft): a decode step reads a quarter of the bytes, which is what a one-token
         * step waits on. Embeddings, LayerNorms and biases stay float32.
         */
        INT8
    }

    /** The decoder graph with a KV cache, float32 weights. */
    public static ModelProto languageModel(GptModel model) {
        return languageModel(model, MatrixWeights.FLOAT32);
    }

    /** The decoder graph with a KV cache and the given storage for its matrix weights. */
    public static ModelProto languageModel(GptModel model, MatrixWeights matrices) {
        GptConfig cfg = model.config();
        GraphBuilder g = new GraphBuilder("lectern_gpt_lm");
        int L = cfg.nLayer();
        int NH = cfg.nHead();
        int hs = cfg.headDim();
        g.input(OnnxNames.INPUT_IDS, DataType.INT64, "batch", "sequence");
        for (int l = 0; l < L; l++) {
            g.input(OnnxNames.pastKey(l), DataType.FLOAT, "batch", NH, "past_sequence", hs);
            g.input(OnnxNames.pastValue(l), DataType.FLOAT, "batch", NH, "past_sequence", hs);
        }
        g.output(OnnxNames.LOGITS, DataType.FLOAT, "batch", "sequence", cfg.vocabSize());
        for (int l = 0; l < L; l++) {
            g.output(OnnxNames.presentKey(l), DataType.FLOAT, "batch", NH, "total_sequence", hs);
            g.output(OnnxNames.presentValue(l), DataType.FLOAT, "batch", NH, "total_sequence", hs);
        }
        Weights w = new Weights(g, model, matrices);
        String one = g.int64Scalar(1);
        String S = g.op("Gather", new String[] {g.op("Shape", OnnxNames.INPUT_IDS), one}, attr("axis", 0L));
        String P = g.op("Gather", new String[] {g.op("Shape", OnnxNames.pastKey(0)), g.int64Scalar(2)}, attr("axis", 0L));
        String total = g.op("Add", P, S);
        String positions = g.op("Range", P, total, one); // (S)
        // query i (absolute position P+i) sees keys 0..P+i
        String visible = null; // MultiHeadAttention masks by itself
        if (!w.contribOps()) {
            String keys = g.op("Range", g.int64Scalar(0), total, one); // (P+S)
            visible = g.op("LessOrEqual", g.op("Unsqueeze", keys, g.int64s(0)), g.op("Unsqueeze", positions, g.int64s(1))); // (S,P+S)
        }

        String x = g.op("Gather", new String[] {w.wte, OnnxNames.INPUT_IDS}, attr("axis", 0L)); // (B,S,C)
        if (w.wpe != null) {
            x = g.op("Add", x, g.op("Gather", new String[] {w.wpe, positions}, attr("axis", 0L)));
        }
        for (int l = 0; l < L; l++) {
            x = block(g, w, cfg, l, x, visible, OnnxNames.pastKey(l), OnnxNames.pastValue(l),
                    OnnxNames.presentKey(l), OnnxNames.presentValue(l));
        }
        String h = layerNorm(g, x, w.lnfw, w.lnfb);
        if (w.int8.containsKey(w.wte)) {
            g.opNamed("Identity", OnnxNames.LOGITS, new String[] {w.product(h, w.wte)});
        } else {
            g.opNamed("MatMul", OnnxNames.LOGITS, new String[] {h, g.op("Transpose", new String[] {w.wte}, attrInts("perm", 1, 0))});
        }
        return g.model("Lectern GPT decoder with KV cache; see model/CONTRACT.md", metadata(cfg));
    }

    /** The sequence classifier graph with the given head. */
    public static ModelProto classifier(GptModel model, ClassifierHead head) {
        GptConfig cfg = model.config();
        if (head.width() != cfg.nEmbd()) {
            throw new IllegalArgumentException("classifier head width " + head.width() + " != n_embd " + cfg.nEmbd());
        }
        GraphBuilder g = new GraphBuilder("lectern_gpt_classifier");
        int n = head.labels().size();
        g.input(OnnxNames.INPUT_IDS, DataType.INT64, "batch", "sequence");
        g.input(OnnxNames.ATTENTION_MASK, DataType.INT64, "batch", "sequence");
        g.output(OnnxNames.LOGITS, DataType.FLOAT, "batch", n);
        g.output(OnnxNames.HIDDEN, DataType.FLOAT, "batch", cfg.nEmbd());
        Weights w = new Weights(g, model, MatrixWeights.FLOAT32);
        String one = g.int64Scalar(1);
        String S = g.op("Gather", new String[] {g.op("Shape", OnnxNames.INPUT_IDS), one}, attr("axis", 0L));
        String steps = g.op("Range", g.int64Scalar(0), S, one); // (S)
        String causal = g.op("LessOrEqual", g.op("Unsqueeze", steps, g.int64s(0)), g.op("Unsqueeze", steps, g.int64s(1))); // (S,S)
        String realKey = g.op("Cast", new String[] {g.op("Unsqueeze", OnnxNames.ATTENTION_MASK, g.int64s(1, 2))},
                attr("to", (long) DataType.BOOL_VALUE)); // (B,1,1,S)
        String visible = g.op("And", causal, realKey); // (B,1,S,S)

        String x = g.op("Gather", new String[] {w.wte, OnnxNames.INPUT_IDS}, attr("axis", 0L));
        if (w.wpe != null) {
            // position of a token = real tokens before it; padding (either side) does not shift positions
            String counted = g.op("CumSum", OnnxNames.ATTENTION_MASK, g.int64Scalar(1));
            String positions = g.op("Max", g.op("Sub", counted, one), g.int64Scalar(0)); // (B,S)
            x = g.op("Add", x, g.op("Gather", new String[] {w.wpe, positions}, attr("axis", 0L)));
        }
        for (int l = 0; l < L(cfg); l++) {
            x = block(g, w, cfg, l, x, visible, null, null, null, null);
        }
        String h = layerNorm(g, x, w.lnfw, w.lnfb); // (B,S,C)
        // index of the last real token: argmax over s of mask[s] * (s+1)
        String rank = g.op("Mul", OnnxNames.ATTENTION_MASK, g.op("Add", steps, one));
        rank = g.op("Cast", new String[] {rank}, attr("to", (long) DataType.FLOAT_VALUE));
        String last = g.op("ArgMax", new String[] {rank}, attr("axis", 1L), attr("keepdims", 1L)); // (B,1)
        String hidden = g.op("GatherND", new String[] {h, last}, attr("batch_dims", 1L)); // (B,C)
        // the features themselves too: a user's retrained head is applied to them outside the graph
        g.opNamed("Identity", OnnxNames.HIDDEN, new String[] {hidden});
        String headW = g.floats("classifier.weight", head.weight(), 0, n, cfg.nEmbd());
        String headB = g.floats("classifier.bias", head.bias(), 0, n);
        String logits = g.op("MatMul", hidden, g.op("Transpose", new String[] {headW}, attrInts("perm", 1, 0)));
        g.opNamed("Add", OnnxNames.LOGITS, new String[] {logits, headB});
        Map<String, String> meta = metadata(cfg);
        meta.put(OnnxImporter.LABELS_KEY, String.join("\n", head.labels()));
        return g.model("Lectern GPT sequence classifier; see model/CONTRACT.md", meta);
    }

    private static int L(GptConfig cfg) {
        return cfg.nLayer();
    }

    /** One pre-LayerNorm block; with pasts (LM graph) keys and values are appended to them and output as presents. */
    private static String block(GraphBuilder g, Weights w, GptConfig cfg, int l, String x, String visible,
                                String pastK, String pastV, String presentK, String presentV) {
        int C = cfg.nEmbd();
        int NH = cfg.nHead();
        int hs = cfg.headDim();
        String h = layerNorm(g, x, w.ln1w[l], w.ln1b[l]);
        String qkv = w.linear(h, w.qkvw[l], w.qkvb[l]); // (B,S,3C)
        String[] parts = g.opMulti("Split", 3, new String[] {qkv, g.int64s(C, C, C)}, attr("axis", 2L));
        if (w.contribOps() && pastK != null) {
            // ONNX Runtime's MultiHeadAttention: heads, the cache's concatenation, causal scores, softmax and the
            // weighted sum in one node (unidirectional: query i of this call sees keys up to past length + i)
            String y = g.microsoftOpMulti("MultiHeadAttention", new String[] {null, presentK, presentV},
                    new String[] {parts[0], parts[1], parts[2], "", "", "", pastK, pastV},
                    attr("num_heads", (long) NH), attr("unidirectional", 1L))[0];
            x = g.op("Add", x, w.linear(y, w.projw[l], w.projb[l]));
            return mlp(g, w, l, x);
        }
        String headShape = g.int64s(0, 0, NH, hs);
        String[] qkvHeads = new String[3];
        for (int i = 0; i < 3; i++) {
            qkvHeads[i] = g.op("Transpose", new String[] {g.op("Reshape", parts[i], headShape)}, attrInts("perm", 0, 2, 1, 3)); // (B,NH,S,hs)
        }
        String k = qkvHeads[1];
        String v = qkvHeads[2];
        if (pastK != null) {
            k = g.opNamed("Concat", presentK, new String[] {pastK, k}, attr("axis", 2L)); // (B,NH,P+S,hs)
            v = g.opNamed("Concat", presentV, new String[] {pastV, v}, attr("axis", 2L));
        }
        String scores = g.op("MatMul", qkvHeads[0], g.op("Transpose", new String[] {k}, attrInts("perm", 0, 1, 3, 2)));
        scores = g.op("Mul", scores, w.attnScale); // (B,NH,S,P+S)
        scores = g.op("Where", visible, scores, w.masked);
        String probs = g.op("Softmax", new String[] {scores}, attr("axis", -1L));
        String y = g.op("MatMul", probs, v); // (B,NH,S,hs)
        y = g.op("Reshape", g.op("Transpose", new String[] {y}, attrInts("perm", 0, 2, 1, 3)), g.int64s(0, 0, C)); // (B,S,C)
        x = g.op("Add", x, w.linear(y, w.projw[l], w.projb[l]));
        return mlp(g, w, l, x);
    }

    /** The block's second half: x + MLP(LayerNorm(x)). */
    private static String mlp(GraphBuilder g, Weights w, int l, String x) {
        String h = layerNorm(g, x, w.ln2w[l], w.ln2b[l]);
        String gelu;
        if (w.contribOps()) {
            // the graph already needs ONNX Runtime's contrib ops: its FastGelu is the same tanh approximation, with the
            // bias added inside, one node where the standard ops take nine
            gelu = g.microsoftOp("FastGelu", new String[] {w.product(h, w.fcw[l]), w.fcb[l]});
        } else {
            String f = w.linear(h, w.fcw[l], w.fcb[l]); // (B,S,4C)
            // GELU, tanh approximation: 0.5 f (1 + tanh(sqrt(2/pi) (f + 0.044715 f^3)))
            String cube = g.op("Mul", g.op("Mul", f, f), f);
            String inner = g.op("Mul", g.op("Add", f, g.op("Mul", cube, w.geluCubic)), w.geluScale);
            gelu = g.op("Mul", g.op("Mul", f, w.half), g.op("Add", g.op("Tanh", inner), w.one));
        }
        return g.op("Add", x, w.linear(gelu, w.fcprojw[l], w.fcprojb[l]));
    }

    private static String layerNorm(GraphBuilder g, String x, String weight, String bias) {
        return g.op("LayerNormalization", new String[] {x, weight, bias}, attr("axis", -1L), attr("epsilon", LN_EPS));
    }

    private static Map<String, String> metadata(GptConfig cfg) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(OnnxImporter.CONFIG_KEY, Checkpoint.configJson(cfg).replaceAll("\\s+", ""));
        return meta;
    }

    /** Writes a model as a file (written to a temporary name first, so a reader never sees half a file). */
    public static void write(ModelProto model, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(partial)) {
            model.writeTo(out);
        }
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The model's tensors as initializers, plus the constants every block uses. */
    private static final class Weights {
        final String wte, wpe, lnfw, lnfb;
        final String[] ln1w, ln1b, qkvw, qkvb, projw, projb, ln2w, ln2b, fcw, fcb, fcprojw, fcprojb;
        final String attnScale, masked, geluCubic, geluScale, half, one;
        /** For a weight stored as int8 blocks: its codes, scales and zero points initializers, then K and N. */
        final Map<String, String[]> int8 = new LinkedHashMap<>();
        private final GraphBuilder g;

        Weights(GraphBuilder g, GptModel model, MatrixWeights matrices) {
            this.g = g;
            GptConfig cfg = model.config();
            int L = cfg.nLayer();
            float[] p = model.parameters();
            Map<String, String> names = new LinkedHashMap<>();
            for (ParameterTensor t : model.tensors()) {
                int[] shape = t.shape();
                long[] dims = new long[shape.length];
                for (int i = 0; i < shape.length; i++) {
                    dims[i] = shape[i];
                }
                boolean matrix = shape.length == 2 && !t.name().equals("transformer.wpe.weight");
                boolean quantize = matrices == MatrixWeights.INT8 && matrix && Int8Blocks.fits(shape[1]);
                // wte is also the embedding table (a Gather), so it stays float32 beside its int8 copy for the head
                if (!quantize || t.name().equals("transformer.wte.weight")) {
                    names.put(t.name(), g.floats(t.name(), p, t.offset(), dims));
                } else {
                    names.put(t.name(), t.name());
                }
                if (quantize) {
                    Int8Blocks q = Int8Blocks.quantize(p, t.offset(), shape[0], shape[1]);
                    long blocks = shape[1] / Int8Blocks.BLOCK;
                    int8.put(t.name(), new String[] {
                            g.uint8s(t.name() + ".int8", q.codes, shape[0], blocks, Int8Blocks.BLOCK),
                            g.floats(t.name() + ".scales", q.scales, 0, shape[0] * blocks),
                            g.uint8s(t.name() + ".zero_points", q.zeroPoints, shape[0] * blocks),
                            Integer.toString(shape[1]), Integer.toString(shape[0])});
                }
            }
            wte = names.get("transformer.wte.weight");
            wpe = names.get("transformer.wpe.weight");
            lnfw = names.get("transformer.ln_f.weight");
            lnfb = names.get("transformer.ln_f.bias");
            ln1w = new String[L]; ln1b = new String[L]; qkvw = new String[L]; qkvb = new String[L];
            projw = new String[L]; projb = new String[L]; ln2w = new String[L]; ln2b = new String[L];
            fcw = new String[L]; fcb = new String[L]; fcprojw = new String[L]; fcprojb = new String[L];
            for (int l = 0; l < L; l++) {
                String pre = "transformer.h." + l + ".";
                ln1w[l] = names.get(pre + "ln_1.weight");
                ln1b[l] = names.get(pre + "ln_1.bias");
                qkvw[l] = names.get(pre + "attn.c_attn.weight");
                qkvb[l] = names.get(pre + "attn.c_attn.bias");
                projw[l] = names.get(pre + "attn.c_proj.weight");
                projb[l] = names.get(pre + "attn.c_proj.bias");
                ln2w[l] = names.get(pre + "ln_2.weight");
                ln2b[l] = names.get(pre + "ln_2.bias");
                fcw[l] = names.get(pre + "mlp.c_fc.weight");
                fcb[l] = names.get(pre + "mlp.c_fc.bias");
                fcprojw[l] = names.get(pre + "mlp.c_proj.weight");
                fcprojb[l] = names.get(pre + "mlp.c_proj.bias");
            }
            attnScale = contribOps() ? null : g.scalar("attn_scale", (float) (1.0 / Math.sqrt(cfg.headDim())));
            masked = contribOps() ? null : g.scalar("masked_score", MASKED);
            // the standard-op GELU's constants; a graph with FastGelu has no use for them (ONNX Runtime warns of unused ones)
            boolean standardGelu = !contribOps();
            geluCubic = standardGelu ? g.scalar("gelu_cubic", 0.044715f) : null;
            geluScale = standardGelu ? g.scalar("gelu_scale", GELU_SCALE) : null;
            half = standardGelu ? g.scalar("half", 0.5f) : null;
            one = standardGelu ? g.scalar("one", 1f) : null;
        }

        /** Whether the graph uses ONNX Runtime's contrib ops (int8 matrices), so others may be used too. */
        boolean contribOps() {
            return !int8.isEmpty();
        }

        /** x W^T for a weight W stored (out,in) as in the checkpoint. */
        String product(String x, String weight) {
            String[] q = int8.get(weight);
            if (q == null) {
                return g.op("MatMul", x, g.op("Transpose", new String[] {weight}, attrInts("perm", 1, 0)));
            }
            return g.microsoftOp("MatMulNBits", new String[] {x, q[0], q[1], q[2]},
                    attr("K", Long.parseLong(q[3])), attr("N", Long.parseLong(q[4])), attr("bits", 8L),
                    attr("block_size", (long) Int8Blocks.BLOCK), attr("accuracy_level", INT8_COMPUTE));
        }

        /** torch Linear: x W^T + b. */
        String linear(String x, String weight, String bias) {
            return g.op("Add", product(x, weight), bias);
        }
    }
}
