package lectern.llm;

import lectern.gpt.GptConfig;
import lectern.gpt.Sampler;
import lectern.gpt.onnx.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The served model (no Quarkus) against the Java GPT on a tiny random model. */
class ServedModelTest {

    @TempDir
    static Path dir;
    static TinyModels.Package pkg;
    static ServedModel served;

    @BeforeAll
    static void export() throws Exception {
        pkg = TinyModels.writePackage(dir, GptConfig.Positions.LEARNED, 21);
        served = ServedModel.load(dir, ServedModel.DeviceChoice.CPU, 0, 1);
    }

    @AfterAll
    static void close() {
        served.close();
    }

    @Test
    void greedyGenerationWithTheKvCacheEqualsTheJavaSamplerWithout() throws Exception {
        int eot = pkg.tokenizer().endOfTextId();
        for (String prompt : new String[] {"", "a", "The reading log says"}) {
            int[] ids = pkg.tokenizer().encode(prompt);
            int max = 64 - Math.max(ids.length, 1) - 1; // stays inside the context, where both agree exactly
            ServedModel.Generation g = served.generate(ids, new GenerationSettings(max, 0f, 0, 1f, 1), null);
            int[] expected = new Sampler(pkg.model()).generate(ids, eot, new Sampler.Settings(0f, 0, 1f, max, 1, eot), null);
            assertArrayEquals(expected, g.tokens(), "prompt \"" + prompt + "\"");
            assertTrue(g.tokens().length > 0);
        }
    }

    @Test
    void theSameSeedGivesTheSameTextAndOtherSeedsOtherText() throws Exception {
        GenerationSettings a = new GenerationSettings(40, 1.0f, 50, 0.95f, 7);
        ServedModel.Generation first = served.generate("Plan for today", a, null);
        ServedModel.Generation again = served.generate("Plan for today", a, null);
        assertArrayEquals(first.tokens(), again.tokens());
        assertEquals(first.text(), again.text());
        boolean anyDifferent = false;
        for (long seed = 8; seed < 12 && !anyDifferent; seed++) {
            int[] other = served.generate("Plan for today", new GenerationSettings(40, 1.0f, 50, 0.95f, seed), null).tokens();
            anyDifferent = !java.util.Arrays.equals(first.tokens(), other);
        }
        assertTrue(anyDifferent, "four other seeds all gave the same 40 tokens");
    }

    @Test
    void banRepeatsForbidsWhatFollowedTheSameTwoTokensBefore() {
        float[] logits = new float[10];
        ServedModel.banRepeats(new int[] {5, 6, 7, 5, 6, 0}, 5, 3, logits);  // "5 6" was followed by 7
        assertEquals(Float.NEGATIVE_INFINITY, logits[7]);
        assertEquals(1, java.util.stream.IntStream.range(0, 10).filter(i -> logits[i] < 0).count());
        float[] untouched = new float[10];
        ServedModel.banRepeats(new int[] {5, 6, 7, 5, 6}, 5, 0, untouched);
        ServedModel.banRepeats(new int[] {5, 6}, 2, 3, untouched);
        assertArrayEquals(new float[10], untouched);
    }

    @Test
    void summariesNeverRepeatATrigramThatGreedyGenerationWould() throws Exception {
        GenerationSettings greedy = new GenerationSettings(48, 0f, 0, 1f, 1);
        String text = "the reading log of a week";
        int[] prompt = pkg.tokenizer().encode(text);
        int[] withSeparator = java.util.Arrays.copyOf(prompt, prompt.length + 1);
        withSeparator[prompt.length] = pkg.tokenizer().specialTokenId(lectern.gpt.BpeTokenizer.SUMMARY);
        int[] plain = served.generate(withSeparator, greedy, null).tokens();
        assertTrue(repeatsATrigram(plain), "the tiny random model loops when decoding greedily (the case to fix)");
        int[] summary = served.summarize(text, greedy, false).tokens();
        assertFalse(repeatsATrigram(summary), java.util.Arrays.toString(summary));
        assertEquals(plain[0], summary[0], "the first tokens are the same greedy choices");
    }

    @Test
    void servedSummariesUseOnlyTheWordsOfTheirInput() throws Exception {
        GenerationSettings greedy = new GenerationSettings(48, 0f, 0, 1f, 1);
        String text = "Replication lag: followers may serve stale reads after the leader commits";
        String free = served.summarize(text, greedy, false).text();
        String copied = served.summarize(text, greedy).text();
        assertTrue(lectern.gpt.summary.NovelWords.count(free, text).novel() > 0, "the tiny random model invents: " + free);
        assertEquals(0, lectern.gpt.summary.NovelWords.count(copied, text + " the of for and a an to in on with by from as at")
                .novel(), copied);
    }

