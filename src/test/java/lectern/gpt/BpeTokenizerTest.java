package lectern.gpt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BpeTokenizerTest {

    private static final List<String> SCRIPTS = List.of(
            "The quick brown fox jumps over the lazy dog. It's 3:45pm, isn't it?  Yes!\n\n\tTabs\r\n",
            "日本語のテキストと中文文本，还有한국어 문장도 있습니다。",
            "العربية نص من اليمين إلى اليسار، مع أرقام ١٢٣",
            "Русский текст и ελληνικά γράμματα, עברית, हिन्दी, ไทย",
            "Emoji: 👩‍👩‍👧‍👦 🇧🇷 👍🏽 🤖💬 — and math ∑∫√∞ ≠ ≤, zero-width\u200b joiner, NBSP\u00a0here",
            "   leading and trailing spaces   ",
            "",
            "<|endoftext|> is just text unless allowed");

    private static BpeTokenizer trainedOnScripts() {
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            corpus.addAll(SCRIPTS);
        }
        return BpeTokenizer.train(corpus, 256 + 200 + 4, BpeTokenizer.DEFAULT_SPECIAL_TOKENS);
    }

    @Test
    void roundTripsManyScriptsAndEmoji() {
        BpeTokenizer tokenizer = trainedOnScripts();
        for (String text : SCRIPTS) {
            int[] ids = tokenizer.encode(text);
            assertEquals(text, tokenizer.decode(ids));
            if (text.length() > 20) {
                assertTrue(ids.length < text.getBytes(StandardCharsets.UTF_8).length, "merges should shorten: " + text);
            }
        }
    }

    @Test
    void roundTripsRandomBytesDecodedAsUtf8() {
        BpeTokenizer tokenizer = trainedOnScripts();
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8); // invalid sequences become U+FFFD
            assertEquals(text, tokenizer.decode(tokenizer.encode(text)));
        }
        // random code points from all planes (no lone surrogates)
        for (int trial = 0; trial < 200; trial++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                int cp = random.nextInt(0x10FFFF + 1);
                if (cp >= 0xD800 && cp <= 0xDFFF) {
                    continue;
                }
                sb.appendCodePoint(cp);
            }
            String text = sb.toString();
            assertEquals(text, tokenizer.decode(tokenizer.encode(text)));
        }
    }

    @Test
    void learnsTheMostFrequentPairsFirst() {
        // Sennrich et al.'s example: "es" and "st" both occur 9 times; ties go to the smaller ids, so "es" then "est".
        String text = "low low low low low lower lower newest newest newest newest newest newest widest widest widest";
        BpeTokenizer tokenizer = BpeTokenizer.train(List.of(text), 256 + 3, List.of());
        int[][] merges = tokenizer.merges();
        assertArrayEquals(new int[] {'e', 's'}, merges[0]);
        assertArrayEquals(new int[] {256, 't'}, merges[1]);
        // then "lo" / "ow" (7 each) ties to 'l','o'
        assertArrayEquals(new int[] {'l', 'o'}, merges[2]);
        assertEquals("est", new String(tokenizer.tokenBytes(257), StandardCharsets.UTF_8));
        assertArrayEquals(new int[] {' ', 'n', 'e', 'w', 257}, tokenizer.encode(" newest"));
    }

    @Test
    void mergesNeverCrossPreSplitBoundaries() {
        // "a b" repeated: the pair ('a',' ') never forms because " b" is its own chunk.
        BpeTokenizer tokenizer = BpeTokenizer.train(List.of("a b a b a b a b"), 256 + 2, List.of());
        for (int[] merge : tokenizer.merges()) {
            assertTrue(!(merge[0] == 'a' && merge[1] == ' '), Arrays.toString(merge));
        }
        assertArrayEquals(new int[] {' ', 'b'}, tokenizer.merges()[0]);
    }

    @Test
    void specialTokensOnlyWhenAllowed() {
        BpeTokenizer tokenizer = trainedOnScripts();
        int eot = tokenizer.endOfTextId();
        assertEquals(tokenizer.vocabSize() - 4, eot);
        assertEquals(256 + 200 + 4, tokenizer.vocabSize());
        String text = "hello<|endoftext|>world<|sep|>";
        int[] allowed = tokenizer.encode(text, true);
        int[] hello = tokenizer.encode("hello");
        int[] world = tokenizer.encode("world");
        int[] expected = new int[hello.length + world.length + 2];
        System.arraycopy(hello, 0, expected, 0, hello.length);
        expected[hello.length] = eot;
        System.arraycopy(world, 0, expected, hello.length + 1, world.length);
        expected[expected.length - 1] = tokenizer.specialTokenId("<|sep|>");
        assertArrayEquals(expected, allowed);
        int[] plain = tokenizer.encode(text);
        assertTrue(!contains(plain, eot));
        assertEquals(text, tokenizer.decode(plain));
        assertEquals(text, tokenizer.decode(allowed));
    }

    @Test
    void partialMultibyteDecodesToReplacementCharacter() {
        BpeTokenizer tokenizer = BpeTokenizer.of(new int[0][], BpeTokenizer.DEFAULT_SPECIAL_TOKENS);
        int[] ids = tokenizer.encode("€"); // E2 82 AC
        assertEquals(3, ids.length);
        assertEquals("\uFFFD", tokenizer.decode(Arrays.copyOf(ids, 2)));
        assertEquals("a\uFFFD", tokenizer.decode(new int[] {'a', 0xE2}));
    }

    @Test
    void saveAndLoadGiveTheSameTokenizer(@TempDir Path dir) throws Exception {
        BpeTokenizer tokenizer = trainedOnScripts();
        Path file = dir.resolve("tokenizer.json");
        tokenizer.save(file);
        BpeTokenizer loaded = BpeTokenizer.load(file);
        assertEquals(tokenizer.vocabSize(), loaded.vocabSize());
        assertEquals(tokenizer.specialTokens(), loaded.specialTokens());
        assertArrayEquals(tokenizer.merges(), loaded.merges());
        for (String text : SCRIPTS) {
            assertArrayEquals(tokenizer.encode(text, true), loaded.encode(text, true));
        }
    }

    private static boolean contains(int[] ids, int id) {
        for (int x : ids) {
            if (x == id) {
                return true;
            }
        }
        return false;
    }
}
