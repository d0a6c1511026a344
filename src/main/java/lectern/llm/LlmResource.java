package lectern.llm;

import ai.onnxruntime.OrtException;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import lectern.accounts.CurrentUser;
import lectern.api.ProblemException;
import lectern.gpt.summary.CentroidSelection;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

@Path("/api/llm")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Model")
public class LlmResource {

    private static final Logger LOG = Logger.getLogger(LlmResource.class);
    static final int MAX_TEXT = 20_000;

    @Inject
    LlmService llm;

    @Inject
    CurrentUser currentUser;

    @Inject
    SummarySources sources;

    @Inject
    UserClassifiers classifiers;

    public record ClassifyRequest(@NotBlank @Size(max = MAX_TEXT) String text) {
    }

    /**
     * {@code confidence}: the label's calibrated probability; {@code unsure}: it is below one half, so the label is more
     * likely wrong than right (show it as a guess).
     */
    public record ClassifyResponse(String label, double confidence, boolean unsure, Map<String, Double> scores, long tookMs) {
    }

    public record GenerateRequest(@NotNull @Size(max = MAX_TEXT) String prompt,
                                  @Min(1) @Max(2048) Integer maxTokens,
                                  @DecimalMin("0.0") @DecimalMax("10.0") Float temperature,
                                  @Min(0) Integer topK,
                                  @DecimalMin(value = "0.0", inclusive = false) @DecimalMax("1.0") Float topP,
                                  Long seed,
                                  @Min(0) @Max(2048) Integer minTokens) {
        GenerationSettings settings() {
            GenerationSettings d = GenerationSettings.defaults();
            int max = maxTokens != null ? maxTokens : d.maxTokens();
            if (minTokens != null && minTokens > max) {
                throw ProblemException.badField("minTokens",
                        "minTokens (" + minTokens + ") is more than maxTokens (" + max + "); lower it or raise maxTokens");
            }
            return new GenerationSettings(max, temperature != null ? temperature : d.temperature(),
                    topK != null ? topK : d.topK(), topP != null ? topP : d.topP(),
                    seed != null ? seed : ThreadLocalRandom.current().nextLong(1L << 53), minTokens != null ? minTokens : 0);
        }
    }

    /** {@code seed}: the one used (send it back to get the same text again). */
    public record GenerateResponse(String text, int tokens, long tookMs, double tokensPerSecond, long seed,
                                   boolean endOfText) {
    }

    public record SummarizeRequest(@Size(max = MAX_TEXT) String text, Long bookId, Long paperId, String from, String to,
                                   @Min(1) @Max(512) Integer maxTokens) {
    }

    /**
     * {@code summary}: written by the model from the source's own words (copy-aware decoding); {@code keyIdeas}: the
     * source's most central sentences (at most {@value #KEY_IDEAS}, in their order), each with the note it came from
     * ({@code noteId}; null for a text or log items).
     */
    public record SummarizeResponse(String summary, long tookMs, String source, List<KeyIdea> keyIdeas) {
    }

    public record KeyIdea(String text, Long noteId) {
    }

    static final int KEY_IDEAS = 3;

    @POST
    @Path("/classify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Classifies a text with your classifier (retrained on your labels, else the model's): "
            + "the most likely label and every label's probability")
    public ClassifyResponse classify(@Valid @NotNull ClassifyRequest body) {
        long user = currentUser.id();
        llm.require();
        long start = System.nanoTime();
        ServedModel.Classification c = run(() -> classifiers.classify(user, body.text()).orElseThrow(
                () -> ProblemException.unavailable("The installed model has no classifier graph; retrain one on your labels")));
        return new ClassifyResponse(c.label(), c.confidence(), c.unsure(), c.scores(), (System.nanoTime() - start) / 1_000_000);
    }

    @POST
    @Path("/generate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Continues a prompt (KV cache); the same request with the same seed gives the same text")
    public GenerateResponse generate(@Valid @NotNull GenerateRequest body) {
        ServedModel model = llm.require();
        GenerationSettings settings = body.settings();
        ServedModel.Generation g = run(() -> model.generate(body.prompt(), settings, null));
        return new GenerateResponse(g.text(), g.tokens().length, g.nanos() / 1_000_000, round(g.tokensPerSecond()),
                settings.seed(), g.endOfText());
    }

