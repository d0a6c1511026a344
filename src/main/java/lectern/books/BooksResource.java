package lectern.books;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import lectern.api.Tags;
import lectern.api.EnumParam;
import lectern.books.BookViews.BookView;
import lectern.notes.NoteKind;
import lectern.notes.NoteService;
import lectern.notes.NoteService.NewNote;
import lectern.notes.NoteService.NoteView;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.hibernate.exception.ConstraintViolationException;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

@Path("/api/books")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Books")
public class BooksResource {

    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 1000;

    public record NewBook(
            @NotBlank @Size(max = 500) String title,
            @Size(max = 50) List<@NotBlank @Size(max = 300) String> authors,
            String isbn13,
            @Min(1) @Max(Book.MAX_PAGES) Integer pages,
            Integer year,
            @Size(max = 300) String publisher,
            @Size(max = 50) List<@NotBlank @Size(max = 50) String> tags,
            BookStatus status) {
    }

    public record StatusChange(@NotNull BookStatus status, LocalDate date) {
    }

    public record NewProgress(Integer page, Double percent, LocalDate date) {
    }

    public record ProgressView(long id, long readingId, LocalDate date, Integer page, Double percent) {
    }

    public record ReadingView(long id, LocalDate startedOn, LocalDate finishedOn, String status,
                              List<ProgressView> progress) {
    }

    public record NewBookNote(@NotBlank @Size(max = NoteService.MAX_TEXT) String text, NoteKind kind, Integer page) {
    }

    public record ReviewRequest(@NotNull Double rating, @Size(max = 20_000) String text) {
    }

