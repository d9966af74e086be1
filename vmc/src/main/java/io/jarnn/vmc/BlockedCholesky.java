package io.jarnn.vmc;

import io.jarnn.kernels.GramKernels64;

/**
 * Cholesky factorisation A = U^T U of a symmetric positive definite double matrix, in place on
 * its upper triangle, and the solve of A x = b, for stochastic reconfiguration's shifted Gram
 * matrices (which {@link GramProduct} computes as an upper triangle: nothing is mirrored).
 *
 * <p>Right-looking by block rows of {@link #BLOCK}: the block row's rows are finished one after
 * the other, each over its whole width (row i takes the fused multiply-adds of the block's
 * earlier rows through the kernels module's {@link GramKernels64#accumulateTransposedProduct},
 * one row of C += A^T B with A the column -U[j0..i, i] and B those rows, then is divided by its
 * pivot, the square root of its diagonal entry), and the trailing matrix below and right of it then receives
 * {@code A[J2, J2] -= U[J, J2]^T U[J, J2]} on its upper triangle through {@link GramProduct}
 * (nearly all of the P^3/6 multiply-adds), the block row packed into panels once negated (the A
 * side) and once as it is (the B side). Every entry therefore sees one chain of fused
 * multiply-adds in ascending k,
 * <pre>
 *   U[i, j] = (A[i, j] - sum_{k &lt; i} U[k, i] U[k, j]) / U[i, i],   U[i, i] = sqrt(A[i, i] - sum_{k &lt; i} U[k, i]^2)
 * </pre>
 * whatever the blocking, kernel (vector or scalar, bitwise equal) or thread count, so the factor
 * is bitwise the same on every run and machine.
 *
 * <p>Mutable: keeps the packed block rows between calls and a reference to the last factored
 * matrix (for {@link #solve}). Not thread-safe.
 */
final class BlockedCholesky {
    /** Rows per block row: the trailing update's depth, a multiple of {@link GramProduct#PANEL}. */
    static final int BLOCK = 2 * GramProduct.PANEL;

    private final GramProduct product = new GramProduct();
    private final GramKernels64 kernels = GramKernels64.active();
    /** -U[k, i] for the rows k of the block row above row i. */
    private final double[] column = new double[BLOCK];
    private double[] negated = new double[0];
    private double[] positive = new double[0];
    private double[] factor;
    private int size;
    private int ld;

    /**
     * Factors the row-major {@code a} (row stride {@code ld}) in place: its upper triangle
     * (diagonal included) of the leading size x size block is read and replaced by U; the
     * entries below the diagonal are neither read nor written. {@code a} must have room for
     * {@link GramProduct#padded}{@code (size)} rows and columns (the trailing updates run on whole
     * panels; the padding receives nothing but zero products). The products run on up to
     * {@code threads} threads of the common pool (the result does not depend on it).
     *
     * @return false if a is not numerically positive definite (a pivot &lt;= 0 or not finite);
     *         a is then partly overwritten
     */
    boolean factor(double[] a, int size, int ld, int threads) {
        int padded = GramProduct.padded(size);
        if (ld < padded || a.length < (long) padded * ld) {
            throw new IllegalArgumentException("a, ld: expected ld >= " + padded + " and at least " + ((long) padded * ld)
                    + " doubles for size " + size + " but got ld " + ld + " and " + a.length);
        }
        int packed = GramProduct.packedLength(BLOCK, size);
        if (negated.length < packed) {
            negated = new double[packed];
            positive = new double[packed];
        }
        this.factor = a;
        this.size = size;
        this.ld = ld;
        for (int j0 = 0; j0 < size; j0 += BLOCK) {
            int j1 = Math.min(size, j0 + BLOCK);
            for (int i = j0; i < j1; i++) {
                int row = i * ld;
                if (i > j0) {
                    // a[i, i..] += sum_{k in [j0, i)} (-U[k, i]) U[k, i..]: one row of C += A^T B.
                    for (int k = j0; k < i; k++) {
                        column[k - j0] = -a[k * ld + i];
                    }
                    kernels.accumulateTransposedProduct(column, 0, 1, a, j0 * ld + i, ld, i - j0,
                            a, row + i, ld, 1, size - i);
                }
                double d = a[row + i];
                if (!(d > 0) || !Double.isFinite(d)) {
                    return false;
                }
                double pivot = Math.sqrt(d);
                a[row + i] = pivot;
                for (int j = i + 1; j < size; j++) {
                    a[row + j] /= pivot;
                }
            }
            if (j1 < size) {
                // A[j1.., j1..] += (-U[J, j1..])^T U[J, j1..] on its upper triangle.
                int depth = j1 - j0;
                int width = size - j1;
                GramProduct.pack(a, j0 * ld + j1, ld, depth, width, true, negated);
                GramProduct.pack(a, j0 * ld + j1, ld, depth, width, false, positive);
                product.upper(negated, positive, depth, width, a, j1 * ld + j1, ld, threads);
            }
        }
        return true;
    }

    /** Entry (r, c), r &lt;= c, of the last factor U (for tests). */
    double upper(int r, int c) {
        return factor[r * ld + c];
    }

    /** Solves A x = b with the last factor (U^T y = b, then U x = y), b (length size) overwritten by x. */
    void solve(double[] b) {
        double[] u = factor;
        int n = size;
        for (int i = 0; i < n; i++) {
            int row = i * ld;
            double y = b[i] / u[row + i];
            b[i] = y;
            double minusY = -y;
            for (int j = i + 1; j < n; j++) {
                b[j] = Math.fma(minusY, u[row + j], b[j]);
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            int row = i * ld;
            b[i] = (b[i] - rowDot(u, row, b, i + 1, n)) / u[row + i];
        }
    }

    /**
     * sum_{j in [from, to)} u[row + j] b[j] in four interleaved chains of fused multiply-adds
     * (added in a fixed order), so that the back substitution's dot products do not wait on one
     * multiply-add after another.
     */
    private static double rowDot(double[] u, int row, double[] b, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = from;
        for (; j + 4 <= to; j += 4) {
            s0 = Math.fma(u[row + j], b[j], s0);
            s1 = Math.fma(u[row + j + 1], b[j + 1], s1);
            s2 = Math.fma(u[row + j + 2], b[j + 2], s2);
            s3 = Math.fma(u[row + j + 3], b[j + 3], s3);
        }
        for (; j < to; j++) {
            s0 = Math.fma(u[row + j], b[j], s0);
        }
        return (s0 + s1) + (s2 + s3);
    }
}
