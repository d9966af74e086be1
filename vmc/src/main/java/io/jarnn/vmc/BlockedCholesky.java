package io.jarnn.vmc;

import io.jarnn.kernels.GramKernels64;

/**
 * Cholesky factorisation A = U^T U of a symmetric positive definite double matrix, in place on
 * its upper triangle, and the solve of A x = b, for stochastic reconfiguration's shifted Gram
 * matrices (which {@link GramProduct} computes as an upper triangle: nothing is mirrored).
 *
 * <p>Left-looking by block rows of {@link #BLOCK}: each finished row of U is also copied once
 * into {@link #packedU}, panels of {@link GramProduct#PANEL} columns stored depth row after depth
 * row ({@link GramProduct#pack}'s layout, with the whole size as the depth), so that a block row
 * J receives all the rows above it in one product,
 * {@code A[J, j0..] += (-U[0..j0, J])^T U[0..j0, j0..]} ({@link GramProduct}'s blocked upper
 * product on that copy: nearly all of the P^3/6 multiply-adds, each 8 x 24 block of the block row
 * kept in registers over 256 rows of U at a time). Inside the block row the same is done per
 * sub-block of {@link GramProduct#PANEL} rows with the block row's rows above it, and inside a
 * sub-block row by row (row i takes the fused multiply-adds of the sub-block's earlier rows
 * through the kernels module's {@link GramKernels64#accumulateTransposedProduct}, one row of C +=
 * A^T B, then is divided by its pivot, the square root of its diagonal entry). The right-looking
 * order this replaced updated the whole trailing matrix after every block row of 48, sending it
 * to memory and back each time, and its kernel's blocks ran over 48 rows only. Every entry still
 * sees one chain of fused multiply-adds in ascending k,
 * <pre>
 *   U[i, j] = (A[i, j] - sum_{k &lt; i} U[k, i] U[k, j]) / U[i, i],   U[i, i] = sqrt(A[i, i] - sum_{k &lt; i} U[k, i]^2)
 * </pre>
 * whatever the blocking, kernel (vector or scalar, bitwise equal) or thread count, so the factor
 * is bitwise the same on every run and machine (and the same as the right-looking order's).
 *
 * <p>Mutable: keeps the packed copy of U and the negated panels between calls and a reference to
 * the last factored matrix (for {@link #solve}). Not thread-safe.
 */
final class BlockedCholesky {
    /**
     * Rows per block row: the height of the products that take the rows above it. The packed
     * rows of U are read from memory once per block row; 192 rows make the 8-panel group of
     * {@link GramProduct#GROUP}, so the block row's negated panels stay in the level-2 cache.
     */
    static final int BLOCK = GramProduct.GROUP * GramProduct.PANEL;
    private static final int PANEL = GramProduct.PANEL;

    private final GramProduct product = new GramProduct();
    private final GramKernels64 kernels = GramKernels64.active();
    /** -U[k, i] for the rows k of the sub-block above row i. */
    private final double[] column = new double[PANEL];
    /** U's rows in panels: column c of row k at (c / PANEL) * size * PANEL + k * PANEL + c % PANEL. */
    private double[] packedU = new double[0];
    /** The current block row's panels of packedU, negated (the A side of its updates), same layout. */
    private double[] negated = new double[0];
    private double[] factor;
    private int size;
    private int ld;

    /**
     * Factors the row-major {@code a} (row stride {@code ld}) in place: its upper triangle
     * (diagonal included) of the leading size x size block is read and replaced by U; the
     * entries below the diagonal are never read as results (those inside the diagonal's
     * PANEL x PANEL tiles receive products, whatever they held). {@code a} must have room for
     * {@link GramProduct#padded}{@code (size)} rows and columns (the products run on whole
     * panels; the padding receives products of U's zero-padded panels and is never read). The products run on up to
     * {@code threads} threads of the common pool (the result does not depend on it).
     *
     * @return false if a is not numerically positive definite (a pivot &lt;= 0 or not finite);
     *         a is then partly overwritten
     */
    boolean factor(double[] a, int size, int ld, int threads) {
        return factor(a, size, ld, threads, null);
    }

