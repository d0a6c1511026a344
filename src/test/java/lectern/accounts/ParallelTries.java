package lectern.accounts;

import lectern.api.ProblemException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Starts many sign-in tries at once, as a guesser sending requests in parallel would. */
final class ParallelTries {

    private ParallelTries() {
    }

    /** How many of {@code tries} simultaneous tries (try i on {@code replica.apply(i)}) were let through to a password check. */
    static int passed(int tries, int threads, IntFunction<SignInThrottle> replica, String user, String address)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger passed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < tries; i++) {
                SignInThrottle throttle = replica.apply(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        throttle.begin(user, address);
                        passed.incrementAndGet();
                    } catch (ProblemException refused) {
                        assertEquals(429, refused.problem().status());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return passed.get();
    }
}
