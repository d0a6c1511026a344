package lectern.llm;

import ai.onnxruntime.OrtException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import lectern.logs.DigestHeadline;

import java.util.Optional;

/**
 * The headline of a log digest: a copy-aware summary of the range's items (finished, then worked on, then planned),
 * so it is made of the log's own words. Empty without a model.
 */
@ApplicationScoped
public class LogHeadlines implements DigestHeadline {

    static final int HEADLINE_TOKENS = 32;

    @Inject
    LlmService llm;

    @Override
    public Optional<String> headline(long ownerId, String items) {
        Optional<ServedModel> model = llm.current();
        if (model.isEmpty()) {
            return Optional.empty();
        }
        try {
            String text = model.get().summarize(items, new GenerationSettings(HEADLINE_TOKENS, 0f, 0, 1f, 0L)).text().strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (OrtException e) {
            throw new IllegalStateException("the model failed: " + e.getMessage(), e);
        }
    }
}
