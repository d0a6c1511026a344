package lectern.transfer;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import lectern.books.Book;
import lectern.books.BookStatus;
import lectern.books.Reading;
import lectern.books.Review;
import lectern.notes.Note;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The account's books in Goodreads' own columns (the newest, 23-column layout), so that Goodreads or any tool
 * that reads its exports takes them, and so that importing the file again gives the same library. What
 * Goodreads has no column for is approximated: half stars round to whole ones, a Lectern-only status
 * (paused, abandoned) becomes an exclusive shelf of that name, the book's notes go to Private Notes.
 */
@ApplicationScoped
public class GoodreadsExport {

    /** Several notes of one book share the single Private Notes cell. */
    static final String NOTE_SEPARATOR = "\n\n";

    public String exportCsv(long ownerId) {
        return GoodreadsCsv.write(rows(ownerId));
    }

    List<GoodreadsRow> rows(long ownerId) {
        List<Book> books = Book.list("ownerId = ?1 and deletedAt is null", Sort.by("id"), ownerId);
        Map<Long, GoodreadsBook> links = GoodreadsBook.<GoodreadsBook>list("ownerId", ownerId).stream()
                .collect(Collectors.toMap(l -> l.bookId, Function.identity()));
        Map<Long, Review> reviews = Review.<Review>list("ownerId", ownerId).stream()
                .collect(Collectors.toMap(r -> r.bookId, Function.identity()));
        Map<Long, List<Reading>> readings = Reading.<Reading>list("ownerId", Sort.by("id"), ownerId).stream()
                .collect(Collectors.groupingBy(r -> r.bookId));
        Map<Long, List<Note>> notes = new HashMap<>();
        for (Note note : Note.<Note>list("ownerId = ?1 and bookId is not null and deletedAt is null",
                Sort.by("createdAt").and("id"), ownerId)) {
            notes.computeIfAbsent(note.bookId, k -> new ArrayList<>()).add(note);
        }
        List<GoodreadsRow> rows = new ArrayList<>(books.size());
        for (Book book : books) {
            rows.add(row(book, links.get(book.id), reviews.get(book.id), readings.getOrDefault(book.id, List.of()),
                    notes.getOrDefault(book.id, List.of())));
        }
        return rows;
    }

    private static GoodreadsRow row(Book book, GoodreadsBook link, Review review, List<Reading> readings, List<Note> notes) {
        List<Reading> finished = readings.stream()
                .filter(r -> r.status == Reading.Status.read && r.finishedOn != null)
                .sorted(Comparator.comparing((Reading r) -> r.finishedOn))
                .toList();
        LocalDate dateRead = finished.isEmpty() ? null : finished.get(finished.size() - 1).finishedOn;
        int timesRead = (int) readings.stream().filter(r -> r.status == Reading.Status.read).count();
        if (link != null && link.readCount != null) {
            timesRead = Math.max(timesRead, link.readCount);
        } else if (book.status == BookStatus.read) {
            timesRead = Math.max(timesRead, 1);
        }
        Long reviewNoteId = link == null ? null : link.reviewNoteId;
        String reviewText = review != null ? review.text
                : notes.stream().filter(n -> n.id.equals(reviewNoteId)).map(n -> n.text).findFirst().orElse(null);
        List<String> privateNotes = notes.stream().filter(n -> !n.id.equals(reviewNoteId)).map(n -> n.text).toList();
        String exclusive = GoodreadsShelves.exclusiveShelf(book.status);
        List<String> shelves = new ArrayList<>();
        shelves.add(exclusive);
        book.tags.stream().filter(t -> !t.equals(exclusive)).forEach(shelves::add);
        String isbn13 = book.isbn13 == null ? null : book.isbn13.strip();
        return new GoodreadsRow(0,
                link == null ? null : link.goodreadsId,
                book.title,
                book.authors.isEmpty() ? null : book.authors.get(0),
                book.authors.size() > 1 ? book.authors.subList(1, book.authors.size()) : List.of(),
                isbn10(isbn13),
                isbn13,
                review == null ? 0 : (int) Math.round(review.rating),
                book.publisher,
                link == null ? null : link.binding,
                book.pages,
                // Lectern's year is the work's (Original Publication Year, else Year Published): edits to it show.
                link != null && link.originalYear != null ? link.yearPublished : book.year,
                link != null && link.originalYear == null ? null : book.year,
                dateRead,
                link != null && link.dateAdded != null ? link.dateAdded
                        : book.createdAt == null ? null : book.createdAt.toLocalDate(),
                shelves,
                exclusive,
                GoodreadsMarkup.fromText(reviewText),
                link != null && link.spoiler,
                privateNotes.isEmpty() ? null : GoodreadsMarkup.fromText(String.join(NOTE_SEPARATOR, privateNotes)),
                timesRead,
                link != null && link.ownedCopies != null ? link.ownedCopies : 0);
    }

    /** The ISBN-10 of a 978 ISBN-13 (979 ones have none). */
    static String isbn10(String isbn13) {
        if (isbn13 == null || !isbn13.matches("978\\d{10}")) {
            return null;
        }
        String body = isbn13.substring(3, 12);
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (10 - i) * (body.charAt(i) - '0');
        }
        int check = (11 - sum % 11) % 11;
        return body + (check == 10 ? "X" : String.valueOf(check));
    }
}
