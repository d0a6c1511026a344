package lectern.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import jakarta.ws.rs.core.Response;

import java.util.Optional;

/**
 * JSON bodies are small in this API; a large one is a mistake or an attack. Refuse it with 413 and a
 * problem body before it is read. (Imports accept up to quarkus.http.limits.max-body-size.)
 */
public class BodySizeLimit {

    public static final long MAX_JSON_BYTES = 1024 * 1024;

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseOversizedJson(ContainerRequestContext request) {
        MediaType type = request.getMediaType();
        int length = request.getLength();
        if (type != null && type.isCompatible(MediaType.APPLICATION_JSON_TYPE) && length > MAX_JSON_BYTES
                && !request.getUriInfo().getPath().startsWith("/api/import")) {
            return Optional.of(ProblemMappers.respond(new Problem("Payload too large", 413,
                    "JSON bodies are limited to " + MAX_JSON_BYTES + " bytes; this one has " + length, null, null)));
        }
        return Optional.empty();
    }
}
