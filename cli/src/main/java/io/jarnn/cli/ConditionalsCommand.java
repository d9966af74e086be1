package io.jarnn.cli;

import io.jarnn.core.NdArray;
import io.jarnn.core.Shapes;
import io.jarnn.core.npy.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code jarnn conditionals}: the conditional probabilities of every configuration in a {@code .npy} file. */
@Command(name = "conditionals", description = {
        "conditional probabilities of configurations from a .npy file",
        "",
        """
        Reads a (batch, sites) array of configurations (local state VALUES) and writes the \
        conditional probabilities p(sigma_i = local state k | sigma_<i), (batch, sites, local \
        states); each (b, i) row sums to one. Computes and writes in the model's dtype (float32 \
        '<f4' or float64 '<f8'; see --dtype)."""})
final class ConditionalsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", converter = Converters.FileName.class,
            description = "a model file written by jarnn init")
    Path modelFile;

    @Option(names = "--inputs", paramLabel = "FILE.npy", required = true, converter = Converters.FileName.class,
            description = "configurations, (batch, sites) (required)")
    Path inputsFile;

    @Option(names = "--out", paramLabel = "FILE.npy", required = true, converter = Converters.FileName.class,
            description = {"where to write them, (batch, sites, local states),", "in the model's dtype (required)"})
    Path outFile;

    @Mixin
    DTypeOption dtype;

    @Mixin
    ThreadsOption threads;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    private final PrintStream out;

    ConditionalsCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws IOException {
        Models.Evaluation job = Models.evaluation(spec, modelFile, inputsFile, outFile, dtype, threads);
        NdArray conditionals = job.model().conditionals(job.inputs());
        Npy.write(job.outFile(), conditionals);
        out.printf(Locale.ROOT, "wrote %s: %s %s, conditionals of %s%n", job.outFile(), conditionals.dtype(),
                Shapes.format(conditionals.shape()), job.inputsFile());
        return Main.OK;
    }
}
