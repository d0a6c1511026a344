package lectern.accounts;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import lectern.api.Problem;
import lectern.api.ProblemMappers;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;

/**
 * Every /api path needs a bearer token (or, for the web UI, the session cookie that carries one),
 * except signing up and creating a token. Runs after matching so that blocking endpoints do the
 * database lookup on a worker thread. A token checked in the last half minute is not looked up again
 * ({@link TokenCache}; revoking forgets it at once).
 */
public class BearerAuthFilter {

    /** The web UI keeps its token in this HttpOnly cookie. */
    public static final String SESSION_COOKIE = "lectern_session";

    /** Signing up and exchanging a password for a token (or a session) are the only ways in. */
    private static final Set<String> OPEN_POSTS = Set.of("/api/auth/signup", "/api/auth/tokens", "/api/auth/session");

    @Inject
    CurrentUser currentUser;

    @Inject
    TokenCache tokens;

    @Inject
    java.time.Clock clock;

    /** What the database says about a token: who it belongs to, or why it is refused. */
    private record Lookup(TokenCache.Entry entry, String refusal) {
    }

    @ServerRequestFilter
    public Optional<jakarta.ws.rs.core.Response> authenticate(ContainerRequestContext request, HttpServerRequest http) {
        String path = http.path();
        if (!path.startsWith("/api/") || ("POST".equals(request.getMethod()) && OPEN_POSTS.contains(path))) {
            return Optional.empty();
        }
        String token = bearerToken(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token == null && request.getCookies().containsKey(SESSION_COOKIE)) {
            token = request.getCookies().get(SESSION_COOKIE).getValue();
        }
        if (token == null) {
            return Optional.of(unauthorized("Send Authorization: Bearer <token>; create a token with POST /api/auth/tokens"));
        }
        String hash = Secrets.hashToken(token);
        TokenCache.Entry known = tokens.find(hash);
        if (known == null) {
            long generation = tokens.generation();
            Lookup found = QuarkusTransaction.requiringNew().call(() -> lookUp(hash));
            if (found.refusal() != null) {
                return Optional.of(unauthorized(found.refusal()));
            }
            known = found.entry();
            tokens.remember(hash, known, generation);
        }
        currentUser.set(known.userId(), known.username());
        return Optional.empty();
    }

    private Lookup lookUp(String hash) {
        ApiToken found = ApiToken.find("tokenHash", hash).firstResult();
        if (found == null) {
            return new Lookup(null, "This token is unknown or was revoked; create a new one with POST /api/auth/tokens");
        }
        User user = User.findById(found.ownerId);
        if (user == null) {
            return new Lookup(null, "The account of this token no longer exists");
        }
        // A token is looked up at most every TokenCache.MAX_AGE_SECONDS per JVM, so last_used_at is that precise.
        found.lastUsedAt = OffsetDateTime.now(clock);
        return new Lookup(tokens.checkedNow(found.id, user.id, user.username), null);
    }

    static String bearerToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = value.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        return null;
    }

    private static jakarta.ws.rs.core.Response unauthorized(String detail) {
        return jakarta.ws.rs.core.Response.fromResponse(ProblemMappers.respond(new Problem("Unauthorized", 401, detail, null, null)))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"lectern\"")
                .build();
    }
}
