package io.jarnn.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar redrawn in place with {@code '\r'}. It stays silent for the first
 * {@link #DELAY_NANOS} so that short runs print nothing, redraws at most every
 * {@link #REDRAW_NANOS}, and ends its line on {@link #finish()} if it was ever drawn.
 */
final class ProgressBar {
    static final long DELAY_NANOS = 1_000_000_000L;
    static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 30;

    private final PrintStream err;
    private final String label;
    private final long total;
    private final LongSupplier clock;
    private final long start;
    private long lastDraw = Long.MIN_VALUE;
    private int lastLength;

    /** A bar for {@code total} units of work; {@code clock} gives nanoseconds (e.g. {@code System::nanoTime}). */
    ProgressBar(PrintStream err, String label, long total, LongSupplier clock) {
        this.err = err;
        this.label = label;
        this.total = Math.max(1, total);
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    boolean shown() {
        return lastDraw != Long.MIN_VALUE;
    }

    /** Reports that {@code done} of the total units are finished. */
    void update(long done) {
        long now = clock.getAsLong();
        if (now - start < DELAY_NANOS || (shown() && now - lastDraw < REDRAW_NANOS)) {
            return;
        }
        draw(done, now);
    }

    /** Draws the completed bar and ends its line, if the bar was shown at all. */
    void finish() {
        if (shown()) {
            draw(total, clock.getAsLong());
            err.println();
            err.flush();
        }
    }

    private void draw(long done, long now) {
        lastDraw = now;
        double fraction = Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = done >= total || rate <= 0 ? "" : String.format(Locale.ROOT, "  eta %s", duration((total - done) / rate));
        String line = String.format(Locale.ROOT, "%s [%s%s] %3d%%  %,d/%,d  %,.0f/s%s", label, "#".repeat(filled),
                "-".repeat(BAR_WIDTH - filled), (int) Math.floor(fraction * 100), done, total, rate, eta);
        // Blank out what a longer previous line left behind.
        String pad = " ".repeat(Math.max(0, lastLength - line.length()));
        lastLength = line.length();
        err.print("\r" + line + pad);
        err.flush();
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
