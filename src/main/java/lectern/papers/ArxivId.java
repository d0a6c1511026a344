package lectern.papers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An arXiv identifier, normalized: {@code id} never carries the version ({@code 1706.03762},
 * {@code hep-th/9901001}); {@code version} is kept apart (null when the input named none).
 * <p>
 * New-style ids are {@code YYMM.NNNN} (April 2007 to December 2014) or {@code YYMM.NNNNN} (from 2015).
 * Old-style ids are {@code archive[.SubjectClass]/YYMMNNN} (1991 to March 2007); the subject class is
 * not part of the identifier (arXiv itself redirects {@code math.GT/0309136} to {@code math/0309136}),
 * so it is dropped: both spellings are the same paper.
 */
public record ArxivId(String id, Integer version) {

    public static final String ACCEPTED_FORMS = "use an arXiv id such as 2507.23267, 2507.23267v2, arXiv:1706.03762, "
            + "hep-th/9901001, a link such as https://arxiv.org/abs/1706.03762v7 or the DOI 10.48550/arXiv.1706.03762";

    /** Archives of the old scheme (https://info.arxiv.org/help/arxiv_identifier.html and the retired ones). */
    static final Set<String> OLD_ARCHIVES = Set.of(
            "acc-phys", "adap-org", "alg-geom", "ao-sci", "astro-ph", "atom-ph", "bayes-an", "chao-dyn", "chem-ph",
            "cmp-lg", "comp-gas", "cond-mat", "cs", "dg-ga", "funct-an", "gr-qc", "hep-ex", "hep-lat", "hep-ph",
            "hep-th", "math", "math-ph", "mtrl-th", "nlin", "nucl-ex", "nucl-th", "patt-sol", "physics", "plasm-ph",
            "q-alg", "q-bio", "q-fin", "quant-ph", "solv-int", "stat", "supr-con");

    // The bare identifier, versioned or not. Group 1: new-style number, 2: old-style archive, 3: old-style number, 4: version.
    private static final String NEW_STYLE = "(\\d{4}\\.\\d{4,5})";
    private static final String OLD_STYLE = "([a-zA-Z]+(?:-[a-zA-Z]+)?)(?:\\.[a-zA-Z]{1,8}(?:-[a-zA-Z]{1,8})?)?/(\\d{7})";
    private static final String ID = "(?:" + NEW_STYLE + "|" + OLD_STYLE + ")(?:v(\\d{1,4}))?";

    private static final String LINK_PREFIX = "(?:https?://)?(?:www\\.|export\\.)?arxiv\\.org/(?:abs|pdf|html|ps|format)/";
    private static final String DOI_PREFIX = "(?:(?:https?://)?(?:dx\\.)?doi\\.org/|doi:\\s*)?10\\.48550/arxiv\\.";

    private static final Pattern BARE = Pattern.compile(ID, Pattern.CASE_INSENSITIVE);
    private static final Pattern LINK = Pattern.compile(LINK_PREFIX, Pattern.CASE_INSENSITIVE);
    private static final Pattern PREFIX = Pattern.compile("arxiv:\\s*|" + DOI_PREFIX, Pattern.CASE_INSENSITIVE);
    /** What may follow the id in a link: {@code .pdf}, a slash, a query or a fragment. */
    private static final Pattern LINK_TAIL = Pattern.compile("(?:\\.pdf)?/?(?:[?#].*)?$", Pattern.CASE_INSENSITIVE);

    /**
     * Ids inside free text. Old-style ids count only after {@code arXiv:}, in links or in the DOI form; a bare
     * {@code a/1234567} is too often something else. Bare new-style ids must stand alone as a word
     * (not part of a longer number, a dotted version like 1.2345.6789 or a path like 1234.5678/x).
     */
    private static final Pattern IN_TEXT = Pattern.compile(
            "(?:arxiv:\\s*|" + LINK_PREFIX + "|" + DOI_PREFIX + ")" + ID + "(?!\\w)"
                    + "|(?<![\\w.])" + NEW_STYLE + "(?:v(\\d{1,4}))?(?![\\w/]|\\.\\d)",
            Pattern.CASE_INSENSITIVE);

    public ArxivId {
        if (id == null || !isValidId(id)) {
            throw new IllegalArgumentException("'" + id + "' is not an arXiv id; " + ACCEPTED_FORMS);
        }
        if (version != null && version < 1) {
            throw new IllegalArgumentException("arXiv versions start at v1");
        }
    }

