package io.jarnn.vmc;

import io.jarnn.kernels.GramKernels64;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The upper triangle of a symmetric product {@code C += A^T B} (A = B: a Gram matrix), for
 * stochastic reconfiguration's S = Obar^T Obar (or the minSR matrix Obar Obar^T) and the block
 * rows of {@link BlockedCholesky}.
 *
 * <p>Both operands are first packed into panels of {@link #PANEL} columns, each panel stored
 * depth row after depth row and padded with zero columns to a whole panel ({@link #pack},
 * {@link #packTransposed}): a panel's rows are then contiguous for the kernel's vector loads
 * (B) and broadcasts (A), whatever the matrix's width, and a padded C of
 * {@link #padded}{@code (cols)} rows and columns needs no tail code: the padded columns are zero,
 * so the padded part of C receives zeros. The product runs through the kernels module's
 * {@link GramKernels64#accumulateTransposedProduct} tile by tile, blocked twice: the depth in
 * slices of {@link #DEPTH}, the row panels in groups of {@link #GROUP} whose slices stay in the
 * level-2 cache while the column panels pass through beside them ({@link #columnPanels}), for
 * the row panels on or above the diagonal only. Each entry c[i, j] is one chain of fused
 * multiply-adds over the depth in
 * ascending order, whatever the tiling, the kernel implementation (vector or scalar, bitwise
 * equal) or the number of threads: column panels (never a sum) are spread over threads, so the
 * result is bitwise the same for any thread count.
 *
 * <p>Stateless apart from the kernels; thread-safe.
 */
final class GramProduct {
    /**
     * Columns per packed panel: the kernel's register block, three vectors of eight doubles
     * (AVX-512) or three times two vectors of four (AVX2), and a multiple of its eight- and
     * six-row blocks, so that a panel's rows split into whole row blocks on the A side.
     */
    static final int PANEL = 24;
    /**
     * Depth rows per kernel call (the depth slice): the kernel keeps each 8 x 24 block of C in
     * registers for the whole slice, so C's tiles go to memory and back once per slice and the
     * latency of their loads is spread over 256 x 24 x 8 multiply-adds. A slice of a panel is
     * 48 KB: the column panel's slice streams from the level-2 cache beside the row panel's
     * (8-row blocks of it) at under one cache line per six fused multiply-adds. With 64 (the
     * slice of one panel in the level-1 cache, C's tiles through memory 16 times for n = 1024)
     * the Gram product of the VmcStep system (1024, 930) took 27 to 30 ms of CPU time on a loaded
     * Zen 4, with 256 and a group of 8 about 20 (128: 23; 512 and 1024 with groups of 4 and 2:
     * within the noise of 256).
     */
    static final int DEPTH = 256;
    /**
     * Row panels per group (the A block of the second level of blocking): 8 panels' depth
     * slices are 384 KB, which stay in a level-2 cache of 1 MB (Zen 4; 2 MB on recent Intel)
     * beside the column panel's slice while every column panel right of the group passes
     * through; each column panel's slice is then read from memory once per group, not once per
     * tile.
     */
    static final int GROUP = 8;
    /** Products of at least this many multiply-adds are split over threads. */
    static final long PARALLEL_MIN = 1L << 22;

    private final GramKernels64 kernels = GramKernels64.active();

    /** cols rounded up to whole panels: the width of a packed matrix and of its padded product. */
    static int padded(int cols) {
        return Math.ceilDiv(cols, PANEL) * PANEL;
    }

    /** Doubles of a packed (depth, cols) matrix. */
    static int packedLength(int depth, int cols) {
        return Math.multiplyExact(depth, padded(cols));
    }

    /**
     * packed = a (depth x cols, row-major, row stride {@code aStride} from {@code aOff}) in panels:
     * column c of depth row k at {@code (c / PANEL) * depth * PANEL + k * PANEL + c % PANEL}, the
     * padded columns zero; negated when {@code negate} (the A side of a subtracting update).
     */
    static void pack(double[] a, int aOff, int aStride, int depth, int cols, boolean negate, double[] packed) {
        int panels = Math.ceilDiv(cols, PANEL);
        for (int q = 0; q < panels; q++) {
            int c0 = q * PANEL;
            int width = Math.min(PANEL, cols - c0);
            int base = q * depth * PANEL;
            for (int k = 0; k < depth; k++) {
                int src = aOff + k * aStride + c0;
                int dst = base + k * PANEL;
                if (negate) {
                    for (int c = 0; c < width; c++) {
                        packed[dst + c] = -a[src + c];
                    }
                } else {
                    System.arraycopy(a, src, packed, dst, width);
                }
                for (int c = width; c < PANEL; c++) {
                    packed[dst + c] = 0;
                }
            }
        }
    }

    /**
     * packed = a^T in panels, for a (rows x cols) row-major: the packed matrix has depth cols and
     * rows columns, row r of a becoming column r ({@code (r / PANEL) * cols * PANEL + k * PANEL + r % PANEL}).
     */
    static void packTransposed(double[] a, int rows, int cols, double[] packed) {
        int panels = Math.ceilDiv(rows, PANEL);
        for (int q = 0; q < panels; q++) {
            int r0 = q * PANEL;
            int height = Math.min(PANEL, rows - r0);
            int base = q * cols * PANEL;
            if (height < PANEL) {
                Arrays.fill(packed, base, base + cols * PANEL, 0);
            }
            for (int r = 0; r < height; r++) {
                int src = (r0 + r) * cols;
                int dst = base + r;
                for (int k = 0; k < cols; k++) {
                    packed[dst + k * PANEL] = a[src + k];
                }
            }
        }
    }

    /**
     * c[i, j] += sum_k a[k, i] b[k, j] for the entries on or above the diagonal in blocks: every
     * (row panel, column panel) pair with the row panel not after the column panel (so the
     * diagonal panels' entries below the diagonal are computed too). {@code aPacked} and
     * {@code bPacked} are packed (depth, cols) matrices ({@link #pack}; the same array for a
     * Gram matrix); c is row-major with row stride {@code ldc} from {@code cOff} and must have
     * room for {@link #padded}{@code (cols)} rows and columns. On up to {@code threads} threads of
     * the common pool; the result does not depend on it.
     */
    void upper(double[] aPacked, double[] bPacked, int depth, int cols, double[] c, int cOff, int ldc, int threads) {
        int panels = Math.ceilDiv(cols, PANEL);
        upper(aPacked, 0, depth * PANEL, bPacked, 0, depth * PANEL, depth, panels, panels, c, cOff, ldc, threads);
    }

    /**
     * The general form of {@link #upper(double[], double[], int, int, double[], int, int, int)}:
     * c[i, j] += sum_{k &lt; depth} a[k, i] b[k, j] for the tiles (row panel rp, column panel q)
     * with rp &lt; rowPanels and rp &lt;= q &lt; panels, where panel p of A is read from
     * {@code aOff + p * aPanelLength} (depth row k at {@code + k * PANEL}) and panel q of B from
     * {@code bOff + q * bPanelLength}: the panels may hold more depth rows than are summed, so
     * that {@link BlockedCholesky} multiplies a range of the rows of its packed factor in place.
     * c must have room for rowPanels row panels of {@code panels} column panels.
     */
    void upper(double[] aPacked, int aOff, int aPanelLength, double[] bPacked, int bOff, int bPanelLength, int depth,
               int rowPanels, int panels, double[] c, int cOff, int ldc, int threads) {
        assert rowPanels <= panels : rowPanels + " > " + panels;
        long work = (long) depth * PANEL * PANEL * rowPanels * (2L * panels - rowPanels + 1) / 2;
        int tasks = threads <= 1 || work < PARALLEL_MIN ? 1 : Math.min(threads, panels);
        if (tasks == 1) {
            columnPanels(aPacked, aOff, aPanelLength, bPacked, bOff, bPanelLength, depth, rowPanels, panels, c, cOff,
                    ldc, 0, 1);
        } else {
            IntStream.range(0, tasks).parallel().forEach(task -> columnPanels(aPacked, aOff, aPanelLength, bPacked,
                    bOff, bPanelLength, depth, rowPanels, panels, c, cOff, ldc, task, tasks));
        }
    }

    /**
     * The column panels q = panels - 1 - task, then every {@code tasks}-th below it (from the
     * last, which has the most row panels, dealt out in turn), blocked twice over the depth and
     * the row panels: for each slice of {@link #DEPTH} depth rows and each group of
     * {@link #GROUP} row panels, the group's slices (the A block, up to GROUP x DEPTH x PANEL
     * doubles, 384 KB) stay in the level-2 cache while every column panel at or right of the
     * group's first one passes through beside them, its slice (DEPTH x PANEL doubles) read once
     * from memory for all the group's tiles in its column. A tile of c goes to memory and back
     * once per slice, and the kernel keeps each 8 x 24 block of it in registers for the whole
     * slice, so a slice of 256 hides the latency of c's loads behind 6144 multiply-adds.
     */
    private void columnPanels(double[] aPacked, int aOff, int aPanelLength, double[] bPacked, int bOff,
                              int bPanelLength, int depth, int rowPanels, int panels, double[] c, int cOff, int ldc,
                              int task, int tasks) {
        for (int k0 = 0; k0 < depth; k0 += DEPTH) {
            int slice = Math.min(DEPTH, depth - k0);
            for (int g0 = 0; g0 < rowPanels; g0 += GROUP) {
                int g1 = Math.min(rowPanels, g0 + GROUP);
                for (int q = panels - 1 - task; q >= g0; q -= tasks) {
                    int last = Math.min(g1 - 1, q);
                    for (int rp = g0; rp <= last; rp++) {
                        kernels.accumulateTransposedProduct(aPacked, aOff + rp * aPanelLength + k0 * PANEL, PANEL,
                                bPacked, bOff + q * bPanelLength + k0 * PANEL, PANEL, slice,
                                c, cOff + rp * PANEL * ldc + q * PANEL, ldc, PANEL, PANEL);
                    }
                }
            }
        }
    }

    /**
     * Doubles of scratch {@link #paddedGram} needs for a (rows x cols) matrix: its packed copy,
     * then the padded product ({@link #padded}(cols) squared).
     */
    static int gramScratchLength(int rows, int cols) {
        int ld = padded(cols);
        return Math.addExact(packedLength(rows, cols), Math.multiplyExact(ld, ld));
    }

    /**
     * The upper block triangle of a^T a for a (rows x cols) row-major, single-threaded, into
     * {@code scratch} (at least {@link #gramScratchLength} doubles, overwritten): a packed at its
     * start, the product from {@code packedLength(rows, cols)} on, row-major with row stride
     * {@link #padded}(cols), the entries on or above the diagonal valid. Returns that offset. The
     * one source of the numerics of {@link #gram} and {@link #gramUpper}.
     */
    int paddedGram(double[] a, int rows, int cols, double[] scratch) {
        int product = packedLength(rows, cols);
        pack(a, 0, cols, rows, cols, false, scratch);
        int ld = padded(cols);
        for (int r0 = 0; r0 < ld; r0 += PANEL) { // upper() adds into the tiles from each row panel's diagonal on
            for (int r = r0; r < r0 + PANEL; r++) {
                Arrays.fill(scratch, product + r * ld + r0, product + (r + 1) * ld, 0);
            }
        }
        upper(scratch, scratch, rows, cols, scratch, product, ld, 1);
        return product;
    }

    /**
     * g (cols x cols, row-major, both triangles) = a^T a for a (rows x cols) row-major, through
     * the packed upper product; single-threaded, allocates its scratch ({@link #paddedGram}).
     */
    void gram(double[] a, int rows, int cols, double[] g) {
        double[] scratch = new double[gramScratchLength(rows, cols)];
        int product = paddedGram(a, rows, cols, scratch);
        int ld = padded(cols);
        for (int i = 0; i < cols; i++) {
            for (int j = i; j < cols; j++) {
                g[i * cols + j] = scratch[product + i * ld + j];
                g[j * cols + i] = scratch[product + i * ld + j];
            }
        }
    }

    /**
     * The upper triangle of a^T a (the entries i &lt;= j, row by row: cols (cols + 1) / 2 values)
     * into {@code triangle}, for a (rows x cols) row-major; single-threaded, with the caller's
     * {@code scratch} ({@link #paddedGram}): allocates nothing. The same bits as {@link #gram}.
     */
    void gramUpper(double[] a, int rows, int cols, double[] scratch, double[] triangle) {
        int product = paddedGram(a, rows, cols, scratch);
        int ld = padded(cols);
        int k = 0;
        for (int i = 0; i < cols; i++) {
            System.arraycopy(scratch, product + i * ld + i, triangle, k, cols - i);
            k += cols - i;
        }
    }
}
