package lectern.logs;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A digest of the daily logs from {@code from} to {@code to} ("this week"): for finished, worked on and planned, the
 * items grouped by label (the user's, else the classifier's; "unlabelled" for neither) with how many items and on how
 * many days; the days that have a log; and a headline written by the model (null without one, or when it failed).
 */
public record LogDigest(LocalDate from, LocalDate to, int daysLogged, int items, Map<String, SectionDigest> sections,
                        Map<String, LabelCount> labels, String headline) {

    /** Items with a label, and on how many distinct days. */
    public record LabelCount(int items, int days) {
    }

    /** One section: item count, per label, and its items' texts (oldest first, at most {@link #SHOWN}). */
    public record SectionDigest(int items, Map<String, LabelCount> labels, List<String> examples) {
    }

    static final int SHOWN = 5;
    public static final String UNLABELLED = "unlabelled";
    /** Sections in the digest, as the API names them ("other" items count in the totals and labels). */
    static final List<Section> SECTIONS = List.of(Section.FINISHED, Section.WORKING_ON, Section.PLAN);

    /** Builds the digest of logs (oldest first); {@code headline} may be null. */
    static LogDigest of(LocalDate from, LocalDate to, List<LogView> logs, String headline) {
        Map<String, SectionDigest> sections = new LinkedHashMap<>();
        Map<String, Set<LocalDate>> allDays = new TreeMap<>();
        Map<String, Integer> allItems = new TreeMap<>();
        int items = 0;
        for (Section section : Section.values()) {
            Map<String, Set<LocalDate>> days = new TreeMap<>();
            Map<String, Integer> counts = new TreeMap<>();
            List<String> examples = new ArrayList<>();
            int n = 0;
            for (LogView log : logs) {
                for (LogView.Item item : log.items(section)) {
                    String label = item.label() != null ? item.label() : UNLABELLED;
                    counts.merge(label, 1, Integer::sum);
                    days.computeIfAbsent(label, k -> new HashSet<>()).add(log.date());
                    allItems.merge(label, 1, Integer::sum);
                    allDays.computeIfAbsent(label, k -> new HashSet<>()).add(log.date());
                    if (examples.size() < SHOWN) {
                        examples.add(item.text());
                    }
                    n++;
                }
            }
            items += n;
            if (SECTIONS.contains(section)) {
                sections.put(section.field, new SectionDigest(n, labelCounts(counts, days), List.copyOf(examples)));
            }
        }
        return new LogDigest(from, to, logs.size(), items, sections, labelCounts(allItems, allDays), headline);
    }

    private static Map<String, LabelCount> labelCounts(Map<String, Integer> counts, Map<String, Set<LocalDate>> days) {
        Map<String, LabelCount> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey()) : b.getValue() - a.getValue())
                .forEach(e -> out.put(e.getKey(), new LabelCount(e.getValue(), days.get(e.getKey()).size())));
        return out;
    }

    /** The text the headline is written from: the finished items, then the worked-on, then the planned ones. */
    static String headlineInput(List<LogView> logs) {
        List<String> lines = new ArrayList<>();
        for (Section section : SECTIONS) {
            for (LogView log : logs) {
                log.items(section).forEach(i -> lines.add(i.text()));
            }
        }
        return String.join("\n", lines);
    }
}
