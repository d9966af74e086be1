package io.jarnn.cli;

import io.jarnn.core.DType;
import io.jarnn.core.npy.AtomicFileSet;
import io.jarnn.core.npy.NpyStreamWriter;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNN64;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.nn.ExactSampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/**
 * {@code jarnn sample}: exact samples into a {@code .npy}, with a progress bar on stderr for runs
 * longer than a second and the throughput at the end. The samples are those of one
 * {@code model.sampler().sample(n, seed, ...)} call (see {@link ChunkedSampling}), in the model's
 * dtype.
 *
 * <p>Memory is two blocks of rows, whatever {@code --samples}: blocks are streamed into
 * temporary files ({@link NpyStreamWriter}; the header needs only the shape), each written by a
 * writer thread while the next is sampled ({@link ChunkedSampling}). The samples and
 * their log-probabilities are one {@link AtomicFileSet} with the samples as its primary file:
 * after both are complete, under the lock {@code .OUT.npy.lock}, the old samples file and a stale
 * default companion are deleted, the log-probabilities renamed into place, then the samples. At
 * no moment does a samples file stand next to log-probabilities of another run; a reader that
 * finds the samples file finds its own log-probabilities.
 */
@Command(name = "sample", description = {
        "draw exact samples (and log-probabilities) into .npy files",
        "",
        """
        Draws N exact, independent samples site by site, as NetKet's ARDirectSampler does (no \
        Markov chain, no burn-in), and writes them as an (N, sites) array of local values. \
        The same seed gives the same samples for any --threads, and the same as the Java call \
        model.sampler().sample(N, seed, ...).""",
        "",
        """
        Samples are drawn from the model's conditionals in its dtype, and written in it with the \
        log-probabilities (float32 '<f4' or float64 '<f8'; see --dtype). The two precisions draw \
        from the same random numbers, but a site whose cumulative probability lands within \
        rounding of the random number may be drawn differently.""",
        "",
        """
        Samples go to disk as they are drawn, so memory does not grow with N, into hidden \
        temporary files renamed into place only when complete: a failure or Ctrl-C leaves the \
        previous files as they were and no temporary file. A samples file never sits next to \
        another run's log-probabilities: the old samples file is removed first (with old \
        log-probabilities under the default name that this run does not rewrite), then the new \
        log-probabilities are renamed into place, the samples last. Runs writing the same --out \
        take turns through a lock file, .FILE.npy.lock."""})
