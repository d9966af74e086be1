package io.jarnn.cli;

import io.jarnn.core.Tensor;
import io.jarnn.core.npy.Npy;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** {@code jarnn logpsi}: logPsi of every configuration in a {@code .npy} file. */
final class LogPsiCommand implements Command {
    private static final CommandSpec SPEC = new CommandSpec("logpsi", List.of("MODEL"),
            "MODEL --inputs FILE.npy --out FILE.npy [--threads T]",
            "log-amplitudes of configurations from a .npy file",
            """
            Reads a (batch, sites) array of configurations (local state VALUES, e.g. +1/-1 for
            spin-1/2; any float or int dtype) and writes logPsi of each, float32 (batch,), where
            |psi(sigma)|^machine_pow is the probability of sigma.""",
            List.of(
                    Option.value("--inputs", "FILE.npy", "configurations, (batch, sites) (required)"),
                    Option.value("--out", "FILE.npy", "where to write logPsi, float32 (batch,) (required)"),
                    Models.THREADS));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        Models.Evaluation job = Models.evaluation(args);
        Tensor logPsi = job.model().logPsi(job.inputs());
        Npy.write(job.outFile(), logPsi);
        out.printf(Locale.ROOT, "wrote %s: float32 (%d,), logPsi of %s%n", job.outFile(), logPsi.dim(0),
                job.inputsFile());
        return 0;
    }
}
