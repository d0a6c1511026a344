package lectern.transfer;

import lectern.books.BookStatus;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Goodreads says a book's status with its exclusive shelf. The three built-in shelves map directly; people
 * also make exclusive shelves of their own for books they gave up on or put aside, which Lectern knows as
 * {@code abandoned} and {@code paused}.
 */
public final class GoodreadsShelves {

    public static final String READ = "read";
    public static final String CURRENTLY_READING = "currently-reading";
    public static final String TO_READ = "to-read";
    /** The exclusive shelves Lectern writes for the statuses Goodreads has no shelf for. */
    public static final String ABANDONED = "did-not-finish";
    public static final String PAUSED = "paused";

    private static final Pattern ABANDONED_NAMES = Pattern.compile(
            "did-?not-?finish|dnf|abandoned|gave-?up|wont-?finish|won-t-finish|not-?finished|unfinished|stopped-reading");
    private static final Pattern PAUSED_NAMES = Pattern.compile("paused|on-?hold|on-?pause|put-?aside|set-?aside");

    private GoodreadsShelves() {
    }

    public static BookStatus status(String exclusiveShelf) {
        if (exclusiveShelf == null) {
            return BookStatus.want;
        }
        return switch (exclusiveShelf) {
            case READ -> BookStatus.read;
            case CURRENTLY_READING -> BookStatus.reading;
            case TO_READ -> BookStatus.want;
            default -> {
                BookStatus custom = statusOfCustomShelf(exclusiveShelf);
                yield custom == null ? BookStatus.want : custom;
            }
        };
    }

    /** abandoned or paused for a custom shelf that says so by its name, otherwise null (the shelf is a tag). */
    public static BookStatus statusOfCustomShelf(String shelf) {
        String name = shelf.toLowerCase(Locale.ROOT);
        if (ABANDONED_NAMES.matcher(name).matches()) {
            return BookStatus.abandoned;
        }
        if (PAUSED_NAMES.matcher(name).matches()) {
            return BookStatus.paused;
        }
        return null;
    }

    public static String exclusiveShelf(BookStatus status) {
        return switch (status) {
            case read -> READ;
            case reading -> CURRENTLY_READING;
            case want -> TO_READ;
            case abandoned -> ABANDONED;
            case paused -> PAUSED;
        };
    }
}
