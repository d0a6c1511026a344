package lectern.gpt;

/**
 * One GPT-2 transformer block, the same for pretraining ({@link GptModel}) and classification fine-tuning
 * ({@link SequenceClassifier}):
 * <pre>
 * res2 = x + c_proj(attention(c_attn(ln_1(x))));   res3 = res2 + mlp.c_proj(gelu(mlp.c_fc(ln_2(res2))))
 * </pre>
 * Parameters are a {@link Weights} (offsets into the model's parameter block), activations a layer of an
 * {@link Activations} layout in one float block, and backward reuses one {@link Gradients} scratch for every layer.
 * An optional {@link Adapter} adds a trainable path beside c_attn and c_proj (LoRA).
 */
final class TransformerBlock {

    private TransformerBlock() {
    }

    /** Offsets of one block's parameters, named as llm.c's ParameterTensors (nanoGPT's transformer.h.{l}.*). */
    record Weights(int ln1w, int ln1b, int qkvw, int qkvb, int attprojw, int attprojb, int ln2w, int ln2b, int fcw,
                   int fcb, int fcprojw, int fcprojb) {

        /** Adds block {@code l}'s twelve tensors in nanoGPT state_dict order and shapes ([out, in] weights). */
        static Weights add(TensorLayout t, int l, int C) {
            String p = "transformer.h." + l + ".";
            return new Weights(
                    t.add(p + "ln_1.weight", C),
                    t.add(p + "ln_1.bias", C),
                    t.add(p + "attn.c_attn.weight", 3 * C, C),
                    t.add(p + "attn.c_attn.bias", 3 * C),
                    t.add(p + "attn.c_proj.weight", C, C),
                    t.add(p + "attn.c_proj.bias", C),
                    t.add(p + "ln_2.weight", C),
                    t.add(p + "ln_2.bias", C),
                    t.add(p + "mlp.c_fc.weight", 4 * C, C),
                    t.add(p + "mlp.c_fc.bias", 4 * C),
                    t.add(p + "mlp.c_proj.weight", C, 4 * C),
                    t.add(p + "mlp.c_proj.bias", C));
        }
    }

    /**
     * Where L blocks keep what backward needs for one (B,T), N = B*T rows; each region holds every layer, in this
     * order:
     * <pre>
     * ln1 (L,N,C) | ln1 mean (L,N) | ln1 rstd (L,N) | qkv (L,N,3C) | atty (L,N,C) | att (L,B,NH,T,T)
     * | residual2 (L,N,C) | ln2 (L,N,C) | ln2 mean (L,N) | ln2 rstd (L,N) | fch (L,N,4C) | fch_gelu (L,N,4C)
     * | residual3 (L,N,C)
     * </pre>
     * {@code att} holds softmax probabilities (zero above the diagonal); residual3 of layer l is its output. The two
     * output projections (attn.c_proj, mlp.c_proj) have no region: each is written into the residual it is added to.
     */
    static final class Activations {
        final int B, T, C, NH;
        final int ln1, ln1Mean, ln1Rstd, qkv, atty, att, res2, ln2, ln2Mean, ln2Rstd, fch, fchGelu, res3;

        Activations(Regions r, int L, int B, int T, int C, int NH) {
            this.B = B;
            this.T = T;
            this.C = C;
            this.NH = NH;
            long N = (long) B * T;
            ln1 = r.take(L * N * C);
            ln1Mean = r.take(L * N);
            ln1Rstd = r.take(L * N);
            qkv = r.take(L * N * 3 * C);
            atty = r.take(L * N * C);
            att = r.take(L * N * NH * T);
            res2 = r.take(L * N * C);
            ln2 = r.take(L * N * C);
            ln2Mean = r.take(L * N);
            ln2Rstd = r.take(L * N);
            fch = r.take(L * N * 4 * C);
            fchGelu = r.take(L * N * 4 * C);
            res3 = r.take(L * N * C);
        }

        /** The offset of block l's output (N,C): residual3 of layer l, the next block's input. */
        int output(int l) {
            return res3 + l * B * T * C;
        }
    }

