package lectern.gpt;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Classification fine-tuning of a pretrained {@link GptModel}, as in LLMs-from-scratch chapter 6 and its LoRA
 * appendix: a new linear head (K,C) + bias (K) on the final-LayerNorm hidden state of each sequence's last real
 * token, trained with cross-entropy. Three modes choose what else trains:
 * <ul>
 *   <li>{@link Mode#HEAD}: the head only; the whole GPT is frozen.</li>
 *   <li>{@link Mode#LAST_BLOCK}: the last transformer block, ln_f and the head (their model tensors are updated in
 *       place in {@link GptModel#parameters()}).</li>
 *   <li>{@link Mode#LORA}: low-rank adapters W + (alpha/r) B A on every block's attn.c_attn and attn.c_proj
 *       (A (r,in), B (out,r), B starts at zero so training starts from the pretrained model) and the head.</li>
 * </ul>
 * The layers are the model's own kernels ({@link LayerNorm}, {@link Matmul}, {@link Attention}, ...), run by this
 * class over its own activations, because it needs what {@link GptModel} has no entry point for: the hidden state
 * after ln_f, a backward pass that starts from a hidden-state gradient, adapters inside the attention projections,
 * and frozen layers that pass input gradients without computing weight gradients.
 *
 * <p>The frozen part of the network is computed once per example by {@link #prepare}: for HEAD the last token's
 * final residual (C), for LAST_BLOCK the input of the last block (len,C); LORA keeps the tokens. A training step
 * then only runs what can change. Sequences in a batch are right-padded; under causal attention padding after the
 * last real token cannot change it, so the padded rows never reach the loss.
 */
public final class SequenceClassifier {

    public enum Mode {
        HEAD, LAST_BLOCK, LORA;

        public static Mode parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT).replace('_', '-')) {
                case "head" -> HEAD;
                case "last-block" -> LAST_BLOCK;
                case "lora" -> LORA;
                default -> throw new IllegalArgumentException("mode must be head, last-block or lora, was " + s);
            };
        }
    }

    /** One sequence with its cached frozen activations: {@code state} is (rows, C) entering layer {@link #first}. */
    public static final class Example {
        final int[] tokens;
        final float[] state;
        final int rows;

        Example(int[] tokens, float[] state, int rows) {
            this.tokens = tokens;
            this.state = state;
            this.rows = rows;
        }

        public int length() {
            return tokens.length;
        }
    }

    private final GptModel model;
    private final GptConfig cfg;
    private final Compute cx;
    private final Mode mode;
    private final int K, rank, C, L, NH;
    private final float loraScale;
    /** First block run per step: L for HEAD (none), L-1 for LAST_BLOCK, 0 for LORA. */
    private final int first;

    // model tensor offsets
    private final int[] ln1w, ln1b, qkvw, qkvb, projw, projb, ln2w, ln2b, fcw, fcb, fcprojw, fcprojb;
    private final int lnfw, lnfb;

    /** Own trainable parameters: head W (K,C) | head b (K) | per layer: A_attn (r,C), B_attn (3C,r), A_proj (r,C), B_proj (C,r). */
    private final float[] own;
    private final float[] ownGrad;
    private final int headW, headB;
    private final int[] aAttn, bAttn, aProj, bProj;
    /** The model's parameters this mode trains: [trainStart, trainEnd) of model.parameters(), empty unless LAST_BLOCK. */
    private final int trainStart, trainEnd;

    // activations, grown to the largest (B,T) seen
    private int capN = -1, capAtt = -1, capB = -1;
    private float[] in;
    private float[][] ln1, ln1m, ln1r, qkv, ua, atty, att, up, attproj, res2, ln2, ln2m, ln2r, fch, fchg, fcproj, res3;
    private float[] last, lnfm, lnfr, hidden, logits, probs;
    private float[] dres, dln, dqkv, datty, dfch, dfchg, du, dscaled, tmp, dlast, dhidden, dlogits;
    private int[] lengths = new int[0];
    private int[] labels = new int[0];
    private int B, T;
    private int[] embedTokens = new int[0];

    // AdamW state for own and for the model range
    private float[] mOwn, vOwn, mModel, vModel;
    private int adamStep;

    public SequenceClassifier(GptModel model, int nLabels, Mode mode, int loraRank, float loraAlpha, long seed) {
        if (nLabels < 2) {
            throw new IllegalArgumentException("need at least 2 labels, got " + nLabels);
        }
        if (mode == Mode.LORA && loraRank <= 0) {
            throw new IllegalArgumentException("LoRA rank must be positive, was " + loraRank);
        }
        this.model = model;
        this.cfg = model.config();
        this.cx = model.compute();
        this.mode = mode;
        this.K = nLabels;
        this.C = cfg.nEmbd();
        this.L = cfg.nLayer();
        this.NH = cfg.nHead();
        this.rank = mode == Mode.LORA ? loraRank : 0;
        this.loraScale = mode == Mode.LORA ? loraAlpha / loraRank : 0f;
        this.first = switch (mode) {
            case HEAD -> L;
            case LAST_BLOCK -> L - 1;
            case LORA -> 0;
        };
        ln1w = new int[L]; ln1b = new int[L]; qkvw = new int[L]; qkvb = new int[L]; projw = new int[L]; projb = new int[L];
        ln2w = new int[L]; ln2b = new int[L]; fcw = new int[L]; fcb = new int[L]; fcprojw = new int[L]; fcprojb = new int[L];
        for (int l = 0; l < L; l++) {
            String p = "transformer.h." + l + ".";
            ln1w[l] = off(p + "ln_1.weight"); ln1b[l] = off(p + "ln_1.bias");
            qkvw[l] = off(p + "attn.c_attn.weight"); qkvb[l] = off(p + "attn.c_attn.bias");
            projw[l] = off(p + "attn.c_proj.weight"); projb[l] = off(p + "attn.c_proj.bias");
            ln2w[l] = off(p + "ln_2.weight"); ln2b[l] = off(p + "ln_2.bias");
            fcw[l] = off(p + "mlp.c_fc.weight"); fcb[l] = off(p + "mlp.c_fc.bias");
            fcprojw[l] = off(p + "mlp.c_proj.weight"); fcprojb[l] = off(p + "mlp.c_proj.bias");
        }
        lnfw = off("transformer.ln_f.weight");
        lnfb = off("transformer.ln_f.bias");
        if (mode == Mode.LAST_BLOCK) {
            // block L-1 and ln_f are contiguous at the end of the nanoGPT layout
            trainStart = ln1w[L - 1];
            trainEnd = lnfb + C;
            if (trainEnd != model.parameters().length) {
                throw new IllegalStateException("unexpected parameter layout: ln_f is not last");
            }
        } else {
            trainStart = 0;
            trainEnd = 0;
        }
        int at = 0;
        headW = at; at += K * C;
        headB = at; at += K;
        aAttn = new int[L]; bAttn = new int[L]; aProj = new int[L]; bProj = new int[L];
        if (rank > 0) {
            for (int l = 0; l < L; l++) {
                aAttn[l] = at; at += rank * C;
                bAttn[l] = at; at += 3 * C * rank;
                aProj[l] = at; at += rank * C;
                bProj[l] = at; at += C * rank;
            }
        }
        own = new float[at];
        ownGrad = new float[at];
        Random rng = new Random(seed);
        for (int i = 0; i < K * C; i++) {
            own[headW + i] = (float) (rng.nextGaussian() * 0.02);
        }
        // A as torch's kaiming_uniform_(a=sqrt(5)): U(-1/sqrt(in), 1/sqrt(in)); B zero
        float bound = (float) (1.0 / Math.sqrt(C));
        for (int l = 0; l < L && rank > 0; l++) {
            for (int i = 0; i < rank * C; i++) {
                own[aAttn[l] + i] = (rng.nextFloat() * 2 - 1) * bound;
                own[aProj[l] + i] = (rng.nextFloat() * 2 - 1) * bound;
            }
        }
        mOwn = new float[own.length];
        vOwn = new float[own.length];
        mModel = new float[trainEnd - trainStart];
        vModel = new float[trainEnd - trainStart];
    }

    private int off(String name) {
        return model.tensor(name).offset();
    }

    public Mode mode() {
        return mode;
    }

    public int labelCount() {
        return K;
    }

    public GptModel model() {
        return model;
    }

    /**
     * The token sequence a classifier sees for a text, the same as the served classifier (lectern.llm.ServedModel):
     * the text's first tokens, then {@code <|classify|>} when the tokenizer has it, at most {@code maxTokens} in all;
     * an empty text without that token becomes {@code <|endoftext|>}.
     */
    public static int[] input(BpeTokenizer tokenizer, String text, int maxTokens) {
        int classify = tokenizer.specialTokenId(BpeTokenizer.CLASSIFY);
        int[] ids = tokenizer.encode(text);
        int room = classify >= 0 ? maxTokens - 1 : maxTokens;
        ids = java.util.Arrays.copyOf(ids, Math.min(ids.length, room));
        if (classify >= 0) {
            ids = java.util.Arrays.copyOf(ids, ids.length + 1);
            ids[ids.length - 1] = classify;
        }
        return ids.length == 0 ? new int[] {tokenizer.endOfTextId()} : ids;
    }

    /** Trainable parameters owned here (head, adapters); see the class comment for the layout. */
    public float[] ownParameters() {
        return own;
    }

    public float[] ownGradients() {
        return ownGrad;
    }

    /** Number of parameters this mode trains (own + the model range). */
    public long trainableCount() {
        return own.length + (long) (trainEnd - trainStart);
    }

    /** Head weight (K,C), a copy. */
    public float[] headWeight() {
        return java.util.Arrays.copyOfRange(own, headW, headW + K * C);
    }

    /** Head bias (K), a copy. */
    public float[] headBias() {
        return java.util.Arrays.copyOfRange(own, headB, headB + K);
    }

    /** Offsets into {@link #ownParameters()} (tests): head W, head b, and per layer A_attn, B_attn, A_proj, B_proj. */
    int[] ownLayout() {
        int[] o = new int[2 + 4 * L];
        o[0] = headW;
        o[1] = headB;
        for (int l = 0; l < L; l++) {
            o[2 + 4 * l] = aAttn[l]; o[3 + 4 * l] = bAttn[l]; o[4 + 4 * l] = aProj[l]; o[5 + 4 * l] = bProj[l];
        }
        return o;
    }

    int trainStart() {
        return trainStart;
    }

    int trainEnd() {
        return trainEnd;
    }

    /**
     * The model's parameters with the adapters merged in (W + (alpha/r) B A for each c_attn and c_proj): a plain GPT
     * that gives the same hidden states, ready to save or export. Without adapters, a copy of the parameters.
     */
    public float[] mergedParameters() {
        float[] p = model.parameters().clone();
        if (rank == 0) {
            return p;
        }
        for (int l = 0; l < L; l++) {
            merge(p, qkvw[l], bAttn[l], aAttn[l], 3 * C);
            merge(p, projw[l], bProj[l], aProj[l], C);
        }
        return p;
    }

    private void merge(float[] p, int w, int b, int a, int out) {
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < C; c++) {
                float s = 0;
                for (int r = 0; r < rank; r++) {
                    s += own[b + o * rank + r] * own[a + r * C + c];
                }
                p[w + o * C + c] += loraScale * s;
            }
        }
    }

    /**
     * Computes the frozen part of the network for one token sequence (1 <= length <= block size). Examples must be
     * prepared again if frozen model parameters change.
     */
    public Example prepare(int[] tokens) {
        if (tokens.length == 0 || tokens.length > cfg.blockSize()) {
            throw new IllegalArgumentException("sequence length must be 1.." + cfg.blockSize() + ", was " + tokens.length);
        }
        if (first == 0) {
            return new Example(tokens.clone(), null, tokens.length);
        }
        // run the frozen blocks 0..first-1 through the model itself (its forward keeps every residual)
        int n = tokens.length;
        float[] state = frozenResidual(tokens, first);
        if (mode == Mode.HEAD) {
            return new Example(tokens.clone(), java.util.Arrays.copyOfRange(state, (n - 1) * C, n * C), 1);
        }
        return new Example(tokens.clone(), state, n);
    }

    /** The residual stream (n,C) entering block {@code layer} (layer == L: the input of ln_f). */
    private float[] frozenResidual(int[] tokens, int layer) {
        int n = tokens.length;
        ensure(1, n);
        B = 1;
        T = n;
        java.util.Arrays.fill(in, 0, n * C, 0f);
        System.arraycopy(tokens, 0, embedTokens(n), 0, n);
        Encoder.forward(cx, in, 0, embedTokens, model.parameters(), off("transformer.wte.weight"),
                cfg.positions() == GptConfig.Positions.LEARNED ? off("transformer.wpe.weight") : -1, 1, n, C);
        for (int l = 0; l < layer; l++) {
            blockForward(l, l, l == 0 ? in : res3[l - 1], false);
        }
        return java.util.Arrays.copyOf(layer == 0 ? in : res3[layer - 1], n * C);
    }

    private int[] embedTokens(int n) {
        if (embedTokens.length < n) {
            embedTokens = new int[n];
        }
        return embedTokens;
    }

    /**
     * Runs the trainable part on a batch; with labels (one per example, 0..K-1) returns the mean cross-entropy,
     * without (null) returns NaN. Logits (B,K) are then in {@link #logits()}.
     */
    public float forward(List<Example> batch, int[] batchLabels) {
        int b = batch.size();
        int t = 0;
        for (Example e : batch) {
            t = Math.max(t, e.rows);
        }
        ensure(b, t);
        B = b;
        T = t;
        int N = B * T;
        for (int i = 0; i < B; i++) {
            lengths[i] = batch.get(i).rows;
        }
        if (first == 0) {
            int[] tok = embedTokens(N);
            java.util.Arrays.fill(tok, 0, N, 0);
            for (int i = 0; i < B; i++) {
                System.arraycopy(batch.get(i).tokens, 0, tok, i * T, lengths[i]);
            }
            Encoder.forward(cx, in, 0, tok, model.parameters(), off("transformer.wte.weight"),
                    cfg.positions() == GptConfig.Positions.LEARNED ? off("transformer.wpe.weight") : -1, B, T, C);
        } else {
            java.util.Arrays.fill(in, 0, N * C, 0f);
            for (int i = 0; i < B; i++) {
                System.arraycopy(batch.get(i).state, 0, in, i * T * C, lengths[i] * C);
            }
        }
        for (int l = first; l < L; l++) {
            blockForward(l, l - first, l == first ? in : res3[l - first - 1], rank > 0);
        }
        float[] top = first == L ? in : res3[L - first - 1];
        for (int i = 0; i < B; i++) {
            System.arraycopy(top, (i * T + lengths[i] - 1) * C, last, i * C, C);
        }
        float[] p = model.parameters();
        LayerNorm.forward(cx, hidden, 0, lnfm, 0, lnfr, 0, last, 0, p, lnfw, lnfb, B, C);
        Matmul.forward(cx, logits, 0, hidden, 0, own, headW, headB, B, C, K);
        if (batchLabels == null) {
            return Float.NaN;
        }
        System.arraycopy(batchLabels, 0, labels, 0, B);
        double loss = 0;
        for (int i = 0; i < B; i++) {
            int y = labels[i];
            if (y < 0 || y >= K) {
                throw new IllegalArgumentException("label " + y + " outside 0.." + (K - 1));
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < K; k++) {
                max = Math.max(max, logits[i * K + k]);
            }
            double sum = 0;
            for (int k = 0; k < K; k++) {
                float e = (float) Math.exp(logits[i * K + k] - max);
                probs[i * K + k] = e;
                sum += e;
            }
            for (int k = 0; k < K; k++) {
                probs[i * K + k] /= (float) sum;
            }
            loss -= Math.log(Math.max(probs[i * K + y], 1e-30));
        }
        return (float) (loss / B);
    }

    /**
     * The ln_f hidden states (n, C) of the examples' last tokens: what the head reads, as features for another model
     * (lectern.gpt.classify.HybridClassifier). Runs the trainable part forward, {@code batchSize} examples at a time.
     */
    public float[] hiddenStates(List<Example> examples, int batchSize) {
        int n = examples.size();
        float[] out = new float[n * C];
        for (int s = 0; s < n; s += batchSize) {
            int e = Math.min(n, s + batchSize);
            forward(examples.subList(s, e), null);
            System.arraycopy(hidden, 0, out, s * C, (e - s) * C);
        }
        return out;
    }

    /** Logits (B,K) of the last forward. */
    public float[] logits() {
        return logits;
    }

    public void zeroGradients() {
        java.util.Arrays.fill(ownGrad, 0f);
        if (trainEnd > trainStart) {
            java.util.Arrays.fill(model.gradients(), trainStart, trainEnd, 0f);
        }
    }

    /** Adds the gradient of the last forward's mean loss to the trainable gradients. */
    public void backward() {
        int N = B * T;
        float[] p = model.parameters();
        float[] g = model.gradients();
        for (int i = 0; i < B; i++) {
            for (int k = 0; k < K; k++) {
                dlogits[i * K + k] = (probs[i * K + k] - (k == labels[i] ? 1f : 0f)) / B;
            }
        }
        boolean below = mode != Mode.HEAD;
        if (below) {
            java.util.Arrays.fill(dhidden, 0, B * C, 0f);
        }
        Matmul.backward(cx, below ? dhidden : null, 0, ownGrad, headW, headB, dlogits, 0, hidden, 0, own, headW, B, C, K);
        if (!below) {
            return;
        }
        java.util.Arrays.fill(dlast, 0, B * C, 0f);
        // ln_f gradients land in the model's gradient block; they are used only when ln_f trains (LAST_BLOCK)
        LayerNorm.backward(cx, dlast, 0, g, lnfw, lnfb, dhidden, 0, last, 0, p, lnfw, lnfm, 0, lnfr, 0, B, C);
        java.util.Arrays.fill(dres, 0, N * C, 0f);
        for (int i = 0; i < B; i++) {
            System.arraycopy(dlast, i * C, dres, (i * T + lengths[i] - 1) * C, C);
        }
        for (int l = L - 1; l >= first; l--) {
            blockBackward(l, l - first, l == first ? in : res3[l - first - 1], l > first, mode == Mode.LAST_BLOCK);
        }
    }

    private void blockForward(int l, int i, float[] residual, boolean lora) {
        int N = B * T;
        float[] p = model.parameters();
        LayerNorm.forward(cx, ln1[i], 0, ln1m[i], 0, ln1r[i], 0, residual, 0, p, ln1w[l], ln1b[l], N, C);
        Matmul.forward(cx, qkv[i], 0, ln1[i], 0, p, qkvw[l], qkvb[l], N, C, 3 * C);
        if (lora) {
            loraForward(qkv[i], ln1[i], ua[i], aAttn[l], bAttn[l], 3 * C);
        }
        Attention.forward(cx, atty[i], 0, att[i], 0, qkv[i], 0, B, T, C, NH);
        Matmul.forward(cx, attproj[i], 0, atty[i], 0, p, projw[l], projb[l], N, C, C);
        if (lora) {
            loraForward(attproj[i], atty[i], up[i], aProj[l], bProj[l], C);
        }
        Residual.forward(cx, res2[i], 0, residual, 0, attproj[i], 0, N * C);
        LayerNorm.forward(cx, ln2[i], 0, ln2m[i], 0, ln2r[i], 0, res2[i], 0, p, ln2w[l], ln2b[l], N, C);
        Matmul.forward(cx, fch[i], 0, ln2[i], 0, p, fcw[l], fcb[l], N, C, 4 * C);
        Gelu.forward(cx, fchg[i], 0, fch[i], 0, N * 4 * C);
        Matmul.forward(cx, fcproj[i], 0, fchg[i], 0, p, fcprojw[l], fcprojb[l], N, 4 * C, C);
        Residual.forward(cx, res3[i], 0, res2[i], 0, fcproj[i], 0, N * C);
    }

    /** out (N,OUT) += s * (inp (N,C) @ A^T) @ B^T; keeps u = inp @ A^T (N,r) for backward. */
    private void loraForward(float[] out, float[] inp, float[] u, int a, int b, int outDim) {
        int N = B * T;
        Matmul.forward(cx, u, 0, inp, 0, own, a, -1, N, C, rank);
        Matmul.forward(cx, tmp, 0, u, 0, own, b, -1, N, rank, outDim);
        float s = loraScale;
        for (int j = 0; j < N * outDim; j++) {
            out[j] += s * tmp[j];
        }
    }

    /** dA, dB from dout (N,OUT); dinp (N,C) += the adapter's input gradient unless null. */
    private void loraBackward(float[] dout, float[] inp, float[] u, int a, int b, int outDim, float[] dinp) {
        int N = B * T;
        float s = loraScale;
        for (int j = 0; j < N * outDim; j++) {
            dscaled[j] = s * dout[j];
        }
        java.util.Arrays.fill(du, 0, N * rank, 0f);
        Matmul.backward(cx, du, 0, ownGrad, b, -1, dscaled, 0, u, 0, own, b, N, rank, outDim);
        Matmul.backward(cx, dinp, 0, ownGrad, a, -1, du, 0, inp, 0, own, a, N, C, rank);
    }

    /**
     * Backward through block l; on entry dres = d(block output), on return d(block input) when {@code needInput}.
     * {@code trainWeights}: accumulate the block's own weight gradients into the model's gradient block.
     */
    private void blockBackward(int l, int i, float[] residual, boolean needInput, boolean trainWeights) {
        int N = B * T;
        float[] p = model.parameters();
        float[] g = model.gradients();
        java.util.Arrays.fill(dfchg, 0, N * 4 * C, 0f);
        linearBackward(dfchg, fcprojw[l], fcprojb[l], dres, fchg[i], N, 4 * C, C, trainWeights);
        java.util.Arrays.fill(dfch, 0, N * 4 * C, 0f);
        Gelu.backward(cx, dfch, 0, fch[i], 0, dfchg, 0, N * 4 * C);
        java.util.Arrays.fill(dln, 0, N * C, 0f);
        linearBackward(dln, fcw[l], fcb[l], dfch, ln2[i], N, C, 4 * C, trainWeights);
        // frozen LayerNorm weight gradients go to the model's block too and are never used
        LayerNorm.backward(cx, dres, 0, g, ln2w[l], ln2b[l], dln, 0, res2[i], 0, p, ln2w[l], ln2m[i], 0, ln2r[i], 0, N, C);
        java.util.Arrays.fill(datty, 0, N * C, 0f);
        linearBackward(datty, projw[l], projb[l], dres, atty[i], N, C, C, trainWeights);
        if (rank > 0) {
            loraBackward(dres, atty[i], up[i], aProj[l], bProj[l], C, datty);
        }
        java.util.Arrays.fill(dqkv, 0, N * 3 * C, 0f);
        Attention.backward(cx, dqkv, 0, datty, 0, qkv[i], 0, att[i], 0, B, T, C, NH);
        // ln_1's input gradient is needed further down; ln_1's own weights (when they train) need it too
        boolean wantDln = needInput || trainWeights;
        if (wantDln) {
            java.util.Arrays.fill(dln, 0, N * C, 0f);
        }
        linearBackward(wantDln ? dln : null, qkvw[l], qkvb[l], dqkv, ln1[i], N, C, 3 * C, trainWeights);
        if (rank > 0) {
            loraBackward(dqkv, ln1[i], ua[i], aAttn[l], bAttn[l], 3 * C, wantDln ? dln : null);
        }
        if (wantDln) {
            LayerNorm.backward(cx, needInput ? dres : dscratchRows(N), 0, g, ln1w[l], ln1b[l], dln, 0, residual, 0, p,
                    ln1w[l], ln1m[i], 0, ln1r[i], 0, N, C);
        }
    }

    private float[] dscratchRows(int N) {
        // LayerNorm.backward always writes an input gradient; dfch has at least N*C room and is free here
        java.util.Arrays.fill(dfch, 0, N * C, 0f);
        return dfch;
    }

    /**
     * dinp (N,IN) += dout (N,OUT) @ W; with {@code train} also dW, db into the model's gradient block. A frozen layer
     * without dinp does nothing.
     */
    private void linearBackward(float[] dinp, int w, int bias, float[] dout, float[] inp, int N, int inDim, int outDim,
                                boolean train) {
        float[] p = model.parameters();
        if (train) {
            Matmul.backward(cx, dinp, 0, model.gradients(), w, bias, dout, 0, inp, 0, p, w, N, inDim, outDim);
        } else if (dinp != null) {
            FloatKernels k = cx.kernels;
            cx.rows(N, 64, (s, e, worker) ->
                    k.gemm(e - s, inDim, outDim, dout, s * outDim, outDim, 1, p, w, inDim, dinp, s * inDim, inDim));
        }
    }

    /** AdamW on everything this mode trains; weight decay on 2-D tensors only (head W, adapters, block weights). */
    public void step(float lr, float weightDecay) {
        adamStep++;
        float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
        float c1 = (float) (1 - Math.pow(b1, adamStep));
        float c2 = (float) (1 - Math.pow(b2, adamStep));
        for (int j = 0; j < own.length; j++) {
            boolean decay = j < headB || j >= headB + K;
            own[j] = adam(own[j], ownGrad[j], mOwn, vOwn, j, lr, decay ? weightDecay : 0f, b1, b2, eps, c1, c2);
        }
        if (trainEnd > trainStart) {
            float[] p = model.parameters();
            float[] g = model.gradients();
            boolean[] decays = new boolean[trainEnd - trainStart];
            for (ParameterTensor t : model.tensors()) {
                if (t.offset() >= trainStart && t.isMatrix()) {
                    java.util.Arrays.fill(decays, t.offset() - trainStart, t.offset() - trainStart + t.size(), true);
                }
            }
            for (int j = trainStart; j < trainEnd; j++) {
                int m = j - trainStart;
                p[j] = adam(p[j], g[j], mModel, vModel, m, lr, decays[m] ? weightDecay : 0f, b1, b2, eps, c1, c2);
            }
        }
    }

    private static float adam(float p, float g, float[] m, float[] v, int j, float lr, float wd, float b1, float b2,
                              float eps, float c1, float c2) {
        m[j] = b1 * m[j] + (1 - b1) * g;
        v[j] = b2 * v[j] + (1 - b2) * g * g;
        return p - lr * ((m[j] / c1) / ((float) Math.sqrt(v[j] / c2) + eps) + wd * p);
    }

    /** Most likely label for each example, in batches. */
    public int[] predict(List<Example> examples, int batchSize) {
        int[] out = new int[examples.size()];
        for (int s = 0; s < examples.size(); s += batchSize) {
            List<Example> batch = examples.subList(s, Math.min(examples.size(), s + batchSize));
            forward(batch, null);
            for (int i = 0; i < batch.size(); i++) {
                int best = 0;
                for (int k = 1; k < K; k++) {
                    if (logits[i * K + k] > logits[i * K + best]) {
                        best = k;
                    }
                }
                out[s + i] = best;
            }
        }
        return out;
    }

    /** Progress of {@link #fit}: called after every step. */
    public interface Progress {
        void step(int step, int totalSteps, float loss);
    }

    /**
     * Trains for {@code epochs} passes over the examples in shuffled batches (seeded), with linear warmup over the
     * first 10% of steps then cosine decay to lr/10. Returns the mean loss of the last epoch.
     */
    public float fit(List<Example> examples, int[] exampleLabels, int epochs, int batchSize, float lr, float weightDecay,
                     long seed, Progress progress) {
        int n = examples.size();
        int perEpoch = (n + batchSize - 1) / batchSize;
        int total = perEpoch * epochs;
        int warmup = Math.max(1, total / 10);
        Random rng = new Random(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int step = 0;
        double epochLoss = 0;
        for (int e = 0; e < epochs; e++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int x = order[i]; order[i] = order[j]; order[j] = x;
            }
            epochLoss = 0;
            for (int s = 0; s < n; s += batchSize) {
                int b = Math.min(batchSize, n - s);
                List<Example> batch = new ArrayList<>(b);
                int[] y = new int[b];
                for (int i = 0; i < b; i++) {
                    batch.add(examples.get(order[s + i]));
                    y[i] = exampleLabels[order[s + i]];
                }
                zeroGradients();
                float loss = forward(batch, y);
                backward();
                float rate;
                if (step < warmup) {
                    rate = lr * (step + 1) / warmup;
                } else {
                    double progressFraction = (double) (step - warmup) / Math.max(1, total - warmup);
                    rate = (float) (lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progressFraction))));
                }
                step(rate, weightDecay);
                step++;
                epochLoss += loss * b;
                if (progress != null) {
                    progress.step(step, total, loss);
                }
            }
        }
        return (float) (epochLoss / n);
    }

    private void ensure(int b, int t) {
        int N = b * t;
        int attSize = b * NH * t * t;
        if (N <= capN && attSize <= capAtt && b <= capB) {
            return;
        }
        capN = Math.max(N, capN);
        capAtt = Math.max(attSize, capAtt);
        capB = Math.max(b, capB);
        int n = capN;
        int layers = L; // frozenResidual may run every block
        in = new float[n * C];
        ln1 = rows(layers, n * C); ln1m = rows(layers, n); ln1r = rows(layers, n); qkv = rows(layers, n * 3 * C);
        ua = rows(layers, n * Math.max(rank, 1)); atty = rows(layers, n * C); att = rows(layers, capAtt);
        up = rows(layers, n * Math.max(rank, 1)); attproj = rows(layers, n * C); res2 = rows(layers, n * C);
        ln2 = rows(layers, n * C); ln2m = rows(layers, n); ln2r = rows(layers, n); fch = rows(layers, n * 4 * C);
        fchg = rows(layers, n * 4 * C); fcproj = rows(layers, n * C); res3 = rows(layers, n * C);
        dres = new float[n * C]; dln = new float[n * C]; dqkv = new float[n * 3 * C]; datty = new float[n * C];
        dfch = new float[n * 4 * C]; dfchg = new float[n * 4 * C]; du = new float[n * Math.max(rank, 1)];
        dscaled = new float[n * 3 * C]; tmp = new float[n * 3 * C];
        int bb = capB;
        last = new float[bb * C]; lnfm = new float[bb]; lnfr = new float[bb]; hidden = new float[bb * C];
        logits = new float[bb * K]; probs = new float[bb * K]; dlast = new float[bb * C]; dhidden = new float[bb * C];
        dlogits = new float[bb * K];
        lengths = new int[bb];
        labels = new int[bb];
    }

    private static float[][] rows(int layers, int size) {
        float[][] x = new float[layers][];
        for (int i = 0; i < layers; i++) {
            x[i] = new float[size];
        }
        return x;
    }
}
