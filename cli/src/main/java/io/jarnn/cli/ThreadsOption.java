package io.jarnn.cli;

import io.jarnn.nn.ARNN;
import picocli.CommandLine.Option;

/** {@code --threads}, shared by the commands that run a model. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "T", converter = Converters.PositiveInt.class,
            description = {"threads to use (default: one per processor);", "results do not depend on it"})
    Integer threads;

    /** {@code model} on the requested threads, or on its own default. */
    ARNN apply(ARNN model) {
        return threads == null ? model : model.withThreads(threads);
    }
}
