package io.jarnn.cli;

import java.io.PrintStream;
import java.util.List;

/** {@code jarnn demo} (also {@code jarnn} alone): the built-in demo, {@link Demo}. */
final class DemoCommand implements Command {
    private static final CommandSpec SPEC = new CommandSpec("demo", List.of(), "",
            "the built-in demo (the default with no command)",
            """
            Builds dense and conv1d models on spin-1/2 with 10 sites from a fixed seed, prints the
            conditionals and logPsi of a few configurations, and checks that the probabilities of all
            1024 configurations sum to one.""",
            List.of());

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) {
        Demo.run(out);
        return 0;
    }
}
