package io.jarnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API implementation of {@link GramKernels}, held to {@link ScalarGramKernels} bit for bit
 * by {@code GramKernelsEquivalenceTest}.
 *
 * <p>Register-blocked: a block of C's rows times a few vectors of its columns stays in registers
 * for the whole depth, fed per depth step by one vector load per column vector and one
 * broadcast per row. The block is chosen by the vector width ({@link #EIGHT_BY_THREE}), for the
 * registers the machine has:
 * <ul>
 * <li>vectors wider than 256 bits (AVX-512, 32 registers): eight rows times three vectors, 24
 *     accumulators, three vectors of B and a broadcast of A, 28 registers; 3 loads and 8
 *     broadcasts feed 24 fused multiply-adds;</li>
 * <li>256 bits or fewer (AVX2, 16 registers): six rows times two vectors, 12 accumulators and
 *     two vectors of B, leaving C2 room for the broadcasts it hoists (up to three at a time):
 *     no register spills (C2's code read back). 12 chains still cover two FMA pipes' 4-cycle
 *     latency. There the 8 x 3 block's loop moves 28 registers to and from the stack per depth
 *     step, and 4 rows x 3 vectors (16 registers exactly) still spills two accumulators, whose
 *     chains then wait on a store and a reload every step: on Zen 3 one packed 24 x 24 tile of
 *     depth 64 ran at 9.6 (8 x 3), 9.0 (4 x 3) and 19.3 (6 x 2) billion double multiply-adds
 *     per second of CPU time, the last the machine's peak.</li>
 * </ul>
 * A call of fewer rows than a block (a triangular solve's single row) runs each row across eight
 * vectors at a time (eight chains). Rows left over then run one at a time across the block's
 * vectors, columns left over one vector (eight rows, then single rows) and, past the last whole
 * vector, one scalar chain each. Every accumulator lane performs the scalar reference's fused
 * multiply-adds in its order, so any blocking gives the same bits.
 */
public final class VectorGramKernels implements GramKernels {
    public static final VectorGramKernels INSTANCE = new VectorGramKernels();

    private static final VectorSpecies<Float> S = VectorLanes.FLOATS;
    private static final int L = S.length();
    /**
     * The register block: 8 rows x 3 vectors when vectors are wider than 256 bits, else 6 rows x
     * 2 vectors (see the class comment). A constant of the species, so C2 folds the choice.
     */
    static final boolean EIGHT_BY_THREE = S.vectorBitSize() > 256;

    private VectorGramKernels() {
    }

    @Override
    public String name() {
        return "vector(" + S.vectorBitSize() + "-bit, " + L + " lanes)";
    }

    @Override
    public void accumulateTransposedProduct(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                                            int depth, float[] c, int cOff, int cRowStride, int rows, int cols) {
        accumulate(EIGHT_BY_THREE, a, aOff, aStride, b, bOff, bStride, depth, c, cOff, cRowStride, rows, cols);
    }

    /**
     * {@link #accumulateTransposedProduct} with the register block given: 8 x 3 if
     * {@code eightByThree}, else 6 x 2. Package-private so that the tests run both blocks at
     * every vector width (an AVX2 machine never takes the 8 x 3 one by itself).
     */
    static void accumulate(boolean eightByThree, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                           int depth, float[] c, int cOff, int cRowStride, int rows, int cols) {
        int j = 0;
        if (rows < (eightByThree ? 8 : 6)) {
            // Too few rows for a block (a single row: a triangular solve's row update): eight
            // vectors of one row are eight independent chains, where two or three would wait on
            // the fused multiply-add's latency.
            for (; j + 8 * L <= cols; j += 8 * L) {
                for (int r = 0; r < rows; r++) {
                    row1x8(a, aOff + r, aStride, b, bOff + j, bStride, depth, c, cOff + r * cRowStride + j);
                }
            }
        }
        if (eightByThree) {
            for (; j + 3 * L <= cols; j += 3 * L) {
                int r = 0;
                for (; r + 8 <= rows; r += 8) {
                    rows8x3(a, aOff + r, aStride, b, bOff + j, bStride, depth, c, cOff + r * cRowStride + j, cRowStride);
                }
                for (; r < rows; r++) {
                    row1x3(a, aOff + r, aStride, b, bOff + j, bStride, depth, c, cOff + r * cRowStride + j);
                }
            }
        } else {
            for (; j + 2 * L <= cols; j += 2 * L) {
                int r = 0;
                for (; r + 6 <= rows; r += 6) {
                    rows6x2(a, aOff + r, aStride, b, bOff + j, bStride, depth, c, cOff + r * cRowStride + j, cRowStride);
                }
                for (; r < rows; r++) {
                    row1x2(a, aOff + r, aStride, b, bOff + j, bStride, depth, c, cOff + r * cRowStride + j);
                }
            }
        }
        for (; j + L <= cols; j += L) {
            int r = 0;
            for (; r + 8 <= rows; r += 8) {
                rows8x1(a, aOff + r, aStride, b, bOff + j, bStride, depth, c, cOff + r * cRowStride + j, cRowStride);
            }
            for (; r < rows; r++) {
                row1x1(a, aOff + r, aStride, b, bOff + j, bStride, depth, c, cOff + r * cRowStride + j);
            }
        }
        for (; j < cols; j++) {
            for (int r = 0; r < rows; r++) {
                int ci = cOff + r * cRowStride + j;
                float acc = c[ci];
                for (int k = 0; k < depth; k++) {
                    acc = Math.fma(a[aOff + k * aStride + r], b[bOff + k * bStride + j], acc);
                }
                c[ci] = acc;
            }
        }
    }

    /** Eight rows of C times three vectors: 24 accumulators. */
    private static void rows8x3(float[] a, int aOff, int as, float[] b, int bOff, int bs, int depth,
                                float[] c, int cOff, int cs) {
        FloatVector c00 = FloatVector.fromArray(S, c, cOff);
        FloatVector c01 = FloatVector.fromArray(S, c, cOff + L);
        FloatVector c02 = FloatVector.fromArray(S, c, cOff + 2 * L);
        FloatVector c10 = FloatVector.fromArray(S, c, cOff + cs);
        FloatVector c11 = FloatVector.fromArray(S, c, cOff + cs + L);
        FloatVector c12 = FloatVector.fromArray(S, c, cOff + cs + 2 * L);
        FloatVector c20 = FloatVector.fromArray(S, c, cOff + 2 * cs);
        FloatVector c21 = FloatVector.fromArray(S, c, cOff + 2 * cs + L);
        FloatVector c22 = FloatVector.fromArray(S, c, cOff + 2 * cs + 2 * L);
        FloatVector c30 = FloatVector.fromArray(S, c, cOff + 3 * cs);
        FloatVector c31 = FloatVector.fromArray(S, c, cOff + 3 * cs + L);
        FloatVector c32 = FloatVector.fromArray(S, c, cOff + 3 * cs + 2 * L);
        FloatVector c40 = FloatVector.fromArray(S, c, cOff + 4 * cs);
        FloatVector c41 = FloatVector.fromArray(S, c, cOff + 4 * cs + L);
        FloatVector c42 = FloatVector.fromArray(S, c, cOff + 4 * cs + 2 * L);
        FloatVector c50 = FloatVector.fromArray(S, c, cOff + 5 * cs);
        FloatVector c51 = FloatVector.fromArray(S, c, cOff + 5 * cs + L);
        FloatVector c52 = FloatVector.fromArray(S, c, cOff + 5 * cs + 2 * L);
        FloatVector c60 = FloatVector.fromArray(S, c, cOff + 6 * cs);
        FloatVector c61 = FloatVector.fromArray(S, c, cOff + 6 * cs + L);
        FloatVector c62 = FloatVector.fromArray(S, c, cOff + 6 * cs + 2 * L);
        FloatVector c70 = FloatVector.fromArray(S, c, cOff + 7 * cs);
        FloatVector c71 = FloatVector.fromArray(S, c, cOff + 7 * cs + L);
        FloatVector c72 = FloatVector.fromArray(S, c, cOff + 7 * cs + 2 * L);
        for (int k = 0; k < depth; k++) {
            int ak = aOff + k * as;
            int bk = bOff + k * bs;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bk + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[ak]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, a[ak + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, a[ak + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(S, a[ak + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            x = FloatVector.broadcast(S, a[ak + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            x = FloatVector.broadcast(S, a[ak + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            x = FloatVector.broadcast(S, a[ak + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            c62 = x.fma(b2, c62);
            x = FloatVector.broadcast(S, a[ak + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            c72 = x.fma(b2, c72);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c02.intoArray(c, cOff + 2 * L);
        c10.intoArray(c, cOff + cs);
        c11.intoArray(c, cOff + cs + L);
        c12.intoArray(c, cOff + cs + 2 * L);
        c20.intoArray(c, cOff + 2 * cs);
        c21.intoArray(c, cOff + 2 * cs + L);
        c22.intoArray(c, cOff + 2 * cs + 2 * L);
        c30.intoArray(c, cOff + 3 * cs);
        c31.intoArray(c, cOff + 3 * cs + L);
        c32.intoArray(c, cOff + 3 * cs + 2 * L);
        c40.intoArray(c, cOff + 4 * cs);
        c41.intoArray(c, cOff + 4 * cs + L);
        c42.intoArray(c, cOff + 4 * cs + 2 * L);
        c50.intoArray(c, cOff + 5 * cs);
        c51.intoArray(c, cOff + 5 * cs + L);
        c52.intoArray(c, cOff + 5 * cs + 2 * L);
        c60.intoArray(c, cOff + 6 * cs);
        c61.intoArray(c, cOff + 6 * cs + L);
        c62.intoArray(c, cOff + 6 * cs + 2 * L);
        c70.intoArray(c, cOff + 7 * cs);
        c71.intoArray(c, cOff + 7 * cs + L);
        c72.intoArray(c, cOff + 7 * cs + 2 * L);
    }

    /**
     * Six rows of C times two vectors: 12 accumulators. The depth offsets advance by addition
     * (C2 multiplied the loop counter by both strides anew in every step).
     */
    private static void rows6x2(float[] a, int aOff, int as, float[] b, int bOff, int bs, int depth,
                                float[] c, int cOff, int cs) {
        FloatVector c00 = FloatVector.fromArray(S, c, cOff);
        FloatVector c01 = FloatVector.fromArray(S, c, cOff + L);
        FloatVector c10 = FloatVector.fromArray(S, c, cOff + cs);
        FloatVector c11 = FloatVector.fromArray(S, c, cOff + cs + L);
        FloatVector c20 = FloatVector.fromArray(S, c, cOff + 2 * cs);
        FloatVector c21 = FloatVector.fromArray(S, c, cOff + 2 * cs + L);
        FloatVector c30 = FloatVector.fromArray(S, c, cOff + 3 * cs);
        FloatVector c31 = FloatVector.fromArray(S, c, cOff + 3 * cs + L);
        FloatVector c40 = FloatVector.fromArray(S, c, cOff + 4 * cs);
        FloatVector c41 = FloatVector.fromArray(S, c, cOff + 4 * cs + L);
        FloatVector c50 = FloatVector.fromArray(S, c, cOff + 5 * cs);
        FloatVector c51 = FloatVector.fromArray(S, c, cOff + 5 * cs + L);
        for (int k = 0, ak = aOff, bk = bOff; k < depth; k++, ak += as, bk += bs) {
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
            FloatVector x = FloatVector.broadcast(S, a[ak]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ak + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ak + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ak + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[ak + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[ak + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + cs);
        c11.intoArray(c, cOff + cs + L);
        c20.intoArray(c, cOff + 2 * cs);
        c21.intoArray(c, cOff + 2 * cs + L);
        c30.intoArray(c, cOff + 3 * cs);
        c31.intoArray(c, cOff + 3 * cs + L);
        c40.intoArray(c, cOff + 4 * cs);
        c41.intoArray(c, cOff + 4 * cs + L);
        c50.intoArray(c, cOff + 5 * cs);
        c51.intoArray(c, cOff + 5 * cs + L);
    }

    /** One row of C times eight vectors: eight independent chains. */
    private static void row1x8(float[] a, int aOff, int as, float[] b, int bOff, int bs, int depth,
                               float[] c, int cOff) {
        FloatVector c0 = FloatVector.fromArray(S, c, cOff);
        FloatVector c1 = FloatVector.fromArray(S, c, cOff + L);
        FloatVector c2 = FloatVector.fromArray(S, c, cOff + 2 * L);
        FloatVector c3 = FloatVector.fromArray(S, c, cOff + 3 * L);
        FloatVector c4 = FloatVector.fromArray(S, c, cOff + 4 * L);
        FloatVector c5 = FloatVector.fromArray(S, c, cOff + 5 * L);
        FloatVector c6 = FloatVector.fromArray(S, c, cOff + 6 * L);
        FloatVector c7 = FloatVector.fromArray(S, c, cOff + 7 * L);
        for (int k = 0; k < depth; k++) {
            int bk = bOff + k * bs;
            FloatVector x = FloatVector.broadcast(S, a[aOff + k * as]);
            c0 = x.fma(FloatVector.fromArray(S, b, bk), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, bk + L), c1);
            c2 = x.fma(FloatVector.fromArray(S, b, bk + 2 * L), c2);
            c3 = x.fma(FloatVector.fromArray(S, b, bk + 3 * L), c3);
            c4 = x.fma(FloatVector.fromArray(S, b, bk + 4 * L), c4);
            c5 = x.fma(FloatVector.fromArray(S, b, bk + 5 * L), c5);
            c6 = x.fma(FloatVector.fromArray(S, b, bk + 6 * L), c6);
            c7 = x.fma(FloatVector.fromArray(S, b, bk + 7 * L), c7);
        }
        c0.intoArray(c, cOff);
        c1.intoArray(c, cOff + L);
        c2.intoArray(c, cOff + 2 * L);
        c3.intoArray(c, cOff + 3 * L);
        c4.intoArray(c, cOff + 4 * L);
        c5.intoArray(c, cOff + 5 * L);
        c6.intoArray(c, cOff + 6 * L);
        c7.intoArray(c, cOff + 7 * L);
    }

    /** One row of C times two vectors. */
    private static void row1x2(float[] a, int aOff, int as, float[] b, int bOff, int bs, int depth,
                               float[] c, int cOff) {
        FloatVector c0 = FloatVector.fromArray(S, c, cOff);
        FloatVector c1 = FloatVector.fromArray(S, c, cOff + L);
        for (int k = 0; k < depth; k++) {
            int bk = bOff + k * bs;
            FloatVector x = FloatVector.broadcast(S, a[aOff + k * as]);
            c0 = x.fma(FloatVector.fromArray(S, b, bk), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, bk + L), c1);
        }
        c0.intoArray(c, cOff);
        c1.intoArray(c, cOff + L);
    }

    /** One row of C times three vectors. */
    private static void row1x3(float[] a, int aOff, int as, float[] b, int bOff, int bs, int depth,
                               float[] c, int cOff) {
        FloatVector c0 = FloatVector.fromArray(S, c, cOff);
        FloatVector c1 = FloatVector.fromArray(S, c, cOff + L);
        FloatVector c2 = FloatVector.fromArray(S, c, cOff + 2 * L);
        for (int k = 0; k < depth; k++) {
            int bk = bOff + k * bs;
            FloatVector x = FloatVector.broadcast(S, a[aOff + k * as]);
            c0 = x.fma(FloatVector.fromArray(S, b, bk), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, bk + L), c1);
            c2 = x.fma(FloatVector.fromArray(S, b, bk + 2 * L), c2);
        }
        c0.intoArray(c, cOff);
        c1.intoArray(c, cOff + L);
        c2.intoArray(c, cOff + 2 * L);
    }

    /** Eight rows of C times one vector. */
    private static void rows8x1(float[] a, int aOff, int as, float[] b, int bOff, int bs, int depth,
                                float[] c, int cOff, int cs) {
        FloatVector c0 = FloatVector.fromArray(S, c, cOff);
        FloatVector c1 = FloatVector.fromArray(S, c, cOff + cs);
        FloatVector c2 = FloatVector.fromArray(S, c, cOff + 2 * cs);
        FloatVector c3 = FloatVector.fromArray(S, c, cOff + 3 * cs);
        FloatVector c4 = FloatVector.fromArray(S, c, cOff + 4 * cs);
        FloatVector c5 = FloatVector.fromArray(S, c, cOff + 5 * cs);
        FloatVector c6 = FloatVector.fromArray(S, c, cOff + 6 * cs);
        FloatVector c7 = FloatVector.fromArray(S, c, cOff + 7 * cs);
        for (int k = 0; k < depth; k++) {
            int ak = aOff + k * as;
            FloatVector v = FloatVector.fromArray(S, b, bOff + k * bs);
            c0 = FloatVector.broadcast(S, a[ak]).fma(v, c0);
            c1 = FloatVector.broadcast(S, a[ak + 1]).fma(v, c1);
            c2 = FloatVector.broadcast(S, a[ak + 2]).fma(v, c2);
            c3 = FloatVector.broadcast(S, a[ak + 3]).fma(v, c3);
            c4 = FloatVector.broadcast(S, a[ak + 4]).fma(v, c4);
            c5 = FloatVector.broadcast(S, a[ak + 5]).fma(v, c5);
            c6 = FloatVector.broadcast(S, a[ak + 6]).fma(v, c6);
            c7 = FloatVector.broadcast(S, a[ak + 7]).fma(v, c7);
        }
        c0.intoArray(c, cOff);
        c1.intoArray(c, cOff + cs);
        c2.intoArray(c, cOff + 2 * cs);
        c3.intoArray(c, cOff + 3 * cs);
        c4.intoArray(c, cOff + 4 * cs);
        c5.intoArray(c, cOff + 5 * cs);
        c6.intoArray(c, cOff + 6 * cs);
        c7.intoArray(c, cOff + 7 * cs);
    }

    /** One row of C times one vector. */
    private static void row1x1(float[] a, int aOff, int as, float[] b, int bOff, int bs, int depth,
                               float[] c, int cOff) {
        FloatVector acc = FloatVector.fromArray(S, c, cOff);
        for (int k = 0; k < depth; k++) {
            acc = FloatVector.broadcast(S, a[aOff + k * as]).fma(FloatVector.fromArray(S, b, bOff + k * bs), acc);
        }
        acc.intoArray(c, cOff);
    }
}
