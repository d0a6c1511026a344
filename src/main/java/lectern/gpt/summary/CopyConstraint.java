package lectern.gpt.summary;

import lectern.gpt.BpeTokenizer;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copy-aware decoding: a summary of a text may only be made of the text's own words (as they occur or lower-cased;
 * capitalised only as the first word), a short list of function words, punctuation and end-of-text. A small model asked to write freely
 * invents words ("Setrixeline for GPU-based GPUs" for a paragraph on FlashAttention); allowed only the tokens of the
 * input it still glues their pieces into new ones ("OpenBRRR"). So the constraint works on whole words: every allowed
 * word's token sequence (with and without a leading space) goes into a trie, and decoding walks it. Between words any
 * allowed word may start (with a space, or without for punctuation); inside a word only its continuations; at the end
 * of a complete word also the next word or end-of-text. The first word may come without a leading space.
 * One instance per generation (it keeps the position in the trie).
 */
public final class CopyConstraint {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'’\\-]*[\\p{L}\\p{N}]|[\\p{L}\\p{N}]");

    /** Words a summary may use whatever its input: articles, prepositions, conjunctions, a few verbs. */
    static final List<String> FUNCTION_WORDS = List.of(
            "a", "an", "the", "of", "for", "and", "or", "to", "in", "on", "with", "by", "from", "as", "at", "into", "over",
            "about", "via", "using", "between", "through", "its", "their", "this", "that", "these", "is", "are", "be",
            "can", "how", "what", "why", "not", "no", "vs", "based", "new");
    /** Punctuation that follows a word without a space. */
    static final List<String> ATTACHED = List.of(",", ".", ":", ";", "'s", "?", "!");
    /** Punctuation that starts with a space. (Hyphens and slashes come inside the input's own words: "command-line".) */
    static final List<String> SPACED = List.of(" &", " +");

    private static final class Node {
        final Map<Integer, Node> children = new HashMap<>();
        final Node parent;
        /** A complete word or punctuation mark ends here; then {@code resume}'s starts may follow. */
        boolean terminal;
        Node resume;
        /** The word ending here, lower-cased (null for punctuation and function words, which may repeat). */
        String word;
        boolean used;
        /** Terminals in this subtree that may still be generated. */
        int available;

        Node(Node parent) {
            this.parent = parent;
        }
    }

    /** Roots: the first word; any word or punctuation after a word; a word after punctuation (no runs of it). */
    private final Node first = new Node(null), next = new Node(null), word = new Node(null);
    /** Every terminal of each content word, in all three tries: a word used once is used up everywhere. */
    private final Map<String, java.util.List<Node>> terminals = new HashMap<>();
    private final int vocab, endOfText;
    private Node at;
    private int generated;

    private CopyConstraint(int vocab, int endOfText) {
        this.vocab = vocab;
        this.endOfText = endOfText;
    }

    /** The constraint for summaries of {@code text}; {@code vocab}: the logits' length. */
    public static CopyConstraint of(BpeTokenizer tokenizer, String text, int vocab, int endOfText) {
        CopyConstraint c = new CopyConstraint(vocab, endOfText);
        // words as written and lower-cased anywhere; capitalised only as the first word ("Replication lag ...")
        Set<String> words = new LinkedHashSet<>();
        Set<String> capitals = new LinkedHashSet<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            String w = m.group();
            words.add(w);
            words.add(w.toLowerCase(Locale.ROOT));
            capitals.add(w.substring(0, 1).toUpperCase(Locale.ROOT) + w.substring(1));
        }
        for (String w : FUNCTION_WORDS) {
            words.add(w);
            capitals.add(w.substring(0, 1).toUpperCase(Locale.ROOT) + w.substring(1));
        }
        Set<String> function = new java.util.HashSet<>(FUNCTION_WORDS);
        for (String w : words) {
            String key = function.contains(w.toLowerCase(Locale.ROOT)) ? null : w.toLowerCase(Locale.ROOT);
            c.add(c.first, tokenizer.encode(w), c.next, key);
            c.add(c.first, tokenizer.encode(" " + w), c.next, key);
            c.add(c.next, tokenizer.encode(" " + w), c.next, key);
            c.add(c.word, tokenizer.encode(" " + w), c.next, key);
        }
        for (String w : capitals) {
            String key = function.contains(w.toLowerCase(Locale.ROOT)) ? null : w.toLowerCase(Locale.ROOT);
            c.add(c.first, tokenizer.encode(w), c.next, key);
            c.add(c.first, tokenizer.encode(" " + w), c.next, key);
        }
        for (String p : ATTACHED) {
            c.add(c.next, tokenizer.encode(p), c.word, null);
        }
        for (String p : SPACED) {
            c.add(c.next, tokenizer.encode(p), c.word, null);
        }
        c.at = c.first;
        return c;
    }

    private void add(Node root, int[] ids, Node resume, String key) {
        if (ids.length == 0) {
            return;
        }
        for (int id : ids) {
            if (id < 0 || id >= vocab) {
                return;
            }
        }
        Node n = root;
        for (int id : ids) {
            Node parent = n;
            n = n.children.computeIfAbsent(id, k -> new Node(parent));
        }
        if (n.terminal) { // the same tokens from another spelling (e.g. a capitalised word that is already capitalised)
            return;
        }
        n.terminal = true;
        n.resume = resume;
        n.word = key;
        for (Node up = n; up != null; up = up.parent) {
            up.available++;
        }
        if (key != null) {
            terminals.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(n);
        }
    }

    /** A content word was generated: none of its spellings may come again (the summaries of a small model loop). */
    private void useUp(String key) {
        for (Node n : terminals.getOrDefault(key, java.util.List.of())) {
            if (!n.used) {
                n.used = true;
                for (Node up = n; up != null; up = up.parent) {
                    up.available--;
                }
            }
        }
    }

    /** Sets every logit the constraint does not allow now to -infinity; never leaves all of them so. */
    public void mask(float[] logits) {
        boolean[] allowed = new boolean[logits.length];
        at.children.forEach((id, child) -> allowed[id] = child.available > 0);
        boolean complete = at.terminal && !at.used;
        boolean atBoundary = at == first || at == next || at == word || complete;
        if (complete) {
            at.resume.children.forEach((id, child) -> allowed[id] = allowed[id] || child.available > 0);
        }
        if (atBoundary && generated > 0 && endOfText >= 0 && endOfText < logits.length) {
            allowed[endOfText] = true;
        }
        boolean any = false;
        for (int i = 0; i < logits.length; i++) {
            if (!allowed[i]) {
                logits[i] = Float.NEGATIVE_INFINITY;
            } else if (logits[i] != Float.NEGATIVE_INFINITY) {
                any = true;
            }
        }
        if (!any && endOfText >= 0 && endOfText < logits.length) {
            logits[endOfText] = 0; // nothing allowed is left (e.g. repeats banned): end here
        }
    }

    /** Moves along the trie with the token that was generated. */
    public void accept(int token) {
        generated++;
        Node child = at.children.get(token);
        if (child == null && at.terminal) {
            if (at.word != null) {
                useUp(at.word); // the word is complete: it was left for the next one (or the end)
            }
            child = at.resume.children.get(token);
        }
        at = child != null ? child : next; // end-of-text, or a token outside the trie: back between words
    }

    /**
     * Inside a word that is not complete yet: only its continuations may follow. Repeat bans should not apply here
     * (they would cut a word the summary already used in two: "Rodriguez ... Rodr").
     */
    public boolean insideWord() {
        return at != first && at != next && at != word && !(at.terminal && !at.used);
    }
}
