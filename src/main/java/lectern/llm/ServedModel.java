package lectern.llm;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import lectern.api.LabelConfidence;
import lectern.gpt.BpeTokenizer;
import lectern.gpt.classify.NgramHead;
import lectern.gpt.onnx.ClassifierHead;
import lectern.gpt.summary.CentroidSelection;
import lectern.gpt.summary.CopyConstraint;
import lectern.gpt.onnx.OnnxNames;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * A model directory (model/CONTRACT.md) loaded into ONNX Runtime: the decoder with its KV cache for generation and
 * summaries, the classifier graph for labels. Plain Java (the CLI uses it without Quarkus); sessions are shared by
 * all threads (ONNX Runtime's {@code run} is thread-safe), every call keeps its own tensors.
 */
public final class ServedModel implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ServedModel.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where to run: AUTO tries CUDA and falls back to CPU; CUDA also falls back, but warns. */
    public enum DeviceChoice { AUTO, CPU, CUDA }

    public record Info(String name, long parameters, int vocabSize, int contextLength, String device, String runtime,
                       List<String> labels, JsonNode metrics, JsonNode config, String deviceNote) {
    }

    /**
     * A label, its probability and every label's. With a calibrated classifier (one with an n-gram head and its
     * temperature) the probabilities are calibrated: of the labels given with confidence 0.7, about 70% are right.
     * {@code unsure}: the confidence is below {@link LabelConfidence#UNSURE_BELOW}, the label more likely wrong than
     * right; the UI shows such a label as a guess, not as a fact.
     */
    public record Classification(String label, double confidence, Map<String, Double> scores, boolean unsure) {
        public Classification(String label, double confidence, Map<String, Double> scores) {
            this(label, confidence, scores, LabelConfidence.unsure(confidence));
        }
    }

    /** {@code logProb}: the sum of the generated tokens' log-probabilities under the model (before any constraint). */
    public record Generation(String text, int[] tokens, int promptTokens, long nanos, boolean endOfText, double logProb) {
        public Generation(String text, int[] tokens, int promptTokens, long nanos, boolean endOfText) {
            this(text, tokens, promptTokens, nanos, endOfText, 0);
        }

        public double tokensPerSecond() {
            return nanos == 0 ? 0 : tokens.length / (nanos / 1e9);
        }
    }

    private final OrtEnvironment env;
    private final OrtSession lm;
    private final ClassifierGraph classifier;
    /** The model directory (the trunk is read from it when the classifier graph gives no features). */
    private final Path directory;
    /** SHA-256 of the model.json and tokenizer.json this model was loaded from (hex). */
    private final String fingerprint;
    /** A features-only graph built from the trunk, when the classifier graph has no {@link OnnxNames#HIDDEN}. */
    private volatile ClassifierGraph builtFeatures;
    private final BpeTokenizer tokenizer;
    private final Info info;
    private final int vocab, block, layers, heads, headDim;
    private final int endOfText, summaryToken;
    /** How the sessions were opened, so that a retrained classifier opens the same way: CUDA device (-1: CPU), threads. */
    private final int cudaDevice, threads;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ServedModel(Path directory, String fingerprint, OrtEnvironment env, OrtSession lm, ClassifierGraph classifier,
                        BpeTokenizer tokenizer, Info info, int layers, int heads, int headDim, int cudaDevice, int threads) {
        this.directory = directory;
        this.fingerprint = fingerprint;
        this.env = env;
        this.lm = lm;
        this.classifier = classifier;
        this.cudaDevice = cudaDevice;
        this.threads = threads;
        this.tokenizer = tokenizer;
        this.info = info;
        this.vocab = info.vocabSize();
        this.block = info.contextLength();
        this.layers = layers;
        this.heads = heads;
        this.headDim = headDim;
        this.endOfText = tokenizer.endOfTextId();
        this.summaryToken = tokenizer.specialTokenId(BpeTokenizer.SUMMARY);
    }

    /** True when {@code dir} holds a model.json (the marker of a model directory). */
    public static boolean present(Path dir) {
        return Files.isRegularFile(dir.resolve(OnnxNames.MODEL_JSON));
    }

    /**
     * Loads a model directory. With AUTO or CUDA the CUDA provider is tried first (device {@code cudaDevice}); when it
     * does not load, the sessions are made for the CPU and {@link Info#deviceNote()} says why.
     */
    public static ServedModel load(Path dir, DeviceChoice choice, int cudaDevice, int threads) throws IOException, OrtException {
        byte[] modelJson = Files.readAllBytes(dir.resolve(OnnxNames.MODEL_JSON));
        JsonNode json = JSON.readTree(modelJson);
        JsonNode cfg = json.path("config");
        int vocab = cfg.path("vocab_size").asInt();
        int block = cfg.path("block_size").asInt();
        int layers = cfg.path("n_layer").asInt();
        int heads = cfg.path("n_head").asInt();
        int width = cfg.path("n_embd").asInt();
        if (vocab <= 0 || block <= 0 || layers <= 0 || heads <= 0 || width <= 0 || width % heads != 0) {
            throw new IOException(dir.resolve(OnnxNames.MODEL_JSON) + ": config needs positive vocab_size, block_size, n_layer, n_head, n_embd");
        }
        JsonNode files = json.path("files");
        Path lmFile = dir.resolve(files.path("lm").asText(OnnxNames.LM_FILE));
        Path classifierFile = dir.resolve(files.path("classifier").asText(OnnxNames.CLASSIFIER_FILE));
        Path tokenizerFile = dir.resolve(files.path("tokenizer").asText(OnnxNames.TOKENIZER_FILE));
        BpeTokenizer tokenizer = BpeTokenizer.load(tokenizerFile);
        String fingerprint = fingerprint(modelJson, Files.isRegularFile(tokenizerFile) ? Files.readAllBytes(tokenizerFile) : null);
        List<String> labels = new ArrayList<>();
        json.path("labels").forEach(l -> labels.add(l.asText()));

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        String device = "cpu";
        String note = null;
        OrtSession lm = null;
        OrtSession classifier = null;
        if (choice == DeviceChoice.AUTO && !nvidiaDriverPresent()) {
            // trying the CUDA provider without a driver only prints ONNX Runtime's red ERROR about libcublasLt
            note = "no NVIDIA driver on this machine (" + NVIDIA_DRIVER + "); running on the CPU";
        } else if (choice != DeviceChoice.CPU) {
            try {
                lm = open(env, lmFile, threads, cudaDevice);
                classifier = Files.isRegularFile(classifierFile) ? open(env, classifierFile, threads, cudaDevice) : null;
                device = "cuda";
            } catch (OrtException | RuntimeException | LinkageError e) {
                closeQuietly(lm);
                closeQuietly(classifier);
                lm = null;
                classifier = null;
                note = "CUDA provider did not load (" + firstLine(e.getMessage()) + "); running on the CPU";
            }
        }
        if (lm == null) {
            lm = open(env, lmFile, threads, -1);
            classifier = Files.isRegularFile(classifierFile) ? open(env, classifierFile, threads, -1) : null;
        }
        if (classifier == null) {
            labels.clear();
        }
        Info info = new Info(json.path("name").asText("unnamed"), json.path("parameters").asLong(), vocab, block, device,
                "onnxruntime " + env.getVersion(), List.copyOf(labels), json.path("metrics"), cfg, note);
        ClassifierGraph graph = null;
        if (classifier != null) {
            try {
                graph = new ClassifierGraph(classifier, labels, classifierFile.toString(),
                        NgramHead.readIfPresent(classifierFile.toAbsolutePath().getParent()));
            } catch (IOException | RuntimeException e) {
                closeQuietly(lm);
                closeQuietly(classifier);
                throw e;
            }
        }
        return new ServedModel(dir, fingerprint, env, lm, graph, tokenizer, info, layers, heads, width / heads,
                device.equals("cuda") ? cudaDevice : -1, threads);
    }

    /** The NVIDIA kernel driver's proc entry: without it no CUDA device can exist, whatever libraries are installed. */
    static final Path NVIDIA_DRIVER = Path.of("/proc/driver/nvidia/version");

    static boolean nvidiaDriverPresent() {
        return Files.exists(NVIDIA_DRIVER) || Files.exists(Path.of("/dev/nvidiactl"));
    }

    private static OrtSession open(OrtEnvironment env, Path file, int threads, int cudaDevice) throws OrtException {
        try (OrtSession.SessionOptions options = options(threads, cudaDevice)) {
            return env.createSession(file.toString(), options);
        }
    }

    private static OrtSession open(OrtEnvironment env, byte[] graph, int threads, int cudaDevice) throws OrtException {
        try (OrtSession.SessionOptions options = options(threads, cudaDevice)) {
            return env.createSession(graph, options);
        }
    }

    private static OrtSession.SessionOptions options(int threads, int cudaDevice) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (cudaDevice >= 0) {
                options.addCUDA(cudaDevice);
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    public Info info() {
        return info;
    }

    /**
     * Which model this is: SHA-256 of the model.json and tokenizer.json bytes it was loaded from. A classifier trained
     * on it records this, and is not used with another model (a new export changes both files).
     */
    public String fingerprint() {
        return fingerprint;
    }

    private static String fingerprint(byte[] modelJson, byte[] tokenizer) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(modelJson);
            if (tokenizer != null) {
                sha.update(tokenizer);
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public BpeTokenizer tokenizer() {
        return tokenizer;
    }

    public boolean canClassify() {
        return classifier != null;
    }

    /** The model's own classifier graph (null without one); callers {@link ClassifierGraph#acquire} it per call. */
    ClassifierGraph classifierGraph() {
        return classifier;
    }

    /**
     * Opens another classifier graph (a user's retrained one) on the same device and threads as this model's. Its
     * input convention must be this model's (same tokenizer): it is fed {@link #classifierInput}.
     */
    public ClassifierGraph openClassifier(Path file, List<String> labels) throws OrtException, IOException {
        NgramHead ngrams = NgramHead.readIfPresent(file.toAbsolutePath().getParent());
        OrtSession session = open(env, file, threads, cudaDevice);
        try {
            return new ClassifierGraph(session, labels, file.toString(), ngrams);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    // ---- classification ----

    /**
     * Class probabilities for a text: its tokens (the first block_size - 1) followed by {@code <|classify|>} when the
     * tokenizer has it; the classifier reads the hidden state of that last token.
     */
    public Classification classify(String text) throws OrtException {
        if (classifier == null) {
            throw new IllegalStateException("this model has no classifier graph");
        }
        if (!classifier.acquire()) {
            throw new IllegalStateException("the model is closed");
        }
        try {
            return classify(classifier, text);
        } finally {
            classifier.release();
        }
    }

    /**
     * Class probabilities from the given graph, which the caller holds a reference to ({@link ClassifierGraph#acquire}):
     * softmax((graph logits + n-gram logits) / temperature), or softmax(graph logits) for a graph-only classifier.
     */
    public Classification classify(ClassifierGraph graph, String text) throws OrtException {
        float[] graphLogits = graph.logits(env, classifierInput(text));
        double[] logits = new double[graphLogits.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = graphLogits[i];
        }
        return calibrated(graph.labels(), logits, graph.ngrams(), text);
    }

    /**
     * A user's retrained classifier on this model's trunk: its head on the features ({@link #features}) plus its
     * n-gram half, as {@link #classify(ClassifierGraph, String)} computes them inside one graph.
     */
    public Classification classify(ClassifierHead head, NgramHead ngrams, String text) throws OrtException {
        float[] h = features(text);
        float[] z = head.apply(h, 0);
        double[] logits = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            logits[i] = z[i];
        }
        return calibrated(head.labels(), logits, ngrams, text);
    }

    /** softmax((logits + n-gram logits) / temperature), or softmax(logits) without an n-gram half; adds to logits. */
    private static Classification calibrated(List<String> labels, double[] logits, NgramHead ngrams, String text) {
        double[] added = ngrams != null ? ngrams.logits(text) : null;
        double temperature = ngrams != null ? ngrams.temperature() : 1;
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (logits[i] + (added != null ? added[i] : 0)) / temperature;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        int best = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
            scores.put(i < labels.size() ? labels.get(i) : "label_" + i, p[i]);
            if (p[i] > p[best]) {
                best = i;
            }
        }
        String label = best < labels.size() ? labels.get(best) : "label_" + best;
        return new Classification(label, p[best], scores);
    }

    /**
     * The classifier's features of a text: the ln_f hidden state (n_embd) of the last token of its
     * {@link #classifierInput}, from the served classifier graph when it gives them ({@link OnnxNames#HIDDEN}), else
     * from a graph built once from the trunk (a model directory exported before the output existed). Every user's
     * classifier shares this one trunk.
     */
    public float[] features(String text) throws OrtException {
        ClassifierGraph graph = featureGraph();
        if (!graph.acquire()) {
            throw new IllegalStateException("the model is closed");
        }
        try {
            return graph.hidden(env, classifierInput(text));
        } finally {
            graph.release();
        }
    }

    private ClassifierGraph featureGraph() throws OrtException {
        if (classifier != null && classifier.hasHidden()) {
            return classifier;
        }
        ClassifierGraph g = builtFeatures;
        if (g != null) {
            return g;
        }
        synchronized (this) {
            if (builtFeatures == null) {
                if (closed.get()) {
                    throw new IllegalStateException("the model is closed");
                }
                try {
                    lectern.gpt.GptModel gpt = lectern.gpt.onnx.ModelPackage.readGpt(directory);
                    ClassifierHead any = ClassifierHead.untrained(List.of("features"), gpt.config().nEmbd(), 0);
                    byte[] graph = lectern.gpt.onnx.OnnxExporter.classifier(gpt, any).toByteArray();
                    OrtSession session = open(env, graph, threads, cudaDevice);
                    builtFeatures = new ClassifierGraph(session, any.labels(), directory + " (trunk features)", null);
                    LOG.infof("Model %s: its classifier graph has no %s output; built one from the trunk",
                            info.name(), OnnxNames.HIDDEN);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read the trunk of " + directory + ": " + e.getMessage(), e);
                }
            }
            return builtFeatures;
        }
    }

    int[] classifierInput(String text) {
        return lectern.gpt.SequenceClassifier.input(tokenizer, text, block);
    }

    // ---- generation ----

    /** Continues a text prompt (empty: from end-of-text); stops at end-of-text or after maxTokens. */
    public Generation generate(String prompt, GenerationSettings settings, IntConsumer onToken) throws OrtException {
        return generate(tokenizer.encode(prompt), settings, onToken);
    }

    /** Summarizes a text the way the server does: copy-aware, reranked ({@link #summarize(String, GenerationSettings, Summarizer)}). */
    public Generation summarize(String text, GenerationSettings settings) throws OrtException {
        return summarize(text, settings, Summarizer.SERVED);
    }

    /** Free ({@code copy} false) or copy-aware decoding of one greedy candidate. */
    public Generation summarize(String text, GenerationSettings settings, boolean copy) throws OrtException {
        return summarize(text, settings, copy ? new Summarizer(true, 1, 0) : Summarizer.FREE);
    }

    /**
     * How summaries are written. {@code copy}: copy-aware decoding ({@link CopyConstraint}); {@code candidates}: the
     * greedy summary plus candidates-1 sampled ones (fixed seeds, so the result is deterministic), of which the one with
     * the highest mean token log-probability + {@code centralityWeight} x its centrality to the text
     * ({@link CentroidSelection#centrality}) is kept: fluent, and about what the text keeps coming back to.
     */
    public record Summarizer(boolean copy, int candidates, double centralityWeight) {
        /** What the server uses; the weight was chosen on training-family pairs (model/README.md). */
        public static final Summarizer SERVED = new Summarizer(true, 8, 2.0);
        public static final Summarizer FREE = new Summarizer(false, 1, 0);
    }

    /**
     * Summarizes a text: the text (when its tokens do not fit the room left beside the summary, its most central
     * sentences, {@link CentroidSelection}, in their order), {@code <|summary|>}, then generation until end-of-text,
     * as {@code how} says.
     */
    public Generation summarize(String text, GenerationSettings settings, Summarizer how) throws OrtException {
        int room = Math.max(1, block - Math.min(settings.maxTokens(), block / 2) - 1);
        String input = fitToRoom(text, room);
        int[] ids = tokenizer.encode(input);
        ids = Arrays.copyOf(ids, Math.min(ids.length, room));
        if (summaryToken >= 0) {
            ids = Arrays.copyOf(ids, ids.length + 1);
            ids[ids.length - 1] = summaryToken;
        }
        Generation best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        long start = System.nanoTime();
        CentroidSelection.Centroid centroid = how.candidates() > 1 ? CentroidSelection.centroid(List.of(text)) : null;
        for (int c = 0; c < Math.max(1, how.candidates()); c++) {
            GenerationSettings s = c == 0 ? settings
                    : new GenerationSettings(settings.maxTokens(), CANDIDATE_TEMPERATURE, CANDIDATE_TOP_K, 1f, c);
            Generation g = candidate(ids, text, s, how.copy());
            if (how.candidates() <= 1) {
                return g;
            }
            double score = g.logProb() / Math.max(1, g.tokens().length)
                    + how.centralityWeight() * centroid.similarity(g.text());
            if (best == null || score > bestScore) {
                best = g;
                bestScore = score;
            }
        }
        return new Generation(best.text(), best.tokens(), best.promptTokens(), System.nanoTime() - start,
                best.endOfText(), best.logProb());
    }

    /** Sampled candidates: warm enough to differ from the greedy one, a short top-k so they stay fluent. */
    static final float CANDIDATE_TEMPERATURE = 0.8f;
    static final int CANDIDATE_TOP_K = 20;

    private Generation candidate(int[] ids, String text, GenerationSettings settings, boolean copy) throws OrtException {
        CopyConstraint constraint = copy ? CopyConstraint.of(tokenizer, text, vocab, endOfText) : null;
        Generation g = generate(ids, settings, null, SUMMARY_NO_REPEAT_NGRAM, constraint);
        if (constraint != null && !g.endOfText() && constraint.insideWord()) {
            // stopped by the length limit inside a word: leave that part of a word out
            int cut = g.text().lastIndexOf(' ');
            return new Generation(cut > 0 ? g.text().substring(0, cut) : g.text(), g.tokens(), g.promptTokens(), g.nanos(),
                    false, g.logProb());
        }
        return g;
    }

    /** The text if its tokens fit {@code room}, else its most central sentences that do, in their order. */
    String fitToRoom(String text, int room) {
        if (tokenizer.encode(text).length <= room) {
            return text;
        }
        List<CentroidSelection.Sentence> kept = CentroidSelection.select(CentroidSelection.score(List.of(text)), room,
                s -> tokenizer.encode(" " + s).length);
        return String.join(" ", kept.stream().map(CentroidSelection.Sentence::text).toList());
    }

    /**
     * Summaries never repeat a token trigram of their own: greedy decoding from a small model otherwise falls into
     * loops ("MRTRTRTRT..."), which no summary wants (no_repeat_ngram_size in Hugging Face's generate).
     */
    static final int SUMMARY_NO_REPEAT_NGRAM = 3;

    /**
     * Generation with the KV cache: one prefill call over the prompt, then one decode call per token that feeds the
     * previous call's presents back as pasts. When the cache reaches block_size it restarts from the last half block.
     */
    public Generation generate(int[] prompt, GenerationSettings settings, IntConsumer onToken) throws OrtException {
        return generate(prompt, settings, onToken, 0, null);
    }

    /**
     * As above; with {@code noRepeatNgram} n > 0, no n-gram of generated tokens is generated twice; with
     * a {@code constraint}, only the tokens it allows are generated.
     */
    Generation generate(int[] prompt, GenerationSettings settings, IntConsumer onToken, int noRepeatNgram,
                        CopyConstraint constraint) throws OrtException {
        long start = System.nanoTime();
        int[] context = prompt.length == 0 ? new int[] {Math.max(endOfText, 0)} : prompt;
        if (context.length > block) {
            context = Arrays.copyOfRange(context, context.length - block, context.length);
        }
        int max = Math.max(0, settings.maxTokens());
        int[] sequence = Arrays.copyOf(context, context.length + max);
        int length = context.length;
        int[] generated = new int[max];
        int count = 0;
        boolean ended = false;
        TokenSampler sampler = new TokenSampler(vocab, settings);
        float[] logits = new float[vocab];
        OrtSession.Result cache = null;
        int cached = 0;
        double logProb = 0;
        try (DecoderInputs decoder = new DecoderInputs()) {
            if (max > 0) {
                cache = decoder.step(sequence, 0, length, null, logits);
                cached = length;
            }
            while (count < max) {
                float[] raw = constraint != null ? logits.clone() : null; // the model's own distribution, for logProb
                if (constraint == null || !constraint.insideWord()) {
                    banRepeats(generated, count, noRepeatNgram, logits);
                }
                if (constraint != null) {
                    constraint.mask(logits);
                }
                if (count < settings.minTokens() && endOfText >= 0 && endOfText < vocab) {
                    logits[endOfText] = Float.NEGATIVE_INFINITY;
                }
                int next = sampler.next(logits);
                if (constraint != null) {
                    constraint.accept(next);
                    logProb += raw[next] - logSumExp(raw);
                }
                sequence[length++] = next;
                generated[count++] = next;
                if (onToken != null) {
                    onToken.accept(next);
                }
                if (next == endOfText) {
                    ended = true;
                    break;
                }
                if (count == max) {
                    break;
                }
                OrtSession.Result previous = cache;
                if (cached + 1 > block) {
                    int keep = Math.max(1, block / 2);
                    cache = decoder.step(sequence, length - keep, keep, null, logits);
                    cached = keep;
                } else {
                    cache = decoder.step(sequence, length - 1, 1, previous, logits);
                    cached++;
                }
                previous.close();
            }
        } finally {
            if (cache != null) {
                cache.close();
            }
        }
        int[] tokens = Arrays.copyOf(generated, count);
        int[] visible = ended ? Arrays.copyOf(tokens, count - 1) : tokens;
        return new Generation(decode(visible), tokens, context.length, System.nanoTime() - start, ended, logProb);
    }

    private static double logSumExp(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        return max + Math.log(sum);
    }

    /**
     * Sets to -infinity the logit of every token that would complete an n-gram already in {@code generated[0..count)}:
     * the tokens that followed earlier occurrences of the last n-1 generated tokens.
     */
    static void banRepeats(int[] generated, int count, int n, float[] logits) {
        if (n <= 0 || count < n - 1) {
            return;
        }
        int prefix = n - 1;
        for (int i = 0; i + prefix < count; i++) {
            boolean same = true;
            for (int j = 0; j < prefix && same; j++) {
                same = generated[i + j] == generated[count - prefix + j];
            }
            int follower = generated[i + prefix];
            if (same && follower >= 0 && follower < logits.length) {
                logits[follower] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /**
     * The text of tokens. A model's vocabulary may be larger than its tokenizer's (nanoGPT pads it to a multiple of
     * 64); ids the tokenizer does not have stand for no text.
     */
    public String decode(int[] ids) {
        int n = tokenizer.vocabSize();
        return tokenizer.decode(java.util.Arrays.stream(ids).filter(id -> id >= 0 && id < n).toArray());
    }

    /** The bytes of one token (none for an id beyond the tokenizer's vocabulary). */
    public byte[] tokenBytes(int id) {
        return id >= 0 && id < tokenizer.vocabSize() ? tokenizer.tokenBytes(id) : new byte[0];
    }

    /**
     * One generation's decoder inputs, made once and reused by every step: the one-token input is a direct buffer that
     * the tensor reads in place, so a decode step creates no tensor and no map of its own; only the prefill (and a
     * restart when the cache is full) wraps a longer input.
     */
    private final class DecoderInputs implements AutoCloseable {
        private final LongBuffer oneId = java.nio.ByteBuffer.allocateDirect(Long.BYTES)
                .order(java.nio.ByteOrder.nativeOrder()).asLongBuffer();
        private final OnnxTensor oneIdTensor;
        private final OnnxTensor emptyPast;
        private final Map<String, OnnxTensor> inputs = new HashMap<>();

        DecoderInputs() throws OrtException {
            oneIdTensor = OnnxTensor.createTensor(env, oneId, new long[] {1, 1});
            emptyPast = OnnxTensor.createTensor(env, FloatBuffer.allocate(0), new long[] {1, heads, 0, headDim});
        }

        /** Runs the decoder on {@code ids[from..from+n)} after the cache in {@code past} (null: empty); last logits into out. */
        OrtSession.Result step(int[] ids, int from, int n, OrtSession.Result past, float[] out) throws OrtException {
            OnnxTensor longInput = null;
            try {
                if (n == 1) {
                    oneId.put(0, ids[from]);
                    inputs.put(OnnxNames.INPUT_IDS, oneIdTensor);
                } else {
                    long[] input = new long[n];
                    for (int i = 0; i < n; i++) {
                        input[i] = ids[from + i];
                    }
                    longInput = OnnxTensor.createTensor(env, LongBuffer.wrap(input), new long[] {1, n});
                    inputs.put(OnnxNames.INPUT_IDS, longInput);
                }
                for (int l = 0; l < layers; l++) {
                    inputs.put(OnnxNames.pastKey(l), past == null ? emptyPast : tensor(past, OnnxNames.presentKey(l)));
                    inputs.put(OnnxNames.pastValue(l), past == null ? emptyPast : tensor(past, OnnxNames.presentValue(l)));
                }
                OrtSession.Result result = lm.run(inputs);
                FloatBuffer logits = tensor(result, OnnxNames.LOGITS).getFloatBuffer(); // (1,n,V)
                logits.position((n - 1) * vocab);
                logits.get(out, 0, vocab);
                return result;
            } finally {
                if (longInput != null) {
                    longInput.close();
                }
            }
        }

        @Override
        public void close() {
            oneIdTensor.close();
            emptyPast.close();
        }
    }

    private static OnnxTensor tensor(OrtSession.Result result, String name) {
        OnnxValue v = result.get(name).orElseThrow(() -> new IllegalStateException("the model has no output " + name));
        return (OnnxTensor) v;
    }

    /** Closes the decoder; the classifier closes when the last call using it has finished. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(lm);
        if (classifier != null) {
            classifier.release(); // the model's own reference
        }
        synchronized (this) {
            if (builtFeatures != null) {
                builtFeatures.release();
            }
        }
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException e) {
                LOG.debug("closing a session", e);
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
