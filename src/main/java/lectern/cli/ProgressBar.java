package lectern.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar for long commands (train, import, ...):
 * {@code train [#######.............]  350/2000  17%  loss 4.213  val 4.380  12,345 tok/s  ETA 2m14s}.
 * On a terminal the line is redrawn in place with {@code \r}; otherwise (a log file, CI) a plain line
 * is printed at most every {@code plainInterval} seconds and at the end, so logs stay readable.
 * The ETA comes from the rate since the first update, so a resumed job does not count the steps it skipped.
 */
public final class ProgressBar {

    private static final int BAR_WIDTH = 20;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean interactive;
    private final LongSupplier nanoClock;
    private final long plainIntervalNanos;
    private long firstDone = -1;
    private long firstNanos;
    private long lastPrintNanos;
    private int lastLineLength;

    public ProgressBar(String label, long total, PrintStream out, boolean interactive, LongSupplier nanoClock,
                       double plainIntervalSeconds) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.interactive = interactive;
        this.nanoClock = nanoClock;
        this.plainIntervalNanos = (long) (plainIntervalSeconds * 1e9);
    }

    /** A bar on stderr that redraws in place when a terminal is attached, else prints a line every 10 s. */
    public static ProgressBar onStderr(String label, long total) {
        return new ProgressBar(label, total, System.err, System.console() != null, System::nanoTime, 10);
    }

    /** Reports that {@code done} of {@code total} units are finished; {@code details} is shown after the counts. */
    public void update(long done, String details) {
        long now = nanoClock.getAsLong();
        if (firstDone < 0) {
            firstDone = done;
            firstNanos = now;
            lastPrintNanos = now - plainIntervalNanos; // the first update always prints
        }
        boolean last = done >= total;
        if (interactive || last || now - lastPrintNanos >= plainIntervalNanos) {
            print(render(done, details, now), last);
            lastPrintNanos = now;
        }
    }

    /** Ends the bar: on a terminal, moves to a fresh line. */
    public void finish() {
        if (interactive && lastLineLength > 0) {
            out.println();
            lastLineLength = 0;
        }
        out.flush();
    }

    /** The line as it would be drawn now (without the carriage return). */
    String render(long done, String details, long now) {
        double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        StringBuilder line = new StringBuilder();
        line.append(label).append(" [").append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
        String width = "%" + Long.toString(total).length() + "d";
        line.append(String.format(Locale.ROOT, width, done)).append('/').append(total);
        line.append(String.format(Locale.ROOT, " %3d%%", (int) (fraction * 100)));
        if (details != null && !details.isEmpty()) {
            line.append("  ").append(details);
        }
        double elapsed = (now - firstNanos) / 1e9;
        long progressed = done - firstDone;
        if (done >= total) {
            line.append("  took ").append(duration(elapsed));
        } else if (progressed > 0 && elapsed > 0) {
            line.append("  ETA ").append(duration((total - done) * elapsed / progressed));
        } else {
            line.append("  ETA ?");
        }
        return line.toString();
    }

    private void print(String line, boolean last) {
        if (interactive) {
            int pad = Math.max(0, lastLineLength - line.length());
            out.print("\r" + line + " ".repeat(pad));
            lastLineLength = line.length();
            if (last) {
                out.println();
                lastLineLength = 0;
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** 45s, 2m05s, 1h02m. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
