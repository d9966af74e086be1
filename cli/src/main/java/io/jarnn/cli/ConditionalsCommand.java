package io.jarnn.cli;

import io.jarnn.core.Tensor;
import io.jarnn.core.npy.Npy;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** {@code jarnn conditionals}: the conditional probabilities of every configuration in a {@code .npy} file. */
final class ConditionalsCommand implements Command {
    private static final CommandSpec SPEC = new CommandSpec("conditionals", List.of("MODEL"),
            "MODEL --inputs FILE.npy --out FILE.npy [--threads T]",
            "conditional probabilities of configurations from a .npy file",
            """
            Reads a (batch, sites) array of configurations (local state VALUES) and writes the
            conditional probabilities p(sigma_i = local state k | sigma_<i), float32
            (batch, sites, local states); each (b, i) row sums to one.""",
            List.of(
                    Option.value("--inputs", "FILE.npy", "configurations, (batch, sites) (required)"),
                    Option.value("--out", "FILE.npy", "where to write them, float32 (batch, sites, local states)\n"
                            + "(required)"),
                    Models.THREADS));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        Models.Evaluation job = Models.evaluation(args);
        Tensor conditionals = job.model().conditionals(job.inputs());
        Npy.write(job.outFile(), conditionals);
        out.printf(Locale.ROOT, "wrote %s: float32 (%d, %d, %d), conditionals of %s%n", job.outFile(),
                conditionals.dim(0), conditionals.dim(1), conditionals.dim(2), job.inputsFile());
        return 0;
    }
}
