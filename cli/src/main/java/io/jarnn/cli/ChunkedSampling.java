package io.jarnn.cli;

import io.jarnn.core.DType;
import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import io.jarnn.nn.DirectSampler;
import io.jarnn.nn.ExactSampler;

import java.io.IOException;

/**
 * Produces the output of one {@link ExactSampler} run a block of rows at a time, in one
 * reused buffer, so that a run of any length needs the memory of one block and a progress bar
 * can follow it. The rows are exactly those one call {@code sampler.sample(seed, out, logProb)}
 * would give: {@link DirectSampler#sample(long, long, Tensor, Tensor)} (and its float64 twin)
 * samples any run of whole chunks of the seed's sequence. The output of {@code jarnn sample}
 * therefore does not depend on how it was cut up, on {@code --threads}, or on whether it was
 * sampled from Java or from the command line.
 */
final class ChunkedSampling {
    private ChunkedSampling() {
    }

    /** Receives consecutive blocks of rows; the arrays are views of a buffer reused for the next block. */
    @FunctionalInterface
    interface Blocks {
        /**
         * Rows {@code firstRow .. firstRow + configurations.dim(0) - 1}: configurations (rows, N)
         * and, unless sampled without them, their log-probabilities (rows,), else null; both in
         * the sampler's dtype.
         */
        void accept(long firstRow, NdArray configurations, NdArray logProbabilities) throws IOException;
    }

    /**
     * Samples rows {@code 0 .. n-1} of {@code seed}'s sequence in blocks of {@code chunksPerBlock}
     * sampler chunks (the last block may be shorter) and hands each block to {@code blocks}.
     * Allocates one (block rows, N) buffer, and one (block rows,) if {@code withLogProbabilities},
     * in the sampler's dtype.
     */
    static void sample(ExactSampler sampler, long seed, long n, boolean withLogProbabilities, int chunksPerBlock,
                       Blocks blocks) throws IOException {
        if (chunksPerBlock < 1) {
            throw new IllegalArgumentException("chunksPerBlock: expected >= 1 but got " + chunksPerBlock);
        }
        if (n < 1) {
            throw new IllegalArgumentException("n: expected >= 1 but got " + n);
        }
        int blockRows = (int) Math.min(n, (long) chunksPerBlock * sampler.chunkSize());
        NdArray configurations = zeros(sampler.dtype(), blockRows, sampler.model().hilbert().size());
        NdArray logProbabilities = withLogProbabilities ? zeros(sampler.dtype(), blockRows) : null;
        for (long first = 0; first < n; first += blockRows) {
            int rows = (int) Math.min(blockRows, n - first);
            NdArray c = rows == blockRows ? configurations : firstRows(configurations, rows);
            NdArray lp = logProbabilities == null || rows == blockRows ? logProbabilities
                    : firstRows(logProbabilities, rows);
            sampler.sample(seed, first, c, lp);
            blocks.accept(first, c, lp);
        }
    }

    private static NdArray zeros(DType dtype, int... shape) {
        return switch (dtype) {
            case FLOAT32 -> Tensor.zeros(shape);
            case FLOAT64 -> Tensor64.zeros(shape);
        };
    }

    /** A view of the first {@code rows} rows of {@code a}. */
    private static NdArray firstRows(NdArray a, int rows) {
        return switch (a) {
            case Tensor t -> t.slice(0, rows);
            case Tensor64 t -> t.slice(0, rows);
        };
    }
}