    /**
     * Server-sent events: {@code token} events whose data is the new text, then one {@code done} event with
     * {@code {tokens, tookMs, tokensPerSecond, seed, endOfText}} (or an {@code error} event).
     */
    @POST
    @Path("/generate/stream")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Like generate, streamed as server-sent events (token events, then done)")
    public void generateStream(@Valid @NotNull GenerateRequest body, @Context SseEventSink sink, @Context Sse sse) {
        ServedModel model = llm.require();
        GenerationSettings settings = body.settings();
        // the sink's response starts after this method returns: generate on a worker thread, not here
        Infrastructure.getDefaultWorkerPool().execute(() -> stream(model, body, settings, sink, sse));
    }

    private static void stream(ServedModel model, GenerateRequest body, GenerationSettings settings, SseEventSink sink, Sse sse) {
        try (sink) {
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            int eot = model.tokenizer().endOfTextId();
            ServedModel.Generation g = model.generate(body.prompt(), settings, id -> {
                if (id == eot || sink.isClosed()) {
                    return;
                }
                byte[] b = model.tokenBytes(id);
                pending.write(b, 0, b.length);
                byte[] bytes = pending.toByteArray();
                int complete = completeUtf8Prefix(bytes);
                if (complete > 0) {
                    sink.send(sse.newEventBuilder().name("token").data(new String(bytes, 0, complete, StandardCharsets.UTF_8)).build());
                }
                pending.reset();
                pending.write(bytes, complete, bytes.length - complete);
            });
            if (pending.size() > 0) {
                sink.send(sse.newEventBuilder().name("token").data(pending.toString(StandardCharsets.UTF_8)).build());
            }
            sink.send(sse.newEventBuilder().name("done").mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(Map.of("tokens", g.tokens().length, "tookMs", g.nanos() / 1_000_000,
                            "tokensPerSecond", round(g.tokensPerSecond()), "seed", settings.seed(), "endOfText", g.endOfText()))
                    .build());
        } catch (OrtException | RuntimeException e) {
            LOG.errorf(e, "streaming generation failed");
            if (!sink.isClosed()) {
                sink.send(sse.newEventBuilder().name("error").data("generation failed: " + e.getMessage()).build());
            }
        }
    }

    @POST
    @Path("/summarize")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Summarizes a text, a book's notes, a paper's notes, or the daily logs from..to (one of them)")
    public SummarizeResponse summarize(@Valid @NotNull SummarizeRequest body) {
        ServedModel model = llm.require();
        long start = System.nanoTime();
        SummarySources.Source source = sources.resolve(currentUser.id(), body);
        GenerationSettings settings = new GenerationSettings(body.maxTokens() != null ? body.maxTokens() : 64, 0f, 0, 1f, 0L);
        ServedModel.Generation g = run(() -> model.summarize(source.text(), settings));
        List<SummarySources.Part> parts = source.parts();
        List<KeyIdea> ideas = CentroidSelection.select(CentroidSelection.score(parts.stream().map(SummarySources.Part::text).toList()),
                        KEY_IDEAS, sentence -> 1).stream()
                .map(s -> new KeyIdea(s.text(), parts.get(s.part()).noteId())).toList();
        return new SummarizeResponse(g.text().strip(), (System.nanoTime() - start) / 1_000_000, source.description(), ideas);
    }

    interface ModelCall<T> {
        T call() throws OrtException;
    }

    private static <T> T run(ModelCall<T> call) {
        try {
            return call.call();
        } catch (OrtException e) {
            LOG.errorf(e, "the model failed");
            throw ProblemException.unavailable("The model failed: " + e.getMessage());
        }
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** Length of the longest prefix that does not end inside a UTF-8 multi-byte sequence. */
    static int completeUtf8Prefix(byte[] bytes) {
        int n = bytes.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int b = bytes[n - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue;
            }
            int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? n - back : n;
        }
        return n;
    }
}