final class SampleCommand implements Callable<Integer> {
    /** Sampler chunks per progress step and thread: a few thousand samples, a few hundredths of a second. */
    static final int CHUNKS_PER_STEP_AND_THREAD = 16;
    /**
     * Bytes written between two forces of the temporary files to the device, from the writer
     * thread: the device then works while the next blocks are sampled, instead of for the whole
     * output at the commit (about a second per 400 MB on a virtual disk at a few hundred MB/s).
     */
    static final long FORCE_BYTES = 64L << 20;
    /** Bytes of a .npy header, at most, for the space check. */
    private static final long NPY_HEADER_BYTES = 128;

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
            description = {"where to write the samples, (N, sites),", "in the model's dtype (required)"})
    Path samplesFile;

    @Option(names = "--log-prob", arity = "0", description = "also write log p(sample) = machine_pow * logPsi, (N,)")
    boolean logProb;

    @Option(names = "--log-prob-out", paramLabel = "FILE.npy", converter = Converters.FileName.class,
            description = {"where to write them (implies --log-prob;",
                    "default: the --out name with .npy replaced by .log_prob.npy)"})
    Path logProbOut;

    @Mixin
    DTypeOption dtype;

    @Mixin
    ThreadsOption threads;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;
    /** Wraps each output stream; tests make it fail as a full disk would. */
    UnaryOperator<OutputStream> outputFilter = UnaryOperator.identity();

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
        AutoregressiveModel model = Models.load(modelFile, dtype, threads);
        DType precision = model.dtype();
        int n = samples;
        int sites = model.hilbert().size();
        Map<Path, Long> sizes = new LinkedHashMap<>();
        sizes.put(samplesFile, NPY_HEADER_BYTES + (long) precision.bytes() * n * sites);
        logProbFile.ifPresent(f -> sizes.put(f, NPY_HEADER_BYTES + (long) precision.bytes() * n));
        OutputPaths.requireSpace(sizes);
        ExactSampler sampler = model.sampler();

        // Samples stream to temporary files block by block (memory does not grow with N) and are
        // put in place together at the end; see AtomicFileSet for the protocol.
        Optional<Path> stale = staleCompanion(logProbFile);
        try (AtomicFileSet files = AtomicFileSet.of(samplesFile)) {
            NpyStreamWriter samplesOut = new NpyStreamWriter(outputFilter.apply(files.create(samplesFile)), precision,
                    n, sites);
            NpyStreamWriter logProbOut = logProbFile.isPresent()
                    ? new NpyStreamWriter(outputFilter.apply(files.create(logProbFile.get())), precision, n)
                    : null;
            stale.ifPresent(files::deleteOnCommit);

            long start = System.nanoTime();
            try (ProgressBar bar = new ProgressBar(err, "sampling", n, System::nanoTime,
                    err == System.err && ProgressBar.stderrIsTerminal())) {
                // Runs on ChunkedSampling's writer thread, beside the sampling of the next block.
                long[] unforcedBytes = {0};
                ChunkedSampling.sample(sampler, seed, n, logProbOut != null,
                        CHUNKS_PER_STEP_AND_THREAD * sampler.threads(), (first, configurations, logProbabilities) -> {
                            samplesOut.write(configurations);
                            unforcedBytes[0] += (long) precision.bytes() * configurations.size();
                            if (logProbOut != null) {
                                logProbOut.write(logProbabilities);
                                unforcedBytes[0] += (long) precision.bytes() * logProbabilities.size();
                            }
                            if (unforcedBytes[0] >= FORCE_BYTES) {
                                files.forceWritten();
                                unforcedBytes[0] = 0;
                            }
                            bar.update(first + configurations.size() / sites);
                        });
                bar.finish();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            err.printf(Locale.ROOT, "sampled %,d configurations of %s in %.2f s: %,.0f samples/s (%s, %s)%n",
                    n, model.hilbert(), seconds, n / seconds, threads(sampler.threads()), kernels(model));
            samplesOut.finish();
            if (logProbOut != null) {
                logProbOut.finish();
            }
            files.commit();
        }
        out.printf(Locale.ROOT, "wrote %s: %s (%d, %d), seed %d%n", samplesFile, precision, n, sites, seed);
        if (logProbFile.isPresent()) {
            out.printf(Locale.ROOT, "wrote %s: %s (%d,), log-probabilities%n", logProbFile.get(), precision, n);
        }
        if (stale.isPresent()) {
            out.printf(Locale.ROOT, "removed %s: log-probabilities of the samples %s replaced%n", stale.get(),
                    samplesFile);
        }
        return Main.OK;
    }

    /** The name of the kernels {@code model} computes on, e.g. {@code vector(512-bit, 16 lanes)}. */
    private static String kernels(AutoregressiveModel model) {
        return switch (model) {
            case ARNN m -> m.kernels().name();
            case ARNN64 m -> m.kernels().name();
        };
    }

    static String threads(int count) {
        return count == 1 ? "1 thread" : count + " threads";
    }

    /**
     * The default companion of {@code --out} when this run does not write it but it exists: it
     * holds the log-probabilities of the samples being replaced, and left in place it would
     * pass for those of the new ones. (Not when it is the model file, however oddly named.)
     */
    private Optional<Path> staleCompanion(Optional<Path> logProbFile) {
        Path companion = defaultCompanion();
        if (!Files.exists(companion, LinkOption.NOFOLLOW_LINKS)
                || logProbFile.isPresent() && OutputPaths.sameFile(companion, logProbFile.get())
                || OutputPaths.sameFile(companion, modelFile)) {
            return Optional.empty();
        }
        return Optional.of(companion);
    }

    private Path defaultCompanion() {
        String name = samplesFile.getFileName().toString();
        return samplesFile.resolveSibling(name.substring(0, name.length() - ".npy".length()) + ".log_prob.npy");
    }

    private Optional<Path> logProbFile() {
        if (logProbOut != null || !logProb) {
            return Optional.ofNullable(logProbOut);
        }
        return Optional.of(defaultCompanion());
    }
}
