package io.jarnn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code jarnn help [COMMAND]}: the same text as {@code jarnn [COMMAND] --help}. */
@Command(name = "help", helpCommand = true, description = "print the help of jarnn or of one command")
final class HelpCommand implements Callable<Integer> {
    @Parameters(paramLabel = "COMMAND", arity = "0..1", description = "the command to describe")
    String command;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine jarnn = spec.root().commandLine();
        CommandLine described = command == null ? jarnn : jarnn.getSubcommands().get(command);
        if (described == null) {
            throw new UnmatchedArgumentException(jarnn, List.of(command));
        }
        described.usage(described.getOut());
        return Main.OK;
    }
}
