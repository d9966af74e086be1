package io.jarnn.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The live line of a training run on stderr:
 * <pre>
 * step 120/300  E = -25.10231 ± 0.00412  rel. error 2.31e-04  14.2 steps/s  eta 13s
 * </pre>
 * (no relative error without an exact energy). On a terminal it is redrawn in place with
 * {@code '\r'}, at most every {@link ProgressBar#REDRAW_NANOS}, from the first step on (a step
 * is long enough to be worth seeing); anywhere else a plain line at most every
 * {@link ProgressBar#LOG_NANOS}, so that a log file gets a trace and not thousands of frames.
 * A drawn terminal line is always ended: by {@link #close()}, or by a shutdown hook on Ctrl-C.
 */
final class TrainingProgress implements AutoCloseable {
    private final PrintStream err;
    private final int firstStep;
    private final int totalSteps;
    private final LongSupplier clock;
    private final boolean terminal;
    private final long start;
    private final TerminalLine terminalLine;
    private long lastDraw = Long.MIN_VALUE;

    /**
     * Progress of the steps {@code firstStep+1 .. totalSteps} (a resumed run starts after step
     * {@code firstStep}); {@code clock} in nanoseconds; {@code terminal}: whether {@code err} is one.
     */
    TrainingProgress(PrintStream err, int firstStep, int totalSteps, LongSupplier clock, boolean terminal) {
        this.err = err;
        this.firstStep = firstStep;
        this.totalSteps = totalSteps;
        this.clock = clock;
        this.terminal = terminal;
        this.start = clock.getAsLong();
        this.terminalLine = new TerminalLine(err, "jarnn-training-progress");
    }

    /** Step {@code step} (1-based) is done with {@code energy ± error}; {@code relativeError} NaN if unknown. */
    synchronized void update(int step, double energy, double error, double relativeError) {
        long now = clock.getAsLong();
        if (terminal) {
            if (lastDraw != Long.MIN_VALUE && now - lastDraw < ProgressBar.REDRAW_NANOS && step < totalSteps) {
                return;
            }
            lastDraw = now;
            terminalLine.redraw(line(step, energy, error, relativeError, now));
        } else if (now - (lastDraw == Long.MIN_VALUE ? start : lastDraw) >= ProgressBar.LOG_NANOS && step < totalSteps) {
            lastDraw = now;
            err.println(line(step, energy, error, relativeError, now));
            err.flush();
        }
    }

    /** The text of the line for step {@code step} at time {@code now}. */
    String line(int step, double energy, double error, double relativeError, long now) {
        double seconds = (now - start) / 1e9;
        int done = step - firstStep;
        double rate = seconds > 0 ? done / seconds : 0;
        String rel = Double.isNaN(relativeError) ? "" : String.format(Locale.ROOT, "  rel. error %.2e", relativeError);
        String eta = step >= totalSteps || rate <= 0 ? ""
                : "  eta " + ProgressBar.duration((totalSteps - step) / rate);
        return String.format(Locale.ROOT, "step %d/%d  E = %s%s  %.1f steps/s%s", step, totalSteps,
                EnergyFormat.plusMinus(energy, error), rel, rate, eta);
    }

    /** Ends a drawn line (so that other output starts a line of its own); idempotent. */
    void endLine() {
        terminalLine.endLine();
    }

    /** Ends a drawn line and drops its shutdown hook; idempotent. */
    @Override
    public void close() {
        terminalLine.close();
    }
}
