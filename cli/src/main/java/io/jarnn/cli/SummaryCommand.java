package io.jarnn.cli;

import io.jarnn.io.ModelFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/** {@code jarnn summary}: the flax-style table of a model file. */
final class SummaryCommand implements Command {
    private static final CommandSpec SPEC = new CommandSpec("summary", List.of("MODEL"), "MODEL [--batch B]",
            "print a model's layers, shapes and parameter counts",
            """
            Prints a table in the spirit of flax's tabulate: each layer's path in NetKet's parameter
            tree, type, input and output shapes for a batch of B configurations, parameter shapes and
            counts (stored by jarnn, effective, and in NetKet's arrays), bytes, and the totals.""",
            List.of(Option.value("--batch", "B", "batch size shown in the shapes (default 1)")));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        int batch = args.integer("--batch", 1, 1);
        out.print(ModelFiles.load(args.positionalPath(0)).summary(batch));
        return 0;
    }
}
