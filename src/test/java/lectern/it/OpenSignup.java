package lectern.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * The packaged artifact runs with the prod profile, where sign-up is open only to the first user; the journeys sign
 * up a user each. Quarkus passes this to the launched jar or binary as {@code -Dlectern.signup=open}.
 */
public class OpenSignup implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("lectern.signup", "open");
    }

    @Override
    public void stop() {
    }
}
