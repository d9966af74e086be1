package io.jarnn.cli;

import java.io.PrintStream;

/**
 * One status line on a terminal, redrawn in place with {@code '\r'} (a shorter line blanks out
 * what the previous one left), and always ended: by {@link #endLine()}, by {@link #close()}, or
 * by a shutdown hook when the JVM is stopped (Ctrl-C), so that an error message or the shell
 * prompt starts a line of its own. What {@link ProgressBar} and {@link TrainingProgress} share.
 */
final class TerminalLine implements AutoCloseable {
    private final PrintStream err;
    private final String hookName;
    private int lastLength;
    /** A frame is on screen and its line not yet ended. */
    private boolean lineOpen;
    private Thread hook;

    TerminalLine(PrintStream err, String hookName) {
        this.err = err;
        this.hookName = hookName;
    }

    /** Replaces the line on screen by {@code line}. */
    synchronized void redraw(String line) {
        String pad = " ".repeat(Math.max(0, lastLength - line.length()));
        lastLength = line.length();
        if (hook == null) {
            hook = new Thread(this::endLine, hookName);
            try {
                Runtime.getRuntime().addShutdownHook(hook);
            } catch (IllegalStateException e) {
                hook = null;
            }
        }
        err.print("\r" + line + pad);
        err.flush();
        lineOpen = true;
    }

    /** Ends a drawn line; idempotent. What the shutdown hook runs. */
    synchronized void endLine() {
        if (lineOpen) {
            err.println();
            err.flush();
            lineOpen = false;
        }
    }

    /** Ends a drawn line and drops the shutdown hook; idempotent. */
    @Override
    public synchronized void close() {
        endLine();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down; the hook ends the line itself.
            }
            hook = null;
        }
    }
}
