package lectern.transfer;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Kindle's "My Clippings.txt": entries separated by {@code ==========} lines, each the book's title with its
 * author in the last parentheses ({@code Dune (Dune Chronicles Book 1) (Frank Herbert)}; a personal document has
 * none), a line such as {@code - Your Highlight on page 12 | Location 170-172 | Added on Tuesday, 3 March 2020
 * 14:05:11} (or its forms without a page, US dates, older Kindles' {@code Loc. 170-72}), a blank line and the text.
 * A BOM (the Kindle writes one before each entry, not only the file's first) and CRLF line ends are taken as they
 * come. When a highlight was extended on the Kindle, the file has it twice: the later one is kept. English Kindles
 * only: a clipping of another language is reported with its line.
 */
public final class KindleClippings {

    /** What a clipping is. Bookmarks have no text and are skipped. */
    public enum Kind { highlight, note, bookmark }

    /** One clipping; {@code line} is where its entry starts in the file (the first line is 1). */
    public record Clipping(int line, String title, List<String> authors, Kind kind, Integer page, Integer locationStart,
                           Integer locationEnd, LocalDateTime addedAt, String text) {
    }

    /** The highlights and notes, how many bookmarks and earlier versions of edited highlights were left out, and failures. */
    public record ParsedFile(List<Clipping> clippings, int bookmarks, int editedAway, List<ImportResult.Failure> failures) {
    }

    private static final Pattern SEPARATOR = Pattern.compile("={10}\\s*");
    private static final Pattern KIND = Pattern.compile("^-\\s*(?:Your\\s+)?(Highlight|Note|Bookmark)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern PAGE = Pattern.compile("\\bpage\\s+(\\d+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern LOCATION = Pattern.compile("\\b(?:location|loc\\.)\\s*(\\d+)(?:\\s*-\\s*(\\d+))?", Pattern.CASE_INSENSITIVE);
    private static final Pattern ADDED = Pattern.compile("\\bAdded on\\s+(.+)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern WEEKDAY = Pattern.compile("^[A-Za-z]+day,\\s*");
    /** What the Kindle writes instead of the text once a book's clipping limit (set by the publisher) is reached. */
    private static final String CLIPPING_LIMIT = "You have reached the clipping limit for this item";
    private static final List<DateTimeFormatter> DATES = List.of(
            date("d MMMM uuuu H:mm[:ss]"),           // 3 March 2020 14:05:11
            date("MMMM d, uuuu h:mm[:ss] a"),        // March 3, 2020 2:05:11 PM
            date("MMMM d, uuuu, h:mm[:ss] a"),       // March 03, 2020, 02:05 PM (older Kindles)
            date("MMMM d, uuuu H:mm[:ss]"));

    private KindleClippings() {
    }

    private static DateTimeFormatter date(String pattern) {
        return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern).toFormatter(Locale.ENGLISH);
    }

    public static ParsedFile parse(String text) {
        String[] lines = text.replace("\uFEFF", "").split("\r\n|\n|\r", -1);
        List<ImportResult.Failure> failures = new ArrayList<>();
        List<Clipping> clippings = new ArrayList<>();
        int bookmarks = 0;
        int editedAway = 0;
        List<String> entry = new ArrayList<>();
        int entryLine = 1;
        for (int i = 0; i <= lines.length; i++) {
            boolean end = i == lines.length || SEPARATOR.matcher(lines[i]).matches();
            if (!end) {
                if (entry.isEmpty() && lines[i].isBlank()) {
                    entryLine = i + 2;
                    continue;
                }
                entry.add(lines[i]);
                continue;
            }
            if (!entry.isEmpty()) {
                try {
                    Clipping clipping = clipping(entryLine, entry);
                    if (clipping.kind() == Kind.bookmark) {
                        bookmarks++;
                    } else if (!keep(clippings, clipping)) {
                        editedAway++;
                    }
                } catch (BadClipping e) {
                    failures.add(ImportResult.Failure.line(entryLine, e.getMessage()));
                }
            }
            entry.clear();
            entryLine = i + 2;
        }
        return new ParsedFile(clippings, bookmarks, editedAway, failures);
    }

    /**
     * Adds the clipping unless it is an earlier version of one already kept; replaces a kept one it is the later
     * version of. False when one of the two was left out.
     */
    private static boolean keep(List<Clipping> kept, Clipping clipping) {
        for (int k = kept.size() - 1; k >= 0; k--) {
            Clipping other = kept.get(k);
            if (sameBook(other, clipping) && sameClipping(other.kind(), other.page(), other.locationStart(),
                    other.locationEnd(), other.text(), clipping)) {
                if (!isEarlier(clipping.addedAt(), other.addedAt())) {
                    kept.set(k, clipping);
                }
                return false;
            }
        }
        kept.add(clipping);
        return true;
    }

    private static boolean sameBook(Clipping a, Clipping b) {
        return a.title().equals(b.title()) && a.authors().equals(b.authors());
    }

    /** Whether {@code added} is known to be before {@code than}; unknown dates keep the file's order (later wins). */
    static boolean isEarlier(LocalDateTime added, LocalDateTime than) {
        return added != null && than != null && added.isBefore(than);
    }

    /**
     * Whether a clipping of the same book is the same one as the stored or earlier one: a highlight whose
     * locations overlap it and that starts at the same place or holds its text (or the other way round), as an
     * extended highlight does; a note at the same place with the same text.
     */
    static boolean sameClipping(Kind kind, Integer page, Integer locationStart, Integer locationEnd, String text,
                                Clipping clipping) {
        if (kind != clipping.kind()) {
            return false;
        }
        boolean samePlace;
        boolean sameStart = false;
        if (locationStart != null && clipping.locationStart() != null) {
            int end = locationEnd != null ? locationEnd : locationStart;
            int otherEnd = clipping.locationEnd() != null ? clipping.locationEnd() : clipping.locationStart();
            sameStart = locationStart.equals(clipping.locationStart());
            samePlace = kind == Kind.highlight ? locationStart <= otherEnd && clipping.locationStart() <= end : sameStart;
        } else {
            samePlace = java.util.Objects.equals(page, clipping.page());
        }
        if (!samePlace) {
            return false;
        }
        if (kind == Kind.note) {
            return text.equals(clipping.text());
        }
        return sameStart || text.contains(clipping.text()) || clipping.text().contains(text);
    }

    private static Clipping clipping(int line, List<String> entry) {
        if (entry.size() < 2) {
            throw new BadClipping("is not a clipping: expected the book's title on one line and a line like "
                    + "'- Your Highlight on page 12 | Location 170-172 | Added on ...' after it");
        }
        String header = entry.get(0).strip();
        String meta = entry.get(1).strip();
        Matcher kind = KIND.matcher(meta);
        if (!kind.find()) {
            throw new BadClipping("'" + shorten(meta) + "' is not a highlight, note or bookmark line of an English "
                    + "Kindle (such as '- Your Highlight on Location 170-172 | Added on ...'); set the Kindle's language "
                    + "to English for its clippings to import");
        }
        Kind what = Kind.valueOf(kind.group(1).toLowerCase(Locale.ROOT));
        String body = String.join("\n", entry.subList(2, entry.size())).strip();
        if (what != Kind.bookmark && body.isEmpty()) {
            throw new BadClipping("is a " + what + " without text; nothing to import");
        }
        if (body.replaceFirst("^<", "").startsWith(CLIPPING_LIMIT)) {
            throw new BadClipping("has no text: the Kindle did not keep it because the book's clipping limit was reached");
        }
        String title = header;
        List<String> authors = List.of();
        int open = lastGroup(header);
        if (open > 0 && namesAuthors(header.substring(open + 1, header.length() - 1))) {
            title = header.substring(0, open).strip();
            authors = authors(header.substring(open + 1, header.length() - 1));
        }
        if (title.isEmpty()) {
            throw new BadClipping("has no title on its first line");
        }
        if (title.length() > 500) {
            title = title.substring(0, 500);
        }
        Integer page = null;
        Matcher p = PAGE.matcher(meta);
        if (p.find()) {
            page = Integer.valueOf(p.group(1));
        }
        Integer start = null;
        Integer end = null;
        Matcher l = LOCATION.matcher(meta);
        if (l.find()) {
            start = Integer.valueOf(l.group(1));
            end = l.group(2) == null ? null : fullEnd(l.group(1), l.group(2));
        }
        LocalDateTime added = null;
        Matcher a = ADDED.matcher(meta);
        if (a.find()) {
            added = addedOn(a.group(1));
        }
        return new Clipping(line, title, authors, what, page, start, end, added, body);
    }

    /** Where the last parenthesized group of the line opens, when the line ends with one; -1 otherwise. */
    static int lastGroup(String line) {
        if (!line.endsWith(")")) {
            return -1;
        }
        int depth = 0;
        for (int i = line.length() - 1; i >= 0; i--) {
            char c = line.charAt(i);
            if (c == ')') {
                depth++;
            } else if (c == '(' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether the last parentheses name the author, or belong to a personal document's title ("Report (final)",
     * "Notes (v2)"): a group with a digit, or one lower-case word, is part of the title. (An author named in lower
     * case, as bell hooks, has two words.)
     */
    static boolean namesAuthors(String group) {
        String g = group.strip();
        if (g.isEmpty() || g.chars().anyMatch(Character::isDigit)) {
            return false;
        }
        return !(g.indexOf(' ') < 0 && g.indexOf(',') < 0 && g.equals(g.toLowerCase(java.util.Locale.ROOT)));
    }

    /** "Herbert, Frank" -> "Frank Herbert"; several authors are separated by semicolons. "Unknown" is nobody. */
    static List<String> authors(String group) {
        List<String> authors = new ArrayList<>();
        for (String part : group.split(";|\\s&\\s")) {
            String name = part.strip();
            if (name.isEmpty() || name.equalsIgnoreCase("unknown")) {
                continue;
            }
            String[] lastFirst = name.split(",");
            if (lastFirst.length == 2 && !lastFirst[1].isBlank()) {
                name = lastFirst[1].strip() + " " + lastFirst[0].strip();
            }
            if (!authors.contains(name)) {
                authors.add(name);
            }
        }
        return List.copyOf(authors);
    }

    /** Older Kindles shorten a range's end: "Loc. 1702-05" is 1702 to 1705. */
    private static int fullEnd(String start, String end) {
        if (end.length() < start.length()) {
            end = start.substring(0, start.length() - end.length()) + end;
        }
        return Integer.parseInt(end);
    }

    /** The date after "Added on", in the Kindle's local time; null when it is in no form known here. */
    static LocalDateTime addedOn(String text) {
        String date = WEEKDAY.matcher(text.strip()).replaceFirst("");
        for (DateTimeFormatter format : DATES) {
            try {
                return LocalDateTime.parse(date, format);
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return null;
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    private static final class BadClipping extends RuntimeException {
        BadClipping(String message) {
            super(message, null, false, false);
        }
    }
}
