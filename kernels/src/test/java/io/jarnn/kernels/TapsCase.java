package io.jarnn.kernels;

import java.util.SplittableRandom;

import static io.jarnn.kernels.KernelEquivalence.assertBitwiseEqual;
import static io.jarnn.kernels.KernelEquivalence.assertUntouched;
import static io.jarnn.kernels.KernelEquivalence.randomArray;
import static io.jarnn.kernels.KernelEquivalence.runBoth;

/**
 * One {@link Kernels#accumulateTaps} call: shape, offsets and strides. Arrays are sized to end
 * exactly at the last element the call may touch, so a kernel that reads or writes one element
 * too far fails with an exception instead of passing silently; everything in y that lies
 * outside the (rows x out) rectangle is a guard value that must come back unchanged.
 *
 * <p>Bitwise: both implementations must give exactly the bits of the documented order (one
 * fused multiply-add per (tap, input), ascending), whatever the register blocking.
 *
 * @param slack floats after the last element each array's call may touch
 */
public record TapsCase(int rows, int out, int in, int taps, int tapStride,
                int xOff, int xRowStride, int wOff, int wTapStride, int wRowStride, int yOff, int yRowStride,
                int slack) implements KernelCase {

    /** How the operands are laid out in memory, each the way a layer really calls the kernel. */
    public enum Layout {
        /** Gaps everywhere: taps further apart than a row of inputs, every row stride wider than its row. */
        GAPS,
        /** Taps packed back to back (tapStride = in), as a dense panel of several sites reads them; tight w. */
        PACKED_TAPS,
        /** Overlapping windows (xRowStride = in, tapStride = 2 * in), as a dilated convolution reads them; tight w and y. */
        CONVOLUTION,
        /**
         * A feature-major convolution: x holds weights by output channel (out, taps, in), w the
         * inputs (in, positions) with taps two columns apart, so w windows overlap.
         */
        FEATURE_MAJOR_CONVOLUTION,
        /**
         * The dense layer's forward, feature-major: x a site's panel (out, K_j), tight, w the
         * transposed input X^T (K_j, samples), rows exactly {@code out} = samples apart (the
         * 4-vector tiles' constant-stride loop when that is four vectors), y Y^T, tight.
         */
        DENSE_FORWARD,
        /**
         * The dense layer's dX = dY W^T, row-major: x the output gradient rows (row stride N*out,
         * wider than the out channels read), w one transposed panel (out, K_j), y the input
         * gradient rows (row stride N*in, wider than the K_j columns written).
         */
        DENSE_INPUT_GRADIENT,
        /**
         * The dense layer's dPanel_j = dY_j^T X: x the transposed output gradient (out, samples),
         * tight, w the row-major layer input (samples, N*in) of which K_j columns are read, y the
         * panel (out, K_j), tight.
         */
        DENSE_PANEL_GRADIENT,
        /**
         * The convolution's dW[k] = X^T dY shifted by the tap: x the transposed input (in,
         * samples*N), taps = samples N positions apart, each reducing over N - shift positions;
         * w the output gradient from row {@code shift}, taps N rows apart; y one tap (in, out).
         * (The convolution's dX is a {@link #CONVOLUTION} call on the reversed, transposed kernel.)
         */
        CONV_KERNEL_GRADIENT
    }

    public static TapsCase of(Layout layout, int rows, int out, int in, int taps) {
        return of(layout, rows, out, in, taps, 0);
    }

    /**
     * With {@code slack} > 0 every array has that many extra elements at its end, the way
     * layers pad their buffers ({@link Kernels#OVERREAD_PADDING}) so that the column tail may
     * load whole vectors: the padding of y must still come back unchanged.
     */
    public static TapsCase of(Layout layout, int rows, int out, int in, int taps, int slack) {
        TapsCase c = tight(layout, rows, out, in, taps);
        return new TapsCase(c.rows, c.out, c.in, c.taps, c.tapStride, c.xOff, c.xRowStride, c.wOff, c.wTapStride,
                c.wRowStride, c.yOff, c.yRowStride, slack);
    }

    private static TapsCase tight(Layout layout, int rows, int out, int in, int taps) {
        return switch (layout) {
            case GAPS -> {
                int tapStride = in + 2;
                int span = (taps - 1) * tapStride + in;
                yield new TapsCase(rows, out, in, taps, tapStride, 7, span + 3, 5, (in + 1) * (out + 3), out + 3,
                        3, out + 5, 0);
            }
            case PACKED_TAPS -> new TapsCase(rows, out, in, taps, in, 2, taps * in + 1, 1, in * out, out, 4, out + 1, 0);
            case CONVOLUTION -> new TapsCase(rows, out, in, taps, 2 * in, 3, in, 0, in * out, out, 1, out, 0);
            case FEATURE_MAJOR_CONVOLUTION ->
                    new TapsCase(rows, out, in, taps, in, 1, taps * in, 2, 2, out + 2 * (taps - 1) + 1, 0, out, 0);
            case DENSE_FORWARD -> new TapsCase(rows, out, in, taps, in, 3, taps * in, 2, in * out, out, 1, out, 0);
            case DENSE_INPUT_GRADIENT ->
                    new TapsCase(rows, out, in, taps, in, 1, taps * in + 3, 2, in * out, out, 3, out + 5, 0);
            case DENSE_PANEL_GRADIENT ->
                    new TapsCase(rows, out, in, taps, rows * in, 5, in, 0, in * (out + 7), out + 7, 4, out, 0);
            case CONV_KERNEL_GRADIENT ->
                    new TapsCase(rows, out, in, taps, in + 2, 0, taps * (in + 2), 2 * out, (in + 2) * out, out, 1, out, 0);
        };
    }

    @Override
    public String kernel() {
        return "accumulateTaps";
    }

    int xLength() {
        return xOff + (rows - 1) * xRowStride + (taps - 1) * tapStride + in + slack;
    }

    int wLength() {
        return wOff + (taps - 1) * wTapStride + (in - 1) * wRowStride + out + slack;
    }

    int yLength() {
        return yOff + (rows - 1) * yRowStride + out + slack;
    }

    /** Whether y index i lies inside the (rows x out) rectangle the call writes. */
    boolean written(int i) {
        int rel = i - yOff;
        return rel >= 0 && rel / yRowStride < rows && rel % yRowStride < out;
    }

    void call(Kernels kernels, float[] x, float[] w, float[] y) {
        kernels.accumulateTaps(x, xOff, xRowStride, tapStride, taps, in, w, wOff, wTapStride, wRowStride,
                y, yOff, yRowStride, rows, out);
    }

    /**
     * The contract of {@link Kernels#accumulateTaps} written out: each y element starts from its
     * current value and takes one fused multiply-add per (t, a), ascending t then a.
     */
    void reference(float[] x, float[] w, float[] y) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < out; c++) {
                int yi = yOff + r * yRowStride + c;
                float acc = y[yi];
                for (int t = 0; t < taps; t++) {
                    for (int a = 0; a < in; a++) {
                        float xv = x[xOff + r * xRowStride + t * tapStride + a];
                        float wv = w[wOff + t * wTapStride + a * wRowStride + c];
                        acc = Math.fma(xv, wv, acc);
                    }
                }
                y[yi] = acc;
            }
        }
    }

    /**
     * Random x, w and initial y from {@code seed}; asserts that the scalar and the vector
     * kernel both produce exactly the reference bits and leave every guard, x and w alone.
     */
    @Override
    public void check(Kernels scalar, Kernels vector, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = randomArray(random, xLength(), 1f);
        float[] w = randomArray(random, wLength(), 1f);
        float[] y0 = randomArray(random, yLength(), 1f);
        float[] xCopy = x.clone();
        float[] wCopy = w.clone();
        KernelEquivalence.Outputs outputs = runBoth(scalar, vector, y0, (k, y) -> call(k, x, w, y));
        float[] expected = y0.clone();
        reference(x, w, expected);
        assertUntouched(this::toString, y0, outputs.vector(), this::written);
        assertBitwiseEqual(() -> this + ", scalar against the documented fma order", expected, outputs.scalar());
        assertBitwiseEqual(() -> this + ", vector against the documented fma order", expected, outputs.vector());
        assertBitwiseEqual(() -> this + ", x must not be modified", xCopy, x);
        assertBitwiseEqual(() -> this + ", w must not be modified", wCopy, w);
    }

    @Override
    public String toString() {
        return "accumulateTaps(rows=" + rows + ", out=" + out + ", in=" + in + ", taps=" + taps
                + ", tapStride=" + tapStride + ", xOff=" + xOff + ", xRowStride=" + xRowStride
                + ", wOff=" + wOff + ", wTapStride=" + wTapStride + ", wRowStride=" + wRowStride
                + ", yOff=" + yOff + ", yRowStride=" + yRowStride + ", slack=" + slack + ")";
    }
}
