package lectern.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBarTest {

    @Test
    void plainOutputPrintsPeriodicLinesWithEta() {
        AtomicLong clock = new AtomicLong();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar("train", 100, new PrintStream(bytes, true, StandardCharsets.UTF_8), false,
                clock::get, 10);
        for (int step = 0; step <= 100; step++) {
            clock.set(step * 1_000_000_000L); // one second a step
            bar.update(step, "loss 1.0");
        }
        bar.finish();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(11, lines.length, String.join("\n", lines)); // steps 0, 10, ..., 100
        assertEquals("train [##..................]  10/100  10%  loss 1.0  ETA 1m30s", lines[1]);
        assertTrue(lines[10].startsWith("train [####################] 100/100 100%  loss 1.0  took 1m40s"), lines[10]);
    }

    @Test
    void terminalOutputRedrawsOneLine() {
        AtomicLong clock = new AtomicLong();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar("import", 3, new PrintStream(bytes, true, StandardCharsets.UTF_8), true, clock::get, 10);
        for (int i = 1; i <= 3; i++) {
            clock.addAndGet(500_000_000L);
            bar.update(i, "");
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(3, out.chars().filter(c -> c == '\r').count());
        assertEquals(1, out.chars().filter(c -> c == '\n').count());
        assertTrue(out.endsWith("3/3 100%  took 1s\n"), out);
    }

    @Test
    void formatsDurations() {
        assertEquals("45s", ProgressBar.duration(45));
        assertEquals("2m05s", ProgressBar.duration(125));
        assertEquals("1h02m", ProgressBar.duration(3720));
    }
}
