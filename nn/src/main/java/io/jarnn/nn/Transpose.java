package io.jarnn.nn;

/** The row-major / feature-major switch at a layer's boundary. */
final class Transpose {
    private Transpose() {
    }

    /** {@code dst[dstOff + c * rows + r] = src[srcOff + r * cols + c]}; the ranges must not overlap. */
    static void of(float[] src, int srcOff, int rows, int cols, float[] dst, int dstOff) {
        for (int r = 0; r < rows; r++) {
            int from = srcOff + r * cols;
            for (int c = 0; c < cols; c++) {
                dst[dstOff + c * rows + r] = src[from + c];
            }
        }
    }
}
