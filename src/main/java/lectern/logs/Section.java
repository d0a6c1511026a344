package lectern.logs;

/** The four parts of a daily log, in the order a log is written and rendered. */
public enum Section {
    FINISHED("finished", "Finished"),
    WORKING_ON("workingOn", "Have been working on"),
    PLAN("plan", "Plan for today"),
    OTHER("other", "Other");

    /** The field name in the JSON API ({@code finished}, {@code workingOn}, ...). */
    public final String field;
    /** The heading {@link LogMarkdown} writes; {@link LogParser} reads it back to the same section. */
    public final String heading;

    Section(String field, String heading) {
        this.field = field;
        this.heading = heading;
    }

    public static Section ofField(String field) {
        for (Section s : values()) {
            if (s.field.equals(field)) {
                return s;
            }
        }
        return null;
    }
}
