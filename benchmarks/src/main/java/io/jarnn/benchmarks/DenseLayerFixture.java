package io.jarnn.benchmarks;

import io.jarnn.core.Tensor;
import io.jarnn.kernels.Kernels;
import io.jarnn.kernels.ScalarKernels;
import io.jarnn.nn.MaskedDense1D;

/**
 * A hidden (inclusive, biased) float32 MaskedDense1D layer of one {@link DenseShape}, built from a
 * random NetKet-shaped kernel exactly as a loaded model would be, with a random input batch
 * and an output buffer.
 * Shared by the jarnn benchmark and its scalar and EJML baselines: all three compute the same layer on the same data. //f64: * The float64 jarnn benchmark's layer (the baselines are float32 only).
 */
final class DenseLayerFixture {
    /** Rows checked against the double-precision definition: enough to cover the row blocking of the kernels. */
    private static final int CHECKED_ROWS = 9;
    /**
     * Rounded evaluations between the definition and a result, each within the dot-product bound:
     * the result's; in the float64 twin also the definition's, evaluated in the same precision.
     */
    private static final int ROUNDED_EVALUATIONS = 1; //f64: private static final int ROUNDED_EVALUATIONS = 2;

    final DenseShape shape;
    final MaskedDense1D layer;
    /** (batch, N*f) input, row-major. */
    final float[] x;
    /** (batch, N*f) output, overwritten by each forward. */
    final float[] y;
    /** The layer's scratch, (batch, N*f), reused by every forward. */
    final float[] scratch;

    DenseLayerFixture(DenseShape shape, long seed) {
        this.shape = shape;
        int width = shape.width();
        // Kernel entries ~ U(-1/sqrt(width), 1/sqrt(width)) keep activations O(1), like a trained layer.
        Tensor kernel = RandomArrays.uniform(seed, (float) (1 / Math.sqrt(width)), width, width);
        Tensor bias = RandomArrays.uniform(seed + 1, 0.1f, shape.sites(), shape.features());
        this.layer = MaskedDense1D.fromNetKet(shape.sites(), shape.features(), shape.features(), false, true,
                kernel, bias, "");
        this.x = RandomArrays.uniform(seed + 2, 1f, shape.batch(), width).array();
        this.y = new float[shape.batch() * width];
        this.scratch = new float[shape.batch() * width];
    }

    void forward(Kernels kernels) {
        layer.forward(kernels, x, 0, shape.batch(), y, 0, scratch);
    }

    int checkedRows() {
        return Math.min(CHECKED_ROWS, shape.batch());
    }

    /** The layer's full NetKet kernel (N*f, N*f), masked entries zero: what EJML multiplies. */
    Tensor maskedKernel() {
        return layer.kernel();
    }

    /**
     * Checks the first {@link #checkedRows()} rows of {@code result} against the definition
     * {@code y[b, c] = bias[c] + sum_r x[b, r] K[r, c]} evaluated in double on the masked
     * kernel. {@code withBias} false for results that hold only the product (EJML). The bound is
     * the classic one for a float dot product in any order, {@code width * u * sum |x K|} with u the
     * unit roundoff, once per {@link #ROUNDED_EVALUATIONS rounded evaluation}.
     */
    void requireMatchesDefinition(String what, float[] result, boolean withBias) {
        int width = shape.width();
        float[] k = maskedKernel().array();
        float[] bias = layer.bias().array();
        double unitRoundoff = Math.ulp(1f) / 2;
        for (int b = 0; b < checkedRows(); b++) {
            double[] sum = new double[width];
            double[] magnitude = new double[width];
            for (int r = 0; r < width; r++) {
                double xr = x[b * width + r];
                for (int c = 0; c < width; c++) {
                    double term = xr * k[r * width + c];
                    sum[c] += term;
                    magnitude[c] += Math.abs(term);
                }
            }
            for (int c = 0; c < width; c++) {
                double expected = sum[c] + (withBias ? bias[c] : 0);
                double bound = ROUNDED_EVALUATIONS * (width + 1) * unitRoundoff * (magnitude[c] + Math.abs(bias[c]))
                        + 1e-30;
                SelfChecks.requireWithin(what + " vs the definition", "[" + b + ", " + c + "] of (" + shape.batch()
                        + ", " + width + ")", expected, result[b * width + c], bound);
            }
        }
    }

    /** The scalar reference on the checked rows, for bitwise comparison with the vector kernels. */
    float[] scalarReferenceRows() {
        float[] reference = new float[checkedRows() * shape.width()];
        layer.forward(ScalarKernels.INSTANCE, x, 0, checkedRows(), reference, 0, new float[reference.length]);
        return reference;
    }
}
