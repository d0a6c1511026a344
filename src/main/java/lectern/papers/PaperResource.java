package lectern.papers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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
import lectern.api.ListQuery;
import lectern.api.Patch;
import lectern.api.ProblemException;
import lectern.notes.NoteKind;
import lectern.notes.NoteService;
import lectern.notes.NoteService.NewNote;
import lectern.notes.NoteService.NoteView;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

@Path("/api/papers")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Papers")
public class PaperResource {

    static final int MAX_QUERY_LENGTH = 200;
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 1000;

    public record CreatePaper(
            @NotBlank @Size(max = 500) String title,
            @Size(max = 100) List<@NotBlank @Size(max = 200) String> authors,
            @Schema(description = "2507.23267, 2507.23267v2, arXiv:1706.03762, hep-th/9901001, an arxiv.org abs/pdf/html link "
                    + "or 10.48550/arXiv.<id>; stored without the version, which is kept in arxivVersion")
            @Size(max = 300) String arxivId,
            @Schema(description = "10.xxxx/..., doi:10.xxxx/... or https://doi.org/10.xxxx/...")
            @Size(max = 400) String doi,
            Integer year,
            @Size(max = 2000) String url,
            @Schema(description = "to-read (default), reading or read") PaperStatus status,
            @Size(max = 50) List<@NotBlank @Size(max = 50) String> tags,
            @Schema(description = "when status is read; default today") LocalDate readOn) {
    }

    /**
     * A PATCH body: fields left out stay as they are; {@code null} clears an optional field
     * (authors, arxivId, doi, year, url, tags).
     */
    public record UpdatePaper(
            @NotNull Long version,
            @Size(max = 500) String title,
            @Size(max = 100) List<@NotBlank @Size(max = 200) String> authors,
            @Size(max = 300) String arxivId,
            @Size(max = 400) String doi,
            Integer year,
            @Size(max = 2000) String url,
            PaperStatus status,
            @Size(max = 50) List<@NotBlank @Size(max = 50) String> tags,
            LocalDate readOn) {
    }

    /** Text, kind and page are checked by the notes room, the same as for book notes. */
    public record AddNote(@Schema(required = true) String text,
                          @Schema(description = "highlight, quote, idea (default) or application") NoteKind kind,
                          Integer page) {
    }

