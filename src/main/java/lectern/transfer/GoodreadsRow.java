package lectern.transfer;

import java.time.LocalDate;
import java.util.List;

/**
 * One book of a Goodreads library export, cleaned: ISBN wrappers ({@code ="..."}) removed, blanks as null,
 * shelves split, dates parsed. {@code row} is the row number as a spreadsheet shows it (the header is row 1).
 * Text fields keep Goodreads' own form (the review with its {@code <br/>} and link markup); {@link GoodreadsMarkup}
 * turns them into plain text.
 */
public record GoodreadsRow(
        int row,
        String bookId,
        String title,
        String author,
        List<String> additionalAuthors,
        String isbn,
        String isbn13,
        int myRating,
        String publisher,
        String binding,
        Integer pages,
        Integer yearPublished,
        Integer originalPublicationYear,
        LocalDate dateRead,
        LocalDate dateAdded,
        List<String> bookshelves,
        String exclusiveShelf,
        String myReview,
        boolean spoiler,
        String privateNotes,
        Integer readCount,
        Integer ownedCopies) {

    /** Shelves every Goodreads account has; the exclusive shelf says the status, the others are tags. */
    public static final List<String> STATUS_SHELVES = List.of("read", "currently-reading", "to-read");

    /**
     * The shelves that become tags: every shelf but the three status shelves and an exclusive shelf that
     * names a status of its own (did-not-finish, paused, ...).
     */
    public List<String> customShelves() {
        java.util.LinkedHashSet<String> shelves = new java.util.LinkedHashSet<>(bookshelves);
        if (exclusiveShelf != null) {
            shelves.add(exclusiveShelf);
        }
        shelves.removeAll(STATUS_SHELVES);
        if (exclusiveShelf != null && GoodreadsShelves.statusOfCustomShelf(exclusiveShelf) != null) {
            shelves.remove(exclusiveShelf);
        }
        return List.copyOf(shelves);
    }
}
