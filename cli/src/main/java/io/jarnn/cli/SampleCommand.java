package io.jarnn.cli;

import io.jarnn.core.Tensor;
import io.jarnn.core.npy.Npy;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.DirectSampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code jarnn sample}: exact samples into a {@code .npy}, with a progress bar on stderr for runs
 * longer than a second and the throughput at the end. The samples are those of one
 * {@code DirectSampler.of(model).sample(n, seed, ...)} call (see {@link ChunkedSampling}).
 */
@Command(name = "sample", description = {
        "draw exact samples (and log-probabilities) into .npy files",
        "",
        """
        Draws N exact, independent samples site by site, as NetKet's ARDirectSampler does (no \
        Markov chain, no burn-in), and writes them as a float32 (N, sites) array of local values. \
        The same seed gives the same samples for any --threads, and the same as the Java call \
        DirectSampler.of(model).sample(N, seed, ...)."""})
final class SampleCommand implements Callable<Integer> {
    /** Sampler chunks per progress step and thread: a few thousand samples, a few hundredths of a second. */
    static final int CHUNKS_PER_STEP_AND_THREAD = 16;
    /** The largest array a Tensor (and so one output file) holds. */
    private static final long MAX_VALUES = Integer.MAX_VALUE - 16;

    @Parameters(index = "0", paramLabel = "MODEL", converter = Converters.FileName.class,
            description = "a model file written by jarnn init")
    Path modelFile;

    @Option(names = "--samples", paramLabel = "N", required = true, converter = Converters.PositiveInt.class,
            description = "number of samples (required)")
    int samples;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", converter = Converters.Seed.class,
            description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "FILE.npy", required = true, converter = Converters.FileName.class,
            description = "where to write the samples, float32 (N, sites) (required)")
    Path samplesFile;

    @Option(names = "--log-prob", arity = "0", description = "also write log p(sample) = machine_pow * logPsi, float32 (N,)")
    boolean logProb;

    @Option(names = "--log-prob-out", paramLabel = "FILE.npy", converter = Converters.FileName.class,
            description = {"where to write them (implies --log-prob;",
                    "default: the --out name with .npy replaced by .log_prob.npy)"})
    Path logProbOut;

    @Mixin
    ThreadsOption threads;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    SampleCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        OutputPaths.requireWritable(spec, "--out", samplesFile, ".npy");
        Optional<Path> logProbFile = logProbFile();
        OutputPaths.requireDistinct(spec, "MODEL", modelFile, "--out", samplesFile);
        if (logProbFile.isPresent()) {
            OutputPaths.requireWritable(spec, "--log-prob-out", logProbFile.get(), ".npy");
            OutputPaths.requireDistinct(spec, "--out", samplesFile, "--log-prob-out", logProbFile.get());
            OutputPaths.requireDistinct(spec, "MODEL", modelFile, "--log-prob-out", logProbFile.get());
        }
        ARNN model = Models.load(modelFile, threads);
        int n = samples;
        int sites = model.hilbert().size();
        if ((long) n * sites > MAX_VALUES) {
            throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT, "--samples: %,d samples of "
                    + "%,d sites are %,d values, more than one array holds (%,d); sample in several runs with "
                    + "different --seed", n, sites, (long) n * sites, MAX_VALUES));
        }
        Tensor configurations = Tensor.zeros(n, sites);
        Tensor logProbabilities = logProbFile.isPresent() ? Tensor.zeros(n) : null;
        DirectSampler sampler = DirectSampler.of(model);

        long start = System.nanoTime();
        ProgressBar bar = new ProgressBar(err, "sampling", n, System::nanoTime);
        ChunkedSampling.sample(sampler, seed, configurations, logProbabilities,
                CHUNKS_PER_STEP_AND_THREAD * sampler.threads(), bar::update);
        bar.finish();
        double seconds = (System.nanoTime() - start) / 1e9;
        err.printf(Locale.ROOT, "sampled %,d configurations of %s in %.2f s: %,.0f samples/s (%d threads, %s)%n",
                n, model.hilbert(), seconds, n / seconds, sampler.threads(), model.kernels().name());

        Npy.write(samplesFile, configurations);
        out.printf(Locale.ROOT, "wrote %s: float32 (%d, %d), seed %d%n", samplesFile, n, sites, seed);
        if (logProbFile.isPresent()) {
            Npy.write(logProbFile.get(), logProbabilities);
            out.printf(Locale.ROOT, "wrote %s: float32 (%d,), log-probabilities%n", logProbFile.get(), n);
        }
        return Main.OK;
    }

    private Optional<Path> logProbFile() {
        if (logProbOut != null || !logProb) {
            return Optional.ofNullable(logProbOut);
        }
        String name = samplesFile.getFileName().toString();
        return Optional.of(samplesFile.resolveSibling(name.substring(0, name.length() - ".npy".length())
                + ".log_prob.npy"));
    }
}
