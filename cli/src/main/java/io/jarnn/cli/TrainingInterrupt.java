package io.jarnn.cli;

import io.jarnn.vmc.VmcDriver;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Ctrl-C (SIGINT) or SIGTERM during {@code jarnn train} (or {@code jarnn spark train}, whose
 * Spark steps run in the same {@link VmcDriver} loop): the run stops after the step it is in
 * ({@link VmcDriver#requestStop()}), and the command then writes its final checkpoint (model and
 * optimiser state, each file atomically), its log and plot, and exits with the signal's status
 * (130 for SIGINT, 143 for SIGTERM; {@link #exitStatus}). Continuing from that checkpoint with
 * {@code --model} follows the same trajectory as a run that was never stopped.
 *
 * <p>Signal handlers, not a shutdown hook: once the JVM's shutdown has begun, files are no longer
 * written (core's temporary-file hook refuses, so that nothing half-written survives), so the
 * signal must not start it. The handlers replace the JVM's own for the run and are put back by
 * {@link #close()}. A second signal exits at once, without a checkpoint (the last one written
 * stays intact). A signal before the driver runs (while the exact energy is computed, say) has
 * no step to wait for: it exits at once. A signal that the process ignores (a job started in the
 * background by a non-interactive shell ignores SIGINT) stays ignored.
 */
public final class TrainingInterrupt implements AutoCloseable {
    private static final String[] SIGNALS = {"INT", "TERM"};

    private final PrintStream err;
    private final String command;
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private volatile VmcDriver driver;
    private volatile String checkpoint;
    private volatile int signalled;

    /** Handlers for {@code jarnn train}, reporting on {@code err}. */
    public TrainingInterrupt(PrintStream err) {
        this(err, "jarnn train");
    }

    /**
     * Handlers for the training command {@code command} (the start of its messages, e.g.
     * {@code "jarnn spark train"}), reporting on {@code err}.
     */
    public TrainingInterrupt(PrintStream err, String command) {
        if (err == null || command == null) {
            throw new IllegalArgumentException("err, command: expected a stream and a command name but got " + err
                    + ", " + command);
        }
        this.err = err;
        this.command = command;
        for (String name : SIGNALS) {
            Signal signal = new Signal(name);
            try {
                SignalHandler old = Signal.handle(signal, this::onSignal);
                signals.add(signal);
                previous.add(old);
            } catch (IllegalArgumentException e) {
                // The JVM or the OS keeps this signal (e.g. -Xrs): its default stays.
            }
        }
    }

    /** The driver now running, writing its checkpoints to {@code checkpoint}. */
    public void attach(VmcDriver driver, String checkpoint) {
        this.checkpoint = checkpoint;
        this.driver = driver;
    }

    /** Whether a stop was signalled. */
    public boolean stopped() {
        return signalled != 0;
    }

    /** 128 + the signal's number once one came (the shell's convention), else {@code otherwise}. */
    public int exitStatus(int otherwise) {
        return signalled != 0 ? 128 + signalled : otherwise;
    }

    private void onSignal(Signal signal) {
        VmcDriver d = driver;
        boolean second = signalled != 0;
        signalled = signal.getNumber();
        if (d == null || second) {
            synchronized (err) {
                err.println();
                err.println(command + ": stopped by SIG" + signal.getName()
                        + (second ? " before the final checkpoint; the last one written is intact" : ""));
                err.flush();
            }
            System.exit(128 + signal.getNumber());
        }
        d.requestStop();
        synchronized (err) {
            err.println();
            err.println(command + ": SIG" + signal.getName() + ": stopping after step " + (d.step() + 1)
                    + ", then writing " + checkpoint + " (a second signal stops without it)");
            err.flush();
        }
    }

    /** Puts the previous handlers back. */
    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
        signals.clear();
        previous.clear();
    }
}
