package io.jarnn.vmc;

import io.jarnn.kernels.Kernels64;

import java.util.stream.IntStream;

/**
 * Cholesky factorisation A = L L^T of a symmetric positive definite double matrix and the solve
 * of A x = b, for stochastic reconfiguration's shifted Gram matrices.
 *
 * <p>Left-looking by block columns of {@link #BLOCK}: each block column of A (from its diagonal
 * down) first receives the product of the finished columns of L with their transposed block,
 * {@code A[j.., J] -= L[j.., 0..j) L[J, 0..j)^T}, through the kernels module's float64 matrix
 * product ({@link Kernels64#accumulateTaps}; this is where nearly all of the P^3/3 multiply-adds
 * are), then its diagonal block is factored and the rows below it solved against that block,
 * both in plain loops (B^2 work per row). L's transpose is kept negated beside L so that the
 * product reads both operands row-major and subtracts by accumulating. Every entry is one fixed
 * sequence of operations, so the factor is bitwise the same on every run, kernel (vector or
 * scalar, bitwise equal) and machine.
 *
 * <p>Mutable: keeps L and its negated transpose (2 P^2 doubles) between calls. Not thread-safe.
 */
final class BlockedCholesky {
    /** Columns per block: the product's output width, a multiple of the kernel's column blocks. */
    static final int BLOCK = 64;
    /** Block-column updates of at least this many multiply-adds are split over threads. */
    static final long PARALLEL_MIN = 1L << 21;

    private final Kernels64 kernels = Kernels64.active();
    private double[] lower = new double[0];
    private double[] negatedUpper = new double[0];
    private int size;

    /**
     * Factors the row-major (size x size) {@code a}, of which only the lower triangle (diagonal
     * included) is read; {@code a}'s lower triangle is overwritten by the partial updates.
     *
     * The products run on up to {@code threads} threads of the common pool, each on its own rows
     * (the result does not depend on it).
     *
     * @return false if a is not numerically positive definite (a pivot &lt;= 0 or not finite)
     */
    boolean factor(double[] a, int size, int threads) {
        long square = (long) size * size;
        if (lower.length < square) {
            lower = new double[Math.toIntExact(square)];
            negatedUpper = new double[Math.toIntExact(square)];
        }
        this.size = size;
        double[] l = lower;
        double[] u = negatedUpper;
        for (int j0 = 0; j0 < size; j0 += BLOCK) {
            int jb = Math.min(BLOCK, size - j0);
            if (j0 > 0) {
                // a[r, j0 + c] += sum_{k < j0} L[r, k] * (-L[j0 + c, k])  for r >= j0, c < jb
                int rows = size - j0;
                int tasks = threads <= 1 || (long) rows * j0 * jb < PARALLEL_MIN ? 1 : Math.min(threads, rows / 4);
                if (tasks <= 1) {
                    update(a, size, j0, jb, j0, rows);
                } else {
                    int first = j0;
                    int per = (rows / tasks + 3) / 4 * 4;
                    IntStream.range(0, tasks).parallel().forEach(t -> {
                        int from = first + t * per;
                        int to = Math.min(size, from + per);
                        if (from < to) {
                            update(a, size, first, jb, from, to - from);
                        }
                    });
                }
            }
            // The diagonal block: unblocked Cholesky of the updated a[J, J].
            for (int c = 0; c < jb; c++) {
                int col = j0 + c;
                double d = a[col * size + col];
                for (int k = j0; k < col; k++) {
                    double x = l[col * size + k];
                    d -= x * x;
                }
                if (!(d > 0) || !Double.isFinite(d)) {
                    return false;
                }
                double pivot = Math.sqrt(d);
                l[col * size + col] = pivot;
                for (int r = col + 1; r < j0 + jb; r++) {
                    double s = a[r * size + col];
                    for (int k = j0; k < col; k++) {
                        s -= l[r * size + k] * l[col * size + k];
                    }
                    l[r * size + col] = s / pivot;
                }
            }
            // The rows below: L[r, J] L[J, J]^T = a[r, J], a forward substitution per row, four
            // rows at a time so that four independent chains of multiply-adds overlap (each entry
            // keeps its own order of operations: the same bits as one row at a time).
            int below = j0 + jb;
            for (; below + 4 <= size; below += 4) {
                int row0 = below * size;
                int row1 = row0 + size;
                int row2 = row1 + size;
                int row3 = row2 + size;
                for (int c = 0; c < jb; c++) {
                    int col = j0 + c;
                    int pivotRow = col * size;
                    double s0 = a[row0 + col];
                    double s1 = a[row1 + col];
                    double s2 = a[row2 + col];
                    double s3 = a[row3 + col];
                    for (int k = j0; k < col; k++) {
                        double x = l[pivotRow + k];
                        s0 -= l[row0 + k] * x;
                        s1 -= l[row1 + k] * x;
                        s2 -= l[row2 + k] * x;
                        s3 -= l[row3 + k] * x;
                    }
                    double pivot = l[pivotRow + col];
                    l[row0 + col] = s0 / pivot;
                    l[row1 + col] = s1 / pivot;
                    l[row2 + col] = s2 / pivot;
                    l[row3 + col] = s3 / pivot;
                }
            }
            for (; below < size; below++) {
                int row = below * size;
                for (int c = 0; c < jb; c++) {
                    int col = j0 + c;
                    double s = a[row + col];
                    for (int k = j0; k < col; k++) {
                        s -= l[row + k] * l[col * size + k];
                    }
                    l[row + col] = s / l[col * size + col];
                }
            }
            for (int k = j0; k < j0 + jb; k++) {
                for (int r = k; r < size; r++) {
                    u[k * size + r] = -l[r * size + k];
                }
            }
        }
        return true;
    }

    /** a[r, j0 + c] += sum_{k < j0} L[r, k] * (-L[j0 + c, k]) for the rows r in [from, from + rows), c &lt; jb. */
    private void update(double[] a, int size, int j0, int jb, int from, int rows) {
        kernels.accumulateTaps(lower, from * size, size, 0, 1, j0,
                negatedUpper, j0, 0, size,
                a, from * size + j0, size, rows, jb);
    }

    /** Entry (r, c) of the last factor L (for tests). */
    double lower(int r, int c) {
        return lower[r * size + c];
    }

    /** Solves A x = b with the last factor, b (length size) overwritten by x. */
    void solve(double[] b) {
        double[] l = lower;
        int n = size;
        for (int i = 0; i < n; i++) {
            double s = b[i];
            int row = i * n;
            for (int k = 0; k < i; k++) {
                s -= l[row + k] * b[k];
            }
            b[i] = s / l[row + i];
        }
        double[] u = negatedUpper;
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            int row = i * n;
            for (int k = i + 1; k < n; k++) {
                s += u[row + k] * b[k]; // u[i, k] = -L[k, i]
            }
            b[i] = s / l[i * n + i];
        }
    }
}
