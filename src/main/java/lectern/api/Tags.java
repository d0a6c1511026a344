package lectern.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The one tag rule for books and papers: trimmed, blanks dropped, and tags that differ only in case are one tag. */
public final class Tags {

    private Tags() {
    }

    /** The tags as stored: trimmed, in the order given, the first spelling of each kept (case compared in Locale.ROOT). */
    public static List<String> distinct(List<String> tags) {
        Map<String, String> unique = new LinkedHashMap<>();
        if (tags != null) {
            for (String tag : tags) {
                if (tag != null && !tag.isBlank()) {
                    unique.putIfAbsent(tag.strip().toLowerCase(Locale.ROOT), tag.strip());
                }
            }
        }
        return new ArrayList<>(unique.values());
    }
}
