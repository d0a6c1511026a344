package lectern.time;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Today" and "now" come from one clock, {@link ServerClock}: a date read off the system clock elsewhere ignores
 * {@code lectern.today} (tests, demos) and can disagree with the rest of the app around midnight.
 */
class ClockUseTest {

    /** now() without a clock, and the system clocks themselves. */
    private static final Pattern OWN_CLOCK = Pattern.compile(
            "\\b(LocalDate|LocalDateTime|LocalTime|OffsetDateTime|ZonedDateTime|Instant|Year|YearMonth)\\s*\\.\\s*now\\s*\\(\\s*\\)"
                    + "|\\bClock\\s*\\.\\s*(systemUTC|systemDefaultZone)\\s*\\(");

    /** Files allowed their own clock (paths below src/main/java), each with the reason. */
    private static final Map<String, String> ALLOWED = Map.of(
            "lectern/time/ServerClock.java", "the clock itself",
            // gpt/ never imports Quarkus, so the app's clock cannot be injected there; its one use stamps an exported
            // model's provenance (ModelPackage), not a user's data
            "lectern/gpt/", "the plain-Java model, outside the app");

    @Test
    void onlyTheServerClockReadsTheSystemClock() throws IOException {
        Path root = Path.of("src/main/java");
        List<String> found = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String name = root.relativize(file).toString().replace('\\', '/');
                if (ALLOWED.keySet().stream().anyMatch(name::startsWith)) {
                    continue;
                }
                scanned++;
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = OWN_CLOCK.matcher(lines.get(i));
                    if (m.find()) {
                        found.add(name + ":" + (i + 1) + ": " + m.group() + " (inject java.time.Clock and pass it)");
                    }
                }
            }
        }
        assertTrue(scanned > 100, "scanned " + scanned + " files of " + root.toAbsolutePath());
        assertEquals(List.of(), found);
    }

    @Test
    void theScanFindsWhatItForbids() {
        assertTrue(OWN_CLOCK.matcher("LocalDate today = LocalDate.now();").find());
        assertTrue(OWN_CLOCK.matcher("stamp = java.time.OffsetDateTime.now();").find());
        assertTrue(OWN_CLOCK.matcher("Instant.now ()").find());
        assertTrue(OWN_CLOCK.matcher("Clock.systemUTC()").find());
        assertFalse(OWN_CLOCK.matcher("LocalDate.now(clock)").find());
    }

    @Test
    void aMovedClockRunsOn() throws InterruptedException {
        Clock clock = new ServerClock().clock(Optional.of(LocalDate.of(2026, 3, 1)));
        assertEquals(LocalDate.of(2026, 3, 1), LocalDate.now(clock));
        Instant first = clock.instant();
        Thread.sleep(5);
        assertTrue(clock.instant().isAfter(first), "two stamps taken apart do not tie");
    }
}
