package lectern.papers;

import lectern.api.Problem.FieldError;
import lectern.api.ProblemException;
import lectern.api.Tags;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Checks and normalizes the fields of a paper sent by a client, collecting every problem so that one
 * answer names all the fields at fault. Bean Validation on the request records covers sizes and blanks;
 * this covers what needs parsing (arXiv ids, DOIs, URLs) and ranges that move with the calendar.
 */
final class PaperFields {

    static final int MIN_YEAR = 1000;

    private final List<FieldError> errors = new ArrayList<>();
    /** Years up to next year are plausible (a preprint dated ahead). */
    private final Clock clock;

    PaperFields(Clock clock) {
        this.clock = clock;
    }

    ArxivId arxivId(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return ArxivId.parse(value);
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.field("arxivId", e.getMessage()));
            return null;
        }
    }

    Doi doi(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Doi.parse(value);
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.field("doi", e.getMessage()));
            return null;
        }
    }

    Integer year(Integer year) {
        int latest = LocalDate.now(clock).getYear() + 1;
        if (year != null && (year < MIN_YEAR || year > latest)) {
            errors.add(FieldError.field("year", "must be between " + MIN_YEAR + " and " + latest));
        }
        return year;
    }

    String url(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String url = value.strip();
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        errors.add(FieldError.field("url", "must be an http(s) URL such as https://arxiv.org/abs/1706.03762"));
        return null;
    }

    /** Trimmed, without blanks (refused by Bean Validation already) and without repeats. */
    static List<String> authors(List<String> authors) {
        if (authors == null) {
            return new ArrayList<>();
        }
        return authors.stream().filter(a -> a != null && !a.isBlank()).map(String::strip).distinct()
                .collect(Collectors.toCollection(ArrayList::new));
    }

    /** Trimmed; tags differing only in case are one tag (the first spelling wins): {@link Tags#distinct}. */
    static List<String> tags(List<String> tags) {
        return Tags.distinct(tags);
    }

    void add(String field, String message) {
        errors.add(FieldError.field(field, message));
    }

    /** Throws a 400 naming every field at fault, if any. */
    void throwIfAny() {
        ProblemException.refuseIfAny(errors);
    }
}
