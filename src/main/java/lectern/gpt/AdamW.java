package lectern.gpt;

/**
 * AdamW as torch.optim.AdamW / nanoGPT: bias-corrected moments and decoupled weight decay, the decay applied only to
 * 2-D tensors (weights and embeddings), not to biases or LayerNorm parameters. Per parameter:
 * <pre>
 * m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2
 * p -= lr * (m / (1-b1^t) / (sqrt(v / (1-b2^t)) + eps) + wd * p)   (wd only for 2-D tensors)
 * </pre>
 * It updates a contiguous range of named tensors inside a parameter block: a whole {@link GptModel}, or only the part
 * a fine-tuning trains ({@link SequenceClassifier}: its head and adapters, or the model's last block).
 */
public final class AdamW {

    private static final int GRAIN = 1 << 15;

    private final float[] params, grads;
    private final Compute cx;
    /** The range [start, end) of params this optimizer updates; m[i] and v[i] belong to params[start + i]. */
    private final int start, end;
    private final float beta1, beta2, eps, weightDecay;
    private final float[] m, v;
    /** Tasks of the update: [start, end) ranges of at most GRAIN floats inside one tensor, and whether they decay. */
    private final int[] segmentStart, segmentEnd;
    private final boolean[] segmentDecays;
    private int t;
    private final double[] partialSquares;

    /** AdamW on every parameter of the model. */
    public AdamW(GptModel model, float beta1, float beta2, float eps, float weightDecay) {
        this(model.parameters(), model.gradients(), model.tensors(), model.compute(), beta1, beta2, eps, weightDecay);
    }

    /**
     * AdamW on the given tensors of {@code params} (gradients in {@code grads} at the same offsets); the tensors must
     * lie back to back, in order.
     */
    AdamW(float[] params, float[] grads, java.util.List<ParameterTensor> tensors, Compute cx, float beta1, float beta2,
          float eps, float weightDecay) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("AdamW needs at least one tensor to update");
        }
        start = tensors.get(0).offset();
        java.util.List<int[]> segments = new java.util.ArrayList<>();
        int at = start;
        for (ParameterTensor tensor : tensors) {
            if (tensor.offset() != at) {
                throw new IllegalArgumentException(tensor.name() + " starts at " + tensor.offset() + ", not right after "
                        + "the tensor before it (" + at + ")");
            }
            at += tensor.size();
            for (int s = tensor.offset(); s < at; s += GRAIN) {
                segments.add(new int[] {s, Math.min(at, s + GRAIN), tensor.isMatrix() ? 1 : 0});
            }
        }
        end = at;
        this.params = params;
        this.grads = grads;
        this.cx = cx;
        m = new float[end - start];
        v = new float[end - start];
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        segmentStart = segments.stream().mapToInt(x -> x[0]).toArray();
        segmentEnd = segments.stream().mapToInt(x -> x[1]).toArray();
        segmentDecays = new boolean[segments.size()];
        for (int i = 0; i < segmentDecays.length; i++) {
            segmentDecays[i] = segments.get(i)[2] == 1;
        }
        partialSquares = new double[(end - start + GRAIN - 1) / GRAIN];
    }

    /**
     * The sum of x[from..to)^2 in double, in eight running sums (element from + i into sum i % 8, the last few into
     * the first, combined in a fixed order at the end): one sum was a chain of dependent additions, four cycles each, that left the pass at a quarter of memory
     * speed (3.7 ms a step for GPT-mini's 4.3M gradients). The order is fixed, so the bits are the same for any
     * thread count.
     */
    static double sumOfSquares(float[] x, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            s0 += (double) x[i] * x[i];
            s1 += (double) x[i + 1] * x[i + 1];
            s2 += (double) x[i + 2] * x[i + 2];
            s3 += (double) x[i + 3] * x[i + 3];
            s4 += (double) x[i + 4] * x[i + 4];
            s5 += (double) x[i + 5] * x[i + 5];
            s6 += (double) x[i + 6] * x[i + 6];
            s7 += (double) x[i + 7] * x[i + 7];
        }
        for (; i < to; i++) {
            s0 += (double) x[i] * x[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * Scales the gradients so their global L2 norm is at most maxNorm (as torch clip_grad_norm_: factor
     * maxNorm / (norm + 1e-6) when the norm exceeds maxNorm); returns the norm before clipping.
     */
    public float clipGradients(float maxNorm) {
        float[] g = grads;
        float norm = gradientNorm();
        if (norm > maxNorm) {
            float factor = clipFactor(maxNorm, norm);
            cx.rows(end - start, GRAIN, (s, e, w) -> {
                for (int i = start + s; i < start + e; i++) {
                    g[i] *= factor;
                }
            });
        }
        return norm;
    }

    /**
     * {@link #clipGradients} then {@link #step}, with the clipping factor applied inside the update: the same bits
     * (the gradients too end up clipped), without a pass of its own over the gradients (17 MB read and written a
     * step for GPT-mini). Returns the norm before clipping.
     */
    public float clipAndStep(float maxNorm, float learningRate) {
        float norm = gradientNorm();
        step(learningRate, norm > maxNorm ? clipFactor(maxNorm, norm) : 1f);
        return norm;
    }

    /** The global L2 norm of the gradients, summed in a fixed order (the same for any thread count). */
    private float gradientNorm() {
        float[] g = grads;
        cx.rows(end - start, GRAIN, (s, e, w) -> partialSquares[s / GRAIN] = sumOfSquares(g, start + s, start + e));
        double total = 0;
        for (double p : partialSquares) {
            total += p;
        }
        return (float) Math.sqrt(total);
    }

    private static float clipFactor(float maxNorm, float norm) {
        return (float) (maxNorm / (norm + 1e-6));
    }

    /** One update with this learning rate; advances the step counter used for bias correction. */
    public void step(float learningRate) {
        step(learningRate, 1f);
    }

    private void step(float learningRate, float gradScale) {
        t++;
        float[] p = params;
        float[] g = grads;
        float c1 = (float) (1.0 - Math.pow(beta1, t));
        float c2 = (float) (1.0 - Math.pow(beta2, t));
        FloatKernels k = cx.kernels();
        cx.pool().forEach(segmentStart.length, (task, worker) -> {
            int s = segmentStart[task];
            k.adamW(p, g, s, m, v, s - start, segmentEnd[task] - s, learningRate, beta1, beta2, c1, c2, eps,
                    segmentDecays[task] ? weightDecay : 0f, gradScale);
        });
    }

    public float[] firstMoments() {
        return m;
    }

    public float[] secondMoments() {
        return v;
    }

    public int stepCount() {
        return t;
    }

    /** Restores the optimizer state saved from {@link #firstMoments()}, {@link #secondMoments()}, {@link #stepCount()}. */
    public void restore(float[] firstMoments, float[] secondMoments, int stepCount) {
        if (firstMoments.length != m.length || secondMoments.length != v.length) {
            throw new IllegalArgumentException("optimizer state has " + firstMoments.length + "/" + secondMoments.length
                    + " values, the optimizer updates " + m.length + " parameters");
        }
        if (stepCount < 0) {
            throw new IllegalArgumentException("step count must be >= 0, was " + stepCount);
        }
        System.arraycopy(firstMoments, 0, m, 0, m.length);
        System.arraycopy(secondMoments, 0, v, 0, v.length);
        t = stepCount;
    }
}
