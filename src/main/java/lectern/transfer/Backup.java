package lectern.transfer;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import lectern.books.BookStatus;
import lectern.books.Reading;
import lectern.notes.NoteKind;
import lectern.papers.PaperStatus;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The whole account as one JSON document. Things that belong to something are nested in it (a book's
 * read-throughs, progress, review and notes; a paper's notes and the references found in them; a day's log
 * items), so the document has no database ids and restores into any account. {@code formatVersion} changes
 * when the shape does; an importer refuses versions it does not know.
 */
public record Backup(
        @NotNull @Pattern(regexp = FORMAT, message = "must be \"" + FORMAT + "\"") String format,
        @NotNull @Min(1) @Max(FORMAT_VERSION) Integer formatVersion,
        List<@Valid BookEntry> books,
        List<@Valid PaperEntry> papers,
        List<@Valid LogEntry> logs,
        List<@Valid GoalEntry> goals) {

    public static final String FORMAT = "lectern-backup";
    public static final int FORMAT_VERSION = 1;

    public record BookEntry(
            @NotBlank @Size(max = 500) String title,
            List<@NotBlank @Size(max = 300) String> authors,
            @Pattern(regexp = "\\d{13}", message = "must be 13 digits") String isbn13,
            @Min(1) @Max(100_000) Integer pages,
            Integer year,
            @Size(max = 300) String publisher,
            List<@NotBlank String> tags,
            @NotNull BookStatus status,
            OffsetDateTime createdAt,
            List<@Valid ReadingEntry> readings,
            @Valid ReviewEntry review,
            List<@Valid NoteEntry> notes,
            @Valid GoodreadsEntry goodreads,
            @Valid StoryGraphEntry storygraph) {
    }

    public record ReadingEntry(@NotNull LocalDate startedOn, LocalDate finishedOn, @NotNull Reading.Status status,
                               List<@Valid ProgressEntry> progress) {
    }

    public record ProgressEntry(@NotNull LocalDate date, @Min(0) Integer page,
                                @DecimalMin("0") @DecimalMax("100") Double percent) {
    }

    public record ReviewEntry(@NotNull @DecimalMin("0.25") @DecimalMax("5") Double rating, String text) {
    }

    /**
     * {@code references}: the arXiv ids the note cites, for readers; a restore finds them again in the text.
     * {@code deletedAt}: set for a note in the trash (it can be restored in the app, so the backup keeps it, and a
     * restore puts it back in the trash); absent in backups written before it was kept.
     */
    public record NoteEntry(@NotBlank @Size(max = 20_000) String text, NoteKind kind, @Min(0) Integer page,
                            @Size(max = 40) String label, Double confidence, boolean userLabel,
                            OffsetDateTime createdAt, List<String> references, OffsetDateTime deletedAt,
                            @Valid KindleEntry kindle) {
    }

    /** Where a note made from a Kindle clipping was in the book, so that importing My Clippings.txt again skips it. */
    public record KindleEntry(@NotNull @Pattern(regexp = "highlight|note", message = "must be highlight or note") String kind,
                              Integer locationStart, Integer locationEnd, java.time.LocalDateTime addedAt) {
    }

    /**
     * What a Goodreads import kept; the notes are indexes into the book's notes. {@code editedInLectern}: the
     * book was changed in Lectern after the import, so a later Goodreads import must not overwrite it.
     */
    public record GoodreadsEntry(@Size(max = 20) String goodreadsId, @Size(max = 100) String binding, Integer yearPublished,
                                 Integer originalYear, LocalDate dateAdded, Integer readCount, Integer ownedCopies,
                                 boolean spoiler, Integer reviewNote, Integer privateNote, boolean editedInLectern) {
    }

    /**
     * What a StoryGraph import kept, the columns Lectern has no place for among them; {@code reviewNote} indexes the
     * book's notes. {@code editedInLectern}: as for Goodreads.
     */
    public record StoryGraphEntry(@Size(max = 100) String uid, String contributors, @Size(max = 100) String format,
                                  List<@NotBlank @Size(max = 100) String> moods, @Size(max = 40) String pace,
                                  @Size(max = 100) String characterOrPlot, @Size(max = 100) String strongDevelopment,
                                  @Size(max = 100) String loveableCharacters, @Size(max = 100) String diverseCharacters,
                                  @Size(max = 100) String flawedCharacters, String contentWarnings,
                                  String contentWarningDescription, @Size(max = 20) String owned, LocalDate dateAdded,
                                  Integer readCount, Integer reviewNote, boolean editedInLectern) {
    }

    public record PaperEntry(
            @NotBlank @Size(max = 500) String title,
            List<@NotBlank String> authors,
            @Size(max = 40) String arxivId,
            @Min(1) Integer arxivVersion,
            @Size(max = 300) String doi,
            Integer year,
            @Size(max = 2000) String url,
            @NotNull PaperStatus status,
            List<@NotBlank String> tags,
            LocalDate startedOn,
            LocalDate readOn,
            OffsetDateTime createdAt,
            @Valid BibtexEntry bibtex,
            List<@Valid NoteEntry> notes) {
    }

    public record BibtexEntry(@Size(max = 200) String key, @Size(max = 20) String type, @Size(max = 40) String primaryClass) {
    }

    public record LogEntry(@NotNull LocalDate date, List<@Valid LogItemEntry> items) {
    }

    public record LogItemEntry(@NotNull @Pattern(regexp = "finished|workingOn|plan|other",
            message = "must be one of: finished, workingOn, plan, other") String section,
                               @NotBlank @Size(max = 2000) String text, String label,
                               @DecimalMin("0") @DecimalMax("1") Double confidence, boolean userLabel) {
    }

    public record GoalEntry(@NotNull @Min(1900) @Max(2200) Integer year, @NotNull @Min(1) @Max(1000) Integer books) {
    }
}
