package lectern.notes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import lectern.accounts.CurrentUser;
import lectern.api.EnumParam;
import lectern.api.ListQuery;
import lectern.api.Labels;
import lectern.api.Patch;
import lectern.api.ProblemException;
import lectern.api.UserLabelled;
import lectern.notes.NoteService.NoteView;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.util.List;

/** All of the user's notes in one place (search, edit, label, delete, undo), whatever they are about. */
@Path("/api/notes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Notes")
public class NotesResource {

    @Inject
    CurrentUser currentUser;

    @Inject
    Event<UserLabelled> userLabelled;

    @Inject
    Clock clock;

    @Inject
    Patch.Reader patches;

    @Inject
    EntityManager entityManager;

    /**
     * A PATCH body, read with {@link Patch}: every field optional; {@code version}, when sent, must be current. A
     * {@code label} sent as null or empty clears the user's label.
     */
    public record NotePatch(Long version, String text, NoteKind kind, Integer page, String label) {
    }

    @GET
    @Operation(summary = "Search notes, newest first: q matches the text, kind filters; the total is in X-Total-Count")
    public Response search(@QueryParam("q") String q, @QueryParam("kind") String kindParam,
                           @QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        ListQuery.Page page = ListQuery.page(limit, offset, 100, 500);
        NoteKind kind = EnumParam.parse("kind", kindParam, NoteKind.class);
        long owner = currentUser.id();
        ListQuery.Rows rows = ListQuery.rows(entityManager, "note", "n", owner);
        if (q != null && !q.isBlank()) {
            rows.where("n.text ILIKE :q ESCAPE '\\'", "q", ListQuery.containsPattern(q));
        }
        if (kind != null) {
            rows.where("n.kind = :kind", "kind", kind.name());
        }
        ListQuery.Found found = rows.page(page, "n.created_at DESC, n.id DESC");
        List<Note> notes = found.ids().isEmpty() ? List.of()
                : found.inOrder(Note.<Note>list("ownerId = ?1 and id in ?2", owner, found.ids()), n -> n.id);
        return found.response(notes.stream().map(NoteView::of).toList());
    }

    @GET
    @Path("/{id}")
    public NoteView get(@PathParam("id") long id) {
        return NoteView.of(owned(id));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "Edit a note, or set its label (the user's label wins over the classifier's)")
    @RequestBody(content = @Content(schema = @Schema(implementation = NotePatch.class)))
    public NoteView patch(@PathParam("id") long id, JsonNode json) throws JsonProcessingException {
        Patch<NotePatch> sent = patches.read(json, NotePatch.class, "Send a JSON body, e.g. {\"label\": \"paper\"}");
        NotePatch patch = sent.body();
        Note note = owned(id);
        if (patch.version() != null && patch.version() != note.version) {
            throw ProblemException.staleVersion(patch.version(), note.version);
        }
        if (patch.text() != null) {
            note.text = NoteService.validText(patch.text());
        }
        if (patch.kind() != null) {
            note.kind = patch.kind();
        }
        if (patch.page() != null) {
            note.page = NoteService.validPage(patch.page());
        }
        if (sent.has("label")) {
            String previous = note.label;
            Double previousConfidence = note.confidence == null ? null : note.confidence.doubleValue();
            boolean previousWasUsers = note.userLabel;
            applyUserLabel(note, patch.label());
            userLabelled.fire(new UserLabelled(note.ownerId, UserLabelled.NOTE, note.id, previous, previousConfidence,
                    previousWasUsers, note.label));
        }
        Note.getEntityManager().flush();
        return NoteView.of(note);
    }

    @DELETE
    @Path("/{id}")
    @Transactional
    @Operation(summary = "Delete a note (it can be restored)")
    public Response delete(@PathParam("id") long id) {
        owned(id).deletedAt = java.time.OffsetDateTime.now(clock);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/restore")
    @Transactional
    @Operation(summary = "Undo a delete")
    public NoteView restore(@PathParam("id") long id) {
        Note note = Note.<Note>find("ownerId = ?1 and id = ?2", currentUser.id(), id).firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("Note " + id));
        note.deletedAt = null;
        return NoteView.of(note);
    }

    static void applyUserLabel(Note note, String label) {
        String normalized = Labels.userLabel(label);
        if (normalized == null) {
            note.label = null;
            note.confidence = null;
            note.userLabel = false;
            return;
        }
        note.label = normalized;
        note.confidence = 1.0f;
        note.userLabel = true;
    }

    private Note owned(long id) {
        return Note.findOwned(currentUser.id(), id).orElseThrow(() -> ProblemException.notFound("Note " + id));
    }
}
