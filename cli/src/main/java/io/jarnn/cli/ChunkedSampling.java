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
 * <p>Sampling and writing overlap: the calling thread samples block k + 1 into one of a few
 * buffers while a {@link BlockWriterThread} hands block k, in another, to the consumer. The
 * sampler's threads do not wait for each block's write (at 400 MB per 10^6 samples of 100
 * sites, the write is a part of the run that a second sampling thread cannot shorten), nor,
 * with blocks small enough that several fit in {@link #BUFFER_BYTES}, for the consumer's
 * periodic force to the device: a tenth of a second per 64 MiB, during which two buffers of
 * 100 sites (a hundredth of a second each) had left both sampling threads idle, five times per
 * 10^6 samples.
 *
 * <p>While the JIT compilers are still busy with the sampler's code (the first block or two of
 * a run), blocks are sampled on one thread fewer if the sampler's threads would take every core
 * ({@link CompilerActivity}): sampling is hundreds of times slower until C2 has compiled the
 * kernels, and the compilers need a core to get there sooner.
 */
final class ChunkedSampling {
    /**
     * Bytes the block buffers may take together, and no more than an eighth of the heap: as
     * many blocks as fit (at least 2, at most {@link #MAX_BUFFERS}). 10^6 samples of 100 sites
     * on two threads make blocks of 0.8 MB, so 16 buffers, a tenth of a second of sampling;
     * blocks of 10^4 sites get two, each of them seconds of sampling.
     */
    static final long BUFFER_BYTES = 32L << 20;
    /** Most block buffers: beyond a few tenths of a second of sampling, more only cost memory. */
    static final int MAX_BUFFERS = 16;

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
     * Allocates {@link #buffers} (block rows, N) buffers, and as many (block rows,) if
     * {@code withLogProbabilities}, in the sampler's dtype (no more than there are blocks). Returns when every block is
     * written; throws the first failure of the sampler or of {@code blocks}, and then no block is
     * being written any more.
     *
     * @throws java.io.InterruptedIOException if the calling thread is interrupted (checked
     *                                        between blocks; its interrupt status stays set)
     */
    static void sample(ExactSampler sampler, long seed, long n, boolean withLogProbabilities, int chunksPerBlock,
                       Blocks blocks) throws IOException {
        sample(sampler, seed, n, withLogProbabilities, chunksPerBlock, CompilerActivity.ofThisJvm(), blocks);
    }

    /**
     * As {@link #sample(ExactSampler, long, long, boolean, int, Blocks)}, with the blocks sampled
     * while {@code compilers} are busy on {@link #warmUpSampler} (the same samples).
     */
    static void sample(ExactSampler sampler, long seed, long n, boolean withLogProbabilities, int chunksPerBlock,
                       CompilerActivity compilers, Blocks blocks) throws IOException {
        if (chunksPerBlock < 1) {
            throw new IllegalArgumentException("chunksPerBlock: expected >= 1 but got " + chunksPerBlock);
        }
        if (n < 1) {
            throw new IllegalArgumentException("n: expected >= 1 but got " + n);
        }
        int blockRows = (int) Math.min(n, (long) chunksPerBlock * sampler.chunkSize());
        int sites = sampler.model().hilbert().size();
        long budget = Math.min(BUFFER_BYTES, Runtime.getRuntime().maxMemory() / 8);
        ExactSampler warmingUp = warmUpSampler(sampler, Runtime.getRuntime().availableProcessors());
        sample(sampler.dtype(), sites, n, blockRows, buffers(sampler.dtype(), blockRows, sites, budget),
                withLogProbabilities,
                (first, c, lp) -> (compilers.busy() ? warmingUp : sampler).sample(seed, first, c, lp), blocks);
    }

    /**
     * The sampler for blocks sampled while the JIT compilers are busy ({@link CompilerActivity}):
     * one thread fewer when {@code sampler}'s threads would take all {@code processors}, so
     * that the compilers have a core; else {@code sampler} itself. The samples are the same
     * for any thread count.
     */
    static ExactSampler warmUpSampler(ExactSampler sampler, int processors) {
        return sampler.threads() > 1 && sampler.threads() >= processors
                ? sampler.withThreads(sampler.threads() - 1)
                : sampler;
    }

    /**
     * Block buffers for blocks of (rows, sites) in {@code dtype}, with their log-probabilities:
     * as many as fit in {@code budget} bytes, 2 to {@link #MAX_BUFFERS}.
     */
    static int buffers(DType dtype, int rows, int sites, long budget) {
        long blockBytes = (long) dtype.bytes() * rows * (sites + 1L);
        return (int) Math.max(2, Math.min(MAX_BUFFERS, budget / blockBytes));
    }

    /**
     * The block loop of {@link #sample(ExactSampler, long, long, boolean, int, Blocks)} on any
     * source, with {@code bufferCount} (at least 2) block buffers: the source runs up to that
     * many blocks minus one ahead of the consumer.
     */
    static void sample(DType dtype, int sites, long n, int blockRows, int bufferCount, boolean withLogProbabilities,
                       BlockSource source, Blocks blocks) throws IOException {
        if (bufferCount < 2) {
            throw new IllegalArgumentException("bufferCount: expected >= 2 but got " + bufferCount);
        }
        long blockCount = (n + blockRows - 1) / blockRows;
        BlockBuffer[] buffers = new BlockBuffer[(int) Math.min(bufferCount, blockCount)];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = new BlockBuffer(dtype, blockRows, sites, withLogProbabilities);
        }
        try (BlockWriterThread writer = BlockWriterThread.start(blocks, buffers.length)) {
            for (long k = 0; k < blockCount; k++) {
                long first = k * blockRows;
                int rows = (int) Math.min(blockRows, n - first);
                BlockBuffer buffer = buffers[(int) (k % buffers.length)];
                // Block k - B used this buffer: it must be on disk before the buffer is sampled into again.
                writer.awaitWritten(Math.max(0, k - buffers.length + 1));
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
