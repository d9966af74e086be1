package io.jarnn.cli;

import io.jarnn.core.Tensor;
import io.jarnn.nn.DirectSampler;

import java.util.function.LongConsumer;

/**
 * Fills the output of one {@link DirectSampler} run in several calls, so that a progress bar can
 * follow it, and with exactly the samples that one call {@code sampler.sample(seed, out, logProb)}
 * would give: the output of {@code jarnn sample} does not depend on how it was cut up, on
 * {@code --threads}, or on whether it was sampled from Java or from the command line.
 *
 * <p>How: DirectSampler draws chunk c (rows {@code [c*chunk, (c+1)*chunk)}) from a stream seeded
 * by {@code seed + STREAM_STEP * (c + 1)} (its {@code streamFor}). A call over rows starting at
 * chunk f with seed {@code seed + STREAM_STEP * f} therefore draws, in its chunk c, exactly what
 * the single call draws in chunk {@code f + c} (arithmetic mod 2^64 is exact). This relies on
 * DirectSampler's stream derivation; {@code ChunkedSamplingTest} compares against one call and
 * fails if it ever changes. Every call but the last covers a whole number of chunks, so the last
 * (ragged) chunk is the same as well.
 */
final class ChunkedSampling {
    /** DirectSampler's per-chunk seed increment (the golden-ratio constant of SplitMix64). */
    static final long STREAM_STEP = 0x9E3779B97F4A7C15L;

    private ChunkedSampling() {
    }

    /** The seed whose chunk 0 is chunk {@code firstChunk} of a single call with {@code seed}. */
    static long seedFromChunk(long seed, long firstChunk) {
        return seed + STREAM_STEP * firstChunk;
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
            long firstChunk = first / sampler.chunkSize();
            sampler.sample(seedFromChunk(seed, firstChunk), configurations.slice(first, end),
                    logProbabilities == null ? null : logProbabilities.slice(first, end));
            progress.accept(end);
        }
    }
}
