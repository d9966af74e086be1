package io.jarnn.vmc;

import io.jarnn.kernels.GramKernels64;

import java.util.stream.IntStream;

/**
 * The upper triangle of a symmetric product {@code C += A^T B} (A = B: a Gram matrix), for
 * stochastic reconfiguration's S = Obar^T Obar (or the minSR matrix Obar Obar^T) and the trailing
 * updates of {@link BlockedCholesky}.
 *
 * <p>Both operands are first packed into panels of {@link #PANEL} columns, each panel stored
 * depth row after depth row and padded with zero columns to a whole panel ({@link #pack},
 * {@link #packTransposed}): a panel's rows are then contiguous for the kernel's vector loads
 * (B) and broadcasts (A), whatever the matrix's width, and a padded C of
 * {@link #padded}{@code (cols)} rows and columns needs no tail code: the padded columns are zero,
 * so the padded part of C receives zeros. The product runs through the kernels module's
 * {@link GramKernels64#accumulateTransposedProduct} tile by tile: column panel by column panel,
 * the depth in slices of {@link #DEPTH} (a slice of one B panel, 12 KB, stays in the level-1
 * cache while every row panel above the diagonal is multiplied into it, each row panel's slice
 * passing through beside it; the slices of those row panels, up to 480 KB for P = 1000, in the
 * level-2 cache), for the row panels on or above the diagonal only. Each entry c[i, j] is one chain of fused multiply-adds over the depth in
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
     * Depth rows per kernel call: a panel's slice is DEPTH x PANEL doubles, 12 KB, so that the
     * kernel's two slices (A read once per column block of its register block, B once per row
     * block) fit together in a 32 KB level-1 cache. With 128 (24 KB each) they did not: the
     * Gram product of a (1024, 946) matrix on Zen 3 took 35.8 ms of CPU time, with 64 28.7 ms
     * (best of 80; C's tiles go to memory and back twice as often, which costs less). A second
     * level over the row panels (groups of 6 to 16 panels, their slices kept in the level-2
     * cache across the column panels) gained nothing measurable there.
     */
    static final int DEPTH = 64;
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
                java.util.Arrays.fill(packed, base, base + cols * PANEL, 0);
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
        long work = (long) depth * cols * cols / 2;
        int tasks = threads <= 1 || work < PARALLEL_MIN ? 1 : Math.min(threads, panels);
        if (tasks == 1) {
            columnPanels(aPacked, bPacked, depth, panels, c, cOff, ldc, 0, 1);
        } else {
            IntStream.range(0, tasks).parallel().forEach(task ->
                    columnPanels(aPacked, bPacked, depth, panels, c, cOff, ldc, task, tasks));
        }
    }

    /**
     * The column panels q = panels - 1 - task, then every {@code tasks}-th below it (from the
     * last, which has the most row panels, dealt out in turn), depth slice by depth slice: a
     * slice of every panel (DEPTH x padded cols, 480 KB for P = 1000) stays in the level-2
     * cache for all the tiles that read it, a slice of the column panel in the level-1 cache for
     * its row panels; c's tiles go to memory and back once per slice.
     */
    private void columnPanels(double[] aPacked, double[] bPacked, int depth, int panels, double[] c, int cOff,
                              int ldc, int task, int tasks) {
        int panelLength = depth * PANEL;
        for (int k0 = 0; k0 < depth; k0 += DEPTH) {
            int slice = Math.min(DEPTH, depth - k0);
            for (int q = panels - 1 - task; q >= 0; q -= tasks) {
                for (int rp = 0; rp <= q; rp++) {
                    kernels.accumulateTransposedProduct(aPacked, rp * panelLength + k0 * PANEL, PANEL,
                            bPacked, q * panelLength + k0 * PANEL, PANEL, slice,
                            c, cOff + rp * PANEL * ldc + q * PANEL, ldc, PANEL, PANEL);
                }
            }
        }
    }

    /**
     * g (cols x cols, row-major, both triangles) = a^T a for a (rows x cols) row-major, through
     * the packed upper product; single-threaded, allocates its packed copy and padded product.
     */
    void gram(double[] a, int rows, int cols, double[] g) {
        double[] packed = new double[packedLength(rows, cols)];
        pack(a, 0, cols, rows, cols, false, packed);
        int ld = padded(cols);
        double[] upper = new double[Math.multiplyExact(ld, ld)];
        upper(packed, packed, rows, cols, upper, 0, ld, 1);
        for (int i = 0; i < cols; i++) {
            for (int j = i; j < cols; j++) {
                g[i * cols + j] = upper[i * ld + j];
                g[j * cols + i] = upper[i * ld + j];
            }
        }
    }
}
