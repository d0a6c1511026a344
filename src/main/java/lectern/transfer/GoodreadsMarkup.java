package lectern.transfer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Goodreads stores reviews as HTML-ish text: {@code <br/>} for line breaks, {@code <i>}, {@code <b>},
 * {@code <spoiler>}, and links to books and authors as {@code [b:Title|id|Full title|Author|cover|work]} or
 * {@code [a:Name|id|Name|photo]}. Lectern keeps plain text, so a review reads well anywhere; on export the
 * line breaks go back to {@code <br/>}.
 */
public final class GoodreadsMarkup {

    private static final Pattern LINE_BREAK = Pattern.compile("<br\\s*/?>", Pattern.CASE_INSENSITIVE);
    private static final Pattern LINK = Pattern.compile("\\[[ab]:([^|\\]]*)\\|[^\\]]*\\]");
    private static final Pattern TAG = Pattern.compile("</?(?:i|b|em|strong|u|s|spoiler|blockquote|p|a)(?:\\s[^>]*)?>",
            Pattern.CASE_INSENSITIVE);

    private GoodreadsMarkup() {
    }

    /** A Goodreads review or note as plain text with real line breaks. */
    public static String toText(String goodreads) {
        if (goodreads == null) {
            return null;
        }
        String text = LINE_BREAK.matcher(goodreads).replaceAll("\n");
        text = LINK.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        text = TAG.matcher(text).replaceAll("");
        text = text.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        text = text.strip();
        return text.isEmpty() ? null : text;
    }

    /** Plain text back into Goodreads' form: line breaks as {@code <br/>}, as Goodreads' own exports have them. */
    public static String fromText(String text) {
        if (text == null) {
            return null;
        }
        return text.replace("\r\n", "\n").replace("\n", "<br/>");
    }
}
