package lectern.notes;

import lectern.api.LabelConfidence;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import lectern.api.ProblemException;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Notes for the rooms that own their subjects (books, papers). Callers check that the book or paper
 * exists for the owner before adding; this class keeps the notes themselves consistent.
 */
@ApplicationScoped
public class NoteService {

    public static final int MAX_TEXT = 20_000;

    public record NewNote(String text, NoteKind kind, Integer page) {
    }

    /** {@code unsure}: the classifier's label is more likely wrong than right (lectern.api.LabelConfidence). */
    public record NoteView(long id, String text, String kind, Integer page, String label, Double confidence,
                           boolean userLabel, boolean unsure, Long bookId, Long paperId, long version,
                           OffsetDateTime createdAt) {
        static NoteView of(Note note) {
            return new NoteView(note.id, note.text, note.kind.name(), note.page, note.label,
                    note.confidence == null ? null : Math.round(note.confidence * 1000) / 1000.0, note.userLabel,
                    LabelConfidence.unsure(note.label, note.confidence, note.userLabel),
                    note.bookId, note.paperId, note.version, note.createdAt);
        }
    }

    @Transactional
    public NoteView addToBook(long ownerId, long bookId, NewNote newNote) {
        Note note = create(ownerId, newNote);
        note.bookId = bookId;
        note.persistAndFlush();
        return view(note);
    }

    @Transactional
    public NoteView addToPaper(long ownerId, long paperId, NewNote newNote) {
        Note note = create(ownerId, newNote);
        note.paperId = paperId;
        note.persistAndFlush();
        return view(note);
    }

    public List<NoteView> forBook(long ownerId, long bookId) {
        return Note.<Note>list("ownerId = ?1 and bookId = ?2 and deletedAt is null", Sort.by("createdAt").and("id"), ownerId, bookId)
                .stream().map(NoteView::of).toList();
    }

    public List<NoteView> forPaper(long ownerId, long paperId) {
        return Note.<Note>list("ownerId = ?1 and paperId = ?2 and deletedAt is null", Sort.by("createdAt").and("id"), ownerId, paperId)
                .stream().map(NoteView::of).toList();
    }

    /** Re-reads the row so that database defaults (created_at) are in the view. */
    private static NoteView view(Note note) {
        Note.getEntityManager().refresh(note);
        return NoteView.of(note);
    }

    private static Note create(long ownerId, NewNote newNote) {
        if (newNote == null) {
            throw ProblemException.badRequest("Send a JSON body like {\"text\": \"...\", \"kind\": \"idea\", \"page\": 12}");
        }
        Note note = new Note();
        note.ownerId = ownerId;
        note.text = validText(newNote.text());
        note.kind = newNote.kind() == null ? NoteKind.idea : newNote.kind();
        note.page = validPage(newNote.page());
        return note;
    }

    static String validText(String text) {
        if (text == null || text.isBlank()) {
            throw ProblemException.badField("text", "must not be blank");
        }
        if (text.length() > MAX_TEXT) {
            throw ProblemException.badField("text", "must be at most " + MAX_TEXT + " characters (got " + text.length() + ")");
        }
        return text.strip();
    }

    static Integer validPage(Integer page) {
        if (page != null && (page < 0 || page > 100_000)) {
            throw ProblemException.badField("page", "must be between 0 and 100000");
        }
        return page;
    }
}
