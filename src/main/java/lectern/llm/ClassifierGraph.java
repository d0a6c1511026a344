package lectern.llm;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import lectern.gpt.classify.NgramHead;
import lectern.gpt.onnx.OnnxNames;
import org.jboss.logging.Logger;

import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One classifier.onnx session, its labels (in logit order) and, when it has one, the n-gram head beside it. A served model has one; a user who retrained the
 * classifier has their own. It is swapped while requests may be using the old one, so it counts its users: whoever
 * installs it holds one reference, every call {@link #acquire}s one and {@link #release}s it, and the session is
 * closed when the count reaches zero. A retired graph (count zero) can never be acquired again, so a caller that
 * read an old reference just before the swap finds out and reads again.
 */
public final class ClassifierGraph {

    private static final Logger LOG = Logger.getLogger(ClassifierGraph.class);

    private final OrtSession session;
    private final List<String> labels;
    private final String source;
    /** The n-gram block and temperature beside the graph (classifier-ngrams.json); null for a graph-only classifier. */
    private final NgramHead ngrams;
    /** The installer's reference plus one per call in flight; 0 = closed. */
    private final AtomicInteger references = new AtomicInteger(1);

    ClassifierGraph(OrtSession session, List<String> labels, String source, NgramHead ngrams) {
        this.session = session;
        this.labels = List.copyOf(labels);
        this.source = source;
        if (ngrams != null && !ngrams.labels().equals(this.labels)) {
            throw new IllegalArgumentException(source + ": the n-gram head's labels " + ngrams.labels()
                    + " are not the graph's " + this.labels);
        }
        this.ngrams = ngrams;
    }

    /** The n-gram block and temperature served with the graph, or null. */
    NgramHead ngrams() {
        return ngrams;
    }

    public List<String> labels() {
        return labels;
    }

    /** Where it came from (the file), for logs and metrics. */
    public String source() {
        return source;
    }

    /** Takes a reference for one call; false when the graph is already closed (a newer one replaced it). */
    boolean acquire() {
        for (;;) {
            int n = references.get();
            if (n <= 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives a reference back; the last one closes the session. */
    void release() {
        int left = references.decrementAndGet();
        if (left == 0) {
            try {
                session.close();
            } catch (OrtException e) {
                LOG.debugf(e, "closing the classifier session of %s", source);
            }
        } else if (left < 0) {
            throw new IllegalStateException("classifier graph released more often than acquired: " + source);
        }
    }

    /** True once the last reference is gone and the session closed (tests). */
    boolean closed() {
        return references.get() <= 0;
    }

    /** Logits (num_labels) of one token sequence; the caller holds a reference. */
    float[] logits(OrtEnvironment env, int[] ids) throws OrtException {
        return run(env, ids, OnnxNames.LOGITS);
    }

    /** True when the graph also gives the features its logits are made from ({@link OnnxNames#HIDDEN}). */
    boolean hasHidden() {
        return session.getOutputNames().contains(OnnxNames.HIDDEN);
    }

    /** The ln_f hidden state (n_embd) of the last token of one sequence; the caller holds a reference. */
    float[] hidden(OrtEnvironment env, int[] ids) throws OrtException {
        return run(env, ids, OnnxNames.HIDDEN);
    }

    /** One output (of batch 1) for one token sequence; only that output is computed. */
    private float[] run(OrtEnvironment env, int[] ids, String output) throws OrtException {
        long[] longIds = new long[ids.length];
        long[] mask = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longIds[i] = ids[i];
            mask[i] = 1;
        }
        try (OnnxTensor idT = OnnxTensor.createTensor(env, LongBuffer.wrap(longIds), new long[] {1, ids.length});
             OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {1, ids.length});
             OrtSession.Result r = session.run(Map.of(OnnxNames.INPUT_IDS, idT, OnnxNames.ATTENTION_MASK, maskT),
                     Set.of(output))) {
            return ((float[][]) r.get(output).orElseThrow().getValue())[0];
        }
    }
}
