package io.jarnn.cli;

import io.jarnn.nn.AutoregressiveModel;
import picocli.CommandLine.Option;

/** {@code --threads}, shared by the commands that run a model. */
final class ThreadsOption {
    /**
     * The most {@code --threads} accepts. Fixed rather than a multiple of this machine's
     * processors, so that a command line valid on one machine is valid on every other (results
     * never depend on it); far above any core count (a call never starts more workers than it
     * has chunks or the machine has processors, so a high value costs nothing), yet it turns a
     * mistyped value such as 10000000 into a usage error.
     */
    static final int MAX_THREADS = 4096;

    @Option(names = "--threads", paramLabel = "T", converter = Converters.Threads.class,
            description = {"threads to use (default: one per processor);", "results do not depend on it"})
    Integer threads;

    /** {@code model} on the requested threads, or on its own default. */
    AutoregressiveModel apply(AutoregressiveModel model) {
        return threads == null ? model : model.withThreads(threads);
    }
}
