package lectern.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import lectern.accounts.CurrentUser;
import lectern.api.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.OffsetDateTime;
import java.util.List;

@Path("/api/model")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Model")
public class ModelResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    LlmService llm;

    @Inject
    UserClassifiers classifiers;

    @Inject
    RetrainJobs jobs;

    @Inject
    CurrentUser currentUser;

    @Inject
    LabelMonitor monitor;

    /**
     * {@code deviceNote} says why the CPU is used when CUDA was tried; {@code config} is the GPT's config.json;
     * {@code labels} are the signed-in user's (their retrained classifier's, else the model's);
     * {@code classifierVersion} is the user's retrained version (absent: the model's own classifier);
     * {@code monitoring}: the classifier in use for this user over the last 30 days (corrections, agreement, drift of
     * the labels it gives from its training mix; {@link LabelMonitor}).
     */
    public record ModelView(String name, long parameters, int vocabSize, int contextLength, String device, String runtime,
                            List<String> labels, JsonNode metrics, JsonNode config, String deviceNote,
                            Integer classifierVersion, LabelMonitor.Figures monitoring) {
    }

    /** {@code jobId}: follow it at GET /api/model/jobs/{jobId}. */
    public record RetrainAccepted(long jobId, ModelJob.Status status) {
    }

    /**
     * A retraining job: {@code progress} 0..1; {@code metrics} when done (examples, labels, itemsPerLabel,
     * trainAccuracy, heldOutAccuracy when there were enough items to hold some out, version, ...); {@code error} when
     * failed.
     */
    public record JobView(long id, ModelJob.Status status, double progress, JsonNode metrics, String error,
                          OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt) {
    }

    @GET
    @Operation(summary = "The installed model: size, device (cuda|cpu), runtime, your labels, metrics; 503 when none is installed")
    public ModelView get() {
        ServedModel.Info i = llm.require().info();
        long user = currentUser.id();
        UserClassifiers.Serving serving = classifiers.serving(user); // one read: labels and version of one classifier
        return new ModelView(i.name(), i.parameters(), i.vocabSize(), i.contextLength(), i.device(), i.runtime(),
                serving.labels(), i.metrics(), i.config(), i.deviceNote(), serving.version() > 0 ? serving.version() : null,
                monitor.of(user, serving.trainingCounts()));
    }

    @POST
    @Path("/retrain")
    @Operation(summary = "Retrains the classifier head on your own labels (log items and notes); 202 with the job's id. "
            + "400 with too few labels, 409 while one of your jobs is queued or running, 503 without a model")
    public Response retrain(@Context UriInfo uri) {
        ModelJob job = jobs.submit(currentUser.id());
        return Response.accepted(new RetrainAccepted(job.id, job.status))
                .location(uri.getBaseUriBuilder().path("api/model/jobs/{id}").build(job.id)).build();
    }

    @GET
    @Path("/jobs/{jobId}")
    @Operation(summary = "A retraining job of yours: status queued|running|done|failed, progress 0..1, metrics, error")
    public JobView job(@PathParam("jobId") String jobId) {
        long id;
        try {
            id = Long.parseLong(jobId);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("Job " + jobId);
        }
        ModelJob j = ModelJob.forOwner(currentUser.id(), id).orElseThrow(() -> ProblemException.notFound("Job " + jobId));
        return new JobView(j.id, j.status, Math.round(j.progress * 1000) / 1000.0, metrics(j.metrics), j.error, j.createdAt, j.startedAt, j.finishedAt);
    }

    private static JsonNode metrics(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }
}
