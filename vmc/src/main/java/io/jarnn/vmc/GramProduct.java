package io.jarnn.vmc;

import io.jarnn.kernels.Kernels64;

import java.util.stream.IntStream;

/**
 * The Gram matrix {@code g = a^T a} of a row-major (rows x cols) double matrix: the symmetric
 * rank-k product that stochastic reconfiguration forms as S (a = the centred Jacobian, P x P) or
 * as the minSR matrix (a = its transpose, n x n).
 *
 * <p>Computed through the kernels module's float64 matrix product
 * ({@link Kernels64#accumulateTaps} with one tap, {@code Y += X W}) with X = a^T (a transposed copy)
 * and W = a, tile by tile over the upper block triangle only (tiles of {@link #TILE_ROWS} rows of
 * g by {@link #TILE_COLUMNS} columns, each summed over the rows of a in slices of
 * {@link #DEPTH} so that the slice of W a tile reads stays in the level-2 cache); the lower
 * triangle is then mirrored from the upper. Each entry g[i, j] (i &lt;= j) is one chain of fused
 * multiply-adds over the rows of a in ascending order, whatever the tiling, the kernel
 * implementation (vector or scalar, which are bitwise equal) or the number of threads: tiles are
 * spread over threads, never a tile's sum, so the result is bitwise the same for any thread count.
 *
 * <p>Stateless apart from the kernels; thread-safe.
 */
final class GramProduct {
    /** Rows of g per tile: a multiple of the kernel's 4-row blocks. */
    static final int TILE_ROWS = 64;
    /** Columns of g per tile. */
    static final int TILE_COLUMNS = 256;
    /** Rows of a summed per kernel call: a W slice of DEPTH x TILE_COLUMNS doubles is 512 KB. */
    static final int DEPTH = 256;
    /** Products of at least this many multiply-adds are split over threads. */
    static final long PARALLEL_MIN = 1L << 24;

    private final Kernels64 kernels = Kernels64.active();

    /**
     * g[0 .. cols^2) = a^T a, a row-major (rows x cols) and {@code aTransposed} its transpose
     * (cols x rows, see {@link #transpose}), g row-major (cols x cols), on up to {@code threads}
     * threads of the common pool (the result does not depend on it).
     */
    void gram(double[] a, double[] aTransposed, int rows, int cols, double[] g, int threads) {
        long size = (long) rows * cols;
        java.util.Arrays.fill(g, 0, cols * cols, 0);
        int rowTiles = (cols + TILE_ROWS - 1) / TILE_ROWS;
        int columnTiles = (cols + TILE_COLUMNS - 1) / TILE_COLUMNS;
        // The tiles on or above the diagonal: (row tile, column tile) with the column tile's end
        // past the row tile's start.
        int[] tiles = new int[rowTiles * columnTiles];
        int count = 0;
        for (int rt = 0; rt < rowTiles; rt++) {
            for (int ct = (rt * TILE_ROWS) / TILE_COLUMNS; ct < columnTiles; ct++) {
                tiles[count++] = rt * columnTiles + ct;
            }
        }
        long work = size * cols / 2;
        int tasks = threads <= 1 || work < PARALLEL_MIN ? 1 : Math.min(threads, count);
        double[] x = aTransposed;
        if (tasks == 1) {
            for (int t = 0; t < count; t++) {
                tile(x, a, rows, cols, g, tiles[t] / columnTiles, tiles[t] % columnTiles);
            }
        } else {
            int tileCount = count;
            IntStream.range(0, tasks).parallel().forEach(task -> {
                for (int t = task; t < tileCount; t += tasks) {
                    tile(x, a, rows, cols, g, tiles[t] / columnTiles, tiles[t] % columnTiles);
                }
            });
        }
        for (int i = 0; i < cols; i++) {
            for (int j = i + 1; j < cols; j++) {
                g[j * cols + i] = g[i * cols + j];
            }
        }
    }

    /** Adds to g the tile's entries (i, j), i in the row tile, j &gt;= the row tile's start in the column tile. */
    private void tile(double[] x, double[] a, int rows, int cols, double[] g, int rowTile, int columnTile) {
        int i0 = rowTile * TILE_ROWS;
        int i1 = Math.min(cols, i0 + TILE_ROWS);
        int j0 = Math.max(i0, columnTile * TILE_COLUMNS);
        int j1 = Math.min(cols, (columnTile + 1) * TILE_COLUMNS);
        for (int k0 = 0; k0 < rows; k0 += DEPTH) {
            int depth = Math.min(DEPTH, rows - k0);
            // g[i, j] += sum_{k in slice} a^T[i, k] a[k, j]
            kernels.accumulateTaps(x, i0 * rows + k0, rows, 0, 1, depth,
                    a, k0 * cols + j0, 0, cols,
                    g, i0 * cols + j0, cols, i1 - i0, j1 - j0);
        }
    }

    /** t (cols x rows) = a^T for a (rows x cols), both row-major, in cache-sized blocks. */
    static void transpose(double[] a, int rows, int cols, double[] t) {
        final int block = 32;
        for (int r0 = 0; r0 < rows; r0 += block) {
            int r1 = Math.min(rows, r0 + block);
            for (int c0 = 0; c0 < cols; c0 += block) {
                int c1 = Math.min(cols, c0 + block);
                for (int r = r0; r < r1; r++) {
                    int row = r * cols;
                    for (int c = c0; c < c1; c++) {
                        t[c * rows + r] = a[row + c];
                    }
                }
            }
        }
    }
}
