package io.jarnn.cli;

import io.jarnn.core.Tensor;
import io.jarnn.nn.DirectSampler;

import java.util.function.LongConsumer;

/**
 * Fills the output of one {@link DirectSampler} run in several calls, so that a progress bar can
 * follow it, with exactly the samples that one call {@code sampler.sample(seed, out, logProb)}
 * would give: {@link DirectSampler#sample(long, long, Tensor, Tensor)} samples any run of whole
 * chunks of the seed's sequence. The output of {@code jarnn sample} therefore does not depend on
 * how it was cut up, on {@code --threads}, or on whether it was sampled from Java or from the
 * command line.
 */
final class ChunkedSampling {
    private ChunkedSampling() {
    }

    /**
     * Fills {@code configurations} (n, N) and, unless null, {@code logProbabilities} (n,) as
     * {@code sampler.sample(seed, configurations, logProbabilities)} does, in calls of
     * {@code chunksPerCall} sampler chunks, reporting the rows done after each call.
     */
    static void sample(DirectSampler sampler, long seed, Tensor configurations, Tensor logProbabilities,
                       int chunksPerCall, LongConsumer progress) {
        if (chunksPerCall < 1) {
            throw new IllegalArgumentException("chunksPerCall: expected >= 1 but got " + chunksPerCall);
        }
        int n = configurations.dim(0);
        int rowsPerCall = (int) Math.min(n, (long) chunksPerCall * sampler.chunkSize());
        for (int first = 0; first < n; first += rowsPerCall) {
            int end = (int) Math.min(n, (long) first + rowsPerCall);
            sampler.sample(seed, first, configurations.slice(first, end),
                    logProbabilities == null ? null : logProbabilities.slice(first, end));
            progress.accept(end);
        }
    }
}
