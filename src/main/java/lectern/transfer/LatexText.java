package lectern.transfer;

import java.text.Normalizer;
import java.util.Map;
import java.util.Set;

/**
 * LaTeX as it appears in BibTeX titles and names, decoded to plain Unicode text: accents ({@code {\'e}},
 * {@code \"{o}}, {@code \v{S}}, {@code \c{c}}, {@code {\"\i}}), letters ({@code \o}, {@code \L}, {@code \ss}),
 * escapes ({@code \&}, {@code \%}), font commands ({@code \emph{..}}), math dollars, Greek letters, and
 * the braces that protect capitals. jbibtex's own LaTeXPrinter was tried first: it drops {@code \"\i},
 * {@code \L} and the cedilla, curls plain apostrophes, and cannot parse {@code ^} or {@code $}, which real
 * .bib files have in titles; so the decoding is done here, and jbibtex does the BibTeX itself.
 */
public final class LatexText {

    /** Accent command -> combining character. */
    private static final Map<String, Character> ACCENTS = Map.ofEntries(
            Map.entry("'", '\u0301'), Map.entry("`", '\u0300'), Map.entry("^", '\u0302'), Map.entry("\"", '\u0308'),
            Map.entry("~", '\u0303'), Map.entry("=", '\u0304'), Map.entry(".", '\u0307'), Map.entry("u", '\u0306'),
            Map.entry("v", '\u030C'), Map.entry("H", '\u030B'), Map.entry("c", '\u0327'), Map.entry("k", '\u0328'),
            Map.entry("r", '\u030A'), Map.entry("d", '\u0323'), Map.entry("b", '\u0331'));

    private static final Map<String, String> SYMBOLS = Map.ofEntries(
            Map.entry("i", "ı"), Map.entry("j", "ȷ"), Map.entry("o", "ø"), Map.entry("O", "Ø"), Map.entry("l", "ł"),
            Map.entry("L", "Ł"), Map.entry("aa", "å"), Map.entry("AA", "Å"), Map.entry("ae", "æ"), Map.entry("AE", "Æ"),
            Map.entry("oe", "œ"), Map.entry("OE", "Œ"), Map.entry("ss", "ß"), Map.entry("dh", "ð"), Map.entry("DH", "Ð"),
            Map.entry("th", "þ"), Map.entry("TH", "Þ"), Map.entry("textendash", "–"), Map.entry("textemdash", "—"),
            Map.entry("ldots", "…"), Map.entry("dots", "…"), Map.entry("textquoteright", "’"), Map.entry("LaTeX", "LaTeX"),
            Map.entry("TeX", "TeX"), Map.entry("times", "×"), Map.entry("infty", "∞"), Map.entry("cdot", "·"),
            Map.entry("pm", "±"), Map.entry("leq", "≤"), Map.entry("geq", "≥"), Map.entry("le", "≤"), Map.entry("ge", "≥"),
            Map.entry("to", "→"), Map.entry("rightarrow", "→"), Map.entry("ell", "ℓ"), Map.entry("S", "§"),
            Map.entry("copyright", "©"), Map.entry("textbackslash", "\\"),
            Map.entry("textasciitilde", "~"), Map.entry("textasciicircum", "^"), Map.entry("euro", "€"), Map.entry("pounds", "£"),
            Map.entry("alpha", "α"), Map.entry("beta", "β"), Map.entry("gamma", "γ"), Map.entry("delta", "δ"),
            Map.entry("epsilon", "ε"), Map.entry("varepsilon", "ε"), Map.entry("zeta", "ζ"), Map.entry("eta", "η"),
            Map.entry("theta", "θ"), Map.entry("iota", "ι"), Map.entry("kappa", "κ"), Map.entry("lambda", "λ"),
            Map.entry("mu", "μ"), Map.entry("nu", "ν"), Map.entry("xi", "ξ"), Map.entry("pi", "π"), Map.entry("rho", "ρ"),
            Map.entry("sigma", "σ"), Map.entry("tau", "τ"), Map.entry("phi", "φ"), Map.entry("varphi", "φ"),
            Map.entry("chi", "χ"), Map.entry("psi", "ψ"), Map.entry("omega", "ω"), Map.entry("Gamma", "Γ"),
            Map.entry("Delta", "Δ"), Map.entry("Theta", "Θ"), Map.entry("Lambda", "Λ"), Map.entry("Pi", "Π"),
            Map.entry("Sigma", "Σ"), Map.entry("Phi", "Φ"), Map.entry("Psi", "Ψ"), Map.entry("Omega", "Ω"));

