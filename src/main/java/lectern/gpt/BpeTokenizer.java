package lectern.gpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte-level BPE tokenizer in the style of minbpe / GPT-2: text is pre-split by the GPT-2 regex into
 * chunks, each chunk is turned into its UTF-8 bytes (ids 0..255), and learned merges are applied
 * inside a chunk, lowest rank first. Merge {@code i} creates id {@code 256 + i}. Special tokens take
 * the last ids of the vocabulary and are only recognised by {@link #encode(String, boolean)} when
 * asked to; otherwise their text is encoded like any other text.
 *
 * <p>Encoding then decoding gives back the input for every string without lone surrogates. Decoding
 * a token sequence that ends (or is cut) inside a multi-byte character yields U+FFFD for the broken
 * bytes instead of failing.
 *
 * <h2>tokenizer.json</h2>
 * <pre>{@code
 * {
 *   "type": "lectern-byte-bpe",
 *   "version": 1,
 *   "pattern": "'s|'t|...",              // the pre-split regex (java.util.regex, UNICODE_CHARACTER_CLASS)
 *   "vocab_size": 4096,                  // 256 bytes + merges + special tokens
 *   "merges": [[101, 115], [256, 116]],  // merge i joins the two ids into id 256 + i, in rank order
 *   "special_tokens": {"<|endoftext|>": 4092, "<|sep|>": 4093, ...}
 * }
 * }</pre>
 * Ids 0..255 are the raw bytes; the text of id {@code 256 + i} is the bytes of its two parts joined.
 */
public final class BpeTokenizer {

    public static final String END_OF_TEXT = "<|endoftext|>";
    public static final String SEPARATOR = "<|sep|>";
    public static final String SUMMARY = "<|summary|>";
    public static final String CLASSIFY = "<|classify|>";
    /** The special tokens every Lectern tokenizer reserves, in id order at the end of the vocabulary. */
    public static final List<String> DEFAULT_SPECIAL_TOKENS = List.of(END_OF_TEXT, SEPARATOR, SUMMARY, CLASSIFY);

    /** GPT-2's pre-split pattern, written for java.util.regex. */
    public static final String GPT2_PATTERN =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private static final int CACHE_LIMIT = 200_000;

    private final String patternText;
    private final Pattern pattern;
    private final int[][] merges;           // merge i: {left, right} -> 256 + i
    private final MergeTable mergeTable;     // (left,right) -> merged id
    private final byte[][] tokenBytes;       // id -> its bytes (special tokens: their UTF-8 text)
    private final LinkedHashMap<String, Integer> specialTokens;
    private final Map<Integer, String> specialById = new HashMap<>();
    private final Pattern specialPattern;
    private final Map<String, int[]> chunkCache = new ConcurrentHashMap<>();

    private BpeTokenizer(String patternText, int[][] merges, Map<String, Integer> specialTokens) {
        this.patternText = patternText;
        this.pattern = Pattern.compile(patternText, Pattern.UNICODE_CHARACTER_CLASS);
        this.merges = merges;
        this.specialTokens = new LinkedHashMap<>(specialTokens);
        int vocabSize = 256 + merges.length;
        for (int id : specialTokens.values()) {
            vocabSize = Math.max(vocabSize, id + 1);
        }
        this.tokenBytes = new byte[vocabSize][];
        for (int b = 0; b < 256; b++) {
            tokenBytes[b] = new byte[] {(byte) b};
        }
        this.mergeTable = new MergeTable(Math.max(16, merges.length * 2));
        for (int i = 0; i < merges.length; i++) {
            int left = merges[i][0];
            int right = merges[i][1];
            int id = 256 + i;
            if (left >= id || right >= id || left < 0 || right < 0) {
                throw new IllegalArgumentException("merge " + i + " refers to an id that does not exist yet: "
                        + Arrays.toString(merges[i]));
            }
            mergeTable.put(left, right, id);
            byte[] joined = Arrays.copyOf(tokenBytes[left], tokenBytes[left].length + tokenBytes[right].length);
            System.arraycopy(tokenBytes[right], 0, joined, tokenBytes[left].length, tokenBytes[right].length);
            tokenBytes[id] = joined;
        }
        for (Map.Entry<String, Integer> special : specialTokens.entrySet()) {
            int id = special.getValue();
            if (id < 256 + merges.length) {
                throw new IllegalArgumentException("special token " + special.getKey() + " has id " + id
                        + ", which a merge already uses");
            }
            tokenBytes[id] = special.getKey().getBytes(StandardCharsets.UTF_8);
            specialById.put(id, special.getKey());
        }
        for (int id = 0; id < vocabSize; id++) {
            if (tokenBytes[id] == null) {
                tokenBytes[id] = new byte[0]; // an unused id between merges and special tokens
            }
        }
        if (specialTokens.isEmpty()) {
            this.specialPattern = null;
        } else {
            List<String> sorted = new ArrayList<>(specialTokens.keySet());
            sorted.sort((a, b) -> b.length() - a.length()); // longest first, so a prefix never wins
            StringBuilder alternatives = new StringBuilder();
            for (String s : sorted) {
                if (alternatives.length() > 0) {
                    alternatives.append('|');
                }
                alternatives.append(Pattern.quote(s));
            }
            this.specialPattern = Pattern.compile(alternatives.toString());
        }
    }

    /** A tokenizer from learned merges, with special tokens placed right after the merges. */
    public static BpeTokenizer of(int[][] merges, List<String> specialTokens) {
        LinkedHashMap<String, Integer> specials = new LinkedHashMap<>();
        int next = 256 + merges.length;
        for (String s : specialTokens) {
            specials.put(s, next++);
        }
        return new BpeTokenizer(GPT2_PATTERN, merges, specials);
    }

    /**
     * Learns merges from text until the vocabulary (bytes + merges + special tokens) has
     * {@code vocabSize} ids. Pairs are counted over the unique pre-split chunks weighted by how often
     * each occurs, and only the chunks that contain the merged pair are recounted after each merge.
     * Ties between equally frequent pairs go to the smaller (left, right) ids, so training is
     * deterministic.
     */
    public static BpeTokenizer train(Iterable<String> texts, int vocabSize, List<String> specialTokens) {
        int mergeCount = vocabSize - 256 - specialTokens.size();
        if (mergeCount < 0) {
            throw new IllegalArgumentException("vocab size " + vocabSize + " is smaller than 256 bytes + "
                    + specialTokens.size() + " special tokens");
        }
        Pattern split = Pattern.compile(GPT2_PATTERN, Pattern.UNICODE_CHARACTER_CLASS);
        HashMap<String, int[]> chunkCounts = new HashMap<>();
        for (String text : texts) {
            Matcher m = split.matcher(text);
            while (m.find()) {
                chunkCounts.computeIfAbsent(m.group(), k -> new int[1])[0]++;
            }
        }
        // Sorted chunks make the word numbering, and so any later iteration, independent of hashing.
        List<String> uniqueChunks = new ArrayList<>(chunkCounts.keySet());
        Collections.sort(uniqueChunks);
        int wordCount = uniqueChunks.size();
        int[][] words = new int[wordCount][];
        long[] weights = new long[wordCount];
        for (int w = 0; w < wordCount; w++) {
            byte[] bytes = uniqueChunks.get(w).getBytes(StandardCharsets.UTF_8);
            int[] ids = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                ids[i] = bytes[i] & 0xFF;
            }
            words[w] = ids;
            weights[w] = chunkCounts.get(uniqueChunks.get(w))[0];
        }
        chunkCounts = null;

        HashMap<Long, PairStat> pairs = new HashMap<>();
        for (int w = 0; w < wordCount; w++) {
            int[] ids = words[w];
            for (int i = 0; i + 1 < ids.length; i++) {
                PairStat stat = pairs.computeIfAbsent(pairKey(ids[i], ids[i + 1]), k -> new PairStat());
                stat.count += weights[w];
                stat.addWord(w);
            }
        }
        // Max-heap with lazy deletion: an entry is stale when its count differs from the pair's current count.
        PriorityQueue<long[]> heap = new PriorityQueue<>((a, b) -> a[0] != b[0]
                ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));
        for (Map.Entry<Long, PairStat> e : pairs.entrySet()) {
            heap.add(new long[] {e.getValue().count, e.getKey()});
        }

        int[][] merges = new int[mergeCount][];
        int made = 0;
        HashMap<Long, Boolean> touched = new HashMap<>();
        while (made < mergeCount && !heap.isEmpty()) {
            long[] top = heap.poll();
            PairStat best = pairs.get(top[1]);
            if (best == null || best.count != top[0]) {
                continue;
            }
            if (best.count <= 0) {
                break; // nothing left to merge
            }
            int left = (int) (top[1] >>> 32);
            int right = (int) top[1];
            int newId = 256 + made;
            merges[made++] = new int[] {left, right};
            touched.clear();
            int[] affected = Arrays.copyOf(best.words, best.wordCount);
            for (int w : affected) {
                int[] ids = words[w];
                if (!contains(ids, left, right)) {
                    continue; // a stale index entry
                }
                for (int i = 0; i + 1 < ids.length; i++) {
                    long key = pairKey(ids[i], ids[i + 1]);
                    pairs.get(key).count -= weights[w];
                    touched.put(key, Boolean.TRUE);
                }
                int[] merged = applyMerge(ids, left, right, newId);
                words[w] = merged;
                for (int i = 0; i + 1 < merged.length; i++) {
                    long key = pairKey(merged[i], merged[i + 1]);
                    PairStat stat = pairs.computeIfAbsent(key, k -> new PairStat());
                    stat.count += weights[w];
                    stat.addWord(w);
                    touched.put(key, Boolean.TRUE);
                }
            }
            pairs.remove(top[1]);
            for (Long key : touched.keySet()) {
                PairStat stat = pairs.get(key);
                if (stat == null) {
                    continue;
                }
                if (stat.count <= 0) {
                    pairs.remove(key);
                } else {
                    heap.add(new long[] {stat.count, key});
                }
            }
        }
        int[][] learned = Arrays.copyOf(merges, made);
        LinkedHashMap<String, Integer> specials = new LinkedHashMap<>();
        // Special tokens keep the last ids of the requested vocabulary even when the corpus ran out of pairs.
        int next = vocabSize - specialTokens.size();
        for (String s : specialTokens) {
            specials.put(s, next++);
        }
        return new BpeTokenizer(GPT2_PATTERN, learned, specials);
    }

    public int vocabSize() {
        return tokenBytes.length;
    }

    public int[][] merges() {
        int[][] copy = new int[merges.length][];
        for (int i = 0; i < merges.length; i++) {
            copy[i] = merges[i].clone();
        }
        return copy;
    }

    public Map<String, Integer> specialTokens() {
        return Collections.unmodifiableMap(specialTokens);
    }

    /** The id of a special token, or -1 if this tokenizer does not have it. */
    public int specialTokenId(String token) {
        Integer id = specialTokens.get(token);
        return id == null ? -1 : id;
    }

    public int endOfTextId() {
        return specialTokenId(END_OF_TEXT);
    }

    /** Encodes text; special-token strings are plain text here. */
    public int[] encode(String text) {
        return encode(text, false);
    }

    /** Encodes text; with {@code allowSpecial}, special-token strings in the text become their ids. */
    public int[] encode(String text, boolean allowSpecial) {
        IntList out = new IntList(Math.max(16, text.length() / 3));
        if (!allowSpecial || specialPattern == null) {
            encodeOrdinary(text, out);
            return out.toArray();
        }
        Matcher m = specialPattern.matcher(text);
        int last = 0;
        while (m.find()) {
            encodeOrdinary(text.substring(last, m.start()), out);
            out.add(specialTokens.get(m.group()));
            last = m.end();
        }
        encodeOrdinary(text.substring(last), out);
        return out.toArray();
    }

    private void encodeOrdinary(String text, IntList out) {
        Matcher m = pattern.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                encodeChunk(text.substring(last, m.start()), out); // never happens with GPT-2's pattern, kept for safety
            }
            encodeChunk(m.group(), out);
            last = m.end();
        }
        if (last < text.length()) {
            encodeChunk(text.substring(last), out);
        }
    }

    private void encodeChunk(String chunk, IntList out) {
        int[] cached = chunkCache.get(chunk);
        if (cached == null) {
            cached = mergeBytes(chunk.getBytes(StandardCharsets.UTF_8));
            if (chunkCache.size() >= CACHE_LIMIT) {
                chunkCache.clear();
            }
            chunkCache.put(chunk, cached);
        }
        out.addAll(cached);
    }

    /** Applies merges to one chunk's bytes, always the lowest-ranked (earliest learned) pair first. */
    private int[] mergeBytes(byte[] bytes) {
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        int n = ids.length;
        while (n >= 2) {
            int bestId = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < n; i++) {
                int id = mergeTable.get(ids[i], ids[i + 1]);
                if (id >= 0 && id < bestId) {
                    bestId = id;
                }
            }
            if (bestId == Integer.MAX_VALUE) {
                break;
            }
            int left = merges[bestId - 256][0];
            int right = merges[bestId - 256][1];
            int w = 0;
            for (int i = 0; i < n; ) {
                if (i + 1 < n && ids[i] == left && ids[i + 1] == right) {
                    ids[w++] = bestId;
                    i += 2;
                } else {
                    ids[w++] = ids[i++];
                }
            }
            n = w;
        }
        return Arrays.copyOf(ids, n);
    }

    /** The bytes a token stands for (a special token: its UTF-8 text). */
    public byte[] tokenBytes(int id) {
        return tokenBytes[id].clone();
    }

    /** The bytes of a token sequence, before UTF-8 decoding. */
    public byte[] decodeBytes(int[] ids) {
        int length = 0;
        for (int id : ids) {
            length += bytesOf(id).length;
        }
        byte[] out = new byte[length];
        int pos = 0;
        for (int id : ids) {
            byte[] b = bytesOf(id);
            System.arraycopy(b, 0, out, pos, b.length);
            pos += b.length;
        }
        return out;
    }

    /** Decodes tokens to text; bytes that do not form valid UTF-8 become U+FFFD. */
    public String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    private byte[] bytesOf(int id) {
        if (id < 0 || id >= tokenBytes.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + tokenBytes.length);
        }
        return tokenBytes[id];
    }

    // ---- tokenizer.json ----

    public void save(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode specials = json.createObjectNode();
        specialTokens.forEach(specials::put);
        // One merge a line keeps the file diffable and readable without a JSON viewer.
        StringBuilder text = new StringBuilder();
        text.append("{\n");
        text.append("  \"type\": \"lectern-byte-bpe\",\n");
        text.append("  \"version\": 1,\n");
        text.append("  \"pattern\": ").append(json.writeValueAsString(patternText)).append(",\n");
        text.append("  \"vocab_size\": ").append(vocabSize()).append(",\n");
        text.append("  \"special_tokens\": ").append(json.writeValueAsString(specials)).append(",\n");
        text.append("  \"merges\": [");
        for (int i = 0; i < merges.length; i++) {
            text.append(i == 0 ? "\n    " : ",\n    ").append('[').append(merges[i][0]).append(", ")
                    .append(merges[i][1]).append(']');
        }
        text.append(merges.length == 0 ? "]\n" : "\n  ]\n");
        text.append("}\n");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    }

    public static BpeTokenizer load(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (!"lectern-byte-bpe".equals(root.path("type").asText())) {
            throw new IOException(file + " is not a Lectern tokenizer (expected \"type\": \"lectern-byte-bpe\")");
        }
        JsonNode mergeArray = root.path("merges");
        int[][] merges = new int[mergeArray.size()][];
        for (int i = 0; i < merges.length; i++) {
            merges[i] = new int[] {mergeArray.get(i).get(0).asInt(), mergeArray.get(i).get(1).asInt()};
        }
        LinkedHashMap<String, Integer> specials = new LinkedHashMap<>();
        root.path("special_tokens").fields().forEachRemaining(e -> specials.put(e.getKey(), e.getValue().asInt()));
        String pattern = root.path("pattern").asText(GPT2_PATTERN);
        BpeTokenizer tokenizer = new BpeTokenizer(pattern, merges, specials);
        int declared = root.path("vocab_size").asInt(tokenizer.vocabSize());
        if (declared != tokenizer.vocabSize()) {
            throw new IOException(file + " declares vocab_size " + declared + " but its merges and special tokens make "
                    + tokenizer.vocabSize());
        }
        return tokenizer;
    }

    // ---- training internals ----

    private static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static boolean contains(int[] ids, int left, int right) {
        for (int i = 0; i + 1 < ids.length; i++) {
            if (ids[i] == left && ids[i + 1] == right) {
                return true;
            }
        }
        return false;
    }

    private static int[] applyMerge(int[] ids, int left, int right, int newId) {
        int[] out = new int[ids.length];
        int w = 0;
        for (int i = 0; i < ids.length; ) {
            if (i + 1 < ids.length && ids[i] == left && ids[i + 1] == right) {
                out[w++] = newId;
                i += 2;
            } else {
                out[w++] = ids[i++];
            }
        }
        return Arrays.copyOf(out, w);
    }

    /** How often a pair occurs (weighted by chunk counts) and which words may contain it (may hold stale or repeated entries). */
    private static final class PairStat {
        long count;
        int[] words = new int[4];
        int wordCount;

        void addWord(int w) {
            if (wordCount > 0 && words[wordCount - 1] == w) {
                return; // the same word adding the pair twice in a row
            }
            if (wordCount == words.length) {
                words = Arrays.copyOf(words, wordCount * 2);
            }
            words[wordCount++] = w;
        }
    }

    /** Open addressing map from an id pair to the merged id, without boxing on the encode path. */
    private static final class MergeTable {
        private final long[] keys;
        private final int[] values;
        private final int mask;

        MergeTable(int expected) {
            int capacity = Integer.highestOneBit(Math.max(4, expected * 2) - 1) << 1;
            keys = new long[capacity];
            values = new int[capacity];
            Arrays.fill(keys, -1L);
            mask = capacity - 1;
        }

        void put(int left, int right, int id) {
            long key = pairKey(left, right);
            int slot = hash(key) & mask;
            while (keys[slot] != -1L && keys[slot] != key) {
                slot = (slot + 1) & mask;
            }
            if (keys[slot] == key) {
                return; // a duplicate merge: the earlier (lower) id wins, as in minbpe
            }
            keys[slot] = key;
            values[slot] = id;
        }

        int get(int left, int right) {
            long key = pairKey(left, right);
            int slot = hash(key) & mask;
            while (keys[slot] != -1L) {
                if (keys[slot] == key) {
                    return values[slot];
                }
                slot = (slot + 1) & mask;
            }
            return -1;
        }

        private static int hash(long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32));
        }
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] data;
        private int size;

        IntList(int capacity) {
            data = new int[capacity];
        }

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2 + 1);
            }
            data[size++] = v;
        }

        void addAll(int[] values) {
            if (size + values.length > data.length) {
                data = Arrays.copyOf(data, Math.max(size + values.length, data.length * 2));
            }
            System.arraycopy(values, 0, data, size, values.length);
            size += values.length;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
