package io.jarnn.cli;

import io.jarnn.core.Tensor;
import io.jarnn.core.npy.Npy;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.DirectSampler;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code jarnn sample}: exact samples into a {@code .npy}, with a progress bar on stderr for runs
 * longer than a second and the throughput at the end. The samples are those of one
 * {@code DirectSampler.of(model).sample(n, seed, ...)} call (see {@link ChunkedSampling}).
 */
final class SampleCommand implements Command {
    /** Sampler chunks per progress step and thread: a few thousand samples, a few hundredths of a second. */
    static final int CHUNKS_PER_STEP_AND_THREAD = 16;
    /** The largest array a Tensor (and so one output file) holds. */
    private static final long MAX_VALUES = Integer.MAX_VALUE - 16;

    private static final CommandSpec SPEC = new CommandSpec("sample", List.of("MODEL"),
            "MODEL --samples N --out FILE.npy [--seed S] [--log-prob] [--log-prob-out FILE.npy] [--threads T]",
            "draw exact samples (and log-probabilities) into .npy files",
            """
            Draws N exact, independent samples site by site, as NetKet's ARDirectSampler does (no
            Markov chain, no burn-in), and writes them as a float32 (N, sites) array of local values.
            The same seed gives the same samples for any --threads, and the same as the Java call
            DirectSampler.of(model).sample(N, seed, ...).""",
            List.of(
                    Option.value("--samples", "N", "number of samples (required)"),
                    Option.value("--seed", "S", "random seed (default 0)"),
                    Option.value("--out", "FILE.npy", "where to write the samples, float32 (N, sites) (required)"),
                    Option.flag("--log-prob", "also write log p(sample) = machine_pow * logPsi, float32 (N,)"),
                    Option.value("--log-prob-out", "FILE.npy", "where to write them (implies --log-prob;\n"
                            + "default: the --out name with .npy replaced by .log_prob.npy)"),
                    Models.THREADS));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        int n = args.requiredInteger("--samples", 1);
        long seed = args.longValue("--seed", 0);
        Path samplesFile = OutputPaths.requireWritable(args, "--out", args.requiredPath("--out"), ".npy");
        Optional<Path> logProbFile = logProbFile(args, samplesFile);
        Path modelFile = args.positionalPath(0);
        OutputPaths.requireDistinct(args, "MODEL", modelFile, "--out", samplesFile);
        if (logProbFile.isPresent()) {
            OutputPaths.requireWritable(args, "--log-prob-out", logProbFile.get(), ".npy");
            OutputPaths.requireDistinct(args, "--out", samplesFile, "--log-prob-out", logProbFile.get());
            OutputPaths.requireDistinct(args, "MODEL", modelFile, "--log-prob-out", logProbFile.get());
        }
        ARNN model = Models.load(args);
        int sites = model.hilbert().size();
        if ((long) n * sites > MAX_VALUES) {
            throw args.usage(String.format(Locale.ROOT, "--samples: %,d samples of %,d sites are %,d values, more than "
                    + "one array holds (%,d); sample in several runs with different --seed", n, sites,
                    (long) n * sites, MAX_VALUES));
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
        return 0;
    }

    private static Optional<Path> logProbFile(Args args, Path samplesFile) {
        Optional<Path> given = args.path("--log-prob-out");
        if (given.isPresent() || !args.flag("--log-prob")) {
            return given;
        }
        String name = samplesFile.getFileName().toString();
        return Optional.of(samplesFile.resolveSibling(name.substring(0, name.length() - ".npy".length())
                + ".log_prob.npy"));
    }
}
