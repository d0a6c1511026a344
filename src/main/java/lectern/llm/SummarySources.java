package lectern.llm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import lectern.api.Dates;
import lectern.api.Problem.FieldError;
import lectern.api.ProblemException;
import lectern.logs.LogStore;
import lectern.logs.LogView;
import lectern.logs.Section;
import lectern.notes.NoteService;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The text a summary request points at: given text, a book's or a paper's notes, or a range of daily logs. */
@ApplicationScoped
public class SummarySources {

    static final int MAX_LOG_DAYS = 366;

    @Inject
    NoteService notes;

    @Inject
    LogStore logs;

    /** What to summarize: the text, what it is, and its parts (a note each, with its id; else the whole text). */
    public record Source(String text, String description, List<Part> parts) {
        Source(String text, String description) {
            this(text, description, List.of(new Part(text, null)));
        }
    }

    /** A part of a source: a note's text and id, or a text or log item (no note id). */
    public record Part(String text, Long noteId) {
    }

    Source resolve(long ownerId, LlmResource.SummarizeRequest body) {
        boolean hasText = body.text() != null;
        boolean hasRange = body.from() != null || body.to() != null;
        int given = (hasText ? 1 : 0) + (body.bookId() != null ? 1 : 0) + (body.paperId() != null ? 1 : 0) + (hasRange ? 1 : 0);
        if (given != 1) {
            throw ProblemException.invalid("Send exactly one of {text}, {bookId}, {paperId} or {from, to}", List.of(
                    FieldError.field("text", "send text, bookId, paperId, or from and to (one of them)")));
        }
        if (hasText) {
            if (body.text().isBlank()) {
                throw ProblemException.badField("text", "must not be blank");
            }
            return new Source(body.text(), "text");
        }
        if (body.bookId() != null) {
            return fromNotes(notes.forBook(ownerId, body.bookId()), "Notes of book " + body.bookId());
        }
        if (body.paperId() != null) {
            return fromNotes(notes.forPaper(ownerId, body.paperId()), "Notes of paper " + body.paperId());
        }
        if (body.from() == null || body.to() == null) {
            throw ProblemException.badField(body.from() == null ? "from" : "to", "send both from and to (YYYY-MM-DD)");
        }
        LocalDate from = Dates.parse("from", body.from());
        LocalDate to = Dates.parse("to", body.to());
        if (to.isBefore(from)) {
            throw ProblemException.badField("to", "must not be before from");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_LOG_DAYS) {
            throw ProblemException.badField("to", "a range covers at most " + MAX_LOG_DAYS + " days");
        }
        return fromLogs(ownerId, from, to);
    }

    private static Source fromNotes(List<NoteService.NoteView> list, String what) {
        if (list.isEmpty()) {
            throw ProblemException.notFound(what);
        }
        String text = list.stream().map(NoteService.NoteView::text).collect(Collectors.joining("\n"));
        List<Part> parts = list.stream().map(n -> new Part(n.text(), n.id())).toList();
        return new Source(text, what.toLowerCase(java.util.Locale.ROOT) + " (" + list.size() + ")", parts);
    }

    /** Log items in date order, each day's sections in the log's own order, through the logs room. */
    private Source fromLogs(long ownerId, LocalDate from, LocalDate to) {
        List<String> lines = new ArrayList<>();
        for (LogView log : logs.range(ownerId, from, to)) {
            for (Section section : Section.values()) {
                log.items(section).forEach(item -> lines.add(item.text()));
            }
        }
        if (lines.isEmpty()) {
            throw ProblemException.notFound("Daily logs from " + from + " to " + to);
        }
        return new Source(String.join("\n", lines), "daily logs " + from + ".." + to + " (" + lines.size() + " items)",
                lines.stream().map(l -> new Part(l, null)).toList());
    }
}