    /**
     * Backward's scratch, reused layer by layer: {@code dres (N,C) | dln (N,C) | dqkv (N,3C) | datty (N,C)
     * | dfch (N,4C)}. The gradient of fch_gelu has no region: it lives in the workers' scratch, a task's rows at a
     * time, just long enough for GELU's backward to read it. {@code dres} carries the gradient of the residual stream from the top
     * down (residual backward is the identity).
     */
    static final class Gradients {
        final int dres, dln, dqkv, datty, dfch;

        Gradients(Regions r, int N, int C) {
            dres = r.take((long) N * C);
            dln = r.take((long) N * C);
            dqkv = r.take((long) N * 3 * C);
            datty = r.take((long) N * C);
            dfch = r.take((long) N * 4 * C);
        }
    }

    /** The two attention projections an {@link Adapter} can sit beside. */
    enum Projection {
        /** attn.c_attn: (N,C) to qkv (N,3C). */
        QKV,
        /** attn.c_proj: atty (N,C) to attproj (N,C). */
        ATTPROJ
    }

    /** A trainable path beside a projection (LoRA): its output is added to the projection's. */
    interface Adapter {
        /** acts[out..] (N,OC) += the adapter applied to acts[inp..] (N,C) for layer l's projection p. */
        void forward(int l, Projection p, float[] acts, int out, int inp, int N);

        /**
         * Adds the adapter's own gradients for the output gradient d[dout..] (N,OC); d[dinp..] (N,C) += its input
         * gradient unless {@code dinp < 0}.
         */
        void backward(int l, Projection p, float[] d, int dout, float[] acts, int inp, int dinp, int N);
    }

    /** Block l of layout a: reads its input (N,C) at acts[inp..], writes layer l's regions (adapter may be null). */
    static void forward(Compute cx, float[] params, Weights w, float[] acts, Activations a, int l, int inp,
                        Adapter adapter) {
        int B = a.B, T = a.T, C = a.C, NH = a.NH, N = B * T;
        int ln1 = a.ln1 + l * N * C, ln1Mean = a.ln1Mean + l * N, ln1Rstd = a.ln1Rstd + l * N;
        int qkv = a.qkv + l * N * 3 * C, atty = a.atty + l * N * C, att = a.att + l * B * NH * T * T;
        int res2 = a.res2 + l * N * C;
        int ln2 = a.ln2 + l * N * C, ln2Mean = a.ln2Mean + l * N, ln2Rstd = a.ln2Rstd + l * N;
        int fch = a.fch + l * N * 4 * C, fchGelu = a.fchGelu + l * N * 4 * C;
        int res3 = a.res3 + l * N * C;
        LayerNorm.forward(cx, acts, ln1, acts, ln1Mean, acts, ln1Rstd, acts, inp, params, w.ln1w, w.ln1b, N, C);
        Matmul.forward(cx, acts, qkv, acts, ln1, params, w.qkvw, w.qkvb, N, C, 3 * C);
        if (adapter != null) {
            adapter.forward(l, Projection.QKV, acts, qkv, ln1, N);
        }
        Attention.forward(cx, acts, atty, acts, att, acts, qkv, B, T, C, NH);
        // the projection written where its sum with the residual stream goes, then added to in place: backward needs
        // neither on its own, and a region of their own was 2 MB a layer more to write and read back (GPT-mini)
        Matmul.forward(cx, acts, res2, acts, atty, params, w.attprojw, w.attprojb, N, C, C);
        if (adapter != null) {
            adapter.forward(l, Projection.ATTPROJ, acts, res2, atty, N);
        }
        Residual.forward(cx, acts, res2, acts, inp, acts, res2, N * C);
        LayerNorm.forward(cx, acts, ln2, acts, ln2Mean, acts, ln2Rstd, acts, res2, params, w.ln2w, w.ln2b, N, C);
        Matmul.forward(cx, acts, fch, acts, ln2, params, w.fcw, w.fcb, N, C, 4 * C,
                Gelu.forwardOnRows(cx, acts, fchGelu, acts, fch, 4 * C));
        Matmul.forward(cx, acts, res3, acts, fchGelu, params, w.fcprojw, w.fcprojb, N, 4 * C, C);
        Residual.forward(cx, acts, res3, acts, res2, acts, res3, N * C);
    }

