package io.jarnn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code jarnn demo} (also {@code jarnn} alone): the built-in demo, {@link Demo}. */
@Command(name = "demo", description = {
        "the built-in demo (the default with no command)",
        "",
        """
        Builds dense and conv1d models on spin-1/2 with 10 sites from a fixed seed, prints the \
        conditionals and logPsi of a few configurations, and checks that the probabilities of all \
        1024 configurations sum to one."""})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    private final PrintStream out;

    DemoCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        Demo.run(out);
        return Main.OK;
    }
}
