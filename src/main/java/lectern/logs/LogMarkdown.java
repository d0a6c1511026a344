package lectern.logs;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A day's log as markdown: {@code # 2026-11-29}, then {@code ## Finished}, {@code ## Have been working on},
 * {@code ## Plan for today} and {@code ## Other} with one {@code - item} per line; empty sections are left out.
 * {@link LogParser#parse} reads this back to the same log.
 */
public final class LogMarkdown {

    private LogMarkdown() {
    }

    public static String render(LocalDate date, ParsedLog log) {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(log, "log");
        StringBuilder out = new StringBuilder();
        out.append("# ").append(date).append('\n');
        for (Section section : Section.values()) {
            List<String> items = log.items(section);
            if (items.isEmpty()) {
                continue;
            }
            out.append("\n## ").append(section.heading).append('\n');
            for (String item : items) {
                out.append("- ").append(escape(item)).append('\n');
            }
        }
        return out.toString();
    }

    /** An item that would read back as structure ("[x] done", "---") gets a backslash to stay text. */
    private static String escape(String item) {
        return LogParser.escapesBeforeStructure(item) >= 0 ? "\\" + item : item;
    }
}
