package io.jarnn.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Kernels#logNormalizeColumns} is {@link Kernels#logNormalizeRows} of the transposed
 * block, bitwise, in each implementation: the planar forward of convolutional models relies on
 * it for the same logPsi (and so the same samples) as the row-major path. Row strides wider
 * than the block, columns straddling the lane count, and nothing written outside the block's
 * rows (the gaps between them included).
 */
class ColumnNormalisationTest {
    private static final float[] MACHINE_POWS = {1f, 2f, 0.5f, 3.7f};

    static List<Kernels> implementations() {
        return List.of(ScalarKernels.INSTANCE, VectorKernels.INSTANCE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void columnsAreBitwiseTheRowsOfTheTranspose(Kernels kernels) {
        SplittableRandom random = new SplittableRandom(2026);
        for (int rows = 1; rows <= 5; rows++) {
            for (int cols : KernelEquivalence.SIZES) {
                for (float p : MACHINE_POWS) {
                    int xStride = cols + random.nextInt(4);
                    int outStride = cols + random.nextInt(4);
                    int xOff = random.nextInt(3);
                    int outOff = random.nextInt(3);
                    float[] x = new float[xOff + rows * xStride];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) (random.nextDouble() * 12 - 6);
                    }
                    if (cols > 2) {
                        x[xOff + cols / 2] = 80f;
                        x[xOff + (rows - 1) * xStride + cols / 3] = -80f;
                    }
                    float[] transposed = new float[rows * cols];
                    for (int k = 0; k < rows; k++) {
                        for (int j = 0; j < cols; j++) {
                            transposed[j * rows + k] = x[xOff + k * xStride + j];
                        }
                    }
                    float[] byRows = new float[rows * cols];
                    kernels.logNormalizeRows(transposed, 0, byRows, 0, cols, rows, p);
                    float[] out = new float[outOff + rows * outStride + 3];
                    Arrays.fill(out, 7f);
                    float[] xBefore = x.clone();
                    kernels.logNormalizeColumns(x, xOff, xStride, out, outOff, outStride, rows, cols, p);
                    String context = kernels.name() + ": rows=" + rows + ", cols=" + cols + ", p=" + p
                            + ", xStride=" + xStride + ", outStride=" + outStride;
                    for (int i = 0; i < out.length; i++) {
                        int rel = i - outOff;
                        boolean inBlock = rel >= 0 && rel / outStride < rows && rel % outStride < cols;
                        if (inBlock) {
                            float expected = byRows[(rel % outStride) * rows + rel / outStride];
                            if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(out[i])) {
                                fail(context + ": [" + rel / outStride + ", " + rel % outStride + "] is " + out[i]
                                        + ", logNormalizeRows of the transpose gives " + expected);
                            }
                        } else {
                            assertEquals(7f, out[i], context + ": wrote out[" + i + "] outside the block");
                        }
                    }
                    assertEquals(Arrays.toString(xBefore), Arrays.toString(x), context + ": x changed");
                }
            }
        }
    }
}
