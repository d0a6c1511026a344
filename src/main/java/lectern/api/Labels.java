package lectern.api;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one rule for a label on a log item or a note, whoever gives it: one word of 1 to {@value #MAX_LENGTH}
 * lower-case letters, digits, '-' or '_'. The logs and notes rooms check a user's label here, and the classifier's
 * labels are cut to fit here.
 */
public final class Labels {

    public static final int MAX_LENGTH = 40;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9][a-z0-9_-]{0," + (MAX_LENGTH - 1) + "}");

    private Labels() {
    }

    /**
     * A user's label as stored: stripped and lower-cased; null for a blank one (no label).
     *
     * @throws ProblemException 400 on field {@code label} when it breaks the rule
     */
    public static String userLabel(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String label = raw.strip().toLowerCase(Locale.ROOT);
        if (!LABEL.matcher(label).matches()) {
            throw ProblemException.badField("label", "must be one word of 1 to " + MAX_LENGTH
                    + " letters a-z, digits, '-' or '_' (e.g. paper); an empty label removes yours");
        }
        return label;
    }

    /** A classifier's label made to fit the column. */
    public static String fromClassifier(String label) {
        return label.length() > MAX_LENGTH ? label.substring(0, MAX_LENGTH) : label;
    }
}
