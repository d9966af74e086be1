package io.jarnn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code jarnn summary}: the flax-style table of a model file. */
@Command(name = "summary", description = {
        "print a model's layers, shapes and parameter counts",
        "",
        """
        Prints a table in the spirit of flax's tabulate: each layer's path in NetKet's parameter \
        tree, type, input and output shapes for a batch of B configurations, parameter shapes and \
        counts (stored by jarnn, effective, and in NetKet's arrays), bytes, and the totals. Shapes \
        and bytes are in the model's dtype (float32 or float64; see --dtype)."""})
final class SummaryCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", converter = Converters.FileName.class,
            description = "a model file written by jarnn init")
    Path modelFile;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "1", converter = Converters.PositiveInt.class,
            description = "batch size shown in the shapes (default ${DEFAULT-VALUE})")
    int batch;

    @Mixin
    DTypeOption dtype;

    @Mixin
    CommonOptions common;

    private final PrintStream out;

    SummaryCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws IOException {
        out.print(Models.load(modelFile, dtype).summary(batch));
        return Main.OK;
    }
}
