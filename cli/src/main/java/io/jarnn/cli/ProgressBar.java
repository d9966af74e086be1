package io.jarnn.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long run on stderr. On a terminal: one line redrawn in place with {@code '\r'},
 * silent for the first {@link #DELAY_NANOS} so that short runs print nothing, redrawn at most
 * every {@link #REDRAW_NANOS}. Anywhere else (a log file, a pipe, a CI job) {@code '\r'} frames
 * would pile up, so it prints a plain full line at most every {@link #LOG_NANOS} instead.
 *
 * <p>A drawn terminal line is always ended: by {@link #finish()} with the completed bar, by
 * {@link #close()} when the run failed (so that the error starts a line of its own), and by a
 * shutdown hook when the JVM is stopped (Ctrl-C), so that the shell prompt does too.
 */
final class ProgressBar implements AutoCloseable {
    static final long DELAY_NANOS = 1_000_000_000L;
    static final long REDRAW_NANOS = 100_000_000L;
    static final long LOG_NANOS = 10_000_000_000L;
    private static final int BAR_WIDTH = 30;

    private final PrintStream err;
    private final String label;
    private final long total;
    private final LongSupplier clock;
    private final boolean terminal;
    private final long start;
    private final TerminalLine line;
    private long lastDraw = Long.MIN_VALUE;

    /**
     * A bar for {@code total} units of work; {@code clock} gives nanoseconds (e.g.
     * {@code System::nanoTime}); {@code terminal}: whether {@code err} is a terminal (see
     * {@link #stderrIsTerminal()}).
     */
    ProgressBar(PrintStream err, String label, long total, LongSupplier clock, boolean terminal) {
        this.err = err;
        this.label = label;
        this.total = Math.max(1, total);
        this.clock = clock;
        this.terminal = terminal;
        this.start = clock.getAsLong();
        this.line = new TerminalLine(err, "jarnn-progress-bar");
    }

    /**
     * Whether the process's stderr is a terminal. Java has no isatty; on Linux the link
     * {@code /proc/self/fd/2} names the device, elsewhere the console standing for the terminal
     * is the best guess.
     */
    static boolean stderrIsTerminal() {
        try {
            String device = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return device.startsWith("/dev/pts/") || device.startsWith("/dev/tty") || device.equals("/dev/console");
        } catch (Exception e) {
            return System.console() != null && System.console().isTerminal();
        }
    }

    boolean shown() {
        return lastDraw != Long.MIN_VALUE;
    }

    /** Reports that {@code done} of the total units are finished. */
    synchronized void update(long done) {
        long now = clock.getAsLong();
        if (terminal) {
            if (now - start < DELAY_NANOS || (shown() && now - lastDraw < REDRAW_NANOS)) {
                return;
            }
            draw(done, now);
        } else if (now - (shown() ? lastDraw : start) >= LOG_NANOS && done < total) {
            lastDraw = now;
            err.println(status(done, now, false));
            err.flush();
        }
    }

    /** On a terminal, draws the completed bar and ends its line, if the bar was shown at all. */
    synchronized void finish() {
        if (terminal && shown()) {
            draw(total, clock.getAsLong());
        }
        close();
    }

    /** Ends a drawn line without completing the bar (the run failed); idempotent. */
    @Override
    public synchronized void close() {
        line.close();
    }

    /** What the shutdown hook does when the JVM is stopped mid-run. */
    void endLine() {
        line.endLine();
    }

    private void draw(long done, long now) {
        lastDraw = now;
        line.redraw(status(done, now, true));
    }

    private String status(long done, long now, boolean bar) {
        double fraction = Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = done >= total || rate <= 0 ? "" : String.format(Locale.ROOT, "  eta %s", duration((total - done) / rate));
        String graphic = bar ? " [" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]" : "";
        return String.format(Locale.ROOT, "%s%s %3d%%  %,d/%,d  %,.0f/s%s", label, graphic,
                (int) Math.floor(fraction * 100), done, total, rate, eta);
    }

    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.0fs", Math.ceil(seconds));
        }
        long s = (long) Math.ceil(seconds);
        return s < 3600 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
}
