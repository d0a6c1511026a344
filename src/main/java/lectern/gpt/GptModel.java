package lectern.gpt;

import java.util.List;
import java.util.Random;

/**
 * A GPT-2 style decoder trained with hand-written forward and backward passes over flat float arrays.
 *
 * <p><b>Parameters</b> ({@link #parameters()}) and <b>gradients</b> ({@link #gradients()}) are one block each, the
 * tensors of {@link #tensors()} back to back in nanoGPT state_dict order and layout. The output head is tied to
 * {@code transformer.wte.weight}.
 *
 * <p><b>Activations</b> are one block, (re)allocated only when a forward needs more room than the last one had;
 * with L layers, N = B*T rows, in this order:
 * <pre>
 * encoded (N,C) | the L blocks' activations ({@link TransformerBlock.Activations}) | lnf (N,C) | lnf mean (N)
 * | lnf rstd (N) | losses (N)
 * </pre>
 * Backward uses a second block of activation gradients that is reused layer by layer: the blocks' scratch
 * ({@link TransformerBlock.Gradients}, whose {@code dres} carries the residual stream) then {@code dlogits (N,V)}. A
 * forward with targets writes the logits there and the loss turns them into their gradient in place; a forward
 * without writes them to an array of their own ({@link #logits()}), which is allocated only when first needed.
 */
public final class GptModel {

    /** A target that is not scored: its position adds nothing to the loss or the gradients (PyTorch's ignore_index). */
    public static final int IGNORE = -1;

    private final GptConfig config;
    private final Compute cx;
    private final float[] params;
    private final float[] grads;
    private final List<ParameterTensor> tensors;

    // parameter offsets, as llm.c's ParameterTensors
    private final int wte; // (V,C)
    private final int wpe; // (maxT,C); -1 without learned positions
    private final TransformerBlock.Weights[] h; // (L)
    private final int lnfw, lnfb; // (C)

    // activations for the current (B,T)
    private float[] acts = new float[0];
    private float[] dacts = new float[0];
    private float[] logits = new float[0];
    private int[] tokens = new int[0];
    private int[] targets = new int[0];
    private int B, T;
    private boolean haveTargets;
    /** Whether {@link #logits} holds the last forward's logits (a forward with targets leaves them in dlogits). */
    private boolean logitsKept;
    private int encoded, lnf, lnfMean, lnfRstd, losses, dlogits;
    private TransformerBlock.Activations blocks;
    private TransformerBlock.Gradients dblocks;

    public GptModel(GptConfig config) {
        this(config, Compute.preferred());
    }

    /** A model on the given kernels and pool (tests use this to compare the scalar and vector paths). */
    public GptModel(GptConfig config, Compute compute) {
        this.config = config;
        this.cx = compute;
        int C = config.nEmbd();
        int L = config.nLayer();
        TensorLayout t = new TensorLayout();
        wte = t.add("transformer.wte.weight", config.vocabSize(), C);
        wpe = config.positions() == GptConfig.Positions.LEARNED ? t.add("transformer.wpe.weight", config.blockSize(), C) : -1;
        h = new TransformerBlock.Weights[L];
        for (int l = 0; l < L; l++) {
            h[l] = TransformerBlock.Weights.add(t, l, C);
        }
        lnfw = t.add("transformer.ln_f.weight", C);
        lnfb = t.add("transformer.ln_f.bias", C);
        if (t.size() != config.parameterCount()) {
            throw new IllegalStateException("layout has " + t.size() + " parameters, config says " + config.parameterCount());
        }
        tensors = t.tensors();
        params = new float[t.size()];
        grads = new float[t.size()];
    }

    public GptConfig config() {
        return config;
    }

    public Compute compute() {
        return cx;
    }

    public float[] parameters() {
        return params;
    }

    public float[] gradients() {
        return grads;
    }

    public List<ParameterTensor> tensors() {
        return tensors;
    }

    /** Offset of transformer.wte.weight (V,C). */
    int wte() {
        return wte;
    }

    /** Offset of transformer.wpe.weight (maxT,C), or -1 without learned positions. */
    int wpe() {
        return wpe;
    }

    /** Block l's parameter offsets. */
    TransformerBlock.Weights block(int l) {
        return h[l];
    }

    /** Offset of transformer.ln_f.weight (C). */
    int lnfw() {
        return lnfw;
    }

    /** Offset of transformer.ln_f.bias (C). */
    int lnfb() {
        return lnfb;
    }

