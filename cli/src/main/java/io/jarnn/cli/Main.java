package io.jarnn.cli;

import io.jarnn.nn.NonFiniteResultException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;

/**
 * Entry point of the {@code jarnn} command line. {@link #run} does everything and returns the
 * exit status, so tests run commands in-process; {@link #main} only exits with it.
 *
 * <p>Picocli parses; each subcommand is one {@code @Command} class. Exit status: 0 success, 1 a
 * failure while running (unreadable file, input that does not fit the model, unwritable
 * output), 2 a command line that cannot be run. Errors are one line on stderr starting with
 * {@code jarnn: }; {@code --debug} anywhere adds the stack trace.
 */
public final class Main {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs {@code jarnn args...}, printing to {@code out} and {@code err}; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Demo.Settings.DEFAULT);
    }

    /** {@link #run(String[], PrintStream, PrintStream)} with the demo's ground-state search as {@code demo} says (tests: a small one). */
    static int run(String[] args, PrintStream out, PrintStream err, Demo.Settings demo) {
        // Read before parsing: a command line that does not parse can still ask for the stack trace.
        List<String> words = List.of(args);
        boolean debug = words.contains("--debug");
        PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, out.charset()), true);
        try {
            CommandLine jarnn = commandLine(out, err, outWriter, demo);
            jarnn.setParameterExceptionHandler((e, a) -> fail(err, e, debug, USAGE, UsageErrors.describe(e, words)));
            jarnn.setExecutionExceptionHandler((e, command, parsed) -> failure(err, e, debug, words));
            return jarnn.execute(args);
        } catch (RuntimeException | Error e) {
            return failure(err, e, debug, words);
        } finally {
            outWriter.flush();
            out.flush();
        }
    }

    /** The command tree, printing to {@code out} and {@code err}. */
    private static CommandLine commandLine(PrintStream out, PrintStream err, PrintWriter outWriter,
                                           Demo.Settings demo) {
        CommandLine jarnn = new CommandLine(new JarnnCommand(out, err, demo));
        for (Object command : List.of(new InitCommand(out), new SummaryCommand(out), new SampleCommand(out, err),
                new LogPsiCommand(out), new ConditionalsCommand(out), new GradientCommand(out), new TrainCommand(out, err), new EnergyCommand(out),
                new ExactCommand(out), new DemoCommand(out, err, demo), new HelpCommand())) {
            jarnn.addSubcommand(command);
        }
        HelpLayout.apply(jarnn);
        // These apply to the commands present, so they come after addSubcommand.
        // Words are taken literally: no @file expansion, and "--out --typo" is a missing value, not a file "--typo".
        return jarnn.setExpandAtFiles(false)
                .setUnmatchedOptionsAllowedAsOptionParameters(false)
                .setOut(outWriter)
                .setErr(new PrintWriter(new OutputStreamWriter(err, err.charset()), true));
    }

    /** Reports an exception thrown while a command ran; returns the exit status. */
    private static int failure(PrintStream err, Throwable e, boolean debug, List<String> words) {
        if (e instanceof ParameterException p) {
            return fail(err, p, debug, USAGE, UsageErrors.describe(p, words));
        }
        return fail(err, e, debug, FAILURE, failureMessage(e, debug));
    }

    private static String failureMessage(Throwable e, boolean debug) {
        return switch (e) {
            // A class that failed to initialise, e.g. the kernels on a bad -Djarnn.kernels: its cause says why
            // (the first use throws ExceptionInInitializerError, later ones NoClassDefFoundError caused by it).
            case ExceptionInInitializerError i when i.getCause() != null -> failureMessage(i.getCause(), debug);
            case NoClassDefFoundError n when n.getCause() instanceof ExceptionInInitializerError i ->
                    failureMessage(i, debug);
            case CommandFailure f -> ErrorMessages.describe(f);
            case IOException f -> ErrorMessages.describe(f);
            case IllegalArgumentException f -> ErrorMessages.describe(f);
            case IllegalStateException f -> ErrorMessages.describe(f);
            case NonFiniteResultException f -> f.getMessage();
            case OutOfMemoryError f -> "out of memory (give Java more, e.g. JARNN_JAVA_OPTS=-Xmx16g ./jarnn ..., "
                    + "or ask for less: fewer --samples or a smaller batch)";
            default -> "internal error: " + e + (debug ? "" : " (run with --debug for the stack trace)");
        };
    }

    private static int fail(PrintStream err, Throwable e, boolean debug, int status, String message) {
        err.println("jarnn: " + ErrorMessages.oneLine(message));
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return status;
    }
}
