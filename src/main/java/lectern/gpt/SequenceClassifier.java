package lectern.gpt;

import java.util.ArrayList;
import java.util.Arrays;
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
 * The blocks are the model's own {@link TransformerBlock}, run by this class over its own activations, because it
 * needs what {@link GptModel} has no entry point for: the hidden state after ln_f, a backward pass that starts from
 * a hidden-state gradient, adapters beside the attention projections ({@link TransformerBlock.Adapter}), and frozen
 * blocks that pass input gradients without computing weight gradients. Loss, optimizer and schedule are the
 * pretraining ones too: {@link CrossEntropy}, {@link AdamW} (torch's default betas, {@link #BETA1}, {@link #BETA2})
 * and {@link LearningRateSchedule}.
 *
 * <p>The frozen part of the network is computed once per example by {@link #prepare}: for HEAD the last token's
 * final residual (C), for LAST_BLOCK the input of the last block (len,C); LORA keeps the tokens. A training step
 * then only runs what can change. Sequences in a batch are right-padded; under causal attention padding after the
 * last real token cannot change it, so the padded rows never reach the loss.
 */
public final class SequenceClassifier {

    /** AdamW's betas and eps for fine-tuning: torch.optim.AdamW's defaults (pretraining uses 0.9/0.95). */
    static final float BETA1 = 0.9f, BETA2 = 0.999f, EPS = 1e-8f;

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

    /**
     * Own trainable parameters, named tensors back to back: head.weight (K,C) | head.bias (K) | per layer l with
     * adapters: transformer.h.l.attn.c_attn.lora_A (r,C) | .c_attn.lora_B (3C,r) | .c_proj.lora_A (r,C)
     * | .c_proj.lora_B (C,r).
     */
    private final List<ParameterTensor> ownTensors;
    private final float[] own;
    private final float[] ownGrad;
    private final int headW, headB;
    private final int[] aAttn, bAttn, aProj, bProj;
    /** The model's parameters this mode trains: [trainStart, trainEnd) of model.parameters(), empty unless LAST_BLOCK. */
    private final int trainStart, trainEnd;
    private final LowRankAdapters adapters; // null without

    /*
     * Activations for the current (B,T), N = B*T, one block grown to the largest seen:
     * in (N,C) | the L blocks' activations | ua (L,N,r) | up (L,N,r) | tmp (N,3C) | last (B,C) | lnf mean (B)
     * | lnf rstd (B) | hidden (B,C) | losses (B)
     * and their gradients: the blocks' scratch | du (N,r) | dscaled (N,3C) | dlast (B,C) | dhidden (B,C) | dlogits (B,K)
     * (dlogits written by a forward with labels, as it takes the loss).
     * {@code in} is the input of block {@code first}; ua and up keep the adapters' inp A^T for c_attn and c_proj.
     */
    private float[] acts = new float[0];
    private float[] dacts = new float[0];
    private float[] logits = new float[0];
    private int in, ua, up, tmp, last, lnfMean, lnfRstd, hidden, losses;
    private int du, dscaled, dlast, dhidden, dlogits;
    private TransformerBlock.Activations blocks;
    private TransformerBlock.Gradients dblocks;
    private int[] lengths = new int[0];
    private int[] labels = new int[0];
    private int[] embedTokens = new int[0];
    private int B, T;

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
        if (mode == Mode.LAST_BLOCK) {
            // block L-1 and ln_f are contiguous at the end of the nanoGPT layout
            trainStart = model.block(L - 1).ln1w();
            trainEnd = model.lnfb() + C;
            if (trainEnd != model.parameters().length) {
                throw new IllegalStateException("unexpected parameter layout: ln_f is not last");
            }
        } else {
            trainStart = 0;
            trainEnd = 0;
        }
        TensorLayout t = new TensorLayout();
        headW = t.add("head.weight", K, C);
        headB = t.add("head.bias", K);
        aAttn = new int[L]; bAttn = new int[L]; aProj = new int[L]; bProj = new int[L];
        for (int l = 0; l < L && rank > 0; l++) {
            String p = "transformer.h." + l + ".attn.";
            aAttn[l] = t.add(p + "c_attn.lora_A", rank, C);
            bAttn[l] = t.add(p + "c_attn.lora_B", 3 * C, rank);
            aProj[l] = t.add(p + "c_proj.lora_A", rank, C);
            bProj[l] = t.add(p + "c_proj.lora_B", C, rank);
        }
        ownTensors = t.tensors();
        own = new float[t.size()];
        ownGrad = new float[t.size()];
        adapters = rank > 0 ? new LowRankAdapters() : null;
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
     * The token sequence a classifier reads for a text, in training and when served (lectern.llm.ServedModel): the
     * text's first tokens, then {@code <|classify|>} when the tokenizer has it, at most {@code maxTokens} in all; an
     * empty text without that token becomes {@code <|endoftext|>} (token 0 when the tokenizer has none).
     */
    public static int[] input(BpeTokenizer tokenizer, String text, int maxTokens) {
        int classify = tokenizer.specialTokenId(BpeTokenizer.CLASSIFY);
        int[] ids = tokenizer.encode(text);
        int room = classify >= 0 ? maxTokens - 1 : maxTokens;
        ids = Arrays.copyOf(ids, Math.min(ids.length, room));
        if (classify >= 0) {
            ids = Arrays.copyOf(ids, ids.length + 1);
            ids[ids.length - 1] = classify;
        }
        if (ids.length == 0) {
            int endOfText = tokenizer.endOfTextId();
            ids = new int[] {endOfText >= 0 ? endOfText : 0};
        }
        return ids;
    }

    /** Trainable parameters owned here (head, adapters), laid out as the own tensors' field comment says. */
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
        return Arrays.copyOfRange(own, headW, headW + K * C);
    }

    /** Head bias (K), a copy. */
    public float[] headBias() {
        return Arrays.copyOfRange(own, headB, headB + K);
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
            merge(p, model.block(l).qkvw(), bAttn[l], aAttn[l], 3 * C);
            merge(p, model.block(l).attprojw(), bProj[l], aProj[l], C);
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
        int n = tokens.length;
        float[] state = frozenResidual(tokens, first);
        if (mode == Mode.HEAD) {
            return new Example(tokens.clone(), Arrays.copyOfRange(state, (n - 1) * C, n * C), 1);
        }
        return new Example(tokens.clone(), state, n);
    }

    /** The residual stream (n,C) entering block {@code layer} (layer == L: the input of ln_f), from blocks 0..layer-1. */
    private float[] frozenResidual(int[] tokens, int layer) {
        int n = tokens.length;
        layout(1, n);
        float[] p = model.parameters();
        System.arraycopy(tokens, 0, embedTokens, 0, n);
        Encoder.forward(cx, acts, in, embedTokens, p, model.wte(), model.wpe(), 1, n, C);
        for (int l = 0; l < layer; l++) {
            TransformerBlock.forward(cx, p, model.block(l), acts, blocks, l, blockInput(l, 0), null);
        }
        int out = blockInput(layer, 0);
        return Arrays.copyOfRange(acts, out, out + n * C);
    }

    /** The offset of block l's input when the blocks run from block {@code from}, whose input is {@code in}. */
    private int blockInput(int l, int from) {
        return l == from ? in : blocks.output(l - 1);
    }

    /**
     * Runs the trainable part on a batch; with labels (one per example, 0..K-1) returns the mean cross-entropy,
     * without (null) returns NaN. Logits (B,K) are then in {@link #logits()}.
     */
    public float forward(List<Example> batch, int[] batchLabels) {
        int t = 0;
        for (Example e : batch) {
            t = Math.max(t, e.rows);
        }
        layout(batch.size(), t);
        int N = B * T;
        for (int i = 0; i < B; i++) {
            lengths[i] = batch.get(i).rows;
        }
        float[] p = model.parameters();
        if (first == 0) {
            Arrays.fill(embedTokens, 0, N, 0);
            for (int i = 0; i < B; i++) {
                System.arraycopy(batch.get(i).tokens, 0, embedTokens, i * T, lengths[i]);
            }
            Encoder.forward(cx, acts, in, embedTokens, p, model.wte(), model.wpe(), B, T, C);
        } else {
            Arrays.fill(acts, in, in + N * C, 0f);
            for (int i = 0; i < B; i++) {
                System.arraycopy(batch.get(i).state, 0, acts, in + i * T * C, lengths[i] * C);
            }
        }
        for (int l = first; l < L; l++) {
            TransformerBlock.forward(cx, p, model.block(l), acts, blocks, l, blockInput(l, first), adapters);
        }
        int top = blockInput(L, first);
        for (int i = 0; i < B; i++) {
            System.arraycopy(acts, top + (i * T + lengths[i] - 1) * C, acts, last + i * C, C);
        }
        LayerNorm.forward(cx, acts, hidden, acts, lnfMean, acts, lnfRstd, acts, last, p, model.lnfw(), model.lnfb(), B, C);
        Matmul.forward(cx, logits, 0, acts, hidden, own, headW, headB, B, C, K);
        if (batchLabels == null) {
            return Float.NaN;
        }
        for (int i = 0; i < B; i++) {
            int y = batchLabels[i];
            if (y < 0 || y >= K) {
                throw new IllegalArgumentException("label " + y + " outside 0.." + (K - 1));
            }
            labels[i] = y;
        }
        return CrossEntropy.forward(cx, dacts, dlogits, acts, losses, logits, 0, labels, B, K);
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
            System.arraycopy(acts, hidden, out, s * C, (e - s) * C);
        }
        return out;
    }

    /** Logits (B,K) of the last forward. */
    public float[] logits() {
        return logits;
    }

    public void zeroGradients() {
        Arrays.fill(ownGrad, 0f);
        if (trainEnd > trainStart) {
            Arrays.fill(model.gradients(), trainStart, trainEnd, 0f);
        }
    }

    /** Adds the gradient of the last forward's mean loss to the trainable gradients. */
    public void backward() {
        int N = B * T;
        float[] p = model.parameters();
        float[] d = dacts;
        // only LAST_BLOCK trains model tensors (its block and ln_f); elsewhere the model is frozen
        float[] g = mode == Mode.LAST_BLOCK ? model.gradients() : null;
        boolean below = mode != Mode.HEAD;
        if (below) {
            cx.zero(d, dhidden, B * C);
        }
        Matmul.backward(cx, below ? d : null, dhidden, ownGrad, headW, headB, d, dlogits, acts, hidden, own, headW, B, C, K);
        if (!below) {
            return;
        }
        cx.zero(d, dlast, B * C);
        LayerNorm.backward(cx, d, dlast, g, model.lnfw(), model.lnfb(), d, dhidden, acts, last, p, model.lnfw(),
                acts, lnfMean, acts, lnfRstd, B, C);
        int dres = dblocks.dres;
        cx.zero(d, dres, N * C);
        for (int i = 0; i < B; i++) {
            System.arraycopy(d, dlast + i * C, d, dres + (i * T + lengths[i] - 1) * C, C);
        }
        for (int l = L - 1; l >= first; l--) {
            TransformerBlock.backward(cx, p, g, model.block(l), acts, blocks, l, blockInput(l, first), d, dblocks,
                    l > first, adapters);
        }
    }

    /** LoRA beside every block's c_attn and c_proj: out (N,OC) += (alpha/r) (inp (N,C) @ A^T) @ B^T. */
    private final class LowRankAdapters implements TransformerBlock.Adapter {

        @Override
        public void forward(int l, TransformerBlock.Projection p, float[] acts, int out, int inp, int N) {
            boolean qkv = p == TransformerBlock.Projection.QKV;
            int a = qkv ? aAttn[l] : aProj[l], b = qkv ? bAttn[l] : bProj[l], OC = qkv ? 3 * C : C;
            int u = (qkv ? ua : up) + l * N * rank; // (N,r), kept for backward
            Matmul.forward(cx, acts, u, acts, inp, own, a, -1, N, C, rank);
            Matmul.forward(cx, acts, tmp, acts, u, own, b, -1, N, rank, OC);
            for (int j = 0; j < N * OC; j++) {
                acts[out + j] += loraScale * acts[tmp + j];
            }
        }

        @Override
        public void backward(int l, TransformerBlock.Projection p, float[] d, int dout, float[] acts, int inp, int dinp,
                             int N) {
            boolean qkv = p == TransformerBlock.Projection.QKV;
            int a = qkv ? aAttn[l] : aProj[l], b = qkv ? bAttn[l] : bProj[l], OC = qkv ? 3 * C : C;
            int u = (qkv ? ua : up) + l * N * rank;
            for (int j = 0; j < N * OC; j++) {
                d[dscaled + j] = loraScale * d[dout + j];
            }
            cx.zero(d, du, N * rank);
            Matmul.backward(cx, d, du, ownGrad, b, -1, d, dscaled, acts, u, own, b, N, rank, OC);
            Matmul.backward(cx, dinp < 0 ? null : d, dinp, ownGrad, a, -1, d, du, acts, inp, own, a, N, C, rank);
        }
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
     * first 10% of steps then cosine decay to lr/10, and AdamW (fresh for each call; weight decay on 2-D tensors
     * only: head W, adapters, block weights). Returns the mean loss of the last epoch.
     */
    public float fit(List<Example> examples, int[] exampleLabels, int epochs, int batchSize, float lr, float weightDecay,
                     long seed, Progress progress) {
        int n = examples.size();
        int perEpoch = (n + batchSize - 1) / batchSize;
        int total = perEpoch * epochs;
        LearningRateSchedule schedule = new LearningRateSchedule(lr, lr / 10, Math.min(total, Math.max(1, total / 10)),
                total);
        AdamW ownOptimizer = new AdamW(own, ownGrad, ownTensors, cx, BETA1, BETA2, EPS, weightDecay);
        AdamW modelOptimizer = trainEnd == trainStart ? null : new AdamW(model.parameters(), model.gradients(),
                model.tensors().stream().filter(t -> t.offset() >= trainStart).toList(), cx, BETA1, BETA2, EPS,
                weightDecay);
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
                float rate = schedule.at(step);
                ownOptimizer.step(rate);
                if (modelOptimizer != null) {
                    modelOptimizer.step(rate);
                }
                step++;
                epochLoss += loss * b;
                if (progress != null) {
                    progress.step(step, total, loss);
                }
            }
        }
        return (float) (epochLoss / n);
    }

    /** Computes activation offsets for (b,t) (see the activation comment); grows the blocks if they need more room. */
    private void layout(int b, int t) {
        if (b == B && t == T) {
            return;
        }
        int N = b * t;
        B = 0; // until the new layout is complete
        T = 0;
        long lora = rank > 0 ? (long) N * 3 * C : 0;
        Regions r = new Regions(b, t);
        in = r.take((long) N * C);
        blocks = new TransformerBlock.Activations(r, L, b, t, C, NH); // frozenResidual may run every block
        ua = r.take((long) L * N * rank);
        up = r.take((long) L * N * rank);
        tmp = r.take(lora);
        last = r.take((long) b * C);
        lnfMean = r.take(b);
        lnfRstd = r.take(b);
        hidden = r.take((long) b * C);
        losses = r.take(b);
        Regions d = new Regions(b, t);
        dblocks = new TransformerBlock.Gradients(d, N, C);
        du = d.take((long) N * rank);
        dscaled = d.take(lora);
        dlast = d.take((long) b * C);
        dhidden = d.take((long) b * C);
        dlogits = d.take((long) b * K);
        if (acts.length < r.size()) {
            acts = new float[r.size()];
        }
        if (dacts.length < d.size()) {
            dacts = new float[d.size()];
        }
        if (logits.length < b * K) {
            logits = new float[b * K];
            lengths = new int[b];
            labels = new int[b];
        }
        if (embedTokens.length < N) {
            embedTokens = new int[N];
        }
        B = b;
        T = t;
    }
}
