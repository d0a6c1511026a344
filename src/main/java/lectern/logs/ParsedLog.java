package lectern.logs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One day's log as four ordered lists of item texts.
 *
 * <p>Items are kept in their canonical form: stripped, with any line break (and the
 * whitespace around it) turned into one space, and empty items dropped. An item is
 * one line of text, which is what lets {@link LogMarkdown} and {@link LogParser}
 * round-trip every log exactly.
 */
public record ParsedLog(List<String> finished, List<String> workingOn, List<String> plan, List<String> other) {

    public static final ParsedLog EMPTY = new ParsedLog(List.of(), List.of(), List.of(), List.of());

    public ParsedLog {
        finished = canonical(finished);
        workingOn = canonical(workingOn);
        plan = canonical(plan);
        other = canonical(other);
    }

    public List<String> items(Section section) {
        return switch (section) {
            case FINISHED -> finished;
            case WORKING_ON -> workingOn;
            case PLAN -> plan;
            case OTHER -> other;
        };
    }

    public boolean isEmpty() {
        return finished.isEmpty() && workingOn.isEmpty() && plan.isEmpty() && other.isEmpty();
    }

    public int size() {
        return finished.size() + workingOn.size() + plan.size() + other.size();
    }

    /** The canonical form of one item's text, or "" when nothing is left of it. */
    public static String canonicalItem(String text) {
        if (text == null) {
            return "";
        }
        String s = text.strip();
        if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                while (out.length() > 0 && Character.isWhitespace(out.charAt(out.length() - 1))) {
                    out.setLength(out.length() - 1);
                }
                while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static List<String> canonical(List<String> items) {
        if (items == null || items.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(items.size());
        for (String item : items) {
            String s = canonicalItem(item);
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return Collections.unmodifiableList(out);
    }
}
