package lectern.accounts;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import lectern.api.ProblemException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;

@Path("/api/auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Accounts")
public class AuthResource {

    /** Serialises sign-ups so that two racing "first user" sign-ups cannot both succeed. */
    private static final long SIGNUP_LOCK = 0x4c45435445524eL;

    public enum SignupPolicy { FIRST_USER, OPEN, CLOSED }

    public record SignupRequest(
            @NotBlank @Size(min = 3, max = 64)
            @Pattern(regexp = "[A-Za-z0-9_.-]+", message = "may contain only letters, digits, '_', '.' and '-'")
            String username,
            @NotNull @Size(min = 8, max = 200, message = "must be 8 to 200 characters") String password) {
    }

    public record UserView(long id, String username) {
    }

    public record TokenRequest(@NotBlank @Size(max = 64) String username, @NotNull @Size(max = 200) String password,
                               @Size(max = 100) String name) {
    }

    public record DeleteAccountRequest(@NotNull @Size(max = 200) String password) {
    }

    public record TokenView(long id, String name, String token, OffsetDateTime createdAt, OffsetDateTime lastUsedAt) {
    }

    @ConfigProperty(name = "lectern.signup", defaultValue = "first-user")
    String signupPolicy;

    @Inject
    CurrentUser currentUser;

    @Inject
    SignInThrottle throttle;

    @Inject
    EntityManager entityManager;

    @Inject
    TokenRevocations revocations;


    @Inject
    java.time.Clock clock;

    @POST
    @Path("/signup")
    @Transactional
    @Operation(summary = "Create an account (LECTERN_SIGNUP: first-user, the default, or open)")
    public Response signup(@Valid @NotNull SignupRequest request) {
        entityManager.createNativeQuery("SELECT pg_advisory_xact_lock(" + SIGNUP_LOCK + ")").getSingleResult();
        SignupPolicy policy = policy();
        if (policy == SignupPolicy.CLOSED || (policy == SignupPolicy.FIRST_USER && User.count() > 0)) {
            throw ProblemException.forbidden("Sign-up is closed on this server (LECTERN_SIGNUP=" + signupPolicy
                    + "); ask its owner for an account");
        }
        User.findByUsername(request.username()).ifPresent(existing -> {
            throw ProblemException.duplicate("The username '" + request.username() + "' is taken", existing.id);
        });
        User user = new User();
        user.username = request.username();
        user.passwordHash = Secrets.hashPassword(request.password());
        user.persist();
        return Response.created(URI.create("/api/auth/me")).entity(new UserView(user.id, user.username)).build();
    }

    @POST
    @Path("/tokens")
    @Transactional
    @Operation(summary = "Exchange username and password for a named API token (shown once)")
    public Response createToken(@Valid @NotNull TokenRequest request, @Context io.vertx.core.http.HttpServerRequest http) {
        User user = throttle.signIn(request.username(), request.password(), SignInThrottle.clientAddress(http));
        return Response.status(Response.Status.CREATED).entity(issueToken(user, request.name(), clock)).build();
    }

    @GET
    @Path("/me")
    public UserView me() {
        return new UserView(currentUser.id(), currentUser.username());
    }

    @DELETE
    @Path("/me")
    @Transactional
    @Operation(summary = "Delete the current account and everything in it (books, papers, logs, notes, tokens, its "
            + "classifier); asks for the password again")
    public Response deleteAccount(@Valid @NotNull DeleteAccountRequest request,
                                  @Context io.vertx.core.http.HttpServerRequest http) {
        User user = throttle.signIn(currentUser.username(), request.password(), SignInThrottle.clientAddress(http));
        if (user.id != currentUser.id()) {
            throw ProblemException.forbidden("The password is not this account's");
        }
        // every table's owner_id cascades; the other instances forget the user's tokens and classifier when this commits
        User.delete("id", user.id);
        revocations.deletedAccount(user.id);
        return Response.noContent().build();
    }

    @GET
    @Path("/tokens")
    @Operation(summary = "The current user's tokens (without their secret values)")
    public List<TokenView> tokens() {
        List<ApiToken> tokens = ApiToken.list("ownerId = ?1 order by id", currentUser.id());
        return tokens.stream().map(t -> new TokenView(t.id, t.name, null, t.createdAt, t.lastUsedAt)).toList();
    }

    @DELETE
    @Path("/tokens/{id}")
    @Transactional
    @Operation(summary = "Revoke a token")
    public Response revoke(@PathParam("id") long id) {
        long deleted = ApiToken.delete("id = ?1 and ownerId = ?2", id, currentUser.id());
        if (deleted == 0) {
            throw ProblemException.notFound("Token " + id);
        }
        revocations.revokedToken(id);
        return Response.noContent().build();
    }

    /** Creates a token and returns it with its secret, which is never shown again. */
    static TokenView issueToken(User user, String name, java.time.Clock clock) {
        String secret = Secrets.newToken();
        ApiToken token = new ApiToken();
        token.ownerId = user.id;
        token.name = name == null || name.isBlank() ? "default" : name.strip();
        token.tokenHash = Secrets.hashToken(secret);
        token.persist();
        return new TokenView(token.id, token.name, secret, OffsetDateTime.now(clock), null);
    }

    private SignupPolicy policy() {
        return switch (signupPolicy.trim().toLowerCase()) {
            case "open" -> SignupPolicy.OPEN;
            case "closed" -> SignupPolicy.CLOSED;
            default -> SignupPolicy.FIRST_USER;
        };
    }
}
