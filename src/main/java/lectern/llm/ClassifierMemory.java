package lectern.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import lectern.gpt.GptModel;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What users' retrained classifiers cost a replica's heap (issue 16: 1,000 users must add less than 100 MB): one
 * classifier is trained on real labelled log lines, stored as a {@code user_classifier} row is, and read back once per
 * simulated user, as each user's first classification would; first all of them held at once (what an unbounded
 * cache would keep), then through the cache {@link UserClassifiers} uses, with its budget. Heap is measured after
 * full collections, so the figures are what stays, not what was allocated.
 */
public final class ClassifierMemory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClassifierMemory() {
    }

    /**
     * Heap figures in bytes; {@code perClassifier}: measured heap of one held classifier; {@code estimated}: its weight
     * in the cache; {@code readMillis}: reading one back from its row's bytes (a cache miss, besides the query).
     */
    public record Report(int users, int items, int rowBytes, long perClassifier, long estimated, long allHeld,
                         long throughCache, long cachedUsers, long cacheMegabytes, double readMillis) {
    }

    public static Report measure(ServedModel model, GptModel gpt, List<ClassifierTraining.LabelledText> items,
                                 int users, long cacheMegabytes, PrintStream out) throws Exception {
        ClassifierTraining.Result r = ClassifierTraining.train(gpt, model.tokenizer(), items, RetrainJobs.SEED, p -> { });
        StoredClassifier.checkFits(r.head(), model);
        byte[] head = StoredClassifier.headBytes(r.head());
        byte[] ngrams = r.ngrams() != null ? StoredClassifier.ngramBytes(r.ngrams()) : null;
        String labels = JSON.writeValueAsString(r.head().labels());
        String metrics = JSON.valueToTree(r.report()).toString();
        int rowBytes = head.length + (ngrams != null ? ngrams.length : 0) + labels.length() + metrics.length();
        out.printf("one user's classifier: %d items, %d labels, %,d n-gram terms; its row: %,d bytes%n", items.size(),
                r.head().labels().size(), r.ngrams() != null ? r.ngrams().features().size() : 0, rowBytes);

        long before = usedHeap();
        List<StoredClassifier> held = new ArrayList<>(users);
        long start = System.nanoTime();
        for (int u = 0; u < users; u++) {
            held.add(StoredClassifier.of(1, labels, r.head().width(), head, ngrams, metrics));
        }
        double readMillis = (System.nanoTime() - start) / 1e6 / users;
        long allHeld = usedHeap() - before;
        long estimated = held.get(0).bytes();
        held.clear();
        held = null;

        before = usedHeap();
        Cache<Long, UserClassifiers.Cached> cache = UserClassifiers.newCache(cacheMegabytes);
        for (long u = 0; u < users; u++) {
            cache.get(u, id -> {
                try {
                    return new UserClassifiers.Cached("base", StoredClassifier.of(1, labels, r.head().width(), head, ngrams, metrics), 0);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        cache.cleanUp();
        long throughCache = usedHeap() - before;
        long cached = cache.estimatedSize();
        if (cached > users) {
            throw new IllegalStateException("impossible cache size");
        }
        return new Report(users, items.size(), rowBytes, allHeld / users, estimated, allHeld, throughCache, cached,
                cacheMegabytes, readMillis);
    }

    /** Used heap after collections have settled. */
    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
