package lectern.gpt.onnx;

/**
 * The ONNX contract's names (model/CONTRACT.md): files, graph inputs and outputs. A GPT exported elsewhere (PyTorch,
 * Hugging Face Optimum) with these names, shapes and dtypes can be dropped into a model directory.
 */
public final class OnnxNames {

    /** Decoder with a KV cache: prefill (past length 0) and one-token decode steps are the same graph. */
    public static final String LM_FILE = "lm.onnx";
    /** Sequence classifier: token ids + attention mask -> class logits from the last real token. */
    public static final String CLASSIFIER_FILE = "classifier.onnx";
    /** Config, labels, metrics and provenance. */
    public static final String MODEL_JSON = "model.json";
    public static final String TOKENIZER_FILE = "tokenizer.json";

    /** int64 [batch, sequence]. */
    public static final String INPUT_IDS = "input_ids";
    /** int64 [batch, sequence]: 1 for real tokens, 0 for padding (either side). */
    public static final String ATTENTION_MASK = "attention_mask";
    /** float [batch, sequence, vocab] from the LM graph; float [batch, num_labels] from the classifier graph. */
    public static final String LOGITS = "logits";
    /**
     * float [batch, n_embd] from the classifier graph: the ln_f hidden state of the last real token, which the logits
     * are a linear function of. Optional: a user's retrained head is applied to it outside the graph, on the served
     * trunk; without it the server builds a graph that has it from the trunk.
     */
    public static final String HIDDEN = "hidden";

    private OnnxNames() {
    }

    /** float [batch, n_head, past_sequence, head_dim]; past_sequence may be 0. */
    public static String pastKey(int layer) {
        return "past_key_values." + layer + ".key";
    }

    public static String pastValue(int layer) {
        return "past_key_values." + layer + ".value";
    }

    /** float [batch, n_head, past_sequence + sequence, head_dim]: the next step's past. */
    public static String presentKey(int layer) {
        return "present." + layer + ".key";
    }

    public static String presentValue(int layer) {
        return "present." + layer + ".value";
    }
}
