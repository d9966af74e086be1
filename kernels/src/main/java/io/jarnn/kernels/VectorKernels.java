package io.jarnn.kernels;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels. Held to {@link ScalarKernels} by the equivalence tests; see that class for
 * the definitions.
 *
 * <p>{@link #accumulateTaps} is register-blocked: a block of output rows times one or two
 * vectors of output columns stays in registers for the whole (tap, input) reduction, the
 * weight vector is loaded once per block and the input scalar is broadcast. Eight independent
 * accumulators per block hide the 4-cycle FMA latency (two FMA pipes x 4 cycles). Each
 * accumulator lane performs exactly the fused multiply-adds of the scalar reference, in the
 * same order, so this kernel is bitwise equal to {@link ScalarKernels#accumulateTaps}.
 *
 * <p>The microkernels (6x4, 4x4, 2x12, 2x8, 3x8, 2x4, 4x2, 8x1, 1x4, 1x1 and the masked column tails; for vectors
 * of at most 256 bits, whose 16 registers the 6x4 and 4x4 tiles overflow, 6x2) repeat one pattern with
 * different numbers of accumulators on purpose: vectors cannot be held in arrays or passed to
 * helpers that C2 might not inline without being boxed, so each block shape is written out.
 */
public final class VectorKernels implements Kernels, BackwardKernels {
    public static final VectorKernels INSTANCE = new VectorKernels();

    private static final VectorSpecies<Float> S = VectorLanes.FLOATS;
    private static final int L = S.length();
    /**
     * Whether the running species is at most 256 bits wide: x86 then has 16 vector registers
     * (AVX2), in which the 6x4 and 4x4 tiles spill, so full rows take the 6x2 tile instead. A
     * constant, so C2 folds the choice away.
     */
    private static final boolean SIXTEEN_REGISTERS = S.vectorBitSize() <= 256;

    private VectorKernels() {
    }

    @Override
    public String name() {
        return "vector(" + S.vectorBitSize() + "-bit, " + L + " lanes)";
    }

    @Override
    public void accumulateTaps(float[] x, int xOff, int xRowStride, int tapStride, int taps, int in,
                               float[] w, int wOff, int wTapStride, int wRowStride,
                               float[] y, int yOff, int yRowStride, int rows, int out) {
        // The two or three rows left below the six- and four-row blocks (all the rows of a
        // narrow product: the 2 outputs per site of a last layer, feature-major) take the wide
        // tiles first, across as many columns as they fill; then the tall rows, and those
        // columns' remainder, take the blocks below. Every element keeps its fma order.
        int tall = rows - rows % 6 + (rows % 6 >= 4 ? 4 : 0);
        int narrow = rows - tall;
        if (SIXTEEN_REGISTERS || narrow < 2 || out < 8 * L) {
            blocks(x, xOff, xRowStride, tapStride, taps, in, w, wOff, wTapStride, wRowStride,
                    y, yOff, yRowStride, rows, out);
            return;
        }
        int xn = xOff + tall * xRowStride;
        int yn = yOff + tall * yRowStride;
        int wide = narrowWide(x, xn, xRowStride, tapStride, taps, in, w, wOff, wTapStride, wRowStride,
                y, yn, yRowStride, narrow, out);
        if (tall > 0) {
            blocks(x, xOff, xRowStride, tapStride, taps, in, w, wOff, wTapStride, wRowStride,
                    y, yOff, yRowStride, tall, out);
        }
        blocks(x, xn, xRowStride, tapStride, taps, in, w, wOff + wide, wTapStride, wRowStride,
                y, yn + wide, yRowStride, narrow, out - wide);
    }

    /**
     * Two or three rows ({@code rows}) across the widest column blocks that fit in
     * {@code out}: 2 x 12 vectors, then 2 x 8, or 3 x 8 vectors. Returns the columns done.
     */
    private static int narrowWide(float[] x, int xOff, int xs, int tapStride, int taps, int in,
                                  float[] w, int wOff, int wts, int ws, float[] y, int yOff, int ys,
                                  int rows, int out) {
        int c = 0;
        if (rows == 3) {
            for (; c + 8 * L <= out; c += 8 * L) {
                rows3x8(x, xOff, xs, tapStride, taps, in, w, wOff + c, wts, ws, y, yOff + c, ys);
            }
            return c;
        }
        for (; c + 12 * L <= out; c += 12 * L) {
            rows2x12(x, xOff, xs, tapStride, taps, in, w, wOff + c, wts, ws, y, yOff + c, ys);
        }
        if (c + 8 * L <= out) {
            rows2x8(x, xOff, xs, tapStride, taps, in, w, wOff + c, wts, ws, y, yOff + c, ys);
            c += 8 * L;
        }
        return c;
    }

    /** {@link #accumulateTaps} by blocks of rows up to six and of columns up to four vectors. */
    private static void blocks(float[] x, int xOff, int xRowStride, int tapStride, int taps, int in,
                               float[] w, int wOff, int wTapStride, int wRowStride,
                               float[] y, int yOff, int yRowStride, int rows, int out) {
        int c = 0;
        if (SIXTEEN_REGISTERS && rows >= 4) {
            // Vectors of at most 256 bits (AVX2, 16 registers): the 6x4 and 4x4 tiles below
            // would spill, so full rows run six by two vectors (12 accumulators, 2 weight
            // vectors and the broadcasts: C2 keeps two in flight, all 16). Rows 6k + 2 and 6k + 3 take one six-row
            // block fewer and two four-row blocks, so that at most one row runs alone. One
            // call per tap: with the tap loop inside the tile, C2 at times spilled accumulators
            // (a store and a reload in every chain, half the speed); between taps the
            // accumulators pass through y unchanged, so each element keeps its fma order.
            int sixes = rows / 6;
            if (sixes > 0 && rows % 6 >= 2 && rows % 6 <= 3) {
                sixes--;
            }
            for (; c + 2 * L <= out; c += 2 * L) {
                int r = 0;
                for (int block = 0; block < sixes; block++, r += 6) {
                    for (int t = 0; t < taps; t++) {
                        rows6x2Tap(x, xOff + r * xRowStride + t * tapStride, xRowStride, in,
                                w, wOff + c + t * wTapStride, wRowStride, y, yOff + r * yRowStride + c, yRowStride);
                    }
                }
                for (; r + 4 <= rows; r += 4) {
                    for (int t = 0; t < taps; t++) {
                        rows4x2Tap(x, xOff + r * xRowStride + t * tapStride, xRowStride, in,
                                w, wOff + c + t * wTapStride, wRowStride, y, yOff + r * yRowStride + c, yRowStride);
                    }
                }
                for (; r < rows; r++) {
                    row1(x, xOff + r * xRowStride, tapStride, taps, in, w, wOff + c, wTapStride, wRowStride, y, yOff + r * yRowStride + c);
                    row1(x, xOff + r * xRowStride, tapStride, taps, in, w, wOff + c + L, wTapStride, wRowStride, y, yOff + r * yRowStride + c + L);
                }
            }
        }
        // Widest blocks first: six rows times four vectors loads 4 weight vectors and 6 input
        // scalars per 24 FMAs, four rows 4 and 4 per 16. Rows left over (fewer than four; e.g. the localSize output
        // channels of a feature-major last layer) still run four chains across the columns.
        for (; c + 4 * L <= out; c += 4 * L) {
            int r = 0;
            for (; r + 6 <= rows; r += 6) {
                rows6x4(x, xOff + r * xRowStride, xRowStride, tapStride, taps, in,
                        w, wOff + c, wTapStride, wRowStride, y, yOff + r * yRowStride + c, yRowStride);
            }
            for (; r + 4 <= rows; r += 4) {
                rows4x4(x, xOff + r * xRowStride, xRowStride, tapStride, taps, in,
                        w, wOff + c, wTapStride, wRowStride, y, yOff + r * yRowStride + c, yRowStride);
            }
            for (; r + 2 <= rows; r += 2) {
                rows2x4(x, xOff + r * xRowStride, xRowStride, tapStride, taps, in,
                        w, wOff + c, wTapStride, wRowStride, y, yOff + r * yRowStride + c, yRowStride);
            }
            for (; r < rows; r++) {
                row1x4(x, xOff + r * xRowStride, tapStride, taps, in, w, wOff + c, wTapStride, wRowStride,
                        y, yOff + r * yRowStride + c);
            }
        }
        for (; c + 2 * L <= out; c += 2 * L) {
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                rows4x2(x, xOff + r * xRowStride, xRowStride, tapStride, taps, in,
                        w, wOff + c, wTapStride, wRowStride, y, yOff + r * yRowStride + c, yRowStride);
            }
            for (; r < rows; r++) {
                row1(x, xOff + r * xRowStride, tapStride, taps, in, w, wOff + c, wTapStride, wRowStride, y, yOff + r * yRowStride + c);
                row1(x, xOff + r * xRowStride, tapStride, taps, in, w, wOff + c + L, wTapStride, wRowStride, y, yOff + r * yRowStride + c + L);
            }
        }
        for (; c + L <= out; c += L) {
            int r = 0;
            for (; r + 8 <= rows; r += 8) {
                rows8(x, xOff + r * xRowStride, xRowStride, tapStride, taps, in,
                        w, wOff + c, wTapStride, wRowStride, y, yOff + r * yRowStride + c, yRowStride, L);
            }
            for (; r < rows; r++) {
                row1(x, xOff + r * xRowStride, tapStride, taps, in, w, wOff + c, wTapStride, wRowStride, y, yOff + r * yRowStride + c);
            }
        }
        if (c < out) {
            int width = out - c;
            int r = 0;
            // The column tail. Where w and y have a vector's room after the last element the
            // call may touch (callers pad their buffers with OVERREAD_PADDING), load whole
            // vectors and mask only the store: lanes past the tail hold neighbouring values, are
            // computed and discarded. Masked loads in the reduction loop cost a range check each
            // (and eight masked accumulators made C1 give up on the method, see rows4Masked).
            int lastW = wOff + c + (taps - 1) * wTapStride + (in - 1) * wRowStride;
            int lastY = yOff + c + (rows - 1) * yRowStride;
            if (lastW + L <= w.length && lastY + L <= y.length) {
                for (; r + 8 <= rows; r += 8) {
                    rows8(x, xOff + r * xRowStride, xRowStride, tapStride, taps, in,
                            w, wOff + c, wTapStride, wRowStride, y, yOff + r * yRowStride + c, yRowStride, width);
                }
            }
            for (; r + 4 <= rows; r += 4) {
                rows4Masked(x, xOff + r * xRowStride, xRowStride, tapStride, taps, in,
                        w, wOff + c, wTapStride, wRowStride, y, yOff + r * yRowStride + c, yRowStride, width);
            }
            for (; r < rows; r++) {
                row1Masked(x, xOff + r * xRowStride, tapStride, taps, in, w, wOff + c, wTapStride, wRowStride,
                        y, yOff + r * yRowStride + c, width);
            }
        }
    }

    /**
     * Six rows times four full vectors of columns: 24 accumulators, 4 weight vectors and a
     * broadcast in 29 of the 32 vector registers of AVX-512. Per reduction step 10 loads feed 24
     * fused multiply-adds (4x4: 8 for 16), so the loop runs closer to the FMA pipes' rate; a
     * dense layer's or a hidden convolution's 16 output rows run as 6 + 6 + 4.
     */
    private static void rows6x4(float[] x, int xOff, int xs, int tapStride, int taps, int in,
                                float[] w, int wOff, int wts, int ws, float[] y, int yOff, int ys) {
        FloatVector a00 = FloatVector.fromArray(S, y, yOff);
        FloatVector a01 = FloatVector.fromArray(S, y, yOff + L);
        FloatVector a02 = FloatVector.fromArray(S, y, yOff + 2 * L);
        FloatVector a03 = FloatVector.fromArray(S, y, yOff + 3 * L);
        FloatVector a10 = FloatVector.fromArray(S, y, yOff + ys);
        FloatVector a11 = FloatVector.fromArray(S, y, yOff + ys + L);
        FloatVector a12 = FloatVector.fromArray(S, y, yOff + ys + 2 * L);
        FloatVector a13 = FloatVector.fromArray(S, y, yOff + ys + 3 * L);
        FloatVector a20 = FloatVector.fromArray(S, y, yOff + 2 * ys);
        FloatVector a21 = FloatVector.fromArray(S, y, yOff + 2 * ys + L);
        FloatVector a22 = FloatVector.fromArray(S, y, yOff + 2 * ys + 2 * L);
        FloatVector a23 = FloatVector.fromArray(S, y, yOff + 2 * ys + 3 * L);
        FloatVector a30 = FloatVector.fromArray(S, y, yOff + 3 * ys);
        FloatVector a31 = FloatVector.fromArray(S, y, yOff + 3 * ys + L);
        FloatVector a32 = FloatVector.fromArray(S, y, yOff + 3 * ys + 2 * L);
        FloatVector a33 = FloatVector.fromArray(S, y, yOff + 3 * ys + 3 * L);
        FloatVector a40 = FloatVector.fromArray(S, y, yOff + 4 * ys);
        FloatVector a41 = FloatVector.fromArray(S, y, yOff + 4 * ys + L);
        FloatVector a42 = FloatVector.fromArray(S, y, yOff + 4 * ys + 2 * L);
        FloatVector a43 = FloatVector.fromArray(S, y, yOff + 4 * ys + 3 * L);
        FloatVector a50 = FloatVector.fromArray(S, y, yOff + 5 * ys);
        FloatVector a51 = FloatVector.fromArray(S, y, yOff + 5 * ys + L);
        FloatVector a52 = FloatVector.fromArray(S, y, yOff + 5 * ys + 2 * L);
        FloatVector a53 = FloatVector.fromArray(S, y, yOff + 5 * ys + 3 * L);
        if (ws == 4 * L) {
            // w rows exactly the tile's four vectors apart: the feature-major dense product,
            // X^T blocks of 64 samples at 16 lanes. With the row stride a constant C2 hoists
            // the range checks of the four loads out of the loop and drops the multiply:
            // 49 instructions and 11 loads per step of 24 fused multiply-adds, where the
            // general stride compiles to 55 and 12 (C2, JDK 25, AVX-512). The same operations
            // in the same order: only the addressing differs.
            for (int t = 0; t < taps; t++) {
                int xt = xOff + t * tapStride;
                int wt = wOff + t * wts;
                for (int a = 0; a < in; a++) {
                    int wa = wt + a * (4 * L);
                    FloatVector w0 = FloatVector.fromArray(S, w, wa);
                    FloatVector w1 = FloatVector.fromArray(S, w, wa + L);
                    FloatVector w2 = FloatVector.fromArray(S, w, wa + 2 * L);
                    FloatVector w3 = FloatVector.fromArray(S, w, wa + 3 * L);
                    FloatVector b = FloatVector.broadcast(S, x[xt + a]);
                    a00 = b.fma(w0, a00);
                    a01 = b.fma(w1, a01);
                    a02 = b.fma(w2, a02);
                    a03 = b.fma(w3, a03);
                    b = FloatVector.broadcast(S, x[xt + xs + a]);
                    a10 = b.fma(w0, a10);
                    a11 = b.fma(w1, a11);
                    a12 = b.fma(w2, a12);
                    a13 = b.fma(w3, a13);
                    b = FloatVector.broadcast(S, x[xt + 2 * xs + a]);
                    a20 = b.fma(w0, a20);
                    a21 = b.fma(w1, a21);
                    a22 = b.fma(w2, a22);
                    a23 = b.fma(w3, a23);
                    b = FloatVector.broadcast(S, x[xt + 3 * xs + a]);
                    a30 = b.fma(w0, a30);
                    a31 = b.fma(w1, a31);
                    a32 = b.fma(w2, a32);
                    a33 = b.fma(w3, a33);
                    b = FloatVector.broadcast(S, x[xt + 4 * xs + a]);
                    a40 = b.fma(w0, a40);
                    a41 = b.fma(w1, a41);
                    a42 = b.fma(w2, a42);
                    a43 = b.fma(w3, a43);
                    b = FloatVector.broadcast(S, x[xt + 5 * xs + a]);
                    a50 = b.fma(w0, a50);
                    a51 = b.fma(w1, a51);
                    a52 = b.fma(w2, a52);
                    a53 = b.fma(w3, a53);
                }
            }
        } else {
            for (int t = 0; t < taps; t++) {
                int xt = xOff + t * tapStride;
                int wt = wOff + t * wts;
                for (int a = 0; a < in; a++) {
                    int wa = wt + a * ws;
                    FloatVector w0 = FloatVector.fromArray(S, w, wa);
                    FloatVector w1 = FloatVector.fromArray(S, w, wa + L);
                    FloatVector w2 = FloatVector.fromArray(S, w, wa + 2 * L);
                    FloatVector w3 = FloatVector.fromArray(S, w, wa + 3 * L);
                    FloatVector b = FloatVector.broadcast(S, x[xt + a]);
                    a00 = b.fma(w0, a00);
                    a01 = b.fma(w1, a01);
                    a02 = b.fma(w2, a02);
                    a03 = b.fma(w3, a03);
                    b = FloatVector.broadcast(S, x[xt + xs + a]);
                    a10 = b.fma(w0, a10);
                    a11 = b.fma(w1, a11);
                    a12 = b.fma(w2, a12);
                    a13 = b.fma(w3, a13);
                    b = FloatVector.broadcast(S, x[xt + 2 * xs + a]);
                    a20 = b.fma(w0, a20);
                    a21 = b.fma(w1, a21);
                    a22 = b.fma(w2, a22);
                    a23 = b.fma(w3, a23);
                    b = FloatVector.broadcast(S, x[xt + 3 * xs + a]);
                    a30 = b.fma(w0, a30);
                    a31 = b.fma(w1, a31);
                    a32 = b.fma(w2, a32);
                    a33 = b.fma(w3, a33);
                    b = FloatVector.broadcast(S, x[xt + 4 * xs + a]);
                    a40 = b.fma(w0, a40);
                    a41 = b.fma(w1, a41);
                    a42 = b.fma(w2, a42);
                    a43 = b.fma(w3, a43);
                    b = FloatVector.broadcast(S, x[xt + 5 * xs + a]);
                    a50 = b.fma(w0, a50);
                    a51 = b.fma(w1, a51);
                    a52 = b.fma(w2, a52);
                    a53 = b.fma(w3, a53);
                }
            }
        }
        a00.intoArray(y, yOff);
        a01.intoArray(y, yOff + L);
        a02.intoArray(y, yOff + 2 * L);
        a03.intoArray(y, yOff + 3 * L);
        a10.intoArray(y, yOff + ys);
        a11.intoArray(y, yOff + ys + L);
        a12.intoArray(y, yOff + ys + 2 * L);
        a13.intoArray(y, yOff + ys + 3 * L);
        a20.intoArray(y, yOff + 2 * ys);
        a21.intoArray(y, yOff + 2 * ys + L);
        a22.intoArray(y, yOff + 2 * ys + 2 * L);
        a23.intoArray(y, yOff + 2 * ys + 3 * L);
        a30.intoArray(y, yOff + 3 * ys);
        a31.intoArray(y, yOff + 3 * ys + L);
        a32.intoArray(y, yOff + 3 * ys + 2 * L);
        a33.intoArray(y, yOff + 3 * ys + 3 * L);
        a40.intoArray(y, yOff + 4 * ys);
        a41.intoArray(y, yOff + 4 * ys + L);
        a42.intoArray(y, yOff + 4 * ys + 2 * L);
        a43.intoArray(y, yOff + 4 * ys + 3 * L);
        a50.intoArray(y, yOff + 5 * ys);
        a51.intoArray(y, yOff + 5 * ys + L);
        a52.intoArray(y, yOff + 5 * ys + 2 * L);
        a53.intoArray(y, yOff + 5 * ys + 3 * L);
    }

    /** Four rows times four full vectors of columns: sixteen accumulators. */
    private static void rows4x4(float[] x, int xOff, int xs, int tapStride, int taps, int in,
                                float[] w, int wOff, int wts, int ws, float[] y, int yOff, int ys) {
        FloatVector a00 = FloatVector.fromArray(S, y, yOff);
        FloatVector a01 = FloatVector.fromArray(S, y, yOff + L);
        FloatVector a02 = FloatVector.fromArray(S, y, yOff + 2 * L);
        FloatVector a03 = FloatVector.fromArray(S, y, yOff + 3 * L);
        FloatVector a10 = FloatVector.fromArray(S, y, yOff + ys);
        FloatVector a11 = FloatVector.fromArray(S, y, yOff + ys + L);
        FloatVector a12 = FloatVector.fromArray(S, y, yOff + ys + 2 * L);
        FloatVector a13 = FloatVector.fromArray(S, y, yOff + ys + 3 * L);
        FloatVector a20 = FloatVector.fromArray(S, y, yOff + 2 * ys);
        FloatVector a21 = FloatVector.fromArray(S, y, yOff + 2 * ys + L);
        FloatVector a22 = FloatVector.fromArray(S, y, yOff + 2 * ys + 2 * L);
        FloatVector a23 = FloatVector.fromArray(S, y, yOff + 2 * ys + 3 * L);
        FloatVector a30 = FloatVector.fromArray(S, y, yOff + 3 * ys);
        FloatVector a31 = FloatVector.fromArray(S, y, yOff + 3 * ys + L);
        FloatVector a32 = FloatVector.fromArray(S, y, yOff + 3 * ys + 2 * L);
        FloatVector a33 = FloatVector.fromArray(S, y, yOff + 3 * ys + 3 * L);
        if (ws == 4 * L) {
            // w rows exactly the tile's four vectors apart: as in rows6x4.
            for (int t = 0; t < taps; t++) {
                int xt = xOff + t * tapStride;
                int wt = wOff + t * wts;
                for (int a = 0; a < in; a++) {
                    int wa = wt + a * (4 * L);
                    FloatVector w0 = FloatVector.fromArray(S, w, wa);
                    FloatVector w1 = FloatVector.fromArray(S, w, wa + L);
                    FloatVector w2 = FloatVector.fromArray(S, w, wa + 2 * L);
                    FloatVector w3 = FloatVector.fromArray(S, w, wa + 3 * L);
                    FloatVector b = FloatVector.broadcast(S, x[xt + a]);
                    a00 = b.fma(w0, a00);
                    a01 = b.fma(w1, a01);
                    a02 = b.fma(w2, a02);
                    a03 = b.fma(w3, a03);
                    b = FloatVector.broadcast(S, x[xt + xs + a]);
                    a10 = b.fma(w0, a10);
                    a11 = b.fma(w1, a11);
                    a12 = b.fma(w2, a12);
                    a13 = b.fma(w3, a13);
                    b = FloatVector.broadcast(S, x[xt + 2 * xs + a]);
                    a20 = b.fma(w0, a20);
                    a21 = b.fma(w1, a21);
                    a22 = b.fma(w2, a22);
                    a23 = b.fma(w3, a23);
                    b = FloatVector.broadcast(S, x[xt + 3 * xs + a]);
                    a30 = b.fma(w0, a30);
                    a31 = b.fma(w1, a31);
                    a32 = b.fma(w2, a32);
                    a33 = b.fma(w3, a33);
                }
            }
        } else {
            for (int t = 0; t < taps; t++) {
                int xt = xOff + t * tapStride;
                int wt = wOff + t * wts;
                for (int a = 0; a < in; a++) {
                    int wa = wt + a * ws;
                    FloatVector w0 = FloatVector.fromArray(S, w, wa);
                    FloatVector w1 = FloatVector.fromArray(S, w, wa + L);
                    FloatVector w2 = FloatVector.fromArray(S, w, wa + 2 * L);
                    FloatVector w3 = FloatVector.fromArray(S, w, wa + 3 * L);
                    FloatVector b = FloatVector.broadcast(S, x[xt + a]);
                    a00 = b.fma(w0, a00);
                    a01 = b.fma(w1, a01);
                    a02 = b.fma(w2, a02);
                    a03 = b.fma(w3, a03);
                    b = FloatVector.broadcast(S, x[xt + xs + a]);
                    a10 = b.fma(w0, a10);
                    a11 = b.fma(w1, a11);
                    a12 = b.fma(w2, a12);
                    a13 = b.fma(w3, a13);
                    b = FloatVector.broadcast(S, x[xt + 2 * xs + a]);
                    a20 = b.fma(w0, a20);
                    a21 = b.fma(w1, a21);
                    a22 = b.fma(w2, a22);
                    a23 = b.fma(w3, a23);
                    b = FloatVector.broadcast(S, x[xt + 3 * xs + a]);
                    a30 = b.fma(w0, a30);
                    a31 = b.fma(w1, a31);
                    a32 = b.fma(w2, a32);
                    a33 = b.fma(w3, a33);
                }
            }
        }
        a00.intoArray(y, yOff);
        a01.intoArray(y, yOff + L);
        a02.intoArray(y, yOff + 2 * L);
        a03.intoArray(y, yOff + 3 * L);
        a10.intoArray(y, yOff + ys);
        a11.intoArray(y, yOff + ys + L);
        a12.intoArray(y, yOff + ys + 2 * L);
        a13.intoArray(y, yOff + ys + 3 * L);
        a20.intoArray(y, yOff + 2 * ys);
        a21.intoArray(y, yOff + 2 * ys + L);
        a22.intoArray(y, yOff + 2 * ys + 2 * L);
        a23.intoArray(y, yOff + 2 * ys + 3 * L);
        a30.intoArray(y, yOff + 3 * ys);
        a31.intoArray(y, yOff + 3 * ys + L);
        a32.intoArray(y, yOff + 3 * ys + 2 * L);
        a33.intoArray(y, yOff + 3 * ys + 3 * L);
    }

    /**
     * One tap of six rows times two full vectors of columns, for vectors of at most 256 bits:
     * 12 accumulators, 2 weight vectors and the broadcasts (C2 keeps two in flight) in AVX2's 16
     * vector registers, measured without spills (thread CPU time, dense shape: 63-71 GFLOP/s of 82).
     * Per input 8 loads feed 12 fused multiply-adds, and the 12 independent chains cover the
     * FMA latency (two pipes x 4 cycles). The caller loops over the taps (see accumulateTaps).
     */
    private static void rows6x2Tap(float[] x, int xOff, int xs, int in,
                                   float[] w, int wOff, int ws, float[] y, int yOff, int ys) {
        FloatVector a00 = FloatVector.fromArray(S, y, yOff);
        FloatVector a01 = FloatVector.fromArray(S, y, yOff + L);
        FloatVector a10 = FloatVector.fromArray(S, y, yOff + ys);
        FloatVector a11 = FloatVector.fromArray(S, y, yOff + ys + L);
        FloatVector a20 = FloatVector.fromArray(S, y, yOff + 2 * ys);
        FloatVector a21 = FloatVector.fromArray(S, y, yOff + 2 * ys + L);
        FloatVector a30 = FloatVector.fromArray(S, y, yOff + 3 * ys);
        FloatVector a31 = FloatVector.fromArray(S, y, yOff + 3 * ys + L);
        FloatVector a40 = FloatVector.fromArray(S, y, yOff + 4 * ys);
        FloatVector a41 = FloatVector.fromArray(S, y, yOff + 4 * ys + L);
        FloatVector a50 = FloatVector.fromArray(S, y, yOff + 5 * ys);
        FloatVector a51 = FloatVector.fromArray(S, y, yOff + 5 * ys + L);
        for (int a = 0; a < in; a++) {
            int wa = wOff + a * ws;
            FloatVector w0 = FloatVector.fromArray(S, w, wa);
            FloatVector w1 = FloatVector.fromArray(S, w, wa + L);
            FloatVector b = FloatVector.broadcast(S, x[xOff + a]);
            a00 = b.fma(w0, a00);
            a01 = b.fma(w1, a01);
            b = FloatVector.broadcast(S, x[xOff + xs + a]);
            a10 = b.fma(w0, a10);
            a11 = b.fma(w1, a11);
            b = FloatVector.broadcast(S, x[xOff + 2 * xs + a]);
            a20 = b.fma(w0, a20);
            a21 = b.fma(w1, a21);
            b = FloatVector.broadcast(S, x[xOff + 3 * xs + a]);
            a30 = b.fma(w0, a30);
            a31 = b.fma(w1, a31);
            b = FloatVector.broadcast(S, x[xOff + 4 * xs + a]);
            a40 = b.fma(w0, a40);
            a41 = b.fma(w1, a41);
            b = FloatVector.broadcast(S, x[xOff + 5 * xs + a]);
            a50 = b.fma(w0, a50);
            a51 = b.fma(w1, a51);
        }
        a00.intoArray(y, yOff);
        a01.intoArray(y, yOff + L);
        a10.intoArray(y, yOff + ys);
        a11.intoArray(y, yOff + ys + L);
        a20.intoArray(y, yOff + 2 * ys);
        a21.intoArray(y, yOff + 2 * ys + L);
        a30.intoArray(y, yOff + 3 * ys);
        a31.intoArray(y, yOff + 3 * ys + L);
        a40.intoArray(y, yOff + 4 * ys);
        a41.intoArray(y, yOff + 4 * ys + L);
        a50.intoArray(y, yOff + 5 * ys);
        a51.intoArray(y, yOff + 5 * ys + L);
    }

    /** One tap of four rows times two full vectors of columns, beside {@link #rows6x2Tap}. */
    private static void rows4x2Tap(float[] x, int xOff, int xs, int in,
                                   float[] w, int wOff, int ws, float[] y, int yOff, int ys) {
        FloatVector a00 = FloatVector.fromArray(S, y, yOff);
        FloatVector a01 = FloatVector.fromArray(S, y, yOff + L);
        FloatVector a10 = FloatVector.fromArray(S, y, yOff + ys);
        FloatVector a11 = FloatVector.fromArray(S, y, yOff + ys + L);
        FloatVector a20 = FloatVector.fromArray(S, y, yOff + 2 * ys);
        FloatVector a21 = FloatVector.fromArray(S, y, yOff + 2 * ys + L);
        FloatVector a30 = FloatVector.fromArray(S, y, yOff + 3 * ys);
        FloatVector a31 = FloatVector.fromArray(S, y, yOff + 3 * ys + L);
        for (int a = 0; a < in; a++) {
            int wa = wOff + a * ws;
            FloatVector w0 = FloatVector.fromArray(S, w, wa);
            FloatVector w1 = FloatVector.fromArray(S, w, wa + L);
            FloatVector b = FloatVector.broadcast(S, x[xOff + a]);
            a00 = b.fma(w0, a00);
            a01 = b.fma(w1, a01);
            b = FloatVector.broadcast(S, x[xOff + xs + a]);
            a10 = b.fma(w0, a10);
            a11 = b.fma(w1, a11);
            b = FloatVector.broadcast(S, x[xOff + 2 * xs + a]);
            a20 = b.fma(w0, a20);
            a21 = b.fma(w1, a21);
            b = FloatVector.broadcast(S, x[xOff + 3 * xs + a]);
            a30 = b.fma(w0, a30);
            a31 = b.fma(w1, a31);
        }
        a00.intoArray(y, yOff);
        a01.intoArray(y, yOff + L);
        a10.intoArray(y, yOff + ys);
        a11.intoArray(y, yOff + ys + L);
        a20.intoArray(y, yOff + 2 * ys);
        a21.intoArray(y, yOff + 2 * ys + L);
        a30.intoArray(y, yOff + 3 * ys);
        a31.intoArray(y, yOff + 3 * ys + L);
    }

    /** Four rows times two full vectors of columns: eight accumulators. */
    private static void rows4x2(float[] x, int xOff, int xs, int tapStride, int taps, int in,
                                float[] w, int wOff, int wts, int ws, float[] y, int yOff, int ys) {
        FloatVector a00 = FloatVector.fromArray(S, y, yOff);
        FloatVector a01 = FloatVector.fromArray(S, y, yOff + L);
        FloatVector a10 = FloatVector.fromArray(S, y, yOff + ys);
        FloatVector a11 = FloatVector.fromArray(S, y, yOff + ys + L);
        FloatVector a20 = FloatVector.fromArray(S, y, yOff + 2 * ys);
        FloatVector a21 = FloatVector.fromArray(S, y, yOff + 2 * ys + L);
        FloatVector a30 = FloatVector.fromArray(S, y, yOff + 3 * ys);
        FloatVector a31 = FloatVector.fromArray(S, y, yOff + 3 * ys + L);
        for (int t = 0; t < taps; t++) {
            int xt = xOff + t * tapStride;
            int wt = wOff + t * wts;
            for (int a = 0; a < in; a++) {
                FloatVector w0 = FloatVector.fromArray(S, w, wt + a * ws);
                FloatVector w1 = FloatVector.fromArray(S, w, wt + a * ws + L);
                FloatVector b0 = FloatVector.broadcast(S, x[xt + a]);
                FloatVector b1 = FloatVector.broadcast(S, x[xt + xs + a]);
                FloatVector b2 = FloatVector.broadcast(S, x[xt + 2 * xs + a]);
                FloatVector b3 = FloatVector.broadcast(S, x[xt + 3 * xs + a]);
                a00 = b0.fma(w0, a00);
                a01 = b0.fma(w1, a01);
                a10 = b1.fma(w0, a10);
                a11 = b1.fma(w1, a11);
                a20 = b2.fma(w0, a20);
                a21 = b2.fma(w1, a21);
                a30 = b3.fma(w0, a30);
                a31 = b3.fma(w1, a31);
            }
        }
        a00.intoArray(y, yOff);
        a01.intoArray(y, yOff + L);
        a10.intoArray(y, yOff + ys);
        a11.intoArray(y, yOff + ys + L);
        a20.intoArray(y, yOff + 2 * ys);
        a21.intoArray(y, yOff + 2 * ys + L);
        a30.intoArray(y, yOff + 3 * ys);
        a31.intoArray(y, yOff + 3 * ys + L);
    }

    /**
     * Eight rows times one vector of columns, of which the first {@code width} are stored: all
     * of them when {@code width >= L}, else (the column tail, called only where w and y have room
     * to load whole vectors) just the stores are masked. One branch per call, after the
     * reduction: full vectors keep plain stores (a masked store is slow where it is not an
     * AVX-512 k-mask store) and the tail needs no masked loads.
     */
    private static void rows8(float[] x, int xOff, int xs, int tapStride, int taps, int in,
                              float[] w, int wOff, int wts, int ws, float[] y, int yOff, int ys, int width) {
        FloatVector a0 = FloatVector.fromArray(S, y, yOff);
        FloatVector a1 = FloatVector.fromArray(S, y, yOff + ys);
        FloatVector a2 = FloatVector.fromArray(S, y, yOff + 2 * ys);
        FloatVector a3 = FloatVector.fromArray(S, y, yOff + 3 * ys);
        FloatVector a4 = FloatVector.fromArray(S, y, yOff + 4 * ys);
        FloatVector a5 = FloatVector.fromArray(S, y, yOff + 5 * ys);
        FloatVector a6 = FloatVector.fromArray(S, y, yOff + 6 * ys);
        FloatVector a7 = FloatVector.fromArray(S, y, yOff + 7 * ys);
        for (int t = 0; t < taps; t++) {
            int xt = xOff + t * tapStride;
            int wt = wOff + t * wts;
            for (int a = 0; a < in; a++) {
                FloatVector wv = FloatVector.fromArray(S, w, wt + a * ws);
                int xi = xt + a;
                a0 = FloatVector.broadcast(S, x[xi]).fma(wv, a0);
                a1 = FloatVector.broadcast(S, x[xi + xs]).fma(wv, a1);
                a2 = FloatVector.broadcast(S, x[xi + 2 * xs]).fma(wv, a2);
                a3 = FloatVector.broadcast(S, x[xi + 3 * xs]).fma(wv, a3);
                a4 = FloatVector.broadcast(S, x[xi + 4 * xs]).fma(wv, a4);
                a5 = FloatVector.broadcast(S, x[xi + 5 * xs]).fma(wv, a5);
                a6 = FloatVector.broadcast(S, x[xi + 6 * xs]).fma(wv, a6);
                a7 = FloatVector.broadcast(S, x[xi + 7 * xs]).fma(wv, a7);
            }
        }
        if (width >= L) {
            a0.intoArray(y, yOff);
            a1.intoArray(y, yOff + ys);
            a2.intoArray(y, yOff + 2 * ys);
            a3.intoArray(y, yOff + 3 * ys);
            a4.intoArray(y, yOff + 4 * ys);
            a5.intoArray(y, yOff + 5 * ys);
            a6.intoArray(y, yOff + 6 * ys);
            a7.intoArray(y, yOff + 7 * ys);
        } else {
            VectorMask<Float> m = S.indexInRange(0, width);
            a0.intoArray(y, yOff, m);
            a1.intoArray(y, yOff + ys, m);
            a2.intoArray(y, yOff + 2 * ys, m);
            a3.intoArray(y, yOff + 3 * ys, m);
            a4.intoArray(y, yOff + 4 * ys, m);
            a5.intoArray(y, yOff + 5 * ys, m);
            a6.intoArray(y, yOff + 6 * ys, m);
            a7.intoArray(y, yOff + 7 * ys, m);
        }
    }

    /**
     * Four rows times one partial vector of columns (the column tail, {@code width < L}). The
     * mask is built here from {@code width}, not passed in: a mask argument, and eight masked
     * accumulators, made C2 give up intrinsifying this method (falling back to boxed vectors,
     * hundreds of times slower).
     */
    private static void rows4Masked(float[] x, int xOff, int xs, int tapStride, int taps, int in,
                                    float[] w, int wOff, int wts, int ws, float[] y, int yOff, int ys, int width) {
        VectorMask<Float> m = S.indexInRange(0, width);
        FloatVector a0 = FloatVector.fromArray(S, y, yOff, m);
        FloatVector a1 = FloatVector.fromArray(S, y, yOff + ys, m);
        FloatVector a2 = FloatVector.fromArray(S, y, yOff + 2 * ys, m);
        FloatVector a3 = FloatVector.fromArray(S, y, yOff + 3 * ys, m);
        for (int t = 0; t < taps; t++) {
            int xt = xOff + t * tapStride;
            int wt = wOff + t * wts;
            for (int a = 0; a < in; a++) {
                FloatVector wv = FloatVector.fromArray(S, w, wt + a * ws, m);
                int xi = xt + a;
                a0 = FloatVector.broadcast(S, x[xi]).fma(wv, a0);
                a1 = FloatVector.broadcast(S, x[xi + xs]).fma(wv, a1);
                a2 = FloatVector.broadcast(S, x[xi + 2 * xs]).fma(wv, a2);
                a3 = FloatVector.broadcast(S, x[xi + 3 * xs]).fma(wv, a3);
            }
        }
        a0.intoArray(y, yOff, m);
        a1.intoArray(y, yOff + ys, m);
        a2.intoArray(y, yOff + 2 * ys, m);
        a3.intoArray(y, yOff + 3 * ys, m);
    }

    /**
     * Two rows times four full vectors of columns: eight accumulators sharing each weight
     * vector, for the two rows left after the four-row blocks (e.g. the two output channels of
     * a spin-1/2 model's last layer, feature-major), where one row at a time loads a weight
     * vector per fused multiply-add.
     */
    private static void rows2x4(float[] x, int xOff, int xs, int tapStride, int taps, int in,
                                float[] w, int wOff, int wts, int ws, float[] y, int yOff, int ys) {
        FloatVector a00 = FloatVector.fromArray(S, y, yOff);
        FloatVector a01 = FloatVector.fromArray(S, y, yOff + L);
        FloatVector a02 = FloatVector.fromArray(S, y, yOff + 2 * L);
        FloatVector a03 = FloatVector.fromArray(S, y, yOff + 3 * L);
        FloatVector a10 = FloatVector.fromArray(S, y, yOff + ys);
        FloatVector a11 = FloatVector.fromArray(S, y, yOff + ys + L);
        FloatVector a12 = FloatVector.fromArray(S, y, yOff + ys + 2 * L);
        FloatVector a13 = FloatVector.fromArray(S, y, yOff + ys + 3 * L);
        for (int t = 0; t < taps; t++) {
            int xt = xOff + t * tapStride;
            int wt = wOff + t * wts;
            for (int a = 0; a < in; a++) {
                int wa = wt + a * ws;
                FloatVector w0 = FloatVector.fromArray(S, w, wa);
                FloatVector w1 = FloatVector.fromArray(S, w, wa + L);
                FloatVector w2 = FloatVector.fromArray(S, w, wa + 2 * L);
                FloatVector w3 = FloatVector.fromArray(S, w, wa + 3 * L);
                FloatVector b = FloatVector.broadcast(S, x[xt + a]);
                a00 = b.fma(w0, a00);
                a01 = b.fma(w1, a01);
                a02 = b.fma(w2, a02);
                a03 = b.fma(w3, a03);
                b = FloatVector.broadcast(S, x[xt + xs + a]);
                a10 = b.fma(w0, a10);
                a11 = b.fma(w1, a11);
                a12 = b.fma(w2, a12);
                a13 = b.fma(w3, a13);
            }
        }
        a00.intoArray(y, yOff);
        a01.intoArray(y, yOff + L);
        a02.intoArray(y, yOff + 2 * L);
        a03.intoArray(y, yOff + 3 * L);
        a10.intoArray(y, yOff + ys);
        a11.intoArray(y, yOff + ys + L);
        a12.intoArray(y, yOff + ys + 2 * L);
        a13.intoArray(y, yOff + ys + 3 * L);
    }

    /**
     * Two rows times twelve full vectors of columns: 24 accumulators, 2 broadcasts and one
     * weight vector at a time in 27 of AVX-512's 32 registers. Per reduction step 12 weight loads
     * and 2 broadcasts feed 24 fused multiply-adds, where the 2 x 4 tile's 4 and 2 fed 8 (and each
     * step's fixed cost, the range checks of w and the loop, was shared by 8): the narrow products,
     * a last layer's 2 outputs per site, a conv's 2 output rows, the sampler's per-site product.
     * Each weight vector is used by both rows as soon as it is loaded, so it needs one register,
     * not twelve. {@code wa} steps by the row stride instead of {@code a * ws}: C2 cannot remove
     * the range checks of w, whose index scales by a variable, so an index it need not multiply
     * is all there is to gain there (the x indices, {@code a} plus an invariant, lose their checks).
     */
    private static void rows2x12(float[] x, int xOff, int xs, int tapStride, int taps, int in,
                               float[] w, int wOff, int wts, int ws, float[] y, int yOff, int ys) {
        FloatVector a00 = FloatVector.fromArray(S, y, yOff);
        FloatVector a01 = FloatVector.fromArray(S, y, yOff + L);
        FloatVector a02 = FloatVector.fromArray(S, y, yOff + 2 * L);
        FloatVector a03 = FloatVector.fromArray(S, y, yOff + 3 * L);
        FloatVector a04 = FloatVector.fromArray(S, y, yOff + 4 * L);
        FloatVector a05 = FloatVector.fromArray(S, y, yOff + 5 * L);
        FloatVector a06 = FloatVector.fromArray(S, y, yOff + 6 * L);
        FloatVector a07 = FloatVector.fromArray(S, y, yOff + 7 * L);
        FloatVector a08 = FloatVector.fromArray(S, y, yOff + 8 * L);
        FloatVector a09 = FloatVector.fromArray(S, y, yOff + 9 * L);
        FloatVector a0a = FloatVector.fromArray(S, y, yOff + 10 * L);
        FloatVector a0b = FloatVector.fromArray(S, y, yOff + 11 * L);
        FloatVector a10 = FloatVector.fromArray(S, y, yOff + ys);
        FloatVector a11 = FloatVector.fromArray(S, y, yOff + ys + L);
        FloatVector a12 = FloatVector.fromArray(S, y, yOff + ys + 2 * L);
        FloatVector a13 = FloatVector.fromArray(S, y, yOff + ys + 3 * L);
        FloatVector a14 = FloatVector.fromArray(S, y, yOff + ys + 4 * L);
        FloatVector a15 = FloatVector.fromArray(S, y, yOff + ys + 5 * L);
        FloatVector a16 = FloatVector.fromArray(S, y, yOff + ys + 6 * L);
        FloatVector a17 = FloatVector.fromArray(S, y, yOff + ys + 7 * L);
        FloatVector a18 = FloatVector.fromArray(S, y, yOff + ys + 8 * L);
        FloatVector a19 = FloatVector.fromArray(S, y, yOff + ys + 9 * L);
        FloatVector a1a = FloatVector.fromArray(S, y, yOff + ys + 10 * L);
        FloatVector a1b = FloatVector.fromArray(S, y, yOff + ys + 11 * L);
        for (int t = 0; t < taps; t++) {
            int xt = xOff + t * tapStride;
            int xt1 = xt + xs;
            int wa = wOff + t * wts;
            for (int a = 0; a < in; a++, wa += ws) {
                FloatVector b0 = FloatVector.broadcast(S, x[xt + a]);
                FloatVector b1 = FloatVector.broadcast(S, x[xt1 + a]);
                FloatVector wv;
                wv = FloatVector.fromArray(S, w, wa);
                a00 = b0.fma(wv, a00);
                a10 = b1.fma(wv, a10);
                wv = FloatVector.fromArray(S, w, wa + L);
                a01 = b0.fma(wv, a01);
                a11 = b1.fma(wv, a11);
                wv = FloatVector.fromArray(S, w, wa + 2 * L);
                a02 = b0.fma(wv, a02);
                a12 = b1.fma(wv, a12);
                wv = FloatVector.fromArray(S, w, wa + 3 * L);
                a03 = b0.fma(wv, a03);
                a13 = b1.fma(wv, a13);
                wv = FloatVector.fromArray(S, w, wa + 4 * L);
                a04 = b0.fma(wv, a04);
                a14 = b1.fma(wv, a14);
                wv = FloatVector.fromArray(S, w, wa + 5 * L);
                a05 = b0.fma(wv, a05);
                a15 = b1.fma(wv, a15);
                wv = FloatVector.fromArray(S, w, wa + 6 * L);
                a06 = b0.fma(wv, a06);
                a16 = b1.fma(wv, a16);
                wv = FloatVector.fromArray(S, w, wa + 7 * L);
                a07 = b0.fma(wv, a07);
                a17 = b1.fma(wv, a17);
                wv = FloatVector.fromArray(S, w, wa + 8 * L);
                a08 = b0.fma(wv, a08);
                a18 = b1.fma(wv, a18);
                wv = FloatVector.fromArray(S, w, wa + 9 * L);
                a09 = b0.fma(wv, a09);
                a19 = b1.fma(wv, a19);
                wv = FloatVector.fromArray(S, w, wa + 10 * L);
                a0a = b0.fma(wv, a0a);
                a1a = b1.fma(wv, a1a);
                wv = FloatVector.fromArray(S, w, wa + 11 * L);
                a0b = b0.fma(wv, a0b);
                a1b = b1.fma(wv, a1b);
            }
        }
        a00.intoArray(y, yOff);
        a01.intoArray(y, yOff + L);
        a02.intoArray(y, yOff + 2 * L);
        a03.intoArray(y, yOff + 3 * L);
        a04.intoArray(y, yOff + 4 * L);
        a05.intoArray(y, yOff + 5 * L);
        a06.intoArray(y, yOff + 6 * L);
        a07.intoArray(y, yOff + 7 * L);
        a08.intoArray(y, yOff + 8 * L);
        a09.intoArray(y, yOff + 9 * L);
        a0a.intoArray(y, yOff + 10 * L);
        a0b.intoArray(y, yOff + 11 * L);
        a10.intoArray(y, yOff + ys);
        a11.intoArray(y, yOff + ys + L);
        a12.intoArray(y, yOff + ys + 2 * L);
        a13.intoArray(y, yOff + ys + 3 * L);
        a14.intoArray(y, yOff + ys + 4 * L);
        a15.intoArray(y, yOff + ys + 5 * L);
        a16.intoArray(y, yOff + ys + 6 * L);
        a17.intoArray(y, yOff + ys + 7 * L);
        a18.intoArray(y, yOff + ys + 8 * L);
        a19.intoArray(y, yOff + ys + 9 * L);
        a1a.intoArray(y, yOff + ys + 10 * L);
        a1b.intoArray(y, yOff + ys + 11 * L);
    }

    /**
     * Two rows times eight full vectors of columns, for two rows with 8 to 11 vectors left
     * after the {@link #rows2x12} blocks (e.g. a batch of 128 floats at 16 lanes).
     */
    private static void rows2x8(float[] x, int xOff, int xs, int tapStride, int taps, int in,
                               float[] w, int wOff, int wts, int ws, float[] y, int yOff, int ys) {
        FloatVector a00 = FloatVector.fromArray(S, y, yOff);
        FloatVector a01 = FloatVector.fromArray(S, y, yOff + L);
        FloatVector a02 = FloatVector.fromArray(S, y, yOff + 2 * L);
        FloatVector a03 = FloatVector.fromArray(S, y, yOff + 3 * L);
        FloatVector a04 = FloatVector.fromArray(S, y, yOff + 4 * L);
        FloatVector a05 = FloatVector.fromArray(S, y, yOff + 5 * L);
        FloatVector a06 = FloatVector.fromArray(S, y, yOff + 6 * L);
        FloatVector a07 = FloatVector.fromArray(S, y, yOff + 7 * L);
        FloatVector a10 = FloatVector.fromArray(S, y, yOff + ys);
        FloatVector a11 = FloatVector.fromArray(S, y, yOff + ys + L);
        FloatVector a12 = FloatVector.fromArray(S, y, yOff + ys + 2 * L);
        FloatVector a13 = FloatVector.fromArray(S, y, yOff + ys + 3 * L);
        FloatVector a14 = FloatVector.fromArray(S, y, yOff + ys + 4 * L);
        FloatVector a15 = FloatVector.fromArray(S, y, yOff + ys + 5 * L);
        FloatVector a16 = FloatVector.fromArray(S, y, yOff + ys + 6 * L);
        FloatVector a17 = FloatVector.fromArray(S, y, yOff + ys + 7 * L);
        for (int t = 0; t < taps; t++) {
            int xt = xOff + t * tapStride;
            int xt1 = xt + xs;
            int wa = wOff + t * wts;
            for (int a = 0; a < in; a++, wa += ws) {
                FloatVector b0 = FloatVector.broadcast(S, x[xt + a]);
                FloatVector b1 = FloatVector.broadcast(S, x[xt1 + a]);
                FloatVector wv;
                wv = FloatVector.fromArray(S, w, wa);
                a00 = b0.fma(wv, a00);
                a10 = b1.fma(wv, a10);
                wv = FloatVector.fromArray(S, w, wa + L);
                a01 = b0.fma(wv, a01);
                a11 = b1.fma(wv, a11);
                wv = FloatVector.fromArray(S, w, wa + 2 * L);
                a02 = b0.fma(wv, a02);
                a12 = b1.fma(wv, a12);
                wv = FloatVector.fromArray(S, w, wa + 3 * L);
                a03 = b0.fma(wv, a03);
                a13 = b1.fma(wv, a13);
                wv = FloatVector.fromArray(S, w, wa + 4 * L);
                a04 = b0.fma(wv, a04);
                a14 = b1.fma(wv, a14);
                wv = FloatVector.fromArray(S, w, wa + 5 * L);
                a05 = b0.fma(wv, a05);
                a15 = b1.fma(wv, a15);
                wv = FloatVector.fromArray(S, w, wa + 6 * L);
                a06 = b0.fma(wv, a06);
                a16 = b1.fma(wv, a16);
                wv = FloatVector.fromArray(S, w, wa + 7 * L);
                a07 = b0.fma(wv, a07);
                a17 = b1.fma(wv, a17);
            }
        }
        a00.intoArray(y, yOff);
        a01.intoArray(y, yOff + L);
        a02.intoArray(y, yOff + 2 * L);
        a03.intoArray(y, yOff + 3 * L);
        a04.intoArray(y, yOff + 4 * L);
        a05.intoArray(y, yOff + 5 * L);
        a06.intoArray(y, yOff + 6 * L);
        a07.intoArray(y, yOff + 7 * L);
        a10.intoArray(y, yOff + ys);
        a11.intoArray(y, yOff + ys + L);
        a12.intoArray(y, yOff + ys + 2 * L);
        a13.intoArray(y, yOff + ys + 3 * L);
        a14.intoArray(y, yOff + ys + 4 * L);
        a15.intoArray(y, yOff + ys + 5 * L);
        a16.intoArray(y, yOff + ys + 6 * L);
        a17.intoArray(y, yOff + ys + 7 * L);
    }

    /**
     * Three rows times eight full vectors of columns: 24 accumulators, 3 broadcasts and one
     * weight vector at a time; 8 weight loads and 3 broadcasts per 24 fused multiply-adds. See
     * {@link #rows2x12}.
     */
    private static void rows3x8(float[] x, int xOff, int xs, int tapStride, int taps, int in,
                               float[] w, int wOff, int wts, int ws, float[] y, int yOff, int ys) {
        FloatVector a00 = FloatVector.fromArray(S, y, yOff);
        FloatVector a01 = FloatVector.fromArray(S, y, yOff + L);
        FloatVector a02 = FloatVector.fromArray(S, y, yOff + 2 * L);
        FloatVector a03 = FloatVector.fromArray(S, y, yOff + 3 * L);
        FloatVector a04 = FloatVector.fromArray(S, y, yOff + 4 * L);
        FloatVector a05 = FloatVector.fromArray(S, y, yOff + 5 * L);
        FloatVector a06 = FloatVector.fromArray(S, y, yOff + 6 * L);
        FloatVector a07 = FloatVector.fromArray(S, y, yOff + 7 * L);
        FloatVector a10 = FloatVector.fromArray(S, y, yOff + ys);
        FloatVector a11 = FloatVector.fromArray(S, y, yOff + ys + L);
        FloatVector a12 = FloatVector.fromArray(S, y, yOff + ys + 2 * L);
        FloatVector a13 = FloatVector.fromArray(S, y, yOff + ys + 3 * L);
        FloatVector a14 = FloatVector.fromArray(S, y, yOff + ys + 4 * L);
        FloatVector a15 = FloatVector.fromArray(S, y, yOff + ys + 5 * L);
        FloatVector a16 = FloatVector.fromArray(S, y, yOff + ys + 6 * L);
        FloatVector a17 = FloatVector.fromArray(S, y, yOff + ys + 7 * L);
        FloatVector a20 = FloatVector.fromArray(S, y, yOff + 2 * ys);
        FloatVector a21 = FloatVector.fromArray(S, y, yOff + 2 * ys + L);
        FloatVector a22 = FloatVector.fromArray(S, y, yOff + 2 * ys + 2 * L);
        FloatVector a23 = FloatVector.fromArray(S, y, yOff + 2 * ys + 3 * L);
        FloatVector a24 = FloatVector.fromArray(S, y, yOff + 2 * ys + 4 * L);
        FloatVector a25 = FloatVector.fromArray(S, y, yOff + 2 * ys + 5 * L);
        FloatVector a26 = FloatVector.fromArray(S, y, yOff + 2 * ys + 6 * L);
        FloatVector a27 = FloatVector.fromArray(S, y, yOff + 2 * ys + 7 * L);
        for (int t = 0; t < taps; t++) {
            int xt = xOff + t * tapStride;
            int xt1 = xt + xs;
            int xt2 = xt + 2 * xs;
            int wa = wOff + t * wts;
            for (int a = 0; a < in; a++, wa += ws) {
                FloatVector b0 = FloatVector.broadcast(S, x[xt + a]);
                FloatVector b1 = FloatVector.broadcast(S, x[xt1 + a]);
                FloatVector b2 = FloatVector.broadcast(S, x[xt2 + a]);
                FloatVector wv;
                wv = FloatVector.fromArray(S, w, wa);
                a00 = b0.fma(wv, a00);
                a10 = b1.fma(wv, a10);
                a20 = b2.fma(wv, a20);
                wv = FloatVector.fromArray(S, w, wa + L);
                a01 = b0.fma(wv, a01);
                a11 = b1.fma(wv, a11);
                a21 = b2.fma(wv, a21);
                wv = FloatVector.fromArray(S, w, wa + 2 * L);
                a02 = b0.fma(wv, a02);
                a12 = b1.fma(wv, a12);
                a22 = b2.fma(wv, a22);
                wv = FloatVector.fromArray(S, w, wa + 3 * L);
                a03 = b0.fma(wv, a03);
                a13 = b1.fma(wv, a13);
                a23 = b2.fma(wv, a23);
                wv = FloatVector.fromArray(S, w, wa + 4 * L);
                a04 = b0.fma(wv, a04);
                a14 = b1.fma(wv, a14);
                a24 = b2.fma(wv, a24);
                wv = FloatVector.fromArray(S, w, wa + 5 * L);
                a05 = b0.fma(wv, a05);
                a15 = b1.fma(wv, a15);
                a25 = b2.fma(wv, a25);
                wv = FloatVector.fromArray(S, w, wa + 6 * L);
                a06 = b0.fma(wv, a06);
                a16 = b1.fma(wv, a16);
                a26 = b2.fma(wv, a26);
                wv = FloatVector.fromArray(S, w, wa + 7 * L);
                a07 = b0.fma(wv, a07);
                a17 = b1.fma(wv, a17);
                a27 = b2.fma(wv, a27);
            }
        }
        a00.intoArray(y, yOff);
        a01.intoArray(y, yOff + L);
        a02.intoArray(y, yOff + 2 * L);
        a03.intoArray(y, yOff + 3 * L);
        a04.intoArray(y, yOff + 4 * L);
        a05.intoArray(y, yOff + 5 * L);
        a06.intoArray(y, yOff + 6 * L);
        a07.intoArray(y, yOff + 7 * L);
        a10.intoArray(y, yOff + ys);
        a11.intoArray(y, yOff + ys + L);
        a12.intoArray(y, yOff + ys + 2 * L);
        a13.intoArray(y, yOff + ys + 3 * L);
        a14.intoArray(y, yOff + ys + 4 * L);
        a15.intoArray(y, yOff + ys + 5 * L);
        a16.intoArray(y, yOff + ys + 6 * L);
        a17.intoArray(y, yOff + ys + 7 * L);
        a20.intoArray(y, yOff + 2 * ys);
        a21.intoArray(y, yOff + 2 * ys + L);
        a22.intoArray(y, yOff + 2 * ys + 2 * L);
        a23.intoArray(y, yOff + 2 * ys + 3 * L);
        a24.intoArray(y, yOff + 2 * ys + 4 * L);
        a25.intoArray(y, yOff + 2 * ys + 5 * L);
        a26.intoArray(y, yOff + 2 * ys + 6 * L);
        a27.intoArray(y, yOff + 2 * ys + 7 * L);
    }

    /** One row times four full vectors of columns. */
    private static void row1x4(float[] x, int xOff, int tapStride, int taps, int in,
                               float[] w, int wOff, int wts, int ws, float[] y, int yOff) {
        FloatVector a0 = FloatVector.fromArray(S, y, yOff);
        FloatVector a1 = FloatVector.fromArray(S, y, yOff + L);
        FloatVector a2 = FloatVector.fromArray(S, y, yOff + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, y, yOff + 3 * L);
        for (int t = 0; t < taps; t++) {
            int xt = xOff + t * tapStride;
            int wt = wOff + t * wts;
            for (int a = 0; a < in; a++) {
                FloatVector b = FloatVector.broadcast(S, x[xt + a]);
                int wa = wt + a * ws;
                a0 = b.fma(FloatVector.fromArray(S, w, wa), a0);
                a1 = b.fma(FloatVector.fromArray(S, w, wa + L), a1);
                a2 = b.fma(FloatVector.fromArray(S, w, wa + 2 * L), a2);
                a3 = b.fma(FloatVector.fromArray(S, w, wa + 3 * L), a3);
            }
        }
        a0.intoArray(y, yOff);
        a1.intoArray(y, yOff + L);
        a2.intoArray(y, yOff + 2 * L);
        a3.intoArray(y, yOff + 3 * L);
    }

    /** One row, one full vector: the row tail (and batch 1, where it is latency-bound). */
    private static void row1(float[] x, int xOff, int tapStride, int taps, int in,
                             float[] w, int wOff, int wts, int ws, float[] y, int yOff) {
        FloatVector acc = FloatVector.fromArray(S, y, yOff);
        for (int t = 0; t < taps; t++) {
            int xt = xOff + t * tapStride;
            int wt = wOff + t * wts;
            for (int a = 0; a < in; a++) {
                acc = FloatVector.broadcast(S, x[xt + a]).fma(FloatVector.fromArray(S, w, wt + a * ws), acc);
            }
        }
        acc.intoArray(y, yOff);
    }

    private static void row1Masked(float[] x, int xOff, int tapStride, int taps, int in,
                                   float[] w, int wOff, int wts, int ws, float[] y, int yOff, int width) {
        VectorMask<Float> m = S.indexInRange(0, width);
        FloatVector acc = FloatVector.fromArray(S, y, yOff, m);
        for (int t = 0; t < taps; t++) {
            int xt = xOff + t * tapStride;
            int wt = wOff + t * wts;
            for (int a = 0; a < in; a++) {
                acc = FloatVector.broadcast(S, x[xt + a]).fma(FloatVector.fromArray(S, w, wt + a * ws, m), acc);
            }
        }
        acc.intoArray(y, yOff, m);
    }

    /**
     * Products of at most this many (tap, input) terms per element run in
     * {@link #convolveFromBias}'s own loop; longer ones go to the register tiles of
     * {@link #accumulateTaps} from rows set to the bias.
     */
    private static final int SHORT_REDUCTION = 2;

    @Override
    public void convolveFromBias(float[] w, int wOff, int wRowStride, float[] panels, int taps, int in,
                                 float[] bias, int biasOff, float[] x, int xOff, int xRowStride, int tapStride,
                                 float[] y, int yOff, int yRowStride, int rows, int cols) {
        PlanarPanels.require(panels, rows, taps, in);
        if (taps * in > SHORT_REDUCTION) {
            // Three or more fused multiply-adds per element (a hidden layer of 16 features and 3
            // taps has 48). Blocks of six, four and two rows by four vectors of positions start
            // their accumulators from the bias and only store y; a row left below them and rows
            // narrower than four vectors go to the tiles of accumulateTaps from rows set to the
            // bias.
            int tiled = SIXTEEN_REGISTERS || cols < 4 * L ? 0
                    : planarBlocksFromBias(panels, taps, in, bias, biasOff, x, xOff, xRowStride, tapStride,
                            y, yOff, yRowStride, rows, cols);
            for (int r = tiled; r < rows; r++) {
                Arrays.fill(y, yOff + r * yRowStride, yOff + r * yRowStride + cols, bias[biasOff + r]);
            }
            if (tiled < rows) {
                accumulateTaps(w, wOff + tiled * wRowStride, wRowStride, in, taps, in, x, xOff, tapStride, xRowStride,
                        y, yOff + tiled * yRowStride, yRowStride, rows - tiled, cols);
            }
            return;
        }
        // A short reduction (the first layer: one input, two taps): one pass over the positions,
        // each block of them loaded once and kept in registers while every row's one or two
        // (tap, input) terms are applied from its bias (per row, a pass of its own re-read the
        // same inputs for each of a first layer's 16 outputs: 8% of the sampler's time for 4%
        // of its multiply-adds). (The tiles' (t, a) loops of one or two trips cost more loop
        // control than multiply-adds, and their y round trip came on top of a fill with the
        // bias.) Each lane applies accumulateTaps's fma(weight, input, acc) (the product
        // commutes exactly) in ascending (t, a): the same bits.
        if (taps * in == 1) {
            termFromBias(w, wOff, wRowStride, bias, biasOff, x, xOff, y, yOff, yRowStride, rows, cols);
        } else {
            // The second term: (t, a) = (1, 0) for one input and two taps, (0, 1) for two inputs.
            int x1 = xOff + (in == 1 ? tapStride : xRowStride);
            twoTermsFromBias(w, wOff, wRowStride, bias, biasOff, x, xOff, x1, y, yOff, yRowStride, rows, cols);
        }
    }

    /**
     * Floats of input (in rows by positions) a span of {@link #planarBlocksFromBias} covers when
     * it has more than {@link #PLANAR_WHOLE_SWEEP_INPUTS} inputs, 16 KiB: every row block sweeps
     * the span's positions before the next row block, and the span's input window stays in L1
     * between them (one block of four vectors at 64 inputs, which eleven row blocks re-read).
     * Measured on a Zen 4 (thread CPU time, least of 8-10, alternating, busy host): a whole
     * sample per sweep (256 positions at 64 inputs, the model's block) let the f = 64 model drop
     * to 72-74 GFLOP/s in two runs of five (input re-read from L2 by every row block) against
     * 83-88.
     */
    private static final int PLANAR_WINDOW_FLOATS = 1 << 12;

    /**
     * Inputs up to which {@link #planarBlocksFromBias} sweeps all its positions with each row
     * block in turn (three row blocks at 16 rows, re-reading a window of up to 64 KiB from L2):
     * its output rows are then written, and its input rows first read, as long runs, which the
     * hardware prefetchers follow better than 256-position pieces. Measured on a Zen 4 (thread
     * CPU time, the hidden f = 16 layer's forwardPlanar over 1024 samples streaming from memory,
     * the next sample's input warmed by MaskedConv1D, best of 12 calls, three alternating rounds,
     * busy host): 63.6-70.2 GFLOP/s against 61.2-65.9 with 256-position spans; the f = 16 model
     * (whole samples per block) 38.7-38.8 ms against 39.1-43.5 (JMH, noisy).
     */
    private static final int PLANAR_WHOLE_SWEEP_INPUTS = 16;

    /**
     * {@link #convolveFromBias} (cols at least four vectors) for the rows that blocks of six,
     * four and two cover ({@link PlanarPanels#blockHeight}), by blocks of four vectors of
     * positions, their weights from the panels; returns the rows done, the one row left (if
     * any) to the caller. Positions go by spans (all of them up to
     * {@link #PLANAR_WHOLE_SWEEP_INPUTS} inputs, else {@link #PLANAR_WINDOW_FLOATS} of input),
     * each row block over the whole span in turn, so a block's output rows are written as a few
     * long streams.
     *
     * <p>Why not the fill and {@link #accumulateTaps}: its tiles load y (the bias) into their
     * accumulators and store it back per block, after a pass that wrote the bias; here the
     * accumulators start from the broadcast bias and y is only stored. And since a block
     * writes y without reading it, the last block is moved back to end at {@code cols}
     * (overlapping the one before it, whose columns it recomputes to the same bits) instead
     * of running the columns past the last whole block through narrower and masked tiles: a
     * hidden layer's 1022 interior positions are 15 blocks of 64 and one of 62.
     */
    private static int planarBlocksFromBias(float[] panels, int taps, int in, float[] bias, int biasOff,
                                            float[] x, int xOff, int xRowStride, int tapStride,
                                            float[] y, int yOff, int yRowStride, int rows, int cols) {
        int steps = taps * in;
        int tiled = rows > 0 && PlanarPanels.blockHeight(rows, rows - 1) == 1 ? rows - 1 : rows;
        int span = in <= PLANAR_WHOLE_SWEEP_INPUTS ? cols
                : Math.max(4 * L, PLANAR_WINDOW_FLOATS / in / (4 * L) * (4 * L));
        for (int from = 0; from < cols; from += span) {
            int to = Math.min(cols, from + span);
            for (int r = 0; r < tiled; ) {
                int height = PlanarPanels.blockHeight(rows, r);
                int pr = r * steps;
                for (int j = from; j < to; j += 4 * L) {
                    int c = Math.min(j, cols - 4 * L);
                    int yc = yOff + r * yRowStride + c;
                    switch (height) {
                        case 6 -> planar6x4FromBias(panels, pr, taps, in, bias, biasOff + r,
                                x, xOff + c, xRowStride, tapStride, y, yc, yRowStride);
                        case 4 -> planar4x4FromBias(panels, pr, taps, in, bias, biasOff + r,
                                x, xOff + c, xRowStride, tapStride, y, yc, yRowStride);
                        default -> planar2x4FromBias(panels, pr, taps, in, bias, biasOff + r,
                                x, xOff + c, xRowStride, tapStride, y, yc, yRowStride);
                    }
                }
                r += height;
            }
        }
        return tiled;
    }

    /**
     * Six output rows times four vectors of positions from the bias: 24 accumulators, per
     * (tap, input) step four input vectors loaded and six weights broadcast (10 loads per 24
     * FMAs), the six weights side by side in the block's panel ({@link PlanarPanels}) at
     * {@code pOff}. Each lane applies fma(weight, input, acc) in ascending (t, a):
     * accumulateTaps's operations.
     */
    private static void planar6x4FromBias(float[] p, int pOff, int taps, int in, float[] bias, int biasOff,
                                          float[] x, int xOff, int xs, int tapStride,
                                          float[] y, int yOff, int ys) {
        // The first (tap, input) step from the bias: every accumulator then starts as a node of
        // its own (started from a shared bias vector, C2 spilled half of them to the stack
        // in the loop: 70 against 93 GFLOP/s).
        FloatVector v0 = FloatVector.fromArray(S, x, xOff);
        FloatVector v1 = FloatVector.fromArray(S, x, xOff + L);
        FloatVector v2 = FloatVector.fromArray(S, x, xOff + 2 * L);
        FloatVector v3 = FloatVector.fromArray(S, x, xOff + 3 * L);
        FloatVector k0 = FloatVector.broadcast(S, p[pOff]);
        FloatVector b0 = FloatVector.broadcast(S, bias[biasOff]);
        FloatVector a00 = k0.fma(v0, b0), a01 = k0.fma(v1, b0), a02 = k0.fma(v2, b0), a03 = k0.fma(v3, b0);
        FloatVector k1 = FloatVector.broadcast(S, p[pOff + 1]);
        FloatVector b1 = FloatVector.broadcast(S, bias[biasOff + 1]);
        FloatVector a10 = k1.fma(v0, b1), a11 = k1.fma(v1, b1), a12 = k1.fma(v2, b1), a13 = k1.fma(v3, b1);
        FloatVector k2 = FloatVector.broadcast(S, p[pOff + 2]);
        FloatVector b2 = FloatVector.broadcast(S, bias[biasOff + 2]);
        FloatVector a20 = k2.fma(v0, b2), a21 = k2.fma(v1, b2), a22 = k2.fma(v2, b2), a23 = k2.fma(v3, b2);
        FloatVector k3 = FloatVector.broadcast(S, p[pOff + 3]);
        FloatVector b3 = FloatVector.broadcast(S, bias[biasOff + 3]);
        FloatVector a30 = k3.fma(v0, b3), a31 = k3.fma(v1, b3), a32 = k3.fma(v2, b3), a33 = k3.fma(v3, b3);
        FloatVector k4 = FloatVector.broadcast(S, p[pOff + 4]);
        FloatVector b4 = FloatVector.broadcast(S, bias[biasOff + 4]);
        FloatVector a40 = k4.fma(v0, b4), a41 = k4.fma(v1, b4), a42 = k4.fma(v2, b4), a43 = k4.fma(v3, b4);
        FloatVector k5 = FloatVector.broadcast(S, p[pOff + 5]);
        FloatVector b5 = FloatVector.broadcast(S, bias[biasOff + 5]);
        FloatVector a50 = k5.fma(v0, b5), a51 = k5.fma(v1, b5), a52 = k5.fma(v2, b5), a53 = k5.fma(v3, b5);
        // The other steps in one loop on the panel position q (a constant stride: no range
        // check on p, and no outer loop over the taps whose values would crowd the registers):
        // the inputs move by xs per step and, from a tap's last input to the next tap's first,
        // by tapStride - in * xs more.
        int tapSteps = 6 * in;
        int tapEnd = pOff + tapSteps;
        int jump = tapStride - in * xs;
        int end = pOff + taps * tapSteps;
        int xa = xOff + xs;
        for (int q = pOff + 6; q < end; q += 6) {
            if (q == tapEnd) {
                xa += jump;
                tapEnd += tapSteps;
            }
            v0 = FloatVector.fromArray(S, x, xa);
            v1 = FloatVector.fromArray(S, x, xa + L);
            v2 = FloatVector.fromArray(S, x, xa + 2 * L);
            v3 = FloatVector.fromArray(S, x, xa + 3 * L);
            FloatVector k = FloatVector.broadcast(S, p[q]);
            a00 = k.fma(v0, a00);
            a01 = k.fma(v1, a01);
            a02 = k.fma(v2, a02);
            a03 = k.fma(v3, a03);
            k = FloatVector.broadcast(S, p[q + 1]);
            a10 = k.fma(v0, a10);
            a11 = k.fma(v1, a11);
            a12 = k.fma(v2, a12);
            a13 = k.fma(v3, a13);
            k = FloatVector.broadcast(S, p[q + 2]);
            a20 = k.fma(v0, a20);
            a21 = k.fma(v1, a21);
            a22 = k.fma(v2, a22);
            a23 = k.fma(v3, a23);
            k = FloatVector.broadcast(S, p[q + 3]);
            a30 = k.fma(v0, a30);
            a31 = k.fma(v1, a31);
            a32 = k.fma(v2, a32);
            a33 = k.fma(v3, a33);
            k = FloatVector.broadcast(S, p[q + 4]);
            a40 = k.fma(v0, a40);
            a41 = k.fma(v1, a41);
            a42 = k.fma(v2, a42);
            a43 = k.fma(v3, a43);
            k = FloatVector.broadcast(S, p[q + 5]);
            a50 = k.fma(v0, a50);
            a51 = k.fma(v1, a51);
            a52 = k.fma(v2, a52);
            a53 = k.fma(v3, a53);
            xa += xs;
        }
        a00.intoArray(y, yOff);
        a01.intoArray(y, yOff + L);
        a02.intoArray(y, yOff + 2 * L);
        a03.intoArray(y, yOff + 3 * L);
        a10.intoArray(y, yOff + ys);
        a11.intoArray(y, yOff + ys + L);
        a12.intoArray(y, yOff + ys + 2 * L);
        a13.intoArray(y, yOff + ys + 3 * L);
        a20.intoArray(y, yOff + 2 * ys);
        a21.intoArray(y, yOff + 2 * ys + L);
        a22.intoArray(y, yOff + 2 * ys + 2 * L);
        a23.intoArray(y, yOff + 2 * ys + 3 * L);
        a30.intoArray(y, yOff + 3 * ys);
        a31.intoArray(y, yOff + 3 * ys + L);
        a32.intoArray(y, yOff + 3 * ys + 2 * L);
        a33.intoArray(y, yOff + 3 * ys + 3 * L);
        a40.intoArray(y, yOff + 4 * ys);
        a41.intoArray(y, yOff + 4 * ys + L);
        a42.intoArray(y, yOff + 4 * ys + 2 * L);
        a43.intoArray(y, yOff + 4 * ys + 3 * L);
        a50.intoArray(y, yOff + 5 * ys);
        a51.intoArray(y, yOff + 5 * ys + L);
        a52.intoArray(y, yOff + 5 * ys + 2 * L);
        a53.intoArray(y, yOff + 5 * ys + 3 * L);
    }

    /** {@link #planar6x4FromBias} with four output rows: 16 accumulators, 8 loads per 16 FMAs. */
    private static void planar4x4FromBias(float[] p, int pOff, int taps, int in, float[] bias, int biasOff,
                                          float[] x, int xOff, int xs, int tapStride,
                                          float[] y, int yOff, int ys) {
        // The first (tap, input) step from the bias, as in planar6x4FromBias.
        FloatVector v0 = FloatVector.fromArray(S, x, xOff);
        FloatVector v1 = FloatVector.fromArray(S, x, xOff + L);
        FloatVector v2 = FloatVector.fromArray(S, x, xOff + 2 * L);
        FloatVector v3 = FloatVector.fromArray(S, x, xOff + 3 * L);
        FloatVector k0 = FloatVector.broadcast(S, p[pOff]);
        FloatVector b0 = FloatVector.broadcast(S, bias[biasOff]);
        FloatVector a00 = k0.fma(v0, b0), a01 = k0.fma(v1, b0), a02 = k0.fma(v2, b0), a03 = k0.fma(v3, b0);
        FloatVector k1 = FloatVector.broadcast(S, p[pOff + 1]);
        FloatVector b1 = FloatVector.broadcast(S, bias[biasOff + 1]);
        FloatVector a10 = k1.fma(v0, b1), a11 = k1.fma(v1, b1), a12 = k1.fma(v2, b1), a13 = k1.fma(v3, b1);
        FloatVector k2 = FloatVector.broadcast(S, p[pOff + 2]);
        FloatVector b2 = FloatVector.broadcast(S, bias[biasOff + 2]);
        FloatVector a20 = k2.fma(v0, b2), a21 = k2.fma(v1, b2), a22 = k2.fma(v2, b2), a23 = k2.fma(v3, b2);
        FloatVector k3 = FloatVector.broadcast(S, p[pOff + 3]);
        FloatVector b3 = FloatVector.broadcast(S, bias[biasOff + 3]);
        FloatVector a30 = k3.fma(v0, b3), a31 = k3.fma(v1, b3), a32 = k3.fma(v2, b3), a33 = k3.fma(v3, b3);
        // The other steps in one loop on the panel position q, as in planar6x4FromBias.
        int tapSteps = 4 * in;
        int tapEnd = pOff + tapSteps;
        int jump = tapStride - in * xs;
        int end = pOff + taps * tapSteps;
        int xa = xOff + xs;
        for (int q = pOff + 4; q < end; q += 4) {
            if (q == tapEnd) {
                xa += jump;
                tapEnd += tapSteps;
            }
            v0 = FloatVector.fromArray(S, x, xa);
            v1 = FloatVector.fromArray(S, x, xa + L);
            v2 = FloatVector.fromArray(S, x, xa + 2 * L);
            v3 = FloatVector.fromArray(S, x, xa + 3 * L);
            FloatVector k = FloatVector.broadcast(S, p[q]);
            a00 = k.fma(v0, a00);
            a01 = k.fma(v1, a01);
            a02 = k.fma(v2, a02);
            a03 = k.fma(v3, a03);
            k = FloatVector.broadcast(S, p[q + 1]);
            a10 = k.fma(v0, a10);
            a11 = k.fma(v1, a11);
            a12 = k.fma(v2, a12);
            a13 = k.fma(v3, a13);
            k = FloatVector.broadcast(S, p[q + 2]);
            a20 = k.fma(v0, a20);
            a21 = k.fma(v1, a21);
            a22 = k.fma(v2, a22);
            a23 = k.fma(v3, a23);
            k = FloatVector.broadcast(S, p[q + 3]);
            a30 = k.fma(v0, a30);
            a31 = k.fma(v1, a31);
            a32 = k.fma(v2, a32);
            a33 = k.fma(v3, a33);
            xa += xs;
        }
        a00.intoArray(y, yOff);
        a01.intoArray(y, yOff + L);
        a02.intoArray(y, yOff + 2 * L);
        a03.intoArray(y, yOff + 3 * L);
        a10.intoArray(y, yOff + ys);
        a11.intoArray(y, yOff + ys + L);
        a12.intoArray(y, yOff + ys + 2 * L);
        a13.intoArray(y, yOff + ys + 3 * L);
        a20.intoArray(y, yOff + 2 * ys);
        a21.intoArray(y, yOff + 2 * ys + L);
        a22.intoArray(y, yOff + 2 * ys + 2 * L);
        a23.intoArray(y, yOff + 2 * ys + 3 * L);
        a30.intoArray(y, yOff + 3 * ys);
        a31.intoArray(y, yOff + 3 * ys + L);
        a32.intoArray(y, yOff + 3 * ys + 2 * L);
        a33.intoArray(y, yOff + 3 * ys + 3 * L);
    }

    /**
     * {@link #planar6x4FromBias} with two output rows (a last layer of two local states): 8
     * accumulators, 6 loads per 8 FMAs.
     */
    private static void planar2x4FromBias(float[] p, int pOff, int taps, int in, float[] bias, int biasOff,
                                          float[] x, int xOff, int xs, int tapStride,
                                          float[] y, int yOff, int ys) {
        // The first (tap, input) step from the bias, as in planar6x4FromBias.
        FloatVector v0 = FloatVector.fromArray(S, x, xOff);
        FloatVector v1 = FloatVector.fromArray(S, x, xOff + L);
        FloatVector v2 = FloatVector.fromArray(S, x, xOff + 2 * L);
        FloatVector v3 = FloatVector.fromArray(S, x, xOff + 3 * L);
        FloatVector k0 = FloatVector.broadcast(S, p[pOff]);
        FloatVector b0 = FloatVector.broadcast(S, bias[biasOff]);
        FloatVector a00 = k0.fma(v0, b0), a01 = k0.fma(v1, b0), a02 = k0.fma(v2, b0), a03 = k0.fma(v3, b0);
        FloatVector k1 = FloatVector.broadcast(S, p[pOff + 1]);
        FloatVector b1 = FloatVector.broadcast(S, bias[biasOff + 1]);
        FloatVector a10 = k1.fma(v0, b1), a11 = k1.fma(v1, b1), a12 = k1.fma(v2, b1), a13 = k1.fma(v3, b1);
        // The other steps in one loop on the panel position q, as in planar6x4FromBias.
        int tapSteps = 2 * in;
        int tapEnd = pOff + tapSteps;
        int jump = tapStride - in * xs;
        int end = pOff + taps * tapSteps;
        int xa = xOff + xs;
        for (int q = pOff + 2; q < end; q += 2) {
            if (q == tapEnd) {
                xa += jump;
                tapEnd += tapSteps;
            }
            v0 = FloatVector.fromArray(S, x, xa);
            v1 = FloatVector.fromArray(S, x, xa + L);
            v2 = FloatVector.fromArray(S, x, xa + 2 * L);
            v3 = FloatVector.fromArray(S, x, xa + 3 * L);
            FloatVector k = FloatVector.broadcast(S, p[q]);
            a00 = k.fma(v0, a00);
            a01 = k.fma(v1, a01);
            a02 = k.fma(v2, a02);
            a03 = k.fma(v3, a03);
            k = FloatVector.broadcast(S, p[q + 1]);
            a10 = k.fma(v0, a10);
            a11 = k.fma(v1, a11);
            a12 = k.fma(v2, a12);
            a13 = k.fma(v3, a13);
            xa += xs;
        }
        a00.intoArray(y, yOff);
        a01.intoArray(y, yOff + L);
        a02.intoArray(y, yOff + 2 * L);
        a03.intoArray(y, yOff + 3 * L);
        a10.intoArray(y, yOff + ys);
        a11.intoArray(y, yOff + ys + L);
        a12.intoArray(y, yOff + ys + 2 * L);
        a13.intoArray(y, yOff + ys + 3 * L);
    }

    /**
     * {@code y[r, j] = fma(w[r, 1], x[x1 + j], fma(w[r, 0], x[x0 + j], bias[r]))} for r < rows,
     * j < cols, with w[r, t] = {@code w[wOff + r * ws + t]} and y[r, j] = {@code y[yOff + r * ys + j]}:
     * each block of four vectors of positions is loaded once for all the rows.
     */
    private static void twoTermsFromBias(float[] w, int wOff, int ws, float[] bias, int biasOff,
                                         float[] x, int x0, int x1, float[] y, int yOff, int ys, int rows, int cols) {
        int j = 0;
        for (; j + 4 * L <= cols; j += 4 * L) {
            FloatVector p0 = FloatVector.fromArray(S, x, x0 + j);
            FloatVector p1 = FloatVector.fromArray(S, x, x0 + j + L);
            FloatVector p2 = FloatVector.fromArray(S, x, x0 + j + 2 * L);
            FloatVector p3 = FloatVector.fromArray(S, x, x0 + j + 3 * L);
            FloatVector q0 = FloatVector.fromArray(S, x, x1 + j);
            FloatVector q1 = FloatVector.fromArray(S, x, x1 + j + L);
            FloatVector q2 = FloatVector.fromArray(S, x, x1 + j + 2 * L);
            FloatVector q3 = FloatVector.fromArray(S, x, x1 + j + 3 * L);
            for (int r = 0; r < rows; r++) {
                int wr = wOff + r * ws;
                int yr = yOff + r * ys + j;
                FloatVector v0 = FloatVector.broadcast(S, w[wr]);
                FloatVector v1 = FloatVector.broadcast(S, w[wr + 1]);
                FloatVector b = FloatVector.broadcast(S, bias[biasOff + r]);
                v1.fma(q0, v0.fma(p0, b)).intoArray(y, yr);
                v1.fma(q1, v0.fma(p1, b)).intoArray(y, yr + L);
                v1.fma(q2, v0.fma(p2, b)).intoArray(y, yr + 2 * L);
                v1.fma(q3, v0.fma(p3, b)).intoArray(y, yr + 3 * L);
            }
        }
        for (; j + L <= cols; j += L) {
            FloatVector p0 = FloatVector.fromArray(S, x, x0 + j);
            FloatVector q0 = FloatVector.fromArray(S, x, x1 + j);
            for (int r = 0; r < rows; r++) {
                int wr = wOff + r * ws;
                FloatVector b = FloatVector.broadcast(S, bias[biasOff + r]);
                FloatVector.broadcast(S, w[wr + 1]).fma(q0, FloatVector.broadcast(S, w[wr]).fma(p0, b))
                        .intoArray(y, yOff + r * ys + j);
            }
        }
        for (; j < cols; j++) {
            for (int r = 0; r < rows; r++) {
                int wr = wOff + r * ws;
                y[yOff + r * ys + j] = Math.fma(w[wr + 1], x[x1 + j], Math.fma(w[wr], x[x0 + j], bias[biasOff + r]));
            }
        }
    }

    /**
     * {@code y[r, j] = fma(w[r, 0], x[xOff + j], bias[r])} for r < rows, j < cols (as
     * {@link #twoTermsFromBias}): each block of four vectors of positions loaded once for all the rows.
     */
    private static void termFromBias(float[] w, int wOff, int ws, float[] bias, int biasOff,
                                     float[] x, int xOff, float[] y, int yOff, int ys, int rows, int cols) {
        int j = 0;
        for (; j + 4 * L <= cols; j += 4 * L) {
            FloatVector p0 = FloatVector.fromArray(S, x, xOff + j);
            FloatVector p1 = FloatVector.fromArray(S, x, xOff + j + L);
            FloatVector p2 = FloatVector.fromArray(S, x, xOff + j + 2 * L);
            FloatVector p3 = FloatVector.fromArray(S, x, xOff + j + 3 * L);
            for (int r = 0; r < rows; r++) {
                int yr = yOff + r * ys + j;
                FloatVector v = FloatVector.broadcast(S, w[wOff + r * ws]);
                FloatVector b = FloatVector.broadcast(S, bias[biasOff + r]);
                v.fma(p0, b).intoArray(y, yr);
                v.fma(p1, b).intoArray(y, yr + L);
                v.fma(p2, b).intoArray(y, yr + 2 * L);
                v.fma(p3, b).intoArray(y, yr + 3 * L);
            }
        }
        for (; j + L <= cols; j += L) {
            FloatVector p0 = FloatVector.fromArray(S, x, xOff + j);
            for (int r = 0; r < rows; r++) {
                FloatVector.broadcast(S, w[wOff + r * ws]).fma(p0, FloatVector.broadcast(S, bias[biasOff + r]))
                        .intoArray(y, yOff + r * ys + j);
            }
        }
        for (; j < cols; j++) {
            for (int r = 0; r < rows; r++) {
                y[yOff + r * ys + j] = Math.fma(w[wOff + r * ws], x[xOff + j], bias[biasOff + r]);
            }
        }
    }

    @Override
    public void selu(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        VectorMath.selu(src, srcOff, dst, dstOff, n);
    }

    @Override
    public void logNormalizeRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols, float machinePow) {
        // Rows are short (the local size, usually 2..5) and many (batch * N), so the exps and
        // the logs are what costs: both run as vectors over contiguous runs of out, which
        // serves as the scratch, and the cheap per-row steps stay scalar. Every element goes
        // through the same lane-wise operations (or their scalar twins), so no row's bits
        // depend on its position.
        shiftedExp(x, xOff, out, outOff, rows, cols, machinePow);
        // Row sums, packed to the front of out: row r's sum lands in out[r], inside a row
        // that has already been summed (r <= r * cols).
        for (int r = 0; r < rows; r++) {
            int or = outOff + r * cols;
            float sum = 0;
            for (int k = 0; k < cols; k++) {
                sum += out[or + k];
            }
            out[outOff + r] = sum;
        }
        VectorMath.logInPlace(out, outOff, rows);
        // Last row first: writing row r only covers packed logs of rows >= r, all consumed.
        float invPow = 1f / machinePow;
        for (int r = rows - 1; r >= 0; r--) {
            float shift = out[outOff + r] * invPow;
            int xr = xOff + r * cols;
            int or = outOff + r * cols;
            float xMax = ScalarKernels.rowMax(x, xr, cols);
            for (int k = 0; k < cols; k++) {
                out[or + k] = (x[xr + k] - xMax) - shift;
            }
        }
    }

    @Override
    public void probabilityColumns(float[] x, int xOff, float[] out, int outOff, int rows, int cols, float machinePow) {
        // Three small passes rather than one loop with the exp inlined in it: C2 ran out of
        // inlining budget there and left part of the exp boxed (JFR: convert0, blendTemplate).
        // The scalar column tails perform the very operations of a vector lane, so every
        // column gets the same bits wherever it sits.
        shiftColumns(x, xOff, out, outOff, rows, cols, machinePow);
        VectorMath.expInPlace(out, outOff, rows * cols);
        normaliseColumns(out, outOff, rows, cols);
    }

    /** out[k, j] = (x[k, j] - max_k x[:, j]) * p. */
    private static void shiftColumns(float[] x, int xOff, float[] out, int outOff, int rows, int cols, float p) {
        int j = 0;
        for (int bound = S.loopBound(cols); j < bound; j += L) {
            FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            // The loaded vector as the receiver, the carried max as the argument, here and in
            // every column loop below: LoopCarriedReceiverTest says why.
            for (int k = 0; k < rows; k++) {
                max = FloatVector.fromArray(S, x, xOff + k * cols + j).max(max);
            }
            for (int k = 0; k < rows; k++) {
                FloatVector.fromArray(S, x, xOff + k * cols + j).sub(max).mul(p).intoArray(out, outOff + k * cols + j);
            }
        }
        for (; j < cols; j++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < rows; k++) {
                max = Math.max(max, x[xOff + k * cols + j]);
            }
            for (int k = 0; k < rows; k++) {
                out[outOff + k * cols + j] = (x[xOff + k * cols + j] - max) * p;
            }
        }
    }

    /** a[k, j] /= sum_k a[k, j], as a[k, j] * (1 / sum), the sum in ascending k. */
    private static void normaliseColumns(float[] a, int off, int rows, int cols) {
        int j = 0;
        for (int bound = S.loopBound(cols); j < bound; j += L) {
            FloatVector sum = FloatVector.zero(S);
            for (int k = 0; k < rows; k++) {
                sum = FloatVector.fromArray(S, a, off + k * cols + j).add(sum);
            }
            FloatVector inv = FloatVector.broadcast(S, 1f).div(sum);
            for (int k = 0; k < rows; k++) {
                FloatVector.fromArray(S, a, off + k * cols + j).mul(inv).intoArray(a, off + k * cols + j);
            }
        }
        for (; j < cols; j++) {
            float sum = 0;
            for (int k = 0; k < rows; k++) {
                sum += a[off + k * cols + j];
            }
            float inv = 1f / sum;
            for (int k = 0; k < rows; k++) {
                a[off + k * cols + j] *= inv;
            }
        }
    }

    @Override
    public void logNormalizeColumns(float[] x, int xOff, int xRowStride, float[] out, int outOff, int outRowStride,
                                    int rows, int cols, float machinePow) {
        // logNormalizeRows lane-wise: the shifted exponents p (x - max), their exps
        // (VectorMath, position-independent), the sums from 0 in ascending k, the logs, and
        // (x - max) - log * (1/p). The sums and their logs live in out's row 0, written last.
        float p = machinePow;
        int j = 0;
        for (int bound = S.loopBound(cols); j < bound; j += L) {
            // The column maxima inline, twice (a helper returning a vector, if C2 did not
            // inline it, would box one per call).
            FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int k = 0; k < rows; k++) {
                max = FloatVector.fromArray(S, x, xOff + k * xRowStride + j).max(max);
            }
            for (int k = 0; k < rows; k++) {
                FloatVector.fromArray(S, x, xOff + k * xRowStride + j).sub(max).mul(p)
                        .intoArray(out, outOff + k * outRowStride + j);
            }
        }
        for (; j < cols; j++) {
            float max = scalarColumnMax(x, xOff + j, xRowStride, rows);
            for (int k = 0; k < rows; k++) {
                out[outOff + k * outRowStride + j] = p * (x[xOff + k * xRowStride + j] - max);
            }
        }
        for (int k = 0; k < rows; k++) {
            VectorMath.expInPlace(out, outOff + k * outRowStride, cols);
        }
        j = 0;
        for (int bound = S.loopBound(cols); j < bound; j += L) {
            FloatVector sum = FloatVector.zero(S);
            for (int k = 0; k < rows; k++) {
                sum = FloatVector.fromArray(S, out, outOff + k * outRowStride + j).add(sum);
            }
            sum.intoArray(out, outOff + j);
        }
        for (; j < cols; j++) {
            float sum = 0;
            for (int k = 0; k < rows; k++) {
                sum += out[outOff + k * outRowStride + j];
            }
            out[outOff + j] = sum;
        }
        VectorMath.logInPlace(out, outOff, cols);
        float invPow = 1f / machinePow;
        j = 0;
        for (int bound = S.loopBound(cols); j < bound; j += L) {
            FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int k = 0; k < rows; k++) {
                max = FloatVector.fromArray(S, x, xOff + k * xRowStride + j).max(max);
            }
            FloatVector shift = FloatVector.fromArray(S, out, outOff + j).mul(invPow);
            for (int k = rows - 1; k >= 0; k--) {
                FloatVector.fromArray(S, x, xOff + k * xRowStride + j).sub(max).sub(shift)
                        .intoArray(out, outOff + k * outRowStride + j);
            }
        }
        for (; j < cols; j++) {
            float max = scalarColumnMax(x, xOff + j, xRowStride, rows);
            float shift = out[outOff + j] * invPow;
            for (int k = rows - 1; k >= 0; k--) {
                out[outOff + k * outRowStride + j] = (x[xOff + k * xRowStride + j] - max) - shift;
            }
        }
    }

    /** {@link ScalarKernels#rowMax} of the column at {@code off}: the column tails' twin of the lanes' maxima. */
    private static float scalarColumnMax(float[] x, int off, int rowStride, int rows) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < rows; k++) {
            max = Math.max(max, x[off + k * rowStride]);
        }
        return max;
    }

    // ---------------------------------------------------------------- backward

    @Override
    public void seluBackward(float[] a, int aOff, float[] dy, int dyOff, float[] dz, int dzOff, int n) {
        // Lane-wise the very operations of ScalarKernels.seluDerivative and the product, so the
        // result is bitwise the scalar reference's wherever an element sits.
        FloatVector scale = FloatVector.broadcast(S, ScalarKernels.SELU_SCALE);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector av = FloatVector.fromArray(S, a, aOff + i);
            FloatVector d = av.add(ScalarKernels.SELU_SCALE_ALPHA).blend(scale, av.compare(VectorOperators.GT, 0f));
            FloatVector.fromArray(S, dy, dyOff + i).mul(d).intoArray(dz, dzOff + i);
        }
        for (; i < n; i++) {
            dz[dzOff + i] = dy[dyOff + i] * ScalarKernels.seluDerivative(a[aOff + i]);
        }
    }

    @Override
    public void logNormalizeRowsBackward(float[] x, int xOff, float[] c, int cOff, float[] dx, int dxOff,
                                         int rows, int cols, float machinePow) {
        // The exps, the costly part, as vectors over the whole block with dx as their scratch;
        // the short per-row sums and the update stay scalar (rows are localSize long).
        shiftedExp(x, xOff, dx, dxOff, rows, cols, machinePow);
        for (int r = 0; r < rows; r++) {
            int dr = dxOff + r * cols;
            int cr = cOff + r * cols;
            float s = 0;
            float sumC = 0;
            for (int k = 0; k < cols; k++) {
                s += dx[dr + k];
                sumC += c[cr + k];
            }
            float q = sumC / s;
            for (int k = 0; k < cols; k++) {
                dx[dr + k] = c[cr + k] - dx[dr + k] * q;
            }
        }
    }

    @Override
    public void logNormalizeRowsBackwardChosen(float[] x, int xOff, int[] chosen, int chosenOff,
                                               float[] weights, int weightsOff, int rowsPerWeight,
                                               float[] dx, int dxOff, int rows, int cols, float machinePow) {
        shiftedExp(x, xOff, dx, dxOff, rows, cols, machinePow);
        for (int r = 0; r < rows; r++) {
            int dr = dxOff + r * cols;
            float s = 0;
            for (int k = 0; k < cols; k++) {
                s += dx[dr + k];
            }
            float w = weights[weightsOff + r / rowsPerWeight];
            float q = w / s;
            int pick = chosen[chosenOff + r];
            for (int k = 0; k < cols; k++) {
                dx[dr + k] = (k == pick ? w : 0f) - dx[dr + k] * q;
            }
        }
    }

    @Override
    public void logNormalizeColumnsBackwardChosen(float[] x, int xOff, int xRowStride, float[] chosen, int chosenOff,
                                                  float[] weights, int weightsOff, int weightsStride,
                                                  float[] dx, int dxOff, int dxRowStride, int rows, int cols,
                                                  float machinePow) {
        // logNormalizeRowsBackwardChosen lane-wise: the shifted exponents p (x - max) into dx,
        // their exps (VectorMath, position-independent), then per column the sum from 0 in
        // ascending k, q = w / s and (k == pick ? w : 0) - e q. The column tails run the same
        // operations in scalar.
        assert weightsStride == 0 || weightsStride == 1 : weightsStride;
        float p = machinePow;
        int j = 0;
        for (int bound = S.loopBound(cols); j < bound; j += L) {
            FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int k = 0; k < rows; k++) {
                max = FloatVector.fromArray(S, x, xOff + k * xRowStride + j).max(max);
            }
            for (int k = 0; k < rows; k++) {
                FloatVector.fromArray(S, x, xOff + k * xRowStride + j).sub(max).mul(p)
                        .intoArray(dx, dxOff + k * dxRowStride + j);
            }
        }
        for (; j < cols; j++) {
            float max = scalarColumnMax(x, xOff + j, xRowStride, rows);
            for (int k = 0; k < rows; k++) {
                dx[dxOff + k * dxRowStride + j] = p * (x[xOff + k * xRowStride + j] - max);
            }
        }
        for (int k = 0; k < rows; k++) {
            VectorMath.expInPlace(dx, dxOff + k * dxRowStride, cols);
        }
        j = 0;
        for (int bound = S.loopBound(cols); j < bound; j += L) {
            FloatVector s = FloatVector.zero(S);
            for (int k = 0; k < rows; k++) {
                s = FloatVector.fromArray(S, dx, dxOff + k * dxRowStride + j).add(s);
            }
            FloatVector w = weightsStride == 0 ? FloatVector.broadcast(S, weights[weightsOff])
                    : FloatVector.fromArray(S, weights, weightsOff + j);
            FloatVector q = w.div(s);
            FloatVector pick = FloatVector.fromArray(S, chosen, chosenOff + j);
            FloatVector zero = FloatVector.zero(S);
            for (int k = 0; k < rows; k++) {
                int at = dxOff + k * dxRowStride + j;
                FloatVector onehot = zero.blend(w, pick.compare(VectorOperators.EQ, (float) k));
                onehot.sub(FloatVector.fromArray(S, dx, at).mul(q)).intoArray(dx, at);
            }
        }
        for (; j < cols; j++) {
            float s = 0;
            for (int k = 0; k < rows; k++) {
                s += dx[dxOff + k * dxRowStride + j];
            }
            float w = weights[weightsOff + j * weightsStride];
            float q = w / s;
            int pick = (int) chosen[chosenOff + j];
            for (int k = 0; k < rows; k++) {
                int at = dxOff + k * dxRowStride + j;
                dx[at] = (k == pick ? w : 0f) - dx[at] * q;
            }
        }
    }

    /**
     * The two-input permutations of one stage of a square register transpose (16 x 16, or 8 x 8
     * with 8 lanes): for rows r and r + h ((r & h) == 0), {@code lo} takes r's lanes outside
     * the h-blocks to swap and r + h's swapped in, {@code hi} the reverse (indexes L and above
     * select from the second vector). log2(L) stages (h = L/2, ..., 2, 1) swap the off-diagonal
     * blocks at every scale. Built only for 16 and 8 lanes; other widths transpose in scalar (a
     * copy either way).
     */
    private static final boolean SIXTEEN = L == 16;
    /** 256-bit floats (or 512-bit doubles): 8 x 8 tiles, three stages, in 8 + 2 of 16 registers. */
    private static final boolean EIGHT = L == 8;
    private static final VectorShuffle<Float> LO8 = SIXTEEN ? stage(8, true) : null;
    private static final VectorShuffle<Float> HI8 = SIXTEEN ? stage(8, false) : null;
    private static final VectorShuffle<Float> LO4 = SIXTEEN || EIGHT ? stage(4, true) : null;
    private static final VectorShuffle<Float> HI4 = SIXTEEN || EIGHT ? stage(4, false) : null;
    private static final VectorShuffle<Float> LO2 = SIXTEEN || EIGHT ? stage(2, true) : null;
    private static final VectorShuffle<Float> HI2 = SIXTEEN || EIGHT ? stage(2, false) : null;
    private static final VectorShuffle<Float> LO1 = SIXTEEN || EIGHT ? stage(1, true) : null;
    private static final VectorShuffle<Float> HI1 = SIXTEEN || EIGHT ? stage(1, false) : null;

    private static VectorShuffle<Float> stage(int h, boolean lo) {
        int[] index = new int[L];
        for (int i = 0; i < L; i++) {
            boolean kept = (i & h) == 0;
            index[i] = lo ? (kept ? i : L + i - h) : (kept ? i + h : L + i);
        }
        return VectorShuffle.fromArray(S, index, 0);
    }

    @Override
    public void transpose(float[] src, int srcOff, int srcRowStride, int rows, int cols,
                          float[] dst, int dstOff, int dstRowStride) {
        int r0 = 0;
        if (SIXTEEN) {
            for (; r0 + 16 <= rows; r0 += 16) {
                int c0 = 0;
                for (; c0 + 16 <= cols; c0 += 16) {
                    transpose16(src, srcOff + r0 * srcRowStride + c0, srcRowStride, dst, dstOff + c0 * dstRowStride + r0,
                            dstRowStride);
                }
                for (int r = r0; r < r0 + 16; r++) {
                    for (int c = c0; c < cols; c++) {
                        dst[dstOff + c * dstRowStride + r] = src[srcOff + r * srcRowStride + c];
                    }
                }
            }
        } else if (EIGHT) {
            for (; r0 + 8 <= rows; r0 += 8) {
                int c0 = 0;
                for (; c0 + 8 <= cols; c0 += 8) {
                    transpose8(src, srcOff + r0 * srcRowStride + c0, srcRowStride, dst, dstOff + c0 * dstRowStride + r0,
                            dstRowStride);
                }
                for (int r = r0; r < r0 + 8; r++) {
                    for (int c = c0; c < cols; c++) {
                        dst[dstOff + c * dstRowStride + r] = src[srcOff + r * srcRowStride + c];
                    }
                }
            }
        }
        for (int r = r0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[dstOff + c * dstRowStride + r] = src[srcOff + r * srcRowStride + c];
            }
        }
    }

    /** One 16 x 16 tile, in registers: sixteen row loads, four stages of two-input permutations, sixteen stores. */
    private static void transpose16(float[] src, int srcOff, int ss, float[] dst, int dstOff, int ds) {
        FloatVector v0 = FloatVector.fromArray(S, src, srcOff + 0 * ss);
        FloatVector v1 = FloatVector.fromArray(S, src, srcOff + 1 * ss);
        FloatVector v2 = FloatVector.fromArray(S, src, srcOff + 2 * ss);
        FloatVector v3 = FloatVector.fromArray(S, src, srcOff + 3 * ss);
        FloatVector v4 = FloatVector.fromArray(S, src, srcOff + 4 * ss);
        FloatVector v5 = FloatVector.fromArray(S, src, srcOff + 5 * ss);
        FloatVector v6 = FloatVector.fromArray(S, src, srcOff + 6 * ss);
        FloatVector v7 = FloatVector.fromArray(S, src, srcOff + 7 * ss);
        FloatVector v8 = FloatVector.fromArray(S, src, srcOff + 8 * ss);
        FloatVector v9 = FloatVector.fromArray(S, src, srcOff + 9 * ss);
        FloatVector v10 = FloatVector.fromArray(S, src, srcOff + 10 * ss);
        FloatVector v11 = FloatVector.fromArray(S, src, srcOff + 11 * ss);
        FloatVector v12 = FloatVector.fromArray(S, src, srcOff + 12 * ss);
        FloatVector v13 = FloatVector.fromArray(S, src, srcOff + 13 * ss);
        FloatVector v14 = FloatVector.fromArray(S, src, srcOff + 14 * ss);
        FloatVector v15 = FloatVector.fromArray(S, src, srcOff + 15 * ss);
        {
            FloatVector t0 = v0.rearrange(LO8, v8);
            v8 = v0.rearrange(HI8, v8);
            v0 = t0;
            FloatVector t1 = v1.rearrange(LO8, v9);
            v9 = v1.rearrange(HI8, v9);
            v1 = t1;
            FloatVector t2 = v2.rearrange(LO8, v10);
            v10 = v2.rearrange(HI8, v10);
            v2 = t2;
            FloatVector t3 = v3.rearrange(LO8, v11);
            v11 = v3.rearrange(HI8, v11);
            v3 = t3;
            FloatVector t4 = v4.rearrange(LO8, v12);
            v12 = v4.rearrange(HI8, v12);
            v4 = t4;
            FloatVector t5 = v5.rearrange(LO8, v13);
            v13 = v5.rearrange(HI8, v13);
            v5 = t5;
            FloatVector t6 = v6.rearrange(LO8, v14);
            v14 = v6.rearrange(HI8, v14);
            v6 = t6;
            FloatVector t7 = v7.rearrange(LO8, v15);
            v15 = v7.rearrange(HI8, v15);
            v7 = t7;
        }
        {
            FloatVector t0 = v0.rearrange(LO4, v4);
            v4 = v0.rearrange(HI4, v4);
            v0 = t0;
            FloatVector t1 = v1.rearrange(LO4, v5);
            v5 = v1.rearrange(HI4, v5);
            v1 = t1;
            FloatVector t2 = v2.rearrange(LO4, v6);
            v6 = v2.rearrange(HI4, v6);
            v2 = t2;
            FloatVector t3 = v3.rearrange(LO4, v7);
            v7 = v3.rearrange(HI4, v7);
            v3 = t3;
            FloatVector t8 = v8.rearrange(LO4, v12);
            v12 = v8.rearrange(HI4, v12);
            v8 = t8;
            FloatVector t9 = v9.rearrange(LO4, v13);
            v13 = v9.rearrange(HI4, v13);
            v9 = t9;
            FloatVector t10 = v10.rearrange(LO4, v14);
            v14 = v10.rearrange(HI4, v14);
            v10 = t10;
            FloatVector t11 = v11.rearrange(LO4, v15);
            v15 = v11.rearrange(HI4, v15);
            v11 = t11;
        }
        {
            FloatVector t0 = v0.rearrange(LO2, v2);
            v2 = v0.rearrange(HI2, v2);
            v0 = t0;
            FloatVector t1 = v1.rearrange(LO2, v3);
            v3 = v1.rearrange(HI2, v3);
            v1 = t1;
            FloatVector t4 = v4.rearrange(LO2, v6);
            v6 = v4.rearrange(HI2, v6);
            v4 = t4;
            FloatVector t5 = v5.rearrange(LO2, v7);
            v7 = v5.rearrange(HI2, v7);
            v5 = t5;
            FloatVector t8 = v8.rearrange(LO2, v10);
            v10 = v8.rearrange(HI2, v10);
            v8 = t8;
            FloatVector t9 = v9.rearrange(LO2, v11);
            v11 = v9.rearrange(HI2, v11);
            v9 = t9;
            FloatVector t12 = v12.rearrange(LO2, v14);
            v14 = v12.rearrange(HI2, v14);
            v12 = t12;
            FloatVector t13 = v13.rearrange(LO2, v15);
            v15 = v13.rearrange(HI2, v15);
            v13 = t13;
        }
        {
            FloatVector t0 = v0.rearrange(LO1, v1);
            v1 = v0.rearrange(HI1, v1);
            v0 = t0;
            FloatVector t2 = v2.rearrange(LO1, v3);
            v3 = v2.rearrange(HI1, v3);
            v2 = t2;
            FloatVector t4 = v4.rearrange(LO1, v5);
            v5 = v4.rearrange(HI1, v5);
            v4 = t4;
            FloatVector t6 = v6.rearrange(LO1, v7);
            v7 = v6.rearrange(HI1, v7);
            v6 = t6;
            FloatVector t8 = v8.rearrange(LO1, v9);
            v9 = v8.rearrange(HI1, v9);
            v8 = t8;
            FloatVector t10 = v10.rearrange(LO1, v11);
            v11 = v10.rearrange(HI1, v11);
            v10 = t10;
            FloatVector t12 = v12.rearrange(LO1, v13);
            v13 = v12.rearrange(HI1, v13);
            v12 = t12;
            FloatVector t14 = v14.rearrange(LO1, v15);
            v15 = v14.rearrange(HI1, v15);
            v14 = t14;
        }
        v0.intoArray(dst, dstOff + 0 * ds);
        v1.intoArray(dst, dstOff + 1 * ds);
        v2.intoArray(dst, dstOff + 2 * ds);
        v3.intoArray(dst, dstOff + 3 * ds);
        v4.intoArray(dst, dstOff + 4 * ds);
        v5.intoArray(dst, dstOff + 5 * ds);
        v6.intoArray(dst, dstOff + 6 * ds);
        v7.intoArray(dst, dstOff + 7 * ds);
        v8.intoArray(dst, dstOff + 8 * ds);
        v9.intoArray(dst, dstOff + 9 * ds);
        v10.intoArray(dst, dstOff + 10 * ds);
        v11.intoArray(dst, dstOff + 11 * ds);
        v12.intoArray(dst, dstOff + 12 * ds);
        v13.intoArray(dst, dstOff + 13 * ds);
        v14.intoArray(dst, dstOff + 14 * ds);
        v15.intoArray(dst, dstOff + 15 * ds);
    }

    /**
     * One 8 x 8 tile, in registers ({@link #transpose16}'s last three stages): eight row loads,
     * three stages of two-input permutations, eight stores. Eight lanes are AVX2's floats: there
     * the scalar copy took a sixth of a convolution's gradient.
     */
    private static void transpose8(float[] src, int srcOff, int ss, float[] dst, int dstOff, int ds) {
        FloatVector v0 = FloatVector.fromArray(S, src, srcOff);
        FloatVector v1 = FloatVector.fromArray(S, src, srcOff + ss);
        FloatVector v2 = FloatVector.fromArray(S, src, srcOff + 2 * ss);
        FloatVector v3 = FloatVector.fromArray(S, src, srcOff + 3 * ss);
        FloatVector v4 = FloatVector.fromArray(S, src, srcOff + 4 * ss);
        FloatVector v5 = FloatVector.fromArray(S, src, srcOff + 5 * ss);
        FloatVector v6 = FloatVector.fromArray(S, src, srcOff + 6 * ss);
        FloatVector v7 = FloatVector.fromArray(S, src, srcOff + 7 * ss);
        {
            FloatVector t0 = v0.rearrange(LO4, v4);
            v4 = v0.rearrange(HI4, v4);
            v0 = t0;
            FloatVector t1 = v1.rearrange(LO4, v5);
            v5 = v1.rearrange(HI4, v5);
            v1 = t1;
            FloatVector t2 = v2.rearrange(LO4, v6);
            v6 = v2.rearrange(HI4, v6);
            v2 = t2;
            FloatVector t3 = v3.rearrange(LO4, v7);
            v7 = v3.rearrange(HI4, v7);
            v3 = t3;
        }
        {
            FloatVector t0 = v0.rearrange(LO2, v2);
            v2 = v0.rearrange(HI2, v2);
            v0 = t0;
            FloatVector t1 = v1.rearrange(LO2, v3);
            v3 = v1.rearrange(HI2, v3);
            v1 = t1;
            FloatVector t4 = v4.rearrange(LO2, v6);
            v6 = v4.rearrange(HI2, v6);
            v4 = t4;
            FloatVector t5 = v5.rearrange(LO2, v7);
            v7 = v5.rearrange(HI2, v7);
            v5 = t5;
        }
        {
            FloatVector t0 = v0.rearrange(LO1, v1);
            v1 = v0.rearrange(HI1, v1);
            v0 = t0;
            FloatVector t2 = v2.rearrange(LO1, v3);
            v3 = v2.rearrange(HI1, v3);
            v2 = t2;
            FloatVector t4 = v4.rearrange(LO1, v5);
            v5 = v4.rearrange(HI1, v5);
            v4 = t4;
            FloatVector t6 = v6.rearrange(LO1, v7);
            v7 = v6.rearrange(HI1, v7);
            v6 = t6;
        }
        v0.intoArray(dst, dstOff);
        v1.intoArray(dst, dstOff + ds);
        v2.intoArray(dst, dstOff + 2 * ds);
        v3.intoArray(dst, dstOff + 3 * ds);
        v4.intoArray(dst, dstOff + 4 * ds);
        v5.intoArray(dst, dstOff + 5 * ds);
        v6.intoArray(dst, dstOff + 6 * ds);
        v7.intoArray(dst, dstOff + 7 * ds);
    }

    @Override
    public void accumulateColumnSums(float[] x, int xOff, int rowStride, int rows, int cols, float[] out, int outOff) {
        // Vectorised along the columns, each lane adding its column's rows in ascending order:
        // bitwise the scalar reference.
        int c = 0;
        for (int bound = S.loopBound(cols); c < bound; c += L) {
            FloatVector acc = FloatVector.fromArray(S, out, outOff + c);
            for (int r = 0; r < rows; r++) {
                acc = FloatVector.fromArray(S, x, xOff + r * rowStride + c).add(acc);
            }
            acc.intoArray(out, outOff + c);
        }
        for (; c < cols; c++) {
            float acc = out[outOff + c];
            for (int r = 0; r < rows; r++) {
                acc += x[xOff + r * rowStride + c];
            }
            out[outOff + c] = acc;
        }
    }

    /**
     * out[r, k] = exp(p * (x[r, k] - max_k x[r, :])): every exponent <= 0, so nothing overflows.
     * The exp is {@link VectorMath#expInPlace}, not the JDK's EXP operator (see there).
     */
    private static void shiftedExp(float[] x, int xOff, float[] out, int outOff, int rows, int cols, float p) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * cols;
            int or = outOff + r * cols;
            float xMax = ScalarKernels.rowMax(x, xr, cols);
            for (int k = 0; k < cols; k++) {
                out[or + k] = p * (x[xr + k] - xMax);
            }
        }
        VectorMath.expInPlace(out, outOff, rows * cols);
    }
}
