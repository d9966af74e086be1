package io.jarnn.cli;

import picocli.CommandLine.Option;

/**
 * The options every {@code jarnn} command takes, mixed into each. {@code --debug} is also read
 * by {@link Main} before parsing, so that it applies to errors in the command line itself.
 */
final class CommonOptions {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help")
    boolean help;

    @Option(names = "--debug", description = "print the stack trace of an error")
    boolean debug;
}