    private static boolean repeatsATrigram(int[] t) {
        java.util.Set<List<Integer>> seen = new java.util.HashSet<>();
        for (int i = 0; i + 3 <= t.length; i++) {
            if (!seen.add(List.of(t[i], t[i + 1], t[i + 2]))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void topKOneIsGreedyAndTokensStayInsideTopK() throws Exception {
        int[] greedy = served.generate("x", new GenerationSettings(20, 0f, 0, 1f, 1), null).tokens();
        int[] topOne = served.generate("x", new GenerationSettings(20, 1.5f, 1, 1f, 99), null).tokens();
        assertArrayEquals(greedy, topOne);
    }

    @Test
    void generationRunsPastTheContextBySlidingTheCache() throws Exception {
        List<Integer> seen = new ArrayList<>();
        // a prompt longer than the context and more new tokens than fit: the cache restarts from the last half block
        String prompt = "word ".repeat(30);
        ServedModel.Generation g = served.generate(prompt, new GenerationSettings(150, 0.9f, 0, 1f, 3), seen::add);
        assertEquals(g.tokens().length, seen.size());
        assertTrue(g.endOfText() || g.tokens().length == 150, "stopped early without end-of-text: " + g.tokens().length);
        assertTrue(g.promptTokens() <= 64);
    }

    @Test
    void classifierScoresMatchTheJavaReference() throws Exception {
        for (String text : new String[] {"Finished chapter 3 of SICP", "x", "Read the attention paper, took notes on KV caching"}) {
            ServedModel.Classification c = served.classify(text);
            int[] ids = served.classifierInput(text);
            assertEquals(pkg.tokenizer().specialTokenId("<|classify|>"), ids[ids.length - 1]);
            float[] logits = pkg.head().apply(TinyModels.lastHidden(pkg.model(), ids), 0);
            double max = Double.NEGATIVE_INFINITY;
            for (float l : logits) {
                max = Math.max(max, l);
            }
            double sum = 0;
            for (float l : logits) {
                sum += Math.exp(l - max);
            }
            double total = 0;
            for (int i = 0; i < logits.length; i++) {
                double expected = Math.exp(logits[i] - max) / sum;
                double actual = c.scores().get(pkg.head().labels().get(i));
                assertEquals(expected, actual, 1e-5, text + " / " + pkg.head().labels().get(i));
                total += actual;
            }
            assertEquals(1.0, total, 1e-6);
            assertEquals(c.scores().entrySet().stream().max(java.util.Map.Entry.comparingByValue()).orElseThrow().getKey(), c.label());
        }
    }

    @Test
    void fiftyParallelClassificationsAgreeWithSequentialOnes() throws Exception {
        List<String> texts = new ArrayList<>();
        List<ServedModel.Classification> sequential = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            texts.add("item " + i + " " + "read pages ".repeat(i % 7));
            sequential.add(served.classify(texts.get(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Future<ServedModel.Classification>> futures = new ArrayList<>();
            for (String t : texts) {
                futures.add(pool.submit(() -> served.classify(t)));
            }
            for (int i = 0; i < 50; i++) {
                assertEquals(sequential.get(i), futures.get(i).get(), "text " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCudaProviderThatDoesNotLoadFallsBackToTheCpu() throws Exception {
        // device 99 exists nowhere: with or without a GPU the CUDA sessions fail and the CPU takes over
        try (ServedModel m = ServedModel.load(dir, ServedModel.DeviceChoice.CUDA, 99, 1)) {
            assertEquals("cpu", m.info().device());
            assertNotNull(m.info().deviceNote());
            assertTrue(m.info().deviceNote().contains("CUDA"), m.info().deviceNote());
            assertEquals(served.classify("still works"), m.classify("still works"));
        }
    }

    @Test
    void autoOnAMachineWithoutAnNvidiaDriverGoesStraightToTheCpu() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(ServedModel.nvidiaDriverPresent(), "this machine has an NVIDIA driver");
        try (ServedModel m = ServedModel.load(dir, ServedModel.DeviceChoice.AUTO, 0, 1)) {
            assertEquals("cpu", m.info().device());
            assertTrue(m.info().deviceNote().startsWith("no NVIDIA driver"), m.info().deviceNote());
        }
    }

    @Test
    void modelJsonCarriesConfigLabelsAndProvenance() throws Exception {
        ServedModel.Info info = served.info();
        assertEquals(pkg.model().config().parameterCount(), info.parameters());
        assertEquals(64, info.contextLength());
        assertEquals(pkg.head().labels(), info.labels());
        assertTrue(info.runtime().startsWith("onnxruntime 1."), info.runtime());
        assertTrue(Files.isRegularFile(dir.resolve("lm.onnx")));
        assertFalse(info.metrics().isMissingNode());
    }

    @Test
    void nativeLibrariesAreCopiedOnceIntoTheCache(@TempDir Path cache) throws Exception {
        String platform = OnnxRuntimeLibraries.platform();
        List<String> small = List.of("libonnxruntime4j_jni.so", "libonnxruntime_providers_shared.so");
        long first = OnnxRuntimeLibraries.extract(cache, platform, small);
        assertTrue(first > 0, "nothing copied");
        for (String lib : small) {
            assertTrue(Files.size(cache.resolve(lib)) > 0, lib);
        }
        assertEquals(0, OnnxRuntimeLibraries.extract(cache, platform, small), "copied again although cached");
    }
}
