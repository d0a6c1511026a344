package lectern.papers;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DOI such as {@code 10.1145/3292500.3330701}, without any {@code doi:} or {@code https://doi.org/} prefix.
 * DOIs are case-insensitive: {@link #key()} is the form to compare and index; {@link #value()} keeps the
 * spelling the user gave.
 */
public record Doi(String value) {

    public static final int MAX_LENGTH = 300;

    public static final String ACCEPTED_FORMS = "use a DOI such as 10.1145/3292500.3330701, doi:10.1145/3292500.3330701 "
            + "or https://doi.org/10.1145/3292500.3330701";

    private static final Pattern PREFIX = Pattern.compile(
            "^(?:doi:\\s*|(?:https?://)?(?:dx\\.|www\\.)?doi\\.org/)", Pattern.CASE_INSENSITIVE);
    /** Directory indicator {@code 10.} plus a registrant code of digits (dotted sub-codes allowed), a slash, a suffix. */
    private static final Pattern SHAPE = Pattern.compile("10\\.\\d{4,9}(?:\\.\\d+)*/\\S+");
    private static final Pattern ARXIV = Pattern.compile("10\\.48550/arxiv\\.(.+)", Pattern.CASE_INSENSITIVE);

    public Doi {
        if (value == null || value.length() > MAX_LENGTH || !SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a DOI; " + ACCEPTED_FORMS);
        }
    }

    /**
     * @throws IllegalArgumentException saying what is wrong and which forms are accepted
     */
    public static Doi parse(String input) {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("is empty; " + ACCEPTED_FORMS);
        }
        String text = input.strip();
        Matcher prefix = PREFIX.matcher(text);
        boolean url = false;
        if (prefix.find()) {
            url = prefix.group().toLowerCase(Locale.ROOT).contains("doi.org/");
            text = text.substring(prefix.end());
        }
        if (url) {
            // A DOI inside a URL may be percent-encoded (10.1000%2F182) and carry a query or fragment.
            int cut = indexOfAny(text, '?', '#');
            if (cut >= 0) {
                text = text.substring(0, cut);
            }
            try {
                text = URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + input.strip() + "' has broken percent-encoding; " + ACCEPTED_FORMS);
            }
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("is longer than " + MAX_LENGTH + " characters");
        }
        if (!SHAPE.matcher(text).matches()) {
            String shown = input.strip().length() <= 80 ? input.strip() : input.strip().substring(0, 77) + "...";
            throw new IllegalArgumentException("'" + shown + "' is not a DOI (10.<registrant>/<suffix>); " + ACCEPTED_FORMS);
        }
        return new Doi(text);
    }

    /** The form to compare DOIs by. */
    public String key() {
        return value.toLowerCase(Locale.ROOT);
    }

    /** The arXiv id when this is an arXiv-issued DOI (10.48550/arXiv.&lt;id&gt;). */
    public Optional<ArxivId> arxivId() {
        Matcher m = ARXIV.matcher(value);
        return m.matches() ? ArxivId.tryParse(m.group(1)) : Optional.empty();
    }

    public String url() {
        return "https://doi.org/" + value;
    }

    @Override
    public String toString() {
        return value;
    }

    private static int indexOfAny(String text, char a, char b) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == a || text.charAt(i) == b) {
                return i;
            }
        }
        return -1;
    }
}