    /** The tensor with this nanoGPT name, e.g. "transformer.h.0.attn.c_attn.weight". */
    public ParameterTensor tensor(String name) {
        for (ParameterTensor t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no tensor named " + name);
    }

    /**
     * GPT-2 initialisation: weights and embeddings normal(0, 0.02), the two residual projections (c_proj) scaled by
     * 1/sqrt(2 * n_layer), biases 0, LayerNorm weight 1 and bias 0. Draws from java.util.Random(seed) in tensor order.
     */
    public void initialize(long seed) {
        Random rng = new Random(seed);
        float projStd = (float) (0.02 / Math.sqrt(2.0 * config.nLayer()));
        for (ParameterTensor t : tensors) {
            String n = t.name();
            int o = t.offset();
            int size = t.size();
            if (n.contains(".ln_")) {
                java.util.Arrays.fill(params, o, o + size, n.endsWith(".weight") ? 1f : 0f);
            } else if (n.endsWith(".bias")) {
                java.util.Arrays.fill(params, o, o + size, 0f);
            } else {
                float std = n.endsWith("c_proj.weight") ? projStd : 0.02f;
                for (int i = 0; i < size; i++) {
                    params[o + i] = (float) (rng.nextGaussian() * std);
                }
            }
        }
    }

    /**
     * Runs the model on tokens (B*T, row-major) and, with targets, returns the mean cross-entropy over the targets
     * that are not {@link #IGNORE}; without
     * (targets == null) returns NaN and only the logits are valid. T must not exceed the block size.
     */
    public float forward(int[] tokens, int[] targets, int B, int T) {
        int V = config.vocabSize();
        int C = config.nEmbd();
        int L = config.nLayer();
        if (B <= 0 || T <= 0 || T > config.blockSize()) {
            throw new IllegalArgumentException("need B > 0 and 0 < T <= block size " + config.blockSize() + ", got B=" + B + " T=" + T);
        }
        int N = B * T;
        if (tokens.length < N || (targets != null && targets.length < N)) {
            throw new IllegalArgumentException("tokens/targets must hold B*T = " + N + " values");
        }
        for (int i = 0; i < N; i++) {
            if (tokens[i] < 0 || tokens[i] >= V) {
                throw new IllegalArgumentException("token " + tokens[i] + " at position " + i + " is outside the vocabulary (0.." + (V - 1) + ")");
            }
        }
        layout(B, T);
        System.arraycopy(tokens, 0, this.tokens, 0, N);
        haveTargets = targets != null;
        if (haveTargets) {
            System.arraycopy(targets, 0, this.targets, 0, N);
        }
        float[] a = acts;
        Encoder.forward(cx, a, encoded, this.tokens, params, wte, wpe, B, T, C);
        for (int l = 0; l < L; l++) {
            TransformerBlock.forward(cx, params, h[l], a, blocks, l, l == 0 ? encoded : blocks.output(l - 1), null);
        }
        LayerNorm.forward(cx, a, lnf, a, lnfMean, a, lnfRstd, a, blocks.output(L - 1), params, lnfw, lnfb, N, C);
        logitsKept = !haveTargets;
        if (!haveTargets) {
            Matmul.forward(cx, logitsOfSize(N * V), 0, a, lnf, params, wte, -1, N, C, V);
            return Float.NaN;
        }
        // the logits straight into dlogits, which the loss then turns into their gradient in place: no 32 MB array
        // of logits to write and read back a step (GPT-mini), and dlogits' lines are in cache when the loss writes
        Matmul.forward(cx, dacts, dlogits, a, lnf, params, wte, -1, N, C, V);
        return CrossEntropy.forward(cx, dacts, dlogits, a, losses, dacts, dlogits, this.targets, N, V);
    }

    /**
     * Logits (B,T,V) of the last forward; the first B*T*V entries are valid. A forward with targets does not keep them
     * (its loss turns them into their gradient where they were written): they are made again here, from the last
     * layer's output of that forward and the parameters as they are now.
     */
    public float[] logits() {
        if (!logitsKept && B > 0) {
            int N = B * T;
            Matmul.forward(cx, logitsOfSize(N * config.vocabSize()), 0, acts, lnf, params, wte, -1, N,
                    config.nEmbd(), config.vocabSize());
            logitsKept = true;
        }
        return logits;
    }

    private float[] logitsOfSize(int size) {
        if (logits.length < size) {
            logits = new float[size];
        }
        return logits;
    }

    public void zeroGradients() {
        cx.zero(grads, 0, grads.length);
    }

    /** Adds the gradient of the last forward's mean loss to {@link #gradients()}. */
    public void backward() {
        if (!haveTargets) {
            throw new IllegalStateException("backward needs a forward with targets first");
        }
        int V = config.vocabSize();
        int C = config.nEmbd();
        int L = config.nLayer();
        int N = B * T;
        float[] a = acts;
        float[] d = dacts;
        int dres = dblocks.dres, dln = dblocks.dln;
        // dlogits: written by the forward with the loss
        Matmul.backwardWritingInput(cx, d, dln, grads, wte, -1, d, dlogits, a, lnf, params, wte, N, C, V);
        cx.zero(d, dres, N * C);
        LayerNorm.backward(cx, d, dres, grads, lnfw, lnfb, d, dln, a, blocks.output(L - 1), params, lnfw,
                a, lnfMean, a, lnfRstd, N, C);
        for (int l = L - 1; l >= 0; l--) {
            TransformerBlock.backward(cx, params, grads, h[l], a, blocks, l, l == 0 ? encoded : blocks.output(l - 1),
                    d, dblocks, true, null);
        }
        Encoder.backward(cx, grads, wte, wpe, d, dres, tokens, B, T, C);
    }

    /** Computes activation offsets for (B,T); grows the blocks if this batch needs more room. */
    private void layout(int B, int T) {
        if (B == this.B && T == this.T) {
            return;
        }
        int V = config.vocabSize();
        int C = config.nEmbd();
        int N = B * T;
        this.B = 0; // until the new layout is complete: a B*T too large for one array leaves none half-made
        this.T = 0;
        // the order of the class comment's activation and gradient blocks
        Regions r = new Regions(B, T);
        encoded = r.take((long) N * C);
        blocks = new TransformerBlock.Activations(r, config.nLayer(), B, T, C, config.nHead());
        lnf = r.take((long) N * C);
        lnfMean = r.take(N);
        lnfRstd = r.take(N);
        losses = r.take(N);
        Regions d = new Regions(B, T);
        dblocks = new TransformerBlock.Gradients(d, N, C);
        dlogits = d.take((long) N * V);
        if (acts.length < r.size()) {
            acts = new float[r.size()];
        }
        if (dacts.length < d.size()) {
            dacts = new float[d.size()];
        }
        if (tokens.length < N) {
            tokens = new int[N];
            targets = new int[N];
        }
        this.B = B;
        this.T = T;
    }
}
