package io.jarnn.nn;

import io.jarnn.kernels.BackwardKernels;

/**
 * The row-major / feature-major switch at a layer's boundary, through the kernels' transpose
 * (16 x 16 register tiles in the vector kernels): an element-by-element loop spent 5 ms on the
 * inputs and 17 ms on the outputs of a dense layer's forward that multiplies for 168 ms
 * (N = 256, 16 features, batch 1024, Zen 4), the outputs' loop reading 64-float rows 16 KiB
 * apart. A copy either way: the same bits.
 */
final class Transpose {
    private Transpose() {
    }

    /** {@code dst[dstOff + c * rows + r] = src[srcOff + r * cols + c]}; the ranges must not overlap. */
    static void of(BackwardKernels kernels, float[] src, int srcOff, int rows, int cols, float[] dst, int dstOff) {
        kernels.transpose(src, srcOff, cols, rows, cols, dst, dstOff, rows);
    }
}
