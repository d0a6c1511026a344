package lectern.transfer;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import lectern.books.Book;
import lectern.books.Reading;
import lectern.books.Review;
import lectern.notes.Note;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The account's books in StoryGraph's export columns, so that importing the file again (into this account or
 * another) gives the same library: the exact quarter-star rating, one "Dates Read" range per read-through, the
 * moods and pace a StoryGraph import made tags of back in their columns, and what else that import kept. Notes other
 * than a review without stars have no column and are not written.
 */
@ApplicationScoped
public class StoryGraphExport {

    public String exportCsv(long ownerId) {
        return StoryGraphCsv.write(rows(ownerId));
    }

    List<StoryGraphRow> rows(long ownerId) {
        List<Book> books = Book.list("ownerId = ?1 and deletedAt is null", Sort.by("id"), ownerId);
        Map<Long, StoryGraphBook> links = StoryGraphBook.<StoryGraphBook>list("ownerId", ownerId).stream()
                .collect(Collectors.toMap(l -> l.bookId, Function.identity()));
        Map<Long, Review> reviews = Review.<Review>list("ownerId", ownerId).stream()
                .collect(Collectors.toMap(r -> r.bookId, Function.identity()));
        Map<Long, List<Reading>> readings = Reading.<Reading>list("ownerId", Sort.by("id"), ownerId).stream()
                .collect(Collectors.groupingBy(r -> r.bookId));
        Map<Long, String> reviewNotes = Note.<Note>list("ownerId = ?1 and id in (select l.reviewNoteId from StoryGraphBook l "
                        + "where l.ownerId = ?1) and deletedAt is null", ownerId).stream()
                .collect(Collectors.toMap(n -> n.bookId, n -> n.text, (a, b) -> a));
        List<StoryGraphRow> rows = new ArrayList<>(books.size());
        for (Book book : books) {
            rows.add(row(book, links.get(book.id), reviews.get(book.id), readings.getOrDefault(book.id, List.of()),
                    reviewNotes.get(book.id)));
        }
        return rows;
    }

    private static StoryGraphRow row(Book book, StoryGraphBook link, Review review, List<Reading> readings, String reviewNote) {
        List<Reading> ordered = readings.stream()
                .sorted(Comparator.comparing((Reading r) -> r.startedOn).thenComparing(r -> r.id)).toList();
        List<StoryGraphRow.ReadRange> ranges = new ArrayList<>();
        for (Reading r : ordered) {
            boolean open = r.status == Reading.Status.reading || r.status == Reading.Status.paused;
            ranges.add(new StoryGraphRow.ReadRange(r.startedOn, open ? null : r.finishedOn != null ? r.finishedOn : r.startedOn));
        }
        LocalDate lastRead = ordered.stream().filter(r -> r.status == Reading.Status.read && r.finishedOn != null)
                .map(r -> r.finishedOn).max(Comparator.naturalOrder()).orElse(null);
        int timesRead = (int) ordered.stream().filter(r -> r.status == Reading.Status.read).count();
        if (link != null && link.readCount != null) {
            timesRead = Math.max(timesRead, link.readCount);
        }
        List<String> moods = link == null ? List.of() : link.moods.stream().filter(book.tags::contains).toList();
        String pace = link != null && link.pace != null && book.tags.contains(StoryGraphImport.paceTag(link.pace)) ? link.pace : null;
        List<String> tags = book.tags.stream()
                .filter(t -> !moods.contains(t) && !(pace != null && t.equals(StoryGraphImport.paceTag(pace)))).toList();
        boolean k = link != null;
        return new StoryGraphRow(0, book.title, book.authors,
                k ? link.contributors : null,
                k && link.uid != null ? link.uid : book.isbn13,
                k ? link.format : null,
                StoryGraphImport.readStatus(book.status),
                k && link.dateAdded != null ? link.dateAdded : book.createdAt == null ? null : book.createdAt.toLocalDate(),
                lastRead,
                ranges,
                timesRead,
                moods,
                pace,
                k ? link.characterOrPlot : null,
                k ? link.strongDevelopment : null,
                k ? link.loveableCharacters : null,
                k ? link.diverseCharacters : null,
                k ? link.flawedCharacters : null,
                review == null ? null : BigDecimal.valueOf(review.rating),
                review != null ? review.text : reviewNote,
                k ? link.contentWarnings : null,
                k ? link.contentWarningDescription : null,
                tags,
                k ? link.owned : null);
    }
}
