package lectern.logs;

import lectern.api.LabelConfidence;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** A day's log as the API answers it: each section's items with their ids and labels. */
public record LogView(LocalDate date, long version, List<Item> finished, List<Item> workingOn, List<Item> plan,
                      List<Item> other) {

    /**
     * One item. {@code label} and {@code confidence} are absent until the classifier (or the user)
     * labels it; {@code userLabel} is true when the user set the label (as for notes).
     */
    /** {@code unsure}: the classifier's label is more likely wrong than right (lectern.api.LabelConfidence). */
    public record Item(long id, String text, String label, Double confidence, boolean userLabel, boolean unsure) {

        static Item of(LogItem item) {
            return new Item(item.id, item.text, item.label, item.confidence, item.userLabel,
                    LabelConfidence.unsure(item.label, item.confidence, item.userLabel));
        }
    }

    /** The log's rows, in any order, as a view: items grouped by section, in position order. */
    static LogView of(DailyLog log, List<LogItem> items) {
        List<List<Item>> sections = new ArrayList<>();
        for (int i = 0; i < Section.values().length; i++) {
            sections.add(new ArrayList<>());
        }
        items.stream()
                .sorted((a, b) -> a.position != b.position ? Integer.compare(a.position, b.position)
                        : Long.compare(a.id, b.id))
                .forEach(item -> sections.get(Section.ofField(item.section).ordinal()).add(Item.of(item)));
        return new LogView(log.date, log.version, List.copyOf(sections.get(0)), List.copyOf(sections.get(1)),
                List.copyOf(sections.get(2)), List.copyOf(sections.get(3)));
    }

    public List<Item> items(Section section) {
        return switch (section) {
            case FINISHED -> finished;
            case WORKING_ON -> workingOn;
            case PLAN -> plan;
            case OTHER -> other;
        };
    }

    /** The texts alone, e.g. to render markdown. */
    public ParsedLog parsed() {
        return new ParsedLog(texts(finished), texts(workingOn), texts(plan), texts(other));
    }

    private static List<String> texts(List<Item> items) {
        return items.stream().map(Item::text).toList();
    }
}
