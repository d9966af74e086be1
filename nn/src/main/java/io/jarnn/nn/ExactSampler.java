package io.jarnn.nn;

import io.jarnn.core.DType;
import io.jarnn.core.NdArray;

/**
 * An exact sampler of either precision: {@link DirectSampler} for an {@link ARNN},
 * {@link DirectSampler64} for an {@link ARNN64} (see {@link AutoregressiveModel#sampler()}).
 * Samples depend on the seed, the row and the chunk size only, never on the thread count; a
 * float64 model's samples are drawn from its float64 conditionals. Not thread-safe.
 */
public sealed interface ExactSampler permits DirectSampler, DirectSampler64 {

    AutoregressiveModel model();

    /** The precision of the model and of the arrays {@link #sample} fills. */
    default DType dtype() {
        return model().dtype();
    }

    int chunkSize();

    int threads();

    /** The same sampler with another chunk size (changes which stream draws which sample). */
    ExactSampler withChunkSize(int chunkSize);

    /** The same sampler on up to {@code threads} threads (the samples do not change). */
    ExactSampler withThreads(int threads);

    /**
     * Fills {@code configurations} (n, N) with samples {@code firstRow .. firstRow + n - 1} of
     * {@code seed}'s sequence and, unless it is null, {@code logProbabilities} (n,) with their
     * log-probabilities; both arrays in the sampler's {@link #dtype()}. {@code firstRow} must be
     * a multiple of {@link #chunkSize()}.
     */
    void sample(long seed, long firstRow, NdArray configurations, NdArray logProbabilities);
}