    /**
     * Parses any accepted form (see {@link #ACCEPTED_FORMS}).
     *
     * @throws IllegalArgumentException saying what is wrong and which forms are accepted
     */
    public static ArxivId parse(String input) {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("is empty; " + ACCEPTED_FORMS);
        }
        String text = input.strip();
        String rest = text;
        Matcher prefix = LINK.matcher(rest);
        boolean link = prefix.lookingAt();
        if (link) {
            rest = rest.substring(prefix.end());
            Matcher tail = LINK_TAIL.matcher(rest);
            if (tail.find()) {
                rest = rest.substring(0, tail.start());
            }
        } else if ((prefix = PREFIX.matcher(rest)).lookingAt()) {
            rest = rest.substring(prefix.end());
        }
        Matcher m = BARE.matcher(rest);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + shorten(text) + "' is not an arXiv id or link; " + ACCEPTED_FORMS);
        }
        String problem = whyImpossible(m.group(1), m.group(2), m.group(3), m.group(4));
        if (problem != null) {
            throw new IllegalArgumentException("'" + shorten(text) + "' is not a possible arXiv id: " + problem + "; "
                    + ACCEPTED_FORMS);
        }
        return fromGroups(m.group(1), m.group(2), m.group(3), m.group(4)).orElseThrow();
    }

    public static Optional<ArxivId> tryParse(String input) {
        try {
            return Optional.of(parse(input));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Every arXiv id and arxiv.org link in free text, in order of first appearance, each id once (the
     * first version seen wins).
     */
    public static List<ArxivId> findAll(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        Map<String, ArxivId> found = new LinkedHashMap<>();
        Matcher m = IN_TEXT.matcher(text);
        while (m.find()) {
            inText(m).ifPresent(a -> found.putIfAbsent(a.id(), a));
        }
        return new ArrayList<>(found.values());
    }

    /**
     * The text with each arXiv id or link that {@link #findAll} finds in it replaced by {@code replacement} of the id
     * and the words that named it; where that gives null, the words stay.
     */
    public static String replaceAll(String text, java.util.function.BiFunction<ArxivId, String, String> replacement) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return IN_TEXT.matcher(text).replaceAll(m -> {
            String named = m.group();
            String replaced = inText(m).map(id -> replacement.apply(id, named)).orElse(null);
            return Matcher.quoteReplacement(replaced == null ? named : replaced);
        });
    }

    private static Optional<ArxivId> inText(java.util.regex.MatchResult m) {
        return m.group(1) != null || m.group(2) != null
                ? fromGroups(m.group(1), m.group(2), m.group(3), m.group(4))
                : fromGroups(m.group(5), null, null, m.group(6));
    }

    /** The id with its version when one is known: {@code 1706.03762v7}. */
    public String withVersion() {
        return version == null ? id : id + "v" + version;
    }

    public String absUrl() {
        return "https://arxiv.org/abs/" + withVersion();
    }

    @Override
    public String toString() {
        return withVersion();
    }

    private static Optional<ArxivId> fromGroups(String newStyle, String archive, String oldNumber, String version) {
        if (whyImpossible(newStyle, archive, oldNumber, version) != null) {
            return Optional.empty();
        }
        String id = newStyle != null ? newStyle : archive.toLowerCase(Locale.ROOT) + "/" + oldNumber;
        return Optional.of(new ArxivId(id, version == null ? null : Integer.valueOf(version)));
    }

    /** Null when the parts make a real identifier; otherwise what is wrong with them. */
    private static String whyImpossible(String newStyle, String archive, String oldNumber, String version) {
        if (version != null && Integer.parseInt(version) < 1) {
            return "versions start at v1";
        }
        if (newStyle != null) {
            return newStyleProblem(newStyle);
        }
        if (!OLD_ARCHIVES.contains(archive.toLowerCase(Locale.ROOT))) {
            return "'" + archive + "' is not an arXiv archive (e.g. hep-th, math, cs, astro-ph)";
        }
        return oldStyleProblem(oldNumber);
    }

    private static String newStyleProblem(String id) {
        int yy = Integer.parseInt(id.substring(0, 2));
        int mm = Integer.parseInt(id.substring(2, 4));
        String number = id.substring(5);
        if (mm < 1 || mm > 12) {
            return "the month " + id.substring(2, 4) + " must be 01 to 12";
        }
        int yymm = yy * 100 + mm;
        if (yymm < 704) {
            return "new-style ids start in April 2007 (0704); older papers have ids like hep-th/9901001";
        }
        if (yy < 15 && number.length() != 4) {
            return "ids from before 2015 have 4 digits after the dot (YYMM.NNNN)";
        }
        if (yy >= 15 && number.length() != 5) {
            return "ids from 2015 on have 5 digits after the dot (YYMM.NNNNN)";
        }
        if (Integer.parseInt(number) == 0) {
            return "the number after the dot starts at 1";
        }
        return null;
    }

    private static String oldStyleProblem(String number) {
        int yy = Integer.parseInt(number.substring(0, 2));
        int mm = Integer.parseInt(number.substring(2, 4));
        if (mm < 1 || mm > 12) {
            return "the month " + number.substring(2, 4) + " must be 01 to 12";
        }
        // The old scheme ran from August 1991 to March 2007.
        boolean inRange = (yy >= 91 && (yy > 91 || mm >= 8)) || yy < 7 || (yy == 7 && mm <= 3);
        if (!inRange) {
            return "old-style ids run from 9108 (August 1991) to 0703 (March 2007)";
        }
        if (Integer.parseInt(number.substring(4)) == 0) {
            return "the number after YYMM starts at 001";
        }
        return null;
    }

    private static boolean isValidId(String id) {
        int slash = id.indexOf('/');
        if (slash < 0) {
            return id.matches("\\d{4}\\.\\d{4,5}") && newStyleProblem(id) == null;
        }
        String archive = id.substring(0, slash);
        String number = id.substring(slash + 1);
        return OLD_ARCHIVES.contains(archive) && number.matches("\\d{7}") && oldStyleProblem(number) == null;
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