    public record ReviewView(long bookId, double rating, String text, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    ReadThroughs readThroughs;

    @Inject
    BookViews views;

    @Inject
    EntityManager entityManager;

    @Inject
    NoteService notes;

    @Inject
    Clock clock;

    @Inject
    Patch.Reader patches;

    @POST
    @Transactional
    @Operation(summary = "Add a book (status defaults to want; reading, paused or read also open a read-through today)")
    public Response create(@Valid @NotNull NewBook body) {
        long owner = currentUser.id();
        Book book = new Book();
        book.ownerId = owner;
        book.title = body.title().strip();
        book.authors = stripped(body.authors());
        book.isbn13 = isbn(body.isbn13());
        book.pages = body.pages();
        book.year = checkedYear(body.year());
        book.publisher = blankToNull(body.publisher());
        book.tags = Tags.distinct(body.tags());
        refuseDuplicateIsbn(owner, book.isbn13, null);
        try {
            book.persist(); // IDENTITY: the INSERT runs here
        } catch (ConstraintViolationException e) {
            throw raceOnIsbn(e, book.isbn13);
        }
        if (body.status() != null && body.status() != BookStatus.want) {
            readThroughs.changeStatus(book, body.status(), null);
        }
        entityManager.flush();
        return Response.created(URI.create("/api/books/" + book.id)).entity(views.view(book)).build();
    }

    @GET
    @Operation(summary = "The user's books, most recently changed or read first")
    public Response list(
            @Parameter(description = "Only books in these statuses (comma-separated), e.g. reading or reading,paused")
            @QueryParam("status") String status,
            @Parameter(description = "Text to find in the title or an author's name, case-insensitively") @QueryParam("q") String q,
            @Parameter(description = "Only books with this tag (case-insensitive)") @QueryParam("tag") String tag,
            @Parameter(description = "Page size, 1.." + MAX_LIMIT + ", default " + DEFAULT_LIMIT) @QueryParam("limit") String limit,
            @Parameter(description = "Books to skip, for paging; the total is in the X-Total-Count header")
            @QueryParam("offset") String offset) {
        long owner = currentUser.id();
        ListQuery.Rows rows = ListQuery.rows(entityManager, "book", "b", owner);
        if (status != null && !status.isBlank()) {
            rows.where("b.status IN (:statuses)", "statuses", statuses(status));
        }
        if (q != null && !q.isBlank()) {
            rows.where("b.title ILIKE :q ESCAPE '\\' OR array_to_string(b.authors, ' ') ILIKE :q ESCAPE '\\'",
                    "q", ListQuery.containsPattern(q));
        }
        ListQuery.Found found = rows.tagged(tag).page(ListQuery.page(limit, offset, DEFAULT_LIMIT, MAX_LIMIT),
                "b.updated_at DESC, b.id DESC");
        List<Book> books = found.ids().isEmpty() ? List.of()
                : found.inOrder(Book.<Book>list("ownerId = ?1 and id in ?2", owner, found.ids()), b -> b.id);
        return found.response(views.views(owner, books));
    }

    @GET
    @Path("/{id}")
    public BookView get(@PathParam("id") long id) {
        return views.view(Book.owned(currentUser.id(), id));
    }

    @PATCH
    @Path("/{id}")
    @Transactional
    @Operation(summary = "Change some fields: only those present change, null clears one. A status goes through the "
            + "same rules as POST /status, dated today. A stale version is a 409.")
    @RequestBody(content = @Content(schema = @Schema(implementation = BookPatch.class)))
    public BookView update(@PathParam("id") long id, JsonNode json) throws JsonProcessingException {
        Patch<BookPatch> patch = patches.read(json, BookPatch.class, "Send a JSON object with version and the fields to change");
        BookPatch changes = patch.body();
        long owner = currentUser.id();
        Book book = Book.ownedForUpdate(owner, id);
        if (changes.version() != book.version) {
            throw ProblemException.staleVersion(changes.version(), book.version);
        }
        if (patch.has("title")) {
            if (changes.title() == null || changes.title().isBlank()) {
                throw ProblemException.badField("title", "must not be blank");
            }
            book.title = changes.title().strip();
        }
        if (patch.has("authors")) {
            book.authors = stripped(changes.authors());
        }
        if (patch.has("isbn13")) {
            String isbn = isbn(changes.isbn13());
            refuseDuplicateIsbn(owner, isbn, book.id);
            book.isbn13 = isbn;
        }
        if (patch.has("pages")) {
            book.pages = changes.pages();
        }
        if (patch.has("year")) {
            book.year = checkedYear(changes.year());
        }
        if (patch.has("publisher")) {
            book.publisher = blankToNull(changes.publisher());
        }
        if (patch.has("tags")) {
            book.tags = Tags.distinct(changes.tags());
        }
        if (patch.has("status")) {
            if (changes.status() == null) {
                throw ProblemException.badField("status", "must not be null");
            }
            if (changes.status() != book.status) {
                readThroughs.changeStatus(book, changes.status(), null);
            }
        }
        try {
            entityManager.flush();
        } catch (ConstraintViolationException e) {
            throw raceOnIsbn(e, book.isbn13);
        }
        return views.view(book);
    }

    @DELETE
    @Path("/{id}")
    @Transactional
    @Operation(summary = "Delete a book (soft: it disappears from lists and answers 404, its history stays in the database)")
    public Response delete(@PathParam("id") long id) {
        Book book = Book.ownedForUpdate(currentUser.id(), id);
        book.deletedAt = OffsetDateTime.now(clock);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/status")
    @Transactional
    @Operation(summary = "Move a book through want, reading, paused, read, abandoned; date defaults to today")
    public BookView changeStatus(@PathParam("id") long id, @Valid @NotNull StatusChange body) {
        Book book = Book.ownedForUpdate(currentUser.id(), id);
        readThroughs.changeStatus(book, body.status(), body.date());
        entityManager.flush();
        return views.view(book);
    }

    @POST
    @Path("/{id}/progress")
    @Transactional
    @Operation(summary = "Record where you are (exactly one of page or percent) on a date (default today); starts or "
            + "resumes a read-through. Reaching the end does not mark the book read.")
    public Response progress(@PathParam("id") long id, @Valid @NotNull NewProgress body) {
        Book book = Book.ownedForUpdate(currentUser.id(), id);
        Progress progress = readThroughs.recordProgress(book, body.page(), body.percent(), body.date());
        Position at = Position.of(progress.page, progress.percent, book.pages);
        return Response.created(URI.create("/api/books/" + id + "/readings"))
                .entity(new ProgressView(progress.id, progress.readingId, progress.onDate, at.page(), at.percent()))
                .build();
    }

    @DELETE
    @Path("/{id}/progress/{progressId}")
    @Transactional
    @Operation(summary = "Remove a mistaken progress entry (its id is in GET /readings)")
    public Response deleteProgress(@PathParam("id") long id, @PathParam("progressId") long progressId) {
        long owner = currentUser.id();
        Book.ownedForUpdate(owner, id);
        long deleted = Progress.delete("ownerId = ?1 and id = ?2 and readingId in "
                + "(select r.id from Reading r where r.ownerId = ?1 and r.bookId = ?3)", owner, progressId, id);
        if (deleted == 0) {
            throw ProblemException.notFound("Progress entry " + progressId + " of book " + id);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/readings")
    @Operation(summary = "The book's read-throughs, oldest first, each with its progress entries")
    public List<ReadingView> readings(@PathParam("id") long id) {
        long owner = currentUser.id();
        Book book = Book.owned(owner, id);
        List<Reading> readings = Reading.list("ownerId = ?1 and bookId = ?2 order by startedOn, id", owner, id);
        if (readings.isEmpty()) {
            return List.of();
        }
        List<Progress> entries = Progress.list("ownerId = ?1 and readingId in ?2 order by onDate, id",
                owner, readings.stream().map(r -> r.id).toList());
        Map<Long, List<ProgressView>> byReading = entries.stream().collect(Collectors.groupingBy(p -> p.readingId,
                Collectors.mapping(p -> {
                    Position at = Position.of(p.page, p.percent, book.pages);
                    return new ProgressView(p.id, p.readingId, p.onDate, at.page(), at.percent());
                }, Collectors.toList())));
        return readings.stream().map(r -> new ReadingView(r.id, r.startedOn, r.finishedOn, r.status.name(),
                byReading.getOrDefault(r.id, List.of()))).toList();
    }

    @PUT
    @Path("/{id}/review")
    @Transactional
    @Operation(summary = "Rate (0.5 to 5 in half stars) and review a book; replaces an earlier review")
    public ReviewView putReview(@PathParam("id") long id, @Valid @NotNull ReviewRequest body) {
        long owner = currentUser.id();
        Book.ownedForUpdate(owner, id);
        double rating = body.rating();
        if (rating < 0.5 || rating > 5 || rating * 2 != Math.rint(rating * 2)) {
            throw ProblemException.badField("rating", "must be 0.5 to 5 in steps of 0.5 (half stars)");
        }
        Review review = Review.put(owner, id, Review.findById(id), rating, blankToNull(body.text()), OffsetDateTime.now(clock));
        return new ReviewView(id, review.rating, review.text, review.createdAt, review.updatedAt);
    }

    @GET
    @Path("/{id}/review")
    public ReviewView getReview(@PathParam("id") long id) {
        long owner = currentUser.id();
        Book.owned(owner, id);
        Review review = Review.find("ownerId = ?1 and bookId = ?2", owner, id).firstResult();
        if (review == null) {
            throw ProblemException.notFound("Review of book " + id);
        }
        return new ReviewView(id, review.rating, review.text, review.createdAt, review.updatedAt);
    }

    @DELETE
    @Path("/{id}/review")
    @Transactional
    public Response deleteReview(@PathParam("id") long id) {
        long owner = currentUser.id();
        Book.ownedForUpdate(owner, id);
        if (Review.delete("ownerId = ?1 and bookId = ?2", owner, id) == 0) {
            throw ProblemException.notFound("Review of book " + id);
        }
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/notes")
    @Operation(summary = "Add a note (highlight, quote, idea or application; idea by default) on a page of the book")
    public Response addNote(@PathParam("id") long id, @Valid @NotNull NewBookNote body) {
        long owner = currentUser.id();
        Book book = Book.owned(owner, id);
        if (body.page() != null) {
            int max = book.pages != null ? book.pages : Book.MAX_PAGES;
            if (body.page() < 0 || body.page() > max) {
                throw ProblemException.badField("page", "must be between 0 and " + max
                        + (book.pages != null ? " (the book has " + book.pages + " pages)" : ""));
            }
        }
        NoteView note = notes.addToBook(owner, id, new NewNote(body.text(), body.kind(), body.page()));
        return Response.created(URI.create("/api/notes/" + note.id())).entity(note).build();
    }

    @GET
    @Path("/{id}/notes")
    @Operation(summary = "The book's notes, oldest first")
    public List<NoteView> notes(@PathParam("id") long id) {
        long owner = currentUser.id();
        Book.owned(owner, id);
        return notes.forBook(owner, id);
    }

    private void refuseDuplicateIsbn(long owner, String isbn13, Long exceptId) {
        if (isbn13 == null) {
            return;
        }
        Book existing = Book.find("ownerId = ?1 and isbn13 = ?2 and deletedAt is null", owner, isbn13).firstResult();
        if (existing != null && !existing.id.equals(exceptId)) {
            throw ProblemException.duplicate("You already have a book with ISBN " + isbn13 + ": '" + existing.title + "'",
                    existing.id);
        }
    }

    /**
     * Two requests adding the same ISBN at once both pass {@link #refuseDuplicateIsbn}; the unique index
     * stops the second, which gets the same 409 (without the id, which its rolled-back transaction cannot read).
     */
    private static RuntimeException raceOnIsbn(ConstraintViolationException e, String isbn13) {
        if (e.getConstraintName() != null && e.getConstraintName().contains("book_owner_isbn_uq")) {
            return ProblemException.duplicate("You already have a book with ISBN " + isbn13, null);
        }
        return e;
    }

    private static String isbn(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Isbn.toIsbn13(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badField("isbn13", e.getMessage());
        }
    }

    private Integer checkedYear(Integer year) {
        int latest = readThroughs.today().getYear() + 1;
        if (year != null && (year < -3000 || year > latest)) {
            throw ProblemException.badField("year", "must be between -3000 and " + latest);
        }
        return year;
    }

    private static List<String> statuses(String csv) {
        return Arrays.stream(csv.split(",")).filter(part -> !part.isBlank()).map(part -> EnumParam.parse("status", part, BookStatus.class).name()).toList();
    }

    private static List<String> stripped(List<String> values) {
        return values == null ? new ArrayList<>() : new ArrayList<>(values.stream().map(String::strip).toList());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
