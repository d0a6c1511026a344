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
    /** 1 where the parameter gets weight decay. */
    private final boolean[] decays;
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
        decays = new boolean[n];
        for (ParameterTensor tensor : model.tensors()) {
            if (tensor.isMatrix()) {
                java.util.Arrays.fill(decays, tensor.offset(), tensor.offset() + tensor.size(), true);
            }
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
        model.compute().rows(p.length, GRAIN, (s, e, w) -> {
            for (int i = s; i < e; i++) {
                float gi = g[i];
                float mi = beta1 * m[i] + (1f - beta1) * gi;
                float vi = beta2 * v[i] + (1f - beta2) * gi * gi;
                m[i] = mi;
                v[i] = vi;
                float update = (mi / c1) / ((float) Math.sqrt(vi / c2) + eps);
                if (decays[i]) {
                    update += weightDecay * p[i];
                }
                p[i] -= learningRate * update;
            }
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
