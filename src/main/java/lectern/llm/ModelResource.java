package lectern.llm;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/model")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Model")
public class ModelResource {

    @Inject
    LlmService llm;

    /** {@code deviceNote} says why the CPU is used when CUDA was tried; {@code config} is the GPT's config.json. */
    public record ModelView(String name, long parameters, int vocabSize, int contextLength, String device, String runtime,
                            List<String> labels, JsonNode metrics, JsonNode config, String deviceNote) {
    }

    @GET
    @Operation(summary = "The installed model: size, device (cuda|cpu), runtime, labels, metrics; 503 when none is installed")
    public ModelView get() {
        ServedModel.Info i = llm.require().info();
        return new ModelView(i.name(), i.parameters(), i.vocabSize(), i.contextLength(), i.device(), i.runtime(),
                i.labels(), i.metrics(), i.config(), i.deviceNote());
    }
}
