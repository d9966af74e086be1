package io.jarnn.cli;

import io.jarnn.core.Tensor;
import io.jarnn.core.npy.Npy;
import io.jarnn.nn.ARNN;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
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
        Path inputsFile = args.requiredPath("--inputs");
        Path outFile = OutputPaths.requireWritable(args, "--out", args.requiredPath("--out"), ".npy");
        OutputPaths.requireDistinct(args, "--inputs", inputsFile, "--out", outFile);
        ARNN model = Models.load(args);
        Tensor inputs = Models.inputs(model, inputsFile);
        Tensor logPsi = model.logPsi(inputs);
        Npy.write(outFile, logPsi);
        out.printf(Locale.ROOT, "wrote %s: float32 (%d,), logPsi of %s%n", outFile, logPsi.dim(0), inputsFile);
        return 0;
    }
}
