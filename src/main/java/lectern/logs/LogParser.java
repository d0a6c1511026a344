package lectern.logs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a daily study log written by hand into its four sections.
 *
 * <p>Two shapes, freely mixed, on one line or many:
 * <ul>
 *   <li>the "[ML Grind]" form: {@code [ML Grind] Finished: > a > b Have been working on: > c Plan for today: > d};
 *   <li>markdown: {@code ## Finished}, {@code **Plan for today:**}, setext headings, and list items
 *       {@code - x}, {@code * x}, {@code + x}, {@code 1. x}, {@code 1) x}, {@code > x}, {@code - [ ] x}, {@code - [x] x};
 *       also {@code <h3>...</h3>} and {@code <li>...</li>} lines, as READMEs often hold their logs.
 * </ul>
 *
 * <p>The rules, chosen so that words in an item's text are never mistaken for structure:
 * <ul>
 *   <li>A heading word ("Finished", "Done", "Working on", "Plan for today", "Today", "Next", ...; any case)
 *       is a heading only in heading position: as a markdown heading, as a whole bold line, at the start
 *       of a line (after an optional {@code [tag]}) when followed by a colon, the end of the line or a
 *       {@code >} item; or inside a line when it is followed by {@code :} and then a {@code >} item, as in
 *       {@code ... joint fusion Have been working on: > ML monitoring}. "Foundation Models: finished
 *       transformer ..." and "Finished reading the paper" are item text.
 *   <li>{@code >} separates items only in the {@code >} form (text that begins with a {@code >} item), and
 *       only when it stands alone: whitespace (or the line's start) before it, whitespace (or the line's end)
 *       after it. So {@code <>}, {@code ->}, {@code >=} and {@code >90%} are always text, and so is
 *       {@code a > b} in a list item or a plain line. Inside the {@code >} form, {@code a > b} does split.
 *   <li>A list item goes on over following lines that are indented deeper than its marker, or that
 *       follow it directly without a blank line (markdown's lazy continuation); the lines are joined
 *       with one space. Each plain line without a marker is one item.
 *   <li>Text before any heading goes to {@code other}. A markdown heading that is not a section
 *       heading (e.g. {@code # 2026-11-29}) is not an item; it ends the current section (back to
 *       {@code other}) unless it is a sub-heading of it.
 * </ul>
 *
 * <p>The parser is a single pass over the lines with no regular expressions, so its time is linear in
 * the text's length for any input.
 */
public final class LogParser {

    private LogParser() {
    }

    public static ParsedLog parse(String text) {
        if (text == null || text.isBlank()) {
            return ParsedLog.EMPTY;
        }
        return new Reading().read(text);
    }

    /** A heading word and the section it opens; {@code inline} when it may also stand inside a line. */
    private record Phrase(String text, Section section, boolean inline) {
    }

    /** Longest first, so "Plan for today" wins over "today" and "Have been working on" over "working on". */
    private static final List<Phrase> PHRASES = phrases();

    private static List<Phrase> phrases() {
        List<Phrase> p = new ArrayList<>();
        for (String s : List.of("finished", "finished today", "done", "done today", "completed")) {
            p.add(new Phrase(s, Section.FINISHED, true));
        }
        for (String s : List.of("have been working on", "been working on", "working on", "currently working on",
                "in progress")) {
            p.add(new Phrase(s, Section.WORKING_ON, true));
        }
        for (String s : List.of("plan for today", "plans for today", "plan for tomorrow", "plans for tomorrow",
                "plan", "plans", "today", "next", "next up", "todo", "to do")) {
            p.add(new Phrase(s, Section.PLAN, true));
        }
        // "Other" and "Notes" open the other section only in heading position at a line's start:
        // "... the other: > x" in the middle of a line is too likely to be prose.
        for (String s : List.of("other", "notes")) {
            p.add(new Phrase(s, Section.OTHER, false));
        }
        p.sort(Comparator.comparingInt((Phrase x) -> x.text.length()).reversed());
        return List.copyOf(p);
    }

    /** Where a heading phrase was found: its section and the index just after (or at the start of) it. */
    private record Found(Section section, int index) {
    }

    /** The phrase that starts at {@code from} and ends at a word boundary, or null. */
    private static Found phraseAt(CharSequence s, int from) {
        for (Phrase p : PHRASES) {
            int end = from + p.text.length();
            if (end <= s.length() && matchesIgnoringCase(s, from, p.text)
                    && (end == s.length() || !Character.isLetterOrDigit(s.charAt(end)))) {
                return new Found(p.section, end);
            }
        }
        return null;
    }

    /** The inline phrase that ends exactly at {@code end} and starts the text or follows whitespace, or null. */
    private static Found phraseEndingAt(CharSequence s, int end) {
        for (Phrase p : PHRASES) {
            int start = end - p.text.length();
            if (p.inline && start >= 0 && matchesIgnoringCase(s, start, p.text)
                    && (start == 0 || Character.isWhitespace(s.charAt(start - 1)))) {
                return new Found(p.section, start);
            }
        }
        return null;
    }

    private static boolean matchesIgnoringCase(CharSequence s, int from, String lowerAscii) {
        for (int i = 0; i < lowerAscii.length(); i++) {
            if (Character.toLowerCase(s.charAt(from + i)) != lowerAscii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A heading that ends the text: an inline phrase, optional spaces, a colon, optional spaces.
     * Returns the phrase's start, or null. This is how "... joint fusion Have been working on:" ends an item.
     */
    private static Found headingAtEnd(CharSequence s, int end) {
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        if (end == 0 || s.charAt(end - 1) != ':') {
            return null;
        }
        end--;
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return phraseEndingAt(s, end);
    }

    /**
     * Where the item text ends when the first {@code end} chars close with one or more headings
     * ("... fusion Have been working on:", "a Working on: Plan for today:"), and the section of the last one.
     * Null when they do not end with a heading.
     */
    private record Cut(int textEnd, Section section) {
    }

    private static Cut cutHeadings(CharSequence s, int end) {
        Found last = headingAtEnd(s, end);
        if (last == null) {
            return null;
        }
        int textEnd = last.index;
        for (Found f = headingAtEnd(s, textEnd); f != null; f = headingAtEnd(s, textEnd)) {
            textEnd = f.index;
        }
        return new Cut(textEnd, last.section);
    }

    /** True when the {@code >} at {@code i} stands alone, so it starts an item. */
    private static boolean isSeparator(CharSequence s, int i) {
        return s.charAt(i) == '>'
                && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))
                && (i + 1 == s.length() || Character.isWhitespace(s.charAt(i + 1)));
    }

    private static boolean startsWithSeparator(String s) {
        return !s.isEmpty() && isSeparator(s, 0);
    }

    /** The end of a "[ ]", "[x]" or "[X]" box at {@code i} followed by whitespace or the end, or -1. */
    static int taskBoxEnd(String s, int i) {
        if (i + 3 > s.length() || s.charAt(i) != '[' || s.charAt(i + 2) != ']') {
            return -1;
        }
        char m = s.charAt(i + 1);
        if (m != ' ' && m != 'x' && m != 'X') {
            return -1;
        }
        return i + 3 == s.length() || Character.isWhitespace(s.charAt(i + 3)) ? i + 3 : -1;
    }

    /**
     * How many backslashes stand before list-item text that would not read back as itself after "- ":
     * a task box ("[x] done" would lose its box) or only dashes ("- --" is a thematic break). -1 for any
     * other text.
     */
    static int escapesBeforeStructure(String text) {
        int k = 0;
        while (k < text.length() && text.charAt(k) == '\\') {
            k++;
        }
        if (taskBoxEnd(text, k) > 0) {
            return k;
        }
        int dashes = 0;
        for (int i = k; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '-') {
                dashes++;
            } else if (c != ' ' && c != '\t') {
                return -1;
            }
        }
        return dashes >= 2 ? k : -1;
    }

    /**
     * {@link LogMarkdown} writes such text with one more backslash ("\\[x] done", "\\---");
     * take that backslash off again.
     */
    private static String unescapeStructure(String text) {
        return escapesBeforeStructure(text) > 0 ? text.substring(1) : text;
    }

    private enum Kind {
        /** From a list marker line: continued by deeper or directly following lines. */
        LIST,
        /** From the {@code >} form: continued like a list item, and the continuation may hold more items. */
        QUOTE,
        /** A plain line: continued only by deeper lines. */
        PLAIN
    }

    private static final class Item {
        final Section section;
        final StringBuilder text;
        boolean removed;

        Item(Section section, String text) {
            this.section = section;
            this.text = new StringBuilder(text);
        }
    }

    /** The state of one parse. */
    private static final class Reading {
        private final List<Item> items = new ArrayList<>();
        private Section section = Section.OTHER;
        /** The markdown level of the heading that chose the section; 6 for headings that are not markdown. */
        private int sectionLevel = 0;

        /** The item that a continuation line would extend, with its kind and the indent of its line. */
        private Item open;
        private Kind openKind;
        private int openIndent;
        /** The open item began with {@code <li>} and its {@code </li>} is still to come. */
        private boolean openIsHtml;

        private boolean blankBefore;
        /** A plain line's item that a following "---" or "===" would turn into a setext heading. */
        private Item setextItem;
        private String setextLine;

        ParsedLog read(String text) {
            String s = text.replace("\r\n", "\n").replace('\r', '\n');
            if (s.startsWith("\uFEFF")) {
                s = s.substring(1);
            }
            int at = skipFrontMatter(s);
            while (at <= s.length()) {
                int nl = s.indexOf('\n', at);
                int end = nl < 0 ? s.length() : nl;
                line(s.substring(at, end));
                at = end + 1;
            }
            List<List<String>> out = new ArrayList<>();
            for (int i = 0; i < Section.values().length; i++) {
                out.add(new ArrayList<>());
            }
            for (Item item : items) {
                if (!item.removed) {
                    out.get(item.section.ordinal()).add(item.text.toString());
                }
            }
            return new ParsedLog(out.get(0), out.get(1), out.get(2), out.get(3));
        }

        /** Jekyll/Obsidian front matter ("---" ... "---" at the very top) is metadata, not log. */
        private static int skipFrontMatter(String s) {
            if (!s.startsWith("---\n")) {
                return 0;
            }
            int at = 4;
            while (at < s.length()) {
                int nl = s.indexOf('\n', at);
                int end = nl < 0 ? s.length() : nl;
                String line = s.substring(at, end).strip();
                if (line.equals("---") || line.equals("...")) {
                    return end + 1;
                }
                at = end + 1;
            }
            return 0;
        }

        private void line(String raw) {
            String body = raw.strip();
            if (body.isEmpty()) {
                blankBefore = true;
                setextItem = null;
                return;
            }
            int indent = 0;
            while (indent < raw.length() && Character.isWhitespace(raw.charAt(indent))) {
                indent++;
            }
            boolean afterBlank = blankBefore;
            blankBefore = false;
            Item setext = setextItem;
            String setextText = setextLine;
            setextItem = null;

            if (isRule(body)) {
                char c = body.charAt(0);
                if (setext != null && (c == '=' || c == '-') && body.indexOf(' ') < 0) {
                    setext.removed = true;
                    headingText(setextText, c == '=' ? 1 : 2);
                }
                close();
                return;
            }
            int level = atxLevel(body);
            if (level > 0) {
                headingText(atxText(body, level), level);
                return;
            }
            if (body.charAt(0) == '<' && html(body, indent)) {
                return;
            }
            int marker = listMarkerEnd(body);
            if (marker >= 0) {
                String text = unescapeStructure(body.substring(marker).strip());
                openItem(text, Kind.LIST, indent);
                return;
            }
            if (open != null && indent > openIndent && !startsWithSeparator(body)
                    && (openKind != Kind.PLAIN || !afterBlank)) {
                continueOpen(body);
                return;
            }
            if (emphasisHeading(body)) {
                return;
            }
            String rest = body;
            String afterTag = afterTag(body);
            if (afterTag != null) {
                if (lineStartHeading(afterTag, indent)) {
                    return;
                }
                if (afterTag.isEmpty() || startsWithSeparator(afterTag)) {
                    rest = afterTag;
                }
            } else if (lineStartHeading(body, indent)) {
                return;
            }
            if (rest.isEmpty()) {
                close();
                return;
            }
            if (startsWithSeparator(rest)) {
                quoteForm(rest, indent, false);
                return;
            }
            if (open != null && openKind != Kind.PLAIN && !afterBlank) {
                continueOpen(body);
                return;
            }
            Section before = section;
            int count = items.size();
            prose(rest, indent);
            if (section == before && items.size() == count + 1 && rest.equals(body)) {
                setextItem = items.get(count);
                setextLine = body;
            }
        }

        /**
         * READMEs often hold their logs as HTML inside markdown: {@code <h3>Day 1</h3>}, {@code <ul>},
         * {@code <li>item</li>}, each on its own line. Those read like their markdown twins;
         * {@code <ul>}, {@code </ul>}, {@code <ol>}, {@code </ol>} and one-line comments are skipped.
         * Returns false for any other line starting with '<', which is then text.
         */
        private boolean html(String body, int indent) {
            if (isTag(body, "<ul>") || isTag(body, "</ul>") || isTag(body, "<ol>") || isTag(body, "</ol>")
                    || (body.startsWith("<!--") && body.endsWith("-->"))) {
                close();
                return true;
            }
            char level = body.length() >= 9 ? body.charAt(2) : 0;
            if (level >= '1' && level <= '6' && startsWithIgnoringCase(body, "<h" + level + ">")
                    && endsWithIgnoringCase(body, "</h" + level + ">")) {
                headingText(body.substring(4, body.length() - 5).strip(), level - '0');
                return true;
            }
            if (startsWithIgnoringCase(body, "<li>")) {
                boolean closed = endsWithIgnoringCase(body, "</li>") && body.length() >= 9;
                openItem(body.substring(4, closed ? body.length() - 5 : body.length()), Kind.LIST, indent);
                openIsHtml = open != null && !closed;
                return true;
            }
            return false;
        }

        private static boolean isTag(String body, String tag) {
            return body.length() == tag.length() && body.equalsIgnoreCase(tag);
        }

        private static boolean startsWithIgnoringCase(String s, String prefix) {
            return s.regionMatches(true, 0, prefix, 0, prefix.length());
        }

        private static boolean endsWithIgnoringCase(String s, String suffix) {
            return s.length() >= suffix.length()
                    && s.regionMatches(true, s.length() - suffix.length(), suffix, 0, suffix.length());
        }

        /** A thematic break (---, ***, ___, - - -) or a setext underline (===). */
        private static boolean isRule(String body) {
            char c = body.charAt(0);
            if (c != '-' && c != '*' && c != '_' && c != '=') {
                return false;
            }
            int count = 0;
            for (int i = 0; i < body.length(); i++) {
                char d = body.charAt(i);
                if (d == c) {
                    count++;
                } else if (d != ' ' && d != '\t') {
                    return false;
                }
            }
            return count >= 3 || (c == '=' && count >= 1);
        }

        private static int atxLevel(String body) {
            int n = 0;
            while (n < body.length() && body.charAt(n) == '#') {
                n++;
            }
            if (n == 0 || n > 6) {
                return 0;
            }
            return n == body.length() || Character.isWhitespace(body.charAt(n)) ? n : 0;
        }

        private static String atxText(String body, int level) {
            String text = body.substring(level).strip();
            int end = text.length();
            while (end > 0 && text.charAt(end - 1) == '#') {
                end--;
            }
            // A closing "##" counts only after a space: "C#" is text.
            if (end < text.length() && (end == 0 || Character.isWhitespace(text.charAt(end - 1)))) {
                text = text.substring(0, end).strip();
            }
            return text;
        }

        /** The text of a markdown heading: a section heading (maybe with items after it), or any other heading. */
        private void headingText(String text, int level) {
            close();
            String t = stripEmphasis(text);
            Found f = phraseAt(t, 0);
            if (f != null) {
                // A markdown heading is a heading whatever follows the phrase ("## Next steps",
                // "## Done today (Monday)"); only after a colon or a > is the rest of it items.
                String after = headingRest(t, f.index);
                setSection(f.section, level);
                if (after != null) {
                    content(after, 0);
                }
                return;
            }
            if (level <= sectionLevel || section == Section.OTHER) {
                setSection(Section.OTHER, level);
            }
        }

        /** "**Finished**" -> "Finished"; "**Finished:**" -> "Finished:". */
        private static String stripEmphasis(String t) {
            int n = 0;
            while (n < t.length() && n < 3 && (t.charAt(n) == '*' || t.charAt(n) == '_')) {
                n++;
            }
            if (n == 0) {
                return t;
            }
            String run = t.substring(0, n);
            int close = t.indexOf(run, n);
            if (close <= n) {
                return t;
            }
            return (t.substring(n, close) + t.substring(close + n)).strip();
        }

        /**
         * After a phrase that starts a line or heading: the rest of the line when the phrase is a heading
         * there (followed by the end, a colon, or a {@code >} item), else null.
         */
        private static String headingRest(String s, int afterPhrase) {
            int i = afterPhrase;
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i == s.length()) {
                return "";
            }
            if (s.charAt(i) == ':') {
                return s.substring(i + 1).strip();
            }
            if (isSeparator(s, i)) {
                return s.substring(i);
            }
            return null;
        }

        /** A whole line in bold or italics that holds a section heading: "**Finished:**", "__Plan__: > x". */
        private boolean emphasisHeading(String body) {
            char c = body.charAt(0);
            if (c != '*' && c != '_') {
                return false;
            }
            int n = 0;
            while (n < body.length() && n < 3 && body.charAt(n) == c) {
                n++;
            }
            int close = body.indexOf(body.substring(0, n), n);
            if (close <= n) {
                return false;
            }
            String inner = body.substring(n, close).strip();
            if (inner.endsWith(":")) {
                inner = inner.substring(0, inner.length() - 1).strip();
            }
            Found f = phraseAt(inner, 0);
            if (f == null || f.index != inner.length()) {
                return false;
            }
            String after = body.substring(close + n).strip();
            if (after.startsWith(":")) {
                after = after.substring(1).strip();
            }
            close();
            setSection(f.section, 6);
            content(after, 0);
            return true;
        }

        /**
         * The text after a leading "[tag]" such as "[ML Grind]", or null when the line has none.
         * "[text](url)", "[ref][id]" and "[id]: url" are markdown links, not tags.
         */
        private static String afterTag(String body) {
            if (body.charAt(0) != '[') {
                return null;
            }
            int close = -1;
            for (int i = 1; i < body.length() && i <= 81; i++) {
                char c = body.charAt(i);
                if (c == ']') {
                    close = i;
                    break;
                }
                if (c == '[' || c == '\n') {
                    return null;
                }
            }
            if (close <= 1) {
                return null;
            }
            if (close + 1 < body.length() && !Character.isWhitespace(body.charAt(close + 1))) {
                return null;
            }
            return body.substring(close + 1).strip();
        }

        /** "Finished: ...", "Plan for today", "Done > a > b" at the start of a line. */
        private boolean lineStartHeading(String s, int indent) {
            if (s.isEmpty()) {
                return false;
            }
            Found f = phraseAt(s, 0);
            if (f == null) {
                return false;
            }
            String after = headingRest(s, f.index);
            if (after == null) {
                return false;
            }
            close();
            setSection(f.section, 6);
            content(after, indent);
            return true;
        }

        /**
         * "- x", "* x", "+ x", "1. x", "1) x", each maybe with a task box "[ ]"/"[x]", or a bare task box
         * "[x] x": the index where the item's text starts, or -1.
         */
        private static int listMarkerEnd(String body) {
            int i;
            char c = body.charAt(0);
            if (c == '-' || c == '*' || c == '+') {
                if (body.length() > 1 && !Character.isWhitespace(body.charAt(1))) {
                    return -1;
                }
                i = 1;
            } else if (c >= '0' && c <= '9') {
                i = 0;
                while (i < body.length() && i < 9 && Character.isDigit(body.charAt(i))) {
                    i++;
                }
                if (i == body.length() || (body.charAt(i) != '.' && body.charAt(i) != ')')) {
                    return -1;
                }
                i++;
                if (i < body.length() && !Character.isWhitespace(body.charAt(i))) {
                    return -1;
                }
            } else if (taskBoxEnd(body, 0) > 0) {
                return taskBoxEnd(body, 0);
            } else {
                return -1;
            }
            while (i < body.length() && Character.isWhitespace(body.charAt(i))) {
                i++;
            }
            int box = taskBoxEnd(body, i);
            return box > 0 ? box : i;
        }

        /** Text after a heading or tag, or a plain line: {@code >} items, or prose with maybe an inline heading. */
        private void content(String s, int indent) {
            if (s.isEmpty()) {
                return;
            }
            if (startsWithSeparator(s)) {
                quoteForm(s, indent, false);
            } else {
                prose(s, indent);
            }
        }

        /**
         * A line of prose is one item, unless a heading followed by {@code >} items stands inside it
         * ("Finished: read a book Plan: > b"), where the prose ends and the {@code >} form begins.
         */
        private void prose(String s, int indent) {
            for (int p = s.indexOf('>'); p >= 0; p = s.indexOf('>', p + 1)) {
                if (!isSeparator(s, p)) {
                    continue;
                }
                Cut cut = cutHeadings(s, p);
                if (cut != null) {
                    openItem(s.substring(0, cut.textEnd), Kind.PLAIN, indent);
                    close();
                    setSection(cut.section, 6);
                    quoteForm(s.substring(p), indent, false);
                    return;
                }
            }
            // Headings and nothing else ("Working on: Plan for today:") open their sections; prose that
            // merely ends with one ("We agreed on a plan:") is an item.
            Cut cut = cutHeadings(s, s.length());
            if (cut != null && s.substring(0, cut.textEnd).isBlank()) {
                close();
                setSection(cut.section, 6);
                return;
            }
            openItem(s, Kind.PLAIN, indent);
        }

        /**
         * The {@code >} form: each lone {@code >} starts an item; an item that ends with "Heading:" ends
         * there and the heading opens its section. With {@code continuing}, the text before the first
         * {@code >} extends the open item.
         */
        private void quoteForm(String s, int indent, boolean continuing) {
            int start = 0;
            boolean first = true;
            for (int i = 0; i <= s.length(); i++) {
                if (i < s.length() && !isSeparator(s, i)) {
                    continue;
                }
                String piece = s.substring(start, i).strip();
                if (first && continuing) {
                    if (open != null && !piece.isEmpty()) {
                        open.text.append(' ').append(piece);
                        cutHeadingAtEnd(open);
                    }
                } else if (!first || !piece.isEmpty()) {
                    Cut cut = cutHeadings(piece, piece.length());
                    openItem(cut == null ? piece : piece.substring(0, cut.textEnd), Kind.QUOTE, indent);
                    if (cut != null) {
                        close();
                        setSection(cut.section, 6);
                    }
                }
                first = false;
                start = i + 1;
            }
        }

        /** A continuation line: appended to the open item with one space. */
        private void continueOpen(String body) {
            if (openKind == Kind.QUOTE) {
                quoteForm(body, openIndent, true);
            } else if (openIsHtml && endsWithIgnoringCase(body, "</li>")) {
                open.text.append(' ').append(body, 0, body.length() - 5);
                close();
            } else {
                open.text.append(' ').append(body);
            }
        }

        /** When a continued {@code >} item now ends with "Heading:", the heading leaves the item. */
        private void cutHeadingAtEnd(Item item) {
            Cut cut = cutHeadings(item.text, item.text.length());
            if (cut == null) {
                return;
            }
            item.text.setLength(cut.textEnd);
            while (item.text.length() > 0 && Character.isWhitespace(item.text.charAt(item.text.length() - 1))) {
                item.text.setLength(item.text.length() - 1);
            }
            if (item.text.length() == 0) {
                item.removed = true;
            }
            close();
            setSection(cut.section, 6);
        }

        private void openItem(String text, Kind kind, int indent) {
            String t = text.strip();
            if (t.isEmpty()) {
                close();
                return;
            }
            Item item = new Item(section, t);
            items.add(item);
            openIsHtml = false;
            open = item;
            openKind = kind;
            openIndent = indent;
        }

        private void close() {
            open = null;
            openKind = null;
            openIsHtml = false;
        }

        private void setSection(Section s, int level) {
            section = s;
            sectionLevel = level;
        }
    }
}
