package lectern.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts of bench-http that do not need a running server. */
class BenchHttpCommandTest {

    @Test
    void theTextsAreTheSameForASeedAndLookLikeLogItems() {
        List<String> a = BenchHttpCommand.texts(50, 7);
        assertEquals(a, BenchHttpCommand.texts(50, 7));
        assertNotEquals(a, BenchHttpCommand.texts(50, 8));
        for (String t : a) {
            int words = t.split(" ").length;
            assertTrue(words >= 3 && words <= 20, t);
        }
    }

    @Test
    void processCpuTimeIsReadFromProcAndGrowsWithWork() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux's /proc");
        double before = BenchHttpCommand.cpuMillis(ProcessHandle.current());
        assertTrue(before > 0, "this JVM has used CPU: " + before);
        long spin = System.nanoTime() + 200_000_000L;
        double sink = 0;
        while (System.nanoTime() < spin) {
            sink += Math.sqrt(sink + 1);
        }
        assertTrue(BenchHttpCommand.cpuMillis(ProcessHandle.current()) > before, "after 200 ms of work " + sink);
        assertEquals(-1, BenchHttpCommand.cpuMillis(null));
    }

    @Test
    void percentilesOfASeries() {
        BenchHttpCommand.Series s = new BenchHttpCommand.Series(100);
        for (int i = 1; i <= 100; i++) {
            s.ms[s.count++] = i;
        }
        assertEquals(50, s.percentile(50));
        assertEquals(95, s.percentile(95));
        assertEquals(99, s.percentile(99));
    }
}
