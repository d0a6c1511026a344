package lectern.accounts;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import lectern.accounts.AuthResource.UserView;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The web UI's sign-in: the same password check as POST /api/auth/tokens, but the fresh token goes into an
 * HttpOnly cookie that page scripts cannot read. SameSite=Strict keeps other sites from riding on it.
 */
@Path("/api/auth/session")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Accounts")
public class SessionResource {

    /** A month: the user signs in again after that, or at once after signing out. */
    static final int MAX_AGE_SECONDS = 30 * 24 * 3600;

    public record SessionRequest(@NotBlank @Size(max = 64) String username, @NotNull @Size(max = 200) String password) {
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    SignInThrottle throttle;

    @Inject
    TokenRevocations revocations;

    @Inject
    java.time.Clock clock;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "Sign in the web UI: sets the HttpOnly lectern_session cookie holding a new API token")
    public Response signIn(@Valid @NotNull SessionRequest request, @Context UriInfo uri,
                           @Context io.vertx.core.http.HttpServerRequest http) {
        User user = throttle.signIn(request.username(), request.password(), SignInThrottle.clientAddress(http));
        String token = AuthResource.issueToken(user, "web session", clock).token();
        return Response.ok(new UserView(user.id, user.username))
                .cookie(cookie(token, MAX_AGE_SECONDS, uri))
                .build();
    }

    @DELETE
    @Transactional
    @Operation(summary = "Sign out the web UI: revokes the session's token and clears the cookie")
    public Response signOut(@CookieParam(BearerAuthFilter.SESSION_COOKIE) String token, @Context UriInfo uri) {
        if (token != null) {
            String hash = Secrets.hashToken(token);
            if (ApiToken.delete("ownerId = ?1 and tokenHash = ?2", currentUser.id(), hash) > 0) {
                revocations.revokedHash(hash);
            }
        }
        return Response.noContent().cookie(cookie("", 0, uri)).build();
    }

    /**
     * Whether the session cookie is Secure: {@code auto} when the request came over HTTPS (behind a reverse proxy that
     * terminates TLS, as the proxy's X-Forwarded-Proto says once Quarkus is told to trust it: README), {@code always}
     * or {@code never}.
     */
    @ConfigProperty(name = "lectern.session.secure-cookie", defaultValue = "auto")
    String secureCookie;

    private NewCookie cookie(String value, int maxAge, UriInfo uri) {
        boolean secure = switch (secureCookie.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "always", "true" -> true;
            case "never", "false" -> false;
            default -> "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
        };
        return new NewCookie.Builder(BearerAuthFilter.SESSION_COOKIE)
                .value(value)
                .path("/")
                .maxAge(maxAge)
                .httpOnly(true)
                .secure(secure)
                .sameSite(NewCookie.SameSite.STRICT)
                .build();
    }
}
