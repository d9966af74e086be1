package io.jarnn.nn;

/**
 * Every tuning threshold of the layers, models and sampler, in one place (measured on an AMD
 * EPYC with AVX-512, 16 float lanes; see the benchmarks module). None of them changes a result:
 * they set blocking and chunking, never the order in which an output element is accumulated.
 */
final class Tuning {
    private Tuning() {
    }

    /**
     * Target floats per activation buffer and worker in a full forward; with
     * {@link #MAX_CHUNK_ROWS} it fixes how many samples a parallel chunk holds (1 MiB).
     */
    static final int CHUNK_TARGET_FLOATS = 1 << 18;

    /**
     * Upper bound on samples per parallel chunk of a full forward: 64 samples are four
     * 16-lane vectors, the widest block of the GEMM kernel, and keep a dense layer's weights
     * streamed from memory once per 64 samples rather than once per sample.
     */
    static final int MAX_CHUNK_ROWS = 64;

    /**
     * Samples per column block of a feature-major dense product: X^T rows of 64 floats for all
     * K inputs of a site (up to 1 MiB at K = 4096) stay in L2 across the site's output channels.
     */
    static final int DENSE_COLUMN_BLOCK = 64;

    /**
     * Rows of the reduction per block of a feature-major dense product: 512 rows of
     * {@link #DENSE_COLUMN_BLOCK} inputs are 128 KiB, in L2 while all output rows pass over
     * them. Blocks of 128 rows (32 KiB, meant for L1) cost more than they saved: a hidden layer's
     * site reaches K_j = 16 (j + 1) rows, so most sites ended in a short block (16..112 rows)
     * whose register tiles load and store their accumulators for little work, and there were 4x
     * as many calls. Measured on a Zen 4 (ARNNDense N = 256, 3 layers, 16 features, batch 1024,
     * one thread; the least CPU time of 10 forwards, runs alternated on a busy host): 128 rows
     * 258-277 ms (8 runs), 256 rows 245-264 ms (3), 512 rows 243-263 ms (6). On hot data the
     * hidden layer's sequence of calls ran at 92, 95 and 97 GFLOP/s with 128, 256 and 512 rows.
     * Blocking never changes a result: each element takes its rows in ascending order.
     */
    static final int DENSE_REDUCTION_BLOCK = 512;

    /**
     * Floats between the end of one row (N positions) and the next in the planar layout of a
     * convolutional model's full forward: rows 4 KiB apart (N = 1024) would all map to the same
     * L1 set; 16 floats more put each on the next cache line's set.
     */
    static final int PLANAR_ROW_GAP = 16;

    /**
     * Fewest sites for which the gradient's planar rows take {@link #PLANAR_ROW_GAP}: a shorter
     * chain's planes (a few KiB per sample) sit in L1 however they are aligned, and there the
     * gaps would be most of what selu and its backward run over, a whole plane per call (at
     * N = 20, 36 elements per row of 20). The layout does not change a result's bits.
     */
    static final int PLANAR_ROW_GAP_MIN_SITES = 256;

    /**
     * Floats of one layer's plane that a block of positions of the planar full forward may
     * cover (64 KiB): every layer runs on a block of positions before the next block; a block's
     * planes stay in L2 (1 MiB), L1 being too small to hold an input and an output block
     * anyway (Zen 4: 32 KiB). 1024 positions at f = 16 (a whole N = 1024 sample), 256 at f = 64.
     * Measured on a Zen 4 (conv1d N = 1024, 3 layers, k = 3, batch 1024, one thread, least
     * thread CPU time of 30 forwards, three alternating rounds on a busy host): 16 KiB blocks
     * 42.2-42.4 ms at f = 16 and 334-351 ms at f = 64, 32 KiB 40.8-42.3 and 330-332, 64 KiB
     * 40.6-41.6 and 319-329; 4 and 8 KiB were slower still. Fewer, longer calls of every
     * kernel outweigh L1 residency. The block never changes a result.
     */
    static final int PLANAR_BLOCK_FLOATS = 1 << 14;

    /** Block sizes of the planar forward are multiples of this: four 16-lane vectors, the kernel's widest tile. */
    static final int PLANAR_BLOCK_QUANTUM = 64;

    /**
     * Rows of dY^T (64 samples each) per slice of the dense input gradient's reduction: 1024 rows
     * are 256 KiB, a quarter of a 1 MiB L2, which the site's row tiles (6 + 6 + 4 input rows) read
     * in turn. Longer slices load and store each register tile's accumulators less often: on a
     * Zen 4, the N = 256, 16-feature product alone ran 91 GFLOP/s at 1024 rows against 84-87 at
     * 128 (32 KiB, the L1 blocking this replaced: the tiles' reloads from L2 cost less than
     * the accumulator round trips). Slices continue each element's sum in order, so the result
     * does not change.
     */
    static final int DENSE_BACKWARD_REDUCTION_BLOCK = 1024;

    /**
     * Forward blocks per chunk of a dense model's gradient: each chunk's parameter gradient is a
     * partial sum over all P parameters (40 MB at N = 256, 16 features), zeroed and added to
     * the result once per chunk; four blocks (256 samples) spread that traffic over four times
     * the work, and a batch of 1024 still makes four chunks to share out.
     */
    static final int DENSE_GRADIENT_BLOCKS = 4;

    /**
     * Columns per slab of a dense layer's input as its parameter gradient stashes it: each
     * block's samples hold a slab's columns contiguously (64 floats, four 512-bit vectors: the
     * widest register tile of the product), so the product reads a block's input in one run
     * instead of one short run per sample, each a whole input row (a page at N*in = 4096)
     * from the last. Any width gives the same bits.
     */
    static final int DENSE_GRADIENT_SLAB = 64;

    /**
     * Floats per vector the backward's choice of product shape assumes (512-bit vectors): a
     * convolution's parameter gradient takes all its taps in one product when their columns
     * fill fewer vectors ({@link MaskedConv1D#tapColumnsPay}). Either shape gives the same bits.
     */
    static final int VECTOR_FLOATS = 16;

    /**
     * Fewest sites for which a convolution's parameter gradient takes its taps as columns: the
     * shifted copies and the gathered tile cost a fixed amount per sample that a short sequence
     * (the demo's N = 20) does not win back.
     */
    static final int CONV_TAP_COLUMNS_MIN_SITES = 128;

    /** Default rows per sampler chunk: full column blocks, and enough chunks to share out. */
    static final int SAMPLER_CHUNK = 64;
}
