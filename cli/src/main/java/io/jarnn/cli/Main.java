package io.jarnn.cli;

import io.jarnn.kernels.Kernels;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the {@code jarnn} command line. {@link #run} does everything and returns the
 * exit status, so tests run commands in-process; {@link #main} only exits with it.
 *
 * <p>Exit status: 0 success, 1 a failure while running (unreadable file, input that does not
 * fit the model, unwritable output), 2 a command line that cannot be run. Errors are one line on
 * stderr starting with {@code jarnn: }; {@code --debug} anywhere adds the stack trace.
 */
public final class Main {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;

    private static final Map<String, Command> COMMANDS = commands(new InitCommand(), new SummaryCommand(),
            new SampleCommand(), new LogPsiCommand(), new ConditionalsCommand(), new DemoCommand());

    private Main() {
    }

    private static Map<String, Command> commands(Command... commands) {
        Map<String, Command> map = new LinkedHashMap<>();
        for (Command c : commands) {
            map.put(c.spec().name(), c);
        }
        return map;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs {@code jarnn args...}, printing to {@code out} and {@code err}; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>(List.of(args));
        boolean debug = words.removeIf("--debug"::equals);
        try {
            return dispatch(words, out, err);
        } catch (UsageException e) {
            return fail(err, e, debug, USAGE, e.getMessage());
        } catch (CommandFailure | IOException | IllegalArgumentException e) {
            return fail(err, e, debug, FAILURE, ErrorMessages.describe(e));
        } catch (OutOfMemoryError e) {
            return fail(err, e, debug, FAILURE, "out of memory (give Java more, e.g. JARNN_JAVA_OPTS=-Xmx16g ./jarnn ..., "
                    + "or ask for less: fewer --samples or a smaller batch)");
        } catch (RuntimeException | Error e) {
            return fail(err, e, debug, FAILURE, "internal error: " + e
                    + (debug ? "" : " (run with --debug for the stack trace)"));
        } finally {
            out.flush();
        }
    }

    private static int fail(PrintStream err, Throwable e, boolean debug, int status, String message) {
        err.println("jarnn: " + ErrorMessages.oneLine(message));
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return status;
    }

    private static int dispatch(List<String> words, PrintStream out, PrintStream err) throws IOException {
        if (words.isEmpty()) {
            return COMMANDS.get("demo").run(Args.parse(COMMANDS.get("demo").spec(), List.of()), out, err);
        }
        String first = words.getFirst();
        switch (first) {
            case "--help", "-h" -> {
                out.print(help());
                return OK;
            }
            case "--version" -> {
                out.println("jarnn " + Version.get() + " (JDK " + Runtime.version() + ", kernels: "
                        + Kernels.active().name() + ")");
                return OK;
            }
            case "help" -> {
                if (words.size() == 1) {
                    out.print(help());
                    return OK;
                }
                out.print(command(words.get(1)).spec().help());
                return OK;
            }
            default -> {
                Command command = command(first);
                List<String> rest = words.subList(1, words.size());
                if (rest.contains("--help") || rest.contains("-h")) {
                    out.print(command.spec().help());
                    return OK;
                }
                return command.run(Args.parse(command.spec(), rest), out, err);
            }
        }
    }

    private static Command command(String name) {
        Command c = COMMANDS.get(name);
        if (c == null) {
            throw new UsageException((name.startsWith("-") ? "unknown option '" : "unknown command '") + name
                    + "'; commands: " + String.join(", ", COMMANDS.keySet()) + " (see jarnn --help)");
        }
        return c;
    }

    static String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("jarnn ").append(Version.get())
                .append(": NetKet's autoregressive networks (ARNNDense, ARNNConv1D) on the JDK Vector API\n\n");
        sb.append("usage: jarnn COMMAND [ARGS]      (no command: demo)\n\ncommands:\n");
        int width = COMMANDS.keySet().stream().mapToInt(String::length).max().orElse(0);
        COMMANDS.forEach((name, c) -> sb.append("  ").append(name).append(" ".repeat(width - name.length() + 2))
                .append(c.spec().summary()).append('\n'));
        sb.append("""

                options:
                  --help     this help; jarnn COMMAND --help for a command's
                  --version  print the version
                  --debug    print the stack trace of an error (with any command)

                Files are NumPy .npy/.npz. Configurations hold local state VALUES (+1/-1 for spin-1/2,
                0..n_max for Fock). Exit status: 0 ok, 1 failure while running, 2 bad command line.
                """);
        return sb.toString();
    }
}
