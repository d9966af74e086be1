package io.jarnn.kernels;

import java.util.SplittableRandom;

import static io.jarnn.kernels.KernelEquivalence.assertBitwiseEqual;
import static io.jarnn.kernels.KernelEquivalence.assertUntouched;
import static io.jarnn.kernels.KernelEquivalence.randomArray;
import static io.jarnn.kernels.KernelEquivalence.runBoth;

/**
 * One {@link Kernels#convolveFromBias} call: shape, offsets and strides, laid out as the planar
 * forward of a convolution calls it (weights by output row, input rows of positions with the
 * taps {@code tapStride} positions apart, so the windows overlap). Arrays end exactly at the
 * last element the call may touch (plus {@code slack}), so a read or write one element too far
 * throws; everything in y outside the (rows x cols) rectangle is a guard that must come back
 * unchanged.
 *
 * <p>Bitwise: both implementations must give exactly the bits of the documented order, the bias
 * and then one fused multiply-add per (tap, input) in ascending order, whatever path they take
 * (the short-reduction passes, or the rows filled with the bias and the register tiles).
 */
public record ConvolveFromBiasCase(int rows, int cols, int in, int taps, int tapStride, int wOff, int wRowStride,
                                   int biasOff, int xOff, int xRowStride, int yOff, int yRowStride, int slack)
        implements KernelCase {

    /**
     * A case with gaps everywhere: weight rows and input and output rows wider than they need
     * to be, non-zero offsets, taps {@code tapStride} positions apart.
     */
    public static ConvolveFromBiasCase of(int rows, int cols, int in, int taps, int tapStride, int slack) {
        int span = (taps - 1) * tapStride + cols;
        return new ConvolveFromBiasCase(rows, cols, in, taps, tapStride, 3, taps * in + 2, 1, 5, span + 3, 2,
                cols + 7, slack);
    }

    @Override
    public String kernel() {
        return "convolveFromBias";
    }

    int wLength() {
        return wOff + (rows - 1) * wRowStride + taps * in + slack;
    }

    int biasLength() {
        return biasOff + rows + slack;
    }

    int xLength() {
        return xOff + (in - 1) * xRowStride + (taps - 1) * tapStride + cols + slack;
    }

    int yLength() {
        return yOff + (rows - 1) * yRowStride + cols + slack;
    }

    /** Whether y index i lies inside the (rows x cols) rectangle the call writes. */
    boolean written(int i) {
        int rel = i - yOff;
        return rel >= 0 && rel / yRowStride < rows && rel % yRowStride < cols;
    }

    void call(Kernels kernels, float[] w, float[] bias, float[] x, float[] y) {
        kernels.convolveFromBias(w, wOff, wRowStride, PlanarPanels.pack(w, wOff, wRowStride, taps, in, rows), taps,
                in, bias, biasOff, x, xOff, xRowStride, tapStride, y, yOff, yRowStride, rows, cols);
    }

    /** The contract written out: the bias, then one fused multiply-add per (t, a), ascending t then a. */
    void reference(float[] w, float[] bias, float[] x, float[] y) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                float acc = bias[biasOff + r];
                for (int t = 0; t < taps; t++) {
                    for (int a = 0; a < in; a++) {
                        acc = Math.fma(w[wOff + r * wRowStride + t * in + a],
                                x[xOff + a * xRowStride + t * tapStride + j], acc);
                    }
                }
                y[yOff + r * yRowStride + j] = acc;
            }
        }
    }

    /**
     * Random w, bias, x and a random initial y (which must not leak into the result) from
     * {@code seed}; asserts that both implementations give exactly the reference bits and leave
     * every guard, w, bias and x alone.
     */
    @Override
    public void check(Kernels scalar, Kernels vector, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = randomArray(random, wLength(), 1f);
        float[] bias = randomArray(random, biasLength(), 1f);
        float[] x = randomArray(random, xLength(), 1f);
        float[] y0 = randomArray(random, yLength(), 1f);
        float[] wCopy = w.clone();
        float[] biasCopy = bias.clone();
        float[] xCopy = x.clone();
        KernelEquivalence.Outputs outputs = runBoth(scalar, vector, y0, (k, y) -> call(k, w, bias, x, y));
        float[] expected = y0.clone();
        reference(w, bias, x, expected);
        assertUntouched(this::toString, y0, outputs.vector(), this::written);
        assertBitwiseEqual(() -> this + ", scalar against the documented fma order", expected, outputs.scalar());
        assertBitwiseEqual(() -> this + ", vector against the documented fma order", expected, outputs.vector());
        assertBitwiseEqual(() -> this + ", w must not be modified", wCopy, w);
        assertBitwiseEqual(() -> this + ", bias must not be modified", biasCopy, bias);
        assertBitwiseEqual(() -> this + ", x must not be modified", xCopy, x);
    }

    @Override
    public String toString() {
        return "convolveFromBias(rows=" + rows + ", cols=" + cols + ", in=" + in + ", taps=" + taps
                + ", tapStride=" + tapStride + ", wOff=" + wOff + ", wRowStride=" + wRowStride + ", biasOff=" + biasOff
                + ", xOff=" + xOff + ", xRowStride=" + xRowStride + ", yOff=" + yOff + ", yRowStride=" + yRowStride
                + ", slack=" + slack + ")";
    }
}
