package io.jarnn.cli;

import java.io.IOException;
import java.io.PrintStream;

/** One {@code jarnn} subcommand. */
interface Command {
    /** Flags, positionals and help text; {@link Args} parses against it. */
    CommandSpec spec();

    /**
     * Runs the command: results and reports on {@code out}, progress and timings on {@code err}.
     * Returns the exit status (0 on success).
     *
     * @throws UsageException  for arguments that cannot be run (exit status 2)
     * @throws CommandFailure  for a well-formed command that cannot do its job (exit status 1)
     * @throws IOException     for unreadable or unwritable files (exit status 1)
     */
    int run(Args args, PrintStream out, PrintStream err) throws IOException;
}
