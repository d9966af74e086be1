package io.jarnn.cli;

import io.jarnn.nn.AutoregressiveModel;
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

/** {@code jarnn energy}: the variational energy of a saved model, from exact samples. */
@Command(name = "energy", description = {
        "the energy <H> ± error of a saved model",
        "",
        """
        Draws N exact samples of the model and averages the local energies \
        E_loc(s) = sum_s' H[s,s'] psi(s') / psi(s); the error is the standard error of that mean \
        (the samples are independent, so no autocorrelation enters). When the exact ground-state \
        energy is known cheaply (the Ising chain's closed form, or Lanczos on at most \
        2^22 = 4,194,304 states), the relative error against it is printed too."""})
final class EnergyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", converter = Converters.FileName.class,
            description = "a model file written by jarnn init or train")
    Path modelFile;

    @Mixin
    SystemOptions system;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "4096", converter = Converters.PositiveInt.class,
            description = "number of exact samples (default ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", converter = Converters.Seed.class,
            description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    DTypeOption dtype;

    @Mixin
    ThreadsOption threads;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    private final PrintStream out;

    EnergyCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws IOException {
        Physics.System physics = Physics.of(spec, system);
        AutoregressiveModel model = Models.load(modelFile, dtype, threads);
        Physics.requireSameSpace(modelFile, model, physics);
        long start = System.nanoTime();
        Physics.Estimate e = physics.estimate(model, samples, seed);
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "<H> = %s  (variance %.6g; %,d exact samples, seed %d, %.2f s)%n",
                EnergyFormat.plusMinus(e.mean(), e.error()), e.variance(), samples, seed, seconds);
        physics.exact(Physics.LANCZOS_LIMIT).ifPresent(x -> out.printf(Locale.ROOT,
                "exact %.10f (%s): relative error %.2e%n", x.value(), x.method(),
                Math.abs(e.mean() - x.value()) / Math.abs(x.value())));
        return Main.OK;
    }
}
