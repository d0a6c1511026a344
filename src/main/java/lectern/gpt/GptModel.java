package lectern.gpt;

import java.util.ArrayList;
import java.util.Collections;
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
 * encoded (N,C) | ln1 (L,N,C) | ln1 mean (L,N) | ln1 rstd (L,N) | qkv (L,N,3C) | atty (L,N,C) | att (L,B,NH,T,T)
 * | attproj (L,N,C) | residual2 (L,N,C) | ln2 (L,N,C) | ln2 mean (L,N) | ln2 rstd (L,N) | fch (L,N,4C)
 * | fch_gelu (L,N,4C) | fcproj (L,N,C) | residual3 (L,N,C) | lnf (N,C) | lnf mean (N) | lnf rstd (N)
 * | probs (N,V) | losses (N)
 * </pre>
 * {@code att} holds softmax probabilities (zero above the diagonal). Logits (N,V) have their own array
 * ({@link #logits()}). Backward uses a second block of activation gradients that is reused layer by layer:
 * {@code dresidual (N,C) | dln (N,C) | dqkv (N,3C) | datty (N,C) | dfch (N,4C) | dfch_gelu (N,4C) | dlogits (N,V)};
 * {@code dresidual} carries the gradient of the residual stream from the top down (residual backward is the identity).
 */
public final class GptModel {

    /** A target that is not scored: its position adds nothing to the loss or the gradients (PyTorch's ignore_index). */
    public static final int IGNORE = -1;

    private final GptConfig config;
    private final Compute cx;
    private final float[] params;
    private final float[] grads;
    private final List<ParameterTensor> tensors;

    // parameter offsets
    private final int wte;
    private final int wpe; // -1 without learned positions
    private final int[] ln1w, ln1b, qkvw, qkvb, projw, projb, ln2w, ln2b, fcw, fcb, fcprojw, fcprojb;
    private final int lnfw, lnfb;

    // activations for the current (B,T)
    private float[] acts = new float[0];
    private float[] dacts = new float[0];
    private float[] logits = new float[0];
    private int[] tokens = new int[0];
    private int[] targets = new int[0];
    private int B, T;
    private boolean haveTargets;
    private int encoded, ln1, ln1Mean, ln1Rstd, qkv, atty, att, attproj, res2, ln2, ln2Mean, ln2Rstd, fch, fchGelu,
            fcproj, res3, lnf, lnfMean, lnfRstd, probs, losses;
    private int dres, dln, dqkv, datty, dfch, dfchGelu, dlogits;

    public GptModel(GptConfig config) {
        this(config, Compute.preferred());
    }

    /** A model on the given kernels and pool (tests use this to compare the scalar and vector paths). */
    public GptModel(GptConfig config, Compute compute) {
        this.config = config;
        this.cx = compute;
        int C = config.nEmbd();
        int L = config.nLayer();
        List<ParameterTensor> list = new ArrayList<>();
        int[] at = {0};
        wte = add(list, at, "transformer.wte.weight", config.vocabSize(), C);
        wpe = config.positions() == GptConfig.Positions.LEARNED ? add(list, at, "transformer.wpe.weight", config.blockSize(), C) : -1;
        ln1w = new int[L]; ln1b = new int[L]; qkvw = new int[L]; qkvb = new int[L]; projw = new int[L]; projb = new int[L];
        ln2w = new int[L]; ln2b = new int[L]; fcw = new int[L]; fcb = new int[L]; fcprojw = new int[L]; fcprojb = new int[L];
        for (int l = 0; l < L; l++) {
            String p = "transformer.h." + l + ".";
            ln1w[l] = add(list, at, p + "ln_1.weight", C);
            ln1b[l] = add(list, at, p + "ln_1.bias", C);
            qkvw[l] = add(list, at, p + "attn.c_attn.weight", 3 * C, C);
            qkvb[l] = add(list, at, p + "attn.c_attn.bias", 3 * C);
            projw[l] = add(list, at, p + "attn.c_proj.weight", C, C);
            projb[l] = add(list, at, p + "attn.c_proj.bias", C);
            ln2w[l] = add(list, at, p + "ln_2.weight", C);
            ln2b[l] = add(list, at, p + "ln_2.bias", C);
            fcw[l] = add(list, at, p + "mlp.c_fc.weight", 4 * C, C);
            fcb[l] = add(list, at, p + "mlp.c_fc.bias", 4 * C);
            fcprojw[l] = add(list, at, p + "mlp.c_proj.weight", C, 4 * C);
            fcprojb[l] = add(list, at, p + "mlp.c_proj.bias", C);
        }
        lnfw = add(list, at, "transformer.ln_f.weight", C);
        lnfb = add(list, at, "transformer.ln_f.bias", C);
        if (at[0] != config.parameterCount()) {
            throw new IllegalStateException("layout has " + at[0] + " parameters, config says " + config.parameterCount());
        }
        tensors = Collections.unmodifiableList(list);
        params = new float[at[0]];
        grads = new float[at[0]];
    }

    private static int add(List<ParameterTensor> list, int[] at, String name, int... shape) {
        ParameterTensor t = new ParameterTensor(name, at[0], shape);
        list.add(t);
        at[0] += t.size();
        return t.offset();
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
        int NH = config.nHead();
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
            int residual = l == 0 ? encoded : res3 + (l - 1) * N * C;
            int lnl = ln1 + l * N * C, qkvl = qkv + l * N * 3 * C, attyl = atty + l * N * C;
            int attl = att + l * B * NH * T * T, projl = attproj + l * N * C, res2l = res2 + l * N * C;
            int ln2l = ln2 + l * N * C, fchl = fch + l * N * 4 * C, fchgl = fchGelu + l * N * 4 * C;
            int fcprojl = fcproj + l * N * C, res3l = res3 + l * N * C;
            LayerNorm.forward(cx, a, lnl, a, ln1Mean + l * N, a, ln1Rstd + l * N, a, residual, params, ln1w[l], ln1b[l], N, C);
            Matmul.forward(cx, a, qkvl, a, lnl, params, qkvw[l], qkvb[l], N, C, 3 * C);
            Attention.forward(cx, a, attyl, a, attl, a, qkvl, B, T, C, NH);
            Matmul.forward(cx, a, projl, a, attyl, params, projw[l], projb[l], N, C, C);
            Residual.forward(cx, a, res2l, a, residual, a, projl, N * C);
            LayerNorm.forward(cx, a, ln2l, a, ln2Mean + l * N, a, ln2Rstd + l * N, a, res2l, params, ln2w[l], ln2b[l], N, C);
            Matmul.forward(cx, a, fchl, a, ln2l, params, fcw[l], fcb[l], N, C, 4 * C);
            Gelu.forward(cx, a, fchgl, a, fchl, N * 4 * C);
            Matmul.forward(cx, a, fcprojl, a, fchgl, params, fcprojw[l], fcprojb[l], N, 4 * C, C);
            Residual.forward(cx, a, res3l, a, res2l, a, fcprojl, N * C);
        }
        LayerNorm.forward(cx, a, lnf, a, lnfMean, a, lnfRstd, a, res3 + (L - 1) * N * C, params, lnfw, lnfb, N, C);
        Matmul.forward(cx, logits, 0, a, lnf, params, wte, -1, N, C, V);
        float loss = Float.NaN;
        if (haveTargets) {
            loss = CrossEntropy.forward(cx, a, probs, a, losses, logits, 0, this.targets, N, V);
        }
        return loss;
    }

    /** Logits (B,T,V) of the last forward; the first B*T*V entries are valid. */
    public float[] logits() {
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
        int NH = config.nHead();
        int N = B * T;
        float[] a = acts;
        float[] d = dacts;
        cx.zero(d, dlogits, N * V);
        CrossEntropy.backward(cx, d, dlogits, a, probs, targets, N, V);
        cx.zero(d, dln, N * C);
        Matmul.backward(cx, d, dln, grads, wte, -1, d, dlogits, a, lnf, params, wte, N, C, V);
        cx.zero(d, dres, N * C);
        LayerNorm.backward(cx, d, dres, grads, lnfw, lnfb, d, dln, a, res3 + (L - 1) * N * C, params, lnfw,
                a, lnfMean, a, lnfRstd, N, C);
        for (int l = L - 1; l >= 0; l--) {
            int residual = l == 0 ? encoded : res3 + (l - 1) * N * C;
            int lnl = ln1 + l * N * C, qkvl = qkv + l * N * 3 * C, attyl = atty + l * N * C;
            int attl = att + l * B * NH * T * T, res2l = res2 + l * N * C;
            int ln2l = ln2 + l * N * C, fchl = fch + l * N * 4 * C, fchgl = fchGelu + l * N * 4 * C;
            // here dres = d residual3[l] = d fcproj[l]
            cx.zero(d, dfchGelu, N * 4 * C);
            Matmul.backward(cx, d, dfchGelu, grads, fcprojw[l], fcprojb[l], d, dres, a, fchgl, params, fcprojw[l], N, 4 * C, C);
            cx.zero(d, dfch, N * 4 * C);
            Gelu.backward(cx, d, dfch, a, fchl, d, dfchGelu, N * 4 * C);
            cx.zero(d, dln, N * C);
            Matmul.backward(cx, d, dln, grads, fcw[l], fcb[l], d, dfch, a, ln2l, params, fcw[l], N, C, 4 * C);
            LayerNorm.backward(cx, d, dres, grads, ln2w[l], ln2b[l], d, dln, a, res2l, params, ln2w[l],
                    a, ln2Mean + l * N, a, ln2Rstd + l * N, N, C);
            // now dres = d residual2[l] = d attproj[l]
            cx.zero(d, datty, N * C);
            Matmul.backward(cx, d, datty, grads, projw[l], projb[l], d, dres, a, attyl, params, projw[l], N, C, C);
            cx.zero(d, dqkv, N * 3 * C);
            Attention.backward(cx, d, dqkv, d, datty, a, qkvl, a, attl, B, T, C, NH);
            cx.zero(d, dln, N * C);
            Matmul.backward(cx, d, dln, grads, qkvw[l], qkvb[l], d, dqkv, a, lnl, params, qkvw[l], N, C, 3 * C);
            LayerNorm.backward(cx, d, dres, grads, ln1w[l], ln1b[l], d, dln, a, residual, params, ln1w[l],
                    a, ln1Mean + l * N, a, ln1Rstd + l * N, N, C);
            // now dres = d residual (the block's input)
        }
        Encoder.backward(grads, wte, wpe, d, dres, tokens, B, T, C);
    }

    /** Computes activation offsets for (B,T); grows the blocks if this batch needs more room. */
    private void layout(int B, int T) {
        if (B == this.B && T == this.T) {
            return;
        }
        int V = config.vocabSize();
        int C = config.nEmbd();
        int L = config.nLayer();
        int NH = config.nHead();
        int N = B * T;
        this.B = 0; // until the new layout is complete: a B*T too large for one array leaves none half-made
        this.T = 0;
        // the order of the class comment's activation and gradient blocks
        Regions r = new Regions(B, T);
        encoded = r.take((long) N * C);
        ln1 = r.take((long) L * N * C);
        ln1Mean = r.take((long) L * N);
        ln1Rstd = r.take((long) L * N);
        qkv = r.take((long) L * N * 3 * C);
        atty = r.take((long) L * N * C);
        att = r.take((long) L * B * NH * T * T);
        attproj = r.take((long) L * N * C);
        res2 = r.take((long) L * N * C);
        ln2 = r.take((long) L * N * C);
        ln2Mean = r.take((long) L * N);
        ln2Rstd = r.take((long) L * N);
        fch = r.take((long) L * N * 4 * C);
        fchGelu = r.take((long) L * N * 4 * C);
        fcproj = r.take((long) L * N * C);
        res3 = r.take((long) L * N * C);
        lnf = r.take((long) N * C);
        lnfMean = r.take(N);
        lnfRstd = r.take(N);
        probs = r.take((long) N * V);
        losses = r.take(N);
        Regions d = new Regions(B, T);
        dres = d.take((long) N * C);
        dln = d.take((long) N * C);
        dqkv = d.take((long) N * 3 * C);
        datty = d.take((long) N * C);
        dfch = d.take((long) N * 4 * C);
        dfchGelu = d.take((long) N * 4 * C);
        dlogits = d.take((long) N * V);
        long at = r.end;
        long gat = d.end;
        if (acts.length < at) {
            acts = new float[(int) at];
        }
        if (dacts.length < gat) {
            dacts = new float[(int) gat];
        }
        if (logits.length < (long) N * V) {
            logits = new float[N * V];
        }
        if (tokens.length < N) {
            tokens = new int[N];
            targets = new int[N];
        }
        this.B = B;
        this.T = T;
    }

    /** Consecutive regions of one float block, handed out in the order asked for. */
    private static final class Regions {
        private final int B, T;
        long end;

        Regions(int B, int T) {
            this.B = B;
            this.T = T;
        }

        /** The offset of the next {@code n} floats. */
        int take(long n) {
            long at = end;
            end += n;
            if (end > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("B=" + B + " T=" + T + " needs more activation floats than one Java "
                        + "array holds");
            }
            return (int) at;
        }
    }
}
