package lectern.api;

import lectern.api.Problem.FieldError;

import java.util.List;

/** Thrown anywhere in a request to answer with a problem body; {@link ProblemMappers} turns it into the response. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    /** Seconds for a Retry-After header (429, 503), or null. */
    private final Long retryAfterSeconds;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    private ProblemException(Problem problem, Long retryAfterSeconds) {
        super(problem.detail());
        this.problem = problem;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Problem problem() {
        return problem;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** 429 with a Retry-After of {@code seconds}. */
    public static ProblemException tooManyRequests(String detail, long seconds) {
        return new ProblemException(new Problem("Too many requests", 429, detail, null, null), Math.max(1, seconds));
    }

    /** 400 naming the field at fault and what to do about it. */
    public static ProblemException badField(String field, String message) {
        return new ProblemException(new Problem("Invalid input", 400, field + ": " + message,
                List.of(FieldError.field(field, message)), null));
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(new Problem("Bad request", 400, detail, null, null));
    }

    public static ProblemException invalid(String detail, List<FieldError> errors) {
        return new ProblemException(new Problem("Invalid input", 400, detail, errors, null));
    }

    /** Throws one 400 naming every field at fault ("field: message; ..."), if there is any. */
    public static void refuseIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            String detail = errors.stream().map(e -> e.field() + ": " + e.message())
                    .collect(java.util.stream.Collectors.joining("; "));
            throw invalid(detail, List.copyOf(errors));
        }
    }

    /** 404 for a resource that does not exist or belongs to someone else: never leak which. */
    public static ProblemException notFound(String what) {
        return new ProblemException(new Problem("Not found", 404, what + " not found", null, null));
    }

    /** 409 for a duplicate, carrying the id of the resource that already exists. */
    public static ProblemException duplicate(String detail, Long existingId) {
        return new ProblemException(new Problem("Conflict", 409, detail, null, existingId));
    }

    /** 409 for an update made against an old version. */
    public static ProblemException staleVersion(long sent, long current) {
        return new ProblemException(new Problem("Conflict", 409,
                "version " + sent + " is stale: the resource is at version " + current
                        + "; fetch it again, re-apply your change and send the new version",
                List.of(FieldError.field("version", "stale: current version is " + current)), null));
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(new Problem("Unauthorized", 401, detail, null, null));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(new Problem("Forbidden", 403, detail, null, null));
    }

    public static ProblemException unavailable(String detail) {
        return new ProblemException(new Problem("Service unavailable", 503, detail, null, null));
    }
}