    /**
     * {@link #factor(double[], int, int, int)}, and with {@code rhs} (length at least size, or
     * null) the forward substitution U^T y = rhs on the way, rhs overwritten by y: each row of U
     * is applied to rhs as soon as it is finished, while it is still in the level-1 cache, in the
     * order and with the operations of {@link #solve}'s first half, so {@link #backSubstitute}
     * then gives the same bits as {@link #solve} after {@link #factor(double[], int, int, int)}.
     */
    boolean factor(double[] a, int size, int ld, int threads, double[] rhs) {
        int padded = GramProduct.padded(size);
        if (ld < padded || a.length < (long) padded * ld) {
            throw new IllegalArgumentException("a, ld: expected ld >= " + padded + " and at least " + ((long) padded * ld)
                    + " doubles for size " + size + " but got ld " + ld + " and " + a.length);
        }
        int panelLength = size * PANEL;
        int packed = GramProduct.packedLength(size, size);
        if (packedU.length < packed) {
            packedU = new double[packed];
        }
        int negatedLength = Math.multiplyExact(size, BLOCK);
        if (negated.length < negatedLength) {
            negated = new double[negatedLength];
        }
        this.factor = a;
        this.size = size;
        this.ld = ld;
        int panels = Math.ceilDiv(size, PANEL);
        for (int j0 = 0; j0 < size; j0 += BLOCK) {
            int j1 = Math.min(size, j0 + BLOCK);
            int p0 = j0 / PANEL;
            int blockPanels = Math.ceilDiv(j1 - j0, PANEL);
            if (j0 > 0) {
                // A[J, j0..] += (-U[0..j0, J])^T U[0..j0, j0..] on its upper block triangle.
                negate(p0, blockPanels, 0, j0);
                product.upper(negated, 0, panelLength, packedU, p0 * panelLength, panelLength, j0,
                        blockPanels, panels - p0, a, j0 * ld + j0, ld, threads);
            }
            for (int s0 = j0; s0 < j1; s0 += PANEL) {
                int s1 = Math.min(j1, s0 + PANEL);
                int sp = s0 / PANEL;
                if (s0 > j0) {
                    // A[S, s0..] += (-U[j0..s0, S])^T U[j0..s0, s0..]: the block row's rows above.
                    negate(sp, 1, j0, s0);
                    product.upper(negated, j0 * PANEL, panelLength,
                            packedU, sp * panelLength + j0 * PANEL, panelLength, s0 - j0,
                            1, panels - sp, a, s0 * ld + s0, ld, threads);
                }
                if (!factorRows(a, s0, s1, rhs)) {
                    return false;
                }
                packRows(a, s0, s1, panels);
            }
        }
        return true;
    }

    /**
     * negated = -packedU for the panels p0 .. p0 + count - 1 and the depth rows [k0, k1), at
     * panel p - p0 of {@link #negated}.
     */
    private void negate(int p0, int count, int k0, int k1) {
        int panelLength = size * PANEL;
        for (int p = 0; p < count; p++) {
            int src = (p0 + p) * panelLength;
            int dst = p * panelLength;
            for (int x = k0 * PANEL; x < k1 * PANEL; x++) {
                negated[dst + x] = -packedU[src + x];
            }
        }
    }

    /**
     * Copies the finished rows s0 .. s1 - 1 of U into {@link #packedU}, from their diagonal
     * panel on: the columns past size as zeros.
     */
    private void packRows(double[] a, int s0, int s1, int panels) {
        int panelLength = size * PANEL;
        for (int q = s0 / PANEL; q < panels; q++) {
            int c0 = q * PANEL;
            int width = Math.min(PANEL, size - c0);
            for (int k = s0; k < s1; k++) {
                int dst = q * panelLength + k * PANEL;
                System.arraycopy(a, k * ld + c0, packedU, dst, width);
                for (int c = width; c < PANEL; c++) {
                    packedU[dst + c] = 0;
                }
            }
        }
    }

    /**
     * Rows s0 .. s1 - 1 of U over their whole width, one after the other, each from the rows of
     * [s0, i) (the earlier rows' products already added): row i takes one row of C += A^T B
     * with A the column -U[s0..i, i] and B those rows, then is divided by its pivot.
     *
     * @return false at a pivot that is not positive and finite
     */
    private boolean factorRows(double[] a, int s0, int s1, double[] rhs) {
        for (int i = s0; i < s1; i++) {
            int row = i * ld;
            if (i > s0) {
                for (int k = s0; k < i; k++) {
                    column[k - s0] = -a[k * ld + i];
                }
                kernels.accumulateTransposedProduct(column, 0, 1, a, s0 * ld + i, ld, i - s0,
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
            if (rhs != null) {
                // Not fused with the division loop above: C2 vectorises each alone (a and rhs might be one array).
                forwardStep(a, row, i, rhs);
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
            forwardStep(u, i * ld, i, b);
        }
        backSubstitute(b);
    }

    /**
     * Step i of the forward substitution U^T y = b with U's row i at {@code u[row ..]}:
     * y[i] = b[i] / U[i, i], then b[j] -= y[i] U[i, j] for j &gt; i (one fused multiply-add each);
     * b overwritten by y as it goes. The one definition {@link #solve} and the factorisation's
     * substitution on the way both run.
     */
    private void forwardStep(double[] u, int row, int i, double[] b) {
        double minusY = -(b[i] / u[row + i]);
        b[i] = -minusY;
        for (int j = i + 1; j < size; j++) {
            b[j] = Math.fma(minusY, u[row + j], b[j]);
        }
    }

    /** Solves U x = y with the last factor, y (length size) overwritten by x. */
    void backSubstitute(double[] y) {
        double[] u = factor;
        for (int i = size - 1; i >= 0; i--) {
            int row = i * ld;
            y[i] = (y[i] - rowDot(u, row, y, i + 1, size)) / u[row + i];
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
