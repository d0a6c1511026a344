package lectern.gpt;

/**
 * AdamW as torch.optim.AdamW / nanoGPT: bias-corrected moments and decoupled weight decay, the decay applied only to
 * 2-D tensors (weights and embeddings), not to biases or LayerNorm parameters. Per parameter:
 * <pre>
 * m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2
 * p -= lr * (m / (1-b1^t) / (sqrt(v / (1-b2^t)) + eps) + wd * p)   (wd only for 2-D tensors)
 * </pre>
 */
public final class AdamW {

    private static final int GRAIN = 1 << 15;

    private final GptModel model;
    private final float beta1, beta2, eps, weightDecay;
    private final float[] m, v;
    /** Tasks of the update: [start, end) ranges of at most GRAIN floats inside one tensor, and whether they decay. */
    private final int[] segmentStart, segmentEnd;
    private final boolean[] segmentDecays;
    private int t;
    private final double[] partialSquares;

    public AdamW(GptModel model, float beta1, float beta2, float eps, float weightDecay) {
        this.model = model;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        int n = model.parameters().length;
        m = new float[n];
        v = new float[n];
        java.util.List<int[]> segments = new java.util.ArrayList<>();
        for (ParameterTensor tensor : model.tensors()) {
            for (int s = tensor.offset(); s < tensor.offset() + tensor.size(); s += GRAIN) {
                segments.add(new int[] {s, Math.min(tensor.offset() + tensor.size(), s + GRAIN), tensor.isMatrix() ? 1 : 0});
            }
        }
        segmentStart = segments.stream().mapToInt(x -> x[0]).toArray();
        segmentEnd = segments.stream().mapToInt(x -> x[1]).toArray();
        segmentDecays = new boolean[segments.size()];
        for (int i = 0; i < segmentDecays.length; i++) {
            segmentDecays[i] = segments.get(i)[2] == 1;
        }
        partialSquares = new double[(n + GRAIN - 1) / GRAIN];
    }

    /**
     * Scales the gradients so their global L2 norm is at most maxNorm (as torch clip_grad_norm_: factor
     * maxNorm / (norm + 1e-6) when the norm exceeds maxNorm); returns the norm before clipping.
     */
    public float clipGradients(float maxNorm) {
        float[] g = model.gradients();
        Compute cx = model.compute();
        cx.rows(g.length, GRAIN, (s, e, w) -> {
            double sum = 0;
            for (int i = s; i < e; i++) {
                sum += (double) g[i] * g[i];
            }
            partialSquares[s / GRAIN] = sum;
        });
        double total = 0;
        for (double p : partialSquares) {
            total += p;
        }
        float norm = (float) Math.sqrt(total);
        if (norm > maxNorm) {
            float factor = (float) (maxNorm / (norm + 1e-6));
            cx.rows(g.length, GRAIN, (s, e, w) -> {
                for (int i = s; i < e; i++) {
                    g[i] *= factor;
                }
            });
        }
        return norm;
    }

    /** One update with this learning rate; advances the step counter used for bias correction. */
    public void step(float learningRate) {
        t++;
        float[] p = model.parameters();
        float[] g = model.gradients();
        float c1 = (float) (1.0 - Math.pow(beta1, t));
        float c2 = (float) (1.0 - Math.pow(beta2, t));
        FloatKernels k = model.compute().kernels();
        model.compute().pool().forEach(segmentStart.length, (task, worker) -> {
            int s = segmentStart[task];
            k.adamW(p, g, m, v, s, segmentEnd[task] - s, learningRate, beta1, beta2, c1, c2, eps,
                    segmentDecays[task] ? weightDecay : 0f);
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
                    + " values, the model has " + m.length + " parameters");
        }
        if (stepCount < 0) {
            throw new IllegalArgumentException("step count must be >= 0, was " + stepCount);
        }
        System.arraycopy(firstMoments, 0, m, 0, m.length);
        System.arraycopy(secondMoments, 0, v, 0, v.length);
        t = stepCount;
    }
}
