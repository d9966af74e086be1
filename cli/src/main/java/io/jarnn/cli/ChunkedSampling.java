package io.jarnn.cli;

import io.jarnn.core.DType;
import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import io.jarnn.nn.DirectSampler;
import io.jarnn.nn.ExactSampler;

import java.io.IOException;

/**
 * Produces the output of one {@link ExactSampler} run a block of rows at a time, so that a run
 * of any length needs the memory of two blocks and a progress bar can follow it. The rows are
 * exactly those one call {@code sampler.sample(seed, out, logProb)} would give:
 * {@link DirectSampler#sample(long, long, Tensor, Tensor)} (and its float64 twin) samples any run
 * of whole chunks of the seed's sequence. The output of {@code jarnn sample} therefore does not
 * depend on how it was cut up, on {@code --threads}, or on whether it was sampled from Java or
 * from the command line.
 *
 * <p>Sampling and writing overlap: the calling thread samples block k + 1 into one of two
 * buffers while a {@link BlockWriterThread} hands block k, in the other, to the consumer. The
 * sampler's threads no longer wait for each block's write (at 400 MB per 10^6 samples of 100
 * sites, the write is a part of the run that a second sampling thread cannot shorten).
 */
final class ChunkedSampling {
    private ChunkedSampling() {
    }

    /**
     * Receives consecutive blocks of rows, one at a time and in order, on a writer thread of
     * its own (not the thread that called {@link #sample}); the arrays are views of a buffer
     * that is sampled into again once {@code accept} has returned.
     */
    @FunctionalInterface
    interface Blocks {
        /**
         * Rows {@code firstRow .. firstRow + configurations.dim(0) - 1}: configurations (rows, N)
         * and, unless sampled without them, their log-probabilities (rows,), else null; both in
         * the sampler's dtype.
         */
        void accept(long firstRow, NdArray configurations, NdArray logProbabilities) throws IOException;
    }

    /** Fills a block: rows {@code firstRow ..} of the run into the given views. */
    @FunctionalInterface
    interface BlockSource {
        void sample(long firstRow, NdArray configurations, NdArray logProbabilities);
    }

    /**
     * Samples rows {@code 0 .. n-1} of {@code seed}'s sequence in blocks of {@code chunksPerBlock}
     * sampler chunks (the last block may be shorter) and hands each block to {@code blocks}.
     * Allocates two (block rows, N) buffers, and two (block rows,) if {@code withLogProbabilities},
     * in the sampler's dtype (one of each when there is one block). Returns when every block is
     * written; throws the first failure of the sampler or of {@code blocks}, and then no block is
     * being written any more.
     *
     * @throws java.io.InterruptedIOException if the calling thread is interrupted (checked
     *                                        between blocks; its interrupt status stays set)
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
        sample(sampler.dtype(), sampler.model().hilbert().size(), n, blockRows, withLogProbabilities,
                (first, c, lp) -> sampler.sample(seed, first, c, lp), blocks);
    }

    /** The block loop of {@link #sample(ExactSampler, long, long, boolean, int, Blocks)} on any source. */
    static void sample(DType dtype, int sites, long n, int blockRows, boolean withLogProbabilities, BlockSource source,
                       Blocks blocks) throws IOException {
        long blockCount = (n + blockRows - 1) / blockRows;
        BlockBuffer[] buffers = new BlockBuffer[(int) Math.min(2, blockCount)];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = new BlockBuffer(dtype, blockRows, sites, withLogProbabilities);
        }
        try (BlockWriterThread writer = BlockWriterThread.start(blocks)) {
            for (long k = 0; k < blockCount; k++) {
                long first = k * blockRows;
                int rows = (int) Math.min(blockRows, n - first);
                BlockBuffer buffer = buffers[(int) (k % buffers.length)];
                // Block k - 2 used this buffer: it must be on disk before the buffer is sampled into again.
                writer.awaitWritten(Math.max(0, k - 1));
                NdArray c = buffer.configurations(rows);
                NdArray lp = buffer.logProbabilities(rows);
                source.sample(first, c, lp);
                writer.submit(first, c, lp);
            }
            writer.awaitWritten(blockCount);
        }
    }

    /** One block's arrays, allocated once; the last, shorter block is a view of their first rows. */
    private static final class BlockBuffer {
        private final int rows;
        private final NdArray configurations;
        private final NdArray logProbabilities;

        BlockBuffer(DType dtype, int rows, int sites, boolean withLogProbabilities) {
            this.rows = rows;
            configurations = zeros(dtype, rows, sites);
            logProbabilities = withLogProbabilities ? zeros(dtype, rows) : null;
        }

        NdArray configurations(int used) {
            return used == rows ? configurations : firstRows(configurations, used);
        }

        NdArray logProbabilities(int used) {
            return logProbabilities == null || used == rows ? logProbabilities : firstRows(logProbabilities, used);
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