    /** Characters that a backslash makes literal. */
    private static final Set<Character> ESCAPED = Set.of('&', '%', '$', '#', '_', '{', '}', '@');

    private final String text;
    private int pos;

    private LatexText(String text) {
        this.text = text;
    }

    public static String decode(String latex) {
        if (latex == null) {
            return null;
        }
        String decoded = new LatexText(latex).until(-1);
        decoded = decoded.replace("---", "—").replace("--", "–").replace("``", "“").replace("''", "”");
        decoded = Normalizer.normalize(decoded, Normalizer.Form.NFC);
        return decoded.replaceAll("\\s+", " ").strip();
    }

    /** Decodes until the closing brace of the current group (depth >= 0) or the end (depth -1). */
    private String until(int depth) {
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '}') {
                pos++;
                if (depth >= 0) {
                    return out.toString();
                }
                continue; // an unbalanced brace: drop it
            }
            if (c == '{') {
                pos++;
                out.append(until(depth + 1));
            } else if (c == '$') {
                pos++;
            } else if (c == '~') {
                pos++;
                out.append(' ');
            } else if (c == '\\') {
                out.append(command());
            } else {
                out.append(c);
                pos++;
            }
        }
        return out.toString();
    }

    private String command() {
        pos++; // the backslash
        if (pos >= text.length()) {
            return "";
        }
        char c = text.charAt(pos);
        if (ESCAPED.contains(c)) {
            pos++;
            return String.valueOf(c);
        }
        if (c == '\\' || c == ' ' || c == ',' || c == ';' || c == '!' || c == '/') {
            pos++;
            return c == '/' || c == '!' ? "" : " ";
        }
        String name;
        if (Character.isLetter(c)) {
            int start = pos;
            while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
                pos++;
            }
            name = text.substring(start, pos);
        } else {
            pos++;
            name = String.valueOf(c);
        }
        Character accent = ACCENTS.get(name);
        if (accent != null) {
            String base = argument(Character.isLetter(name.charAt(0)));
            if (base.isEmpty()) {
                return String.valueOf(accent);
            }
            // A dotless i or j under an accent is just the letter with the accent.
            String letter = base.substring(0, 1).replace("ı", "i").replace("ȷ", "j");
            return letter + accent + base.substring(1);
        }
        String symbol = SYMBOLS.get(name);
        if (symbol != null) {
            skipSpaceOrEmptyGroup();
            return symbol;
        }
        // Font commands (emph, textbf, mathrm, url) and anything unknown: keep what they apply to.
        skipSpaces();
        return "";
    }

    /** The argument of an accent: a group, a command such as \i, or one character. */
    private String argument(boolean letterCommand) {
        if (letterCommand) {
            skipSpaces();
        }
        if (pos >= text.length()) {
            return "";
        }
        char c = text.charAt(pos);
        if (c == '{') {
            pos++;
            return until(0);
        }
        if (c == '\\') {
            return command();
        }
        pos++;
        return String.valueOf(c);
    }

    private void skipSpaces() {
        while (pos < text.length() && text.charAt(pos) == ' ') {
            pos++;
        }
    }

    private void skipSpaceOrEmptyGroup() {
        if (text.startsWith("{}", pos)) {
            pos += 2;
        } else if (pos < text.length() && text.charAt(pos) == ' ') {
            pos++;
        }
    }

    /** Plain text as BibTeX: the characters LaTeX treats specially are escaped; Unicode stays as it is. */
    public static String encode(String plain) {
        if (plain == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            switch (c) {
                case '&', '%', '$', '#', '_', '{', '}' -> out.append('\\').append(c);
                case '\\' -> out.append("\\textbackslash{}");
                case '~' -> out.append("\\textasciitilde{}");
                case '^' -> out.append("\\textasciicircum{}");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