    /**
     * Backward through block l, whose input was acts[inp..]. On entry d[g.dres..] holds the gradient of the block's
     * output; on return, with {@code needInput}, the gradient of its input. The block's weight gradients are added
     * into {@code grads}; {@code grads == null} freezes the block (only input and adapter gradients flow).
     */
    static void backward(Compute cx, float[] params, float[] grads, Weights w, float[] acts, Activations a, int l,
                         int inp, float[] d, Gradients g, boolean needInput, Adapter adapter) {
        int B = a.B, T = a.T, C = a.C, NH = a.NH, N = B * T;
        int ln1 = a.ln1 + l * N * C, ln1Mean = a.ln1Mean + l * N, ln1Rstd = a.ln1Rstd + l * N;
        int qkv = a.qkv + l * N * 3 * C, atty = a.atty + l * N * C, att = a.att + l * B * NH * T * T;
        int res2 = a.res2 + l * N * C;
        int ln2 = a.ln2 + l * N * C, ln2Mean = a.ln2Mean + l * N, ln2Rstd = a.ln2Rstd + l * N;
        int fch = a.fch + l * N * 4 * C, fchGelu = a.fchGelu + l * N * 4 * C;
        // here dres = d residual3 = d fcproj
        // d fch_gelu only feeds GELU's backward: each task's rows stay in its worker's scratch (and cache)
        Matmul.Rows dfchGelu = Matmul.Rows.inWorkerScratch(4 * C);
        Matmul.backwardWritingInput(cx, dfchGelu, Gelu.backwardOnRows(cx, d, g.dfch, acts, fch, dfchGelu),
                grads, w.fcprojw, w.fcprojb, d, g.dres, acts, fchGelu, params, w.fcprojw, N, 4 * C, C);
        Matmul.backwardWritingInput(cx, d, g.dln, grads, w.fcw, w.fcb, d, g.dfch, acts, ln2, params, w.fcw, N, C, 4 * C);
        LayerNorm.backward(cx, d, g.dres, grads, w.ln2w, w.ln2b, d, g.dln, acts, res2, params, w.ln2w,
                acts, ln2Mean, acts, ln2Rstd, N, C);
        // now dres = d residual2 = d attproj
        Matmul.backwardWritingInput(cx, d, g.datty, grads, w.attprojw, w.attprojb, d, g.dres, acts, atty, params, w.attprojw,
                N, C, C);
        if (adapter != null) {
            adapter.backward(l, Projection.ATTPROJ, d, g.dres, acts, atty, g.datty, N);
        }
        Attention.backward(cx, d, g.dqkv, d, g.datty, acts, qkv, acts, att, B, T, C, NH);
        // ln_1's input gradient is needed below this block, and by ln_1's own weights when they train
        boolean wantDln = needInput || grads != null;
        Matmul.backwardWritingInput(cx, wantDln ? d : null, g.dln, grads, w.qkvw, w.qkvb, d, g.dqkv, acts, ln1, params, w.qkvw,
                N, C, 3 * C);
        if (adapter != null) {
            adapter.backward(l, Projection.QKV, d, g.dqkv, acts, ln1, wantDln ? g.dln : -1, N);
        }
        if (wantDln) {
            // LayerNorm always writes an input gradient: without needInput it goes to dfch, free by now, and is dropped
            int dinp = needInput ? g.dres : g.dfch;
            if (!needInput) {
                cx.zero(d, g.dfch, N * C);
            }
            LayerNorm.backward(cx, d, dinp, grads, w.ln1w, w.ln1b, d, g.dln, acts, inp, params, w.ln1w,
                    acts, ln1Mean, acts, ln1Rstd, N, C);
        }
        // now dres = d residual (the block's input)
    }
}