    public record PaperView(long id, long version, String title, List<String> authors, String arxivId,
                            Integer arxivVersion, String arxivUrl, String doi, Integer year, String url,
                            PaperStatus status, List<String> tags, LocalDate startedOn, LocalDate readOn,
                            OffsetDateTime createdAt, OffsetDateTime updatedAt) {
        static PaperView of(Paper p) {
            String arxivUrl = p.arxivId == null ? null : new ArxivId(p.arxivId, p.arxivVersion).absUrl();
            return new PaperView(p.id, p.version, p.title, List.copyOf(p.authors), p.arxivId, p.arxivVersion, arxivUrl,
                    p.doi, p.year, p.url, p.status, List.copyOf(p.tags), p.startedOn, p.readOn, p.createdAt, p.updatedAt);
        }
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    EntityManager entityManager;

    @Inject
    Patch.Reader patches;

    @Inject
    NoteService notes;

    @Inject
    PaperReferences references;

    @Inject
    PaperLibrary library;

    @POST
    @Transactional
    @Operation(summary = "Add a paper; the same arXiv id or DOI twice -> 409 with existingId")
    public Response create(@Valid @NotNull CreatePaper body) {
        Paper paper = library.add(currentUser.id(), body);
        return Response.created(URI.create("/api/papers/" + paper.id)).entity(PaperView.of(paper)).build();
    }

    @GET
    @Operation(summary = "The library's papers, newest first; q searches title, authors, arXiv id and DOI")
    public Response list(
            @Parameter(description = "Only papers in these statuses (comma-separated): to-read, reading, read")
            @QueryParam("status") String status,
            @Parameter(description = "Text to find in the title, an author, the arXiv id or the DOI; an arXiv id or link "
                    + "in any accepted form finds that paper") @QueryParam("q") String q,
            @Parameter(description = "Only papers with this tag (case-insensitive)") @QueryParam("tag") String tag,
            @Parameter(description = "Page size, 1.." + MAX_LIMIT + ", default " + DEFAULT_LIMIT) @QueryParam("limit") String limit,
            @Parameter(description = "Papers to skip, for paging; the total is in the X-Total-Count header")
            @QueryParam("offset") String offset) {
        long owner = currentUser.id();
        ListQuery.Rows rows = ListQuery.rows(entityManager, "paper", "p", owner);
        if (status != null && !status.isBlank()) {
            rows.where("p.status IN (:statuses)", "statuses", Arrays.stream(status.split(",")).map(String::strip)
                    .filter(s -> !s.isEmpty()).map(s -> PaperStatus.parse("status", s).toString()).distinct().toList());
        }
        if (q != null && !q.isBlank()) {
            String text = q.strip();
            if (text.length() > MAX_QUERY_LENGTH) {
                throw ProblemException.badField("q", "must be at most " + MAX_QUERY_LENGTH + " characters");
            }
            // A query that is an arXiv id in any form (a pasted link, arXiv:...) finds that paper.
            rows.where("p.title ILIKE :like ESCAPE '\\' OR array_to_string(p.authors, ' ') ILIKE :like ESCAPE '\\'"
                    + " OR p.arxiv_id ILIKE :like ESCAPE '\\' OR p.arxiv_id = :arxiv OR p.doi ILIKE :like ESCAPE '\\'",
                    "like", ListQuery.containsPattern(text), "arxiv", ArxivId.tryParse(text).map(ArxivId::id).orElse(""));
        }
        ListQuery.Found found = rows.tagged(tag).page(ListQuery.page(limit, offset, DEFAULT_LIMIT, MAX_LIMIT),
                "p.id DESC");
        List<Paper> papers = found.ids().isEmpty() ? List.of()
                : found.inOrder(Paper.<Paper>list("ownerId = ?1 and id in ?2", owner, found.ids()), p -> p.id);
        return found.response(papers.stream().map(PaperView::of).toList());
    }

    @GET
    @Path("/{id}")
    public PaperView get(@PathParam("id") long id) {
        return PaperView.of(Paper.findOwned(currentUser.id(), id));
    }

    @PATCH
    @Path("/{id}")
    @Transactional
    @Operation(summary = "Change a paper: send its current version; left-out fields stay, null clears an optional one")
    @RequestBody(content = @Content(schema = @Schema(implementation = UpdatePaper.class)))
    public PaperView update(@PathParam("id") long id, JsonNode json) throws JsonProcessingException {
        Patch<UpdatePaper> patch = patches.readOnly(json, UpdatePaper.class,
                "The body must be a JSON object with version and the fields to change", "a paper");
        return PaperView.of(library.change(currentUser.id(), id, patch.body(), patch::has));
    }

    @DELETE
    @Path("/{id}")
    @Transactional
    @Operation(summary = "Delete a paper (kept as deleted: it no longer shows, and its arXiv id may be added again)")
    public Response delete(@PathParam("id") long id) {
        library.delete(currentUser.id(), id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/notes")
    @Transactional
    @Operation(summary = "Add a note to a paper; arXiv ids and arxiv.org links in it become the paper's references")
    public Response addNote(@PathParam("id") long id, @Valid @NotNull AddNote body) {
        long owner = currentUser.id();
        Paper paper = Paper.findOwned(owner, id);
        NoteView note = notes.addToPaper(owner, paper.id, new NewNote(body.text(), body.kind(), body.page()));
        references.scanNote(owner, paper.id, note.id(), note.version(), note.text());
        return Response.created(URI.create("/api/notes/" + note.id())).entity(note).build();
    }

    @GET
    @Path("/{id}/notes")
    @Operation(summary = "The paper's notes, oldest first")
    public List<NoteView> notes(@PathParam("id") long id) {
        long owner = currentUser.id();
        return notes.forPaper(owner, Paper.findOwned(owner, id).id);
    }

    @GET
    @Path("/{id}/references")
    @Operation(summary = "The arXiv papers this paper's notes cite; paperId (and title) when that paper is in the library")
    public List<PaperReferences.Reference> references(@PathParam("id") long id) {
        long owner = currentUser.id();
        return references.references(owner, Paper.findOwned(owner, id).id);
    }

    @GET
    @Path("/{id}/cited-by")
    @Operation(summary = "The papers in the library whose notes cite this one (by its arXiv id)")
    public List<PaperReferences.CitingPaper> citedBy(@PathParam("id") long id) {
        long owner = currentUser.id();
        Paper paper = Paper.findOwned(owner, id);
        return references.citedBy(owner, paper.id, paper.arxivId);
    }
}
