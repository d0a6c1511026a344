package lectern.logs;

import java.util.Optional;

/**
 * Writes the headline of a log digest. The logs room does not know the model: lectern.llm provides this as a bean
 * when a model is installed; without one, or when it fails, a digest has no headline and is still served.
 */
public interface DigestHeadline {

    Optional<String> headline(long ownerId, String items);
}
