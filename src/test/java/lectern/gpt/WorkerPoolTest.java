package lectern.gpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void runsEveryTaskExactlyOnceAcrossManyDispatches() {
        WorkerPool pool = new WorkerPool(3);
        for (int round = 0; round < 200; round++) {
            int n = 1 + round % 17;
            AtomicIntegerArray runs = new AtomicIntegerArray(n);
            pool.forEach(n, (task, worker) -> {
                assertTrue(worker >= 0 && worker < 3);
                runs.incrementAndGet(task);
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, runs.get(i), "round " + round + " task " + i);
            }
        }
    }

    @Test
    void taskFailureReachesTheCallerAndThePoolKeepsWorking() {
        WorkerPool pool = new WorkerPool(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.forEach(8, (task, worker) -> {
            if (task == 5) {
                throw new IllegalArgumentException("task five");
            }
        }));
        assertEquals("task five", e.getMessage());
        AtomicIntegerArray runs = new AtomicIntegerArray(4);
        pool.forEach(4, (task, worker) -> runs.incrementAndGet(task));
        for (int i = 0; i < 4; i++) {
            assertEquals(1, runs.get(i));
        }
    }
}
