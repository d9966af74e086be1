package io.jarnn.nn;

import io.jarnn.core.Tensor;
import io.jarnn.kernels.Kernels;
import io.jarnn.kernels.ScalarKernels;
import io.jarnn.kernels.VectorKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MaskedDense1D} on N = 3 sites with outputs written out by hand from
 * {@code y[j] = sum_{i < j} x[i] . W[i-block, j-block] + b[j]} ({@code i <= j} inclusive). The
 * masked entries of every kernel hold junk (NaN, +-1e30, infinities) that must have no effect.
 * Values are dyadic, so every result is exact; one case with tenths and thirds holds the layer to
 * NetKet's definition evaluated in double ({@link #TOLERANCE}).
 */
class MaskedDense1DHandComputedTest {
    private static final float NAN = Float.NaN;
    private static final float BIG = 1e30f;
    private static final float INF = Float.POSITIVE_INFINITY;
    private static final float[] X = {0.5f, -1.5f, 2f};
    private static final float[] X_SPIN = {-1f, 1f, 1f};
    private static final float B0 = 0.125f;
    private static final float B1 = -0.25f;
    private static final float B2 = 0.375f;
    /**
     * Non-dyadic values against the definition in double: float32 rounds each of a few O(1)
     * products and sums (about 1e-7); the float64 twin must agree to 1e-12, the fidelity
     * bound (its own rounding is about 1e-16), which a layer rounding through float32 misses.
     */
    private static final double TOLERANCE = 1e-6; //f64: private static final double TOLERANCE = 1e-12;

    static List<Kernels> kernels() {
        return List.of(ScalarKernels.INSTANCE, VectorKernels.INSTANCE);
    }

    private static MaskedDense1D layer(int in, boolean exclusive, float[][] kernel) {
        return MaskedDense1D.fromNetKet(3, in, 1, exclusive, true, Tensor.of(kernel),
                Tensor.copyOf(new float[]{B0, B1, B2}, 3, 1), "layer/");
    }

    private static float[] forward(Kernels kernels, MaskedDense1D layer, float[] x) {
        float[] y = new float[layer.sites() * layer.outFeatures()];
        layer.forward(kernels, x, 0, 1, y, 0, new float[Math.max(x.length, y.length)]);
        return y;
    }

    /** The kernel with every masked entry replaced by 0 (what NetKet's mask multiplies them to). */
    private static float[][] zeroMasked(float[][] kernel, int in, boolean exclusive) {
        float[][] z = new float[kernel.length][];
        for (int r = 0; r < kernel.length; r++) {
            z[r] = kernel[r].clone();
            for (int c = 0; c < z[r].length; c++) {
                int i = r / in;
                if (exclusive ? i >= c : i > c) {
                    z[r][c] = 0f;
                }
            }
        }
        return z;
    }

    // Exclusive, in = out = 1: used entries W01, W02, W12 (i < j); everything else is junk.
    private static final float W01 = 0.5f;
    private static final float W02 = -1.5f;
    private static final float W12 = 2f;
    private static final float[][] EXCLUSIVE = {
            {NAN, W01, W02},
            {BIG, -INF, W12},
            {-BIG, NAN, INF}};

    // Inclusive adds the diagonal W00, W11, W22 (i <= j).
    private static final float W00 = 0.25f;
    private static final float W11 = -0.75f;
    private static final float W22 = 1.25f;
    private static final float[][] INCLUSIVE = {
            {W00, W01, W02},
            {NAN, W11, W12},
            {BIG, -BIG, W22}};

    @ParameterizedTest
    @MethodSource("kernels")
    void exclusiveOneFeature(Kernels kernels) {
        MaskedDense1D layer = layer(1, true, EXCLUSIVE);
        for (float[] x : List.of(X, X_SPIN)) {
            float[] expected = {
                    B0,
                    x[0] * W01 + B1,
                    x[0] * W02 + x[1] * W12 + B2};
            assertArrayEquals(expected, forward(kernels, layer, x), "exclusive, x = " + Arrays.toString(x));
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void inclusiveOneFeature(Kernels kernels) {
        MaskedDense1D layer = layer(1, false, INCLUSIVE);
        for (float[] x : List.of(X, X_SPIN)) {
            float[] expected = {
                    x[0] * W00 + B0,
                    x[0] * W01 + x[1] * W11 + B1,
                    x[0] * W02 + x[1] * W12 + x[2] * W22 + B2};
            assertArrayEquals(expected, forward(kernels, layer, x), "inclusive, x = " + Arrays.toString(x));
        }
    }

    // in = 2, out = 1: kernel (6, 3), row r = 2 i + a holds input feature a of site i.
    private static final float[][] TWO_INPUTS = {
            {NAN, 0.5f, -0.25f},    // site 0, feature 0
            {BIG, 1.5f, 0.75f},     // site 0, feature 1
            {-BIG, INF, 2f},        // site 1, feature 0 (reaches site 2 only)
            {NAN, NAN, -1f},        // site 1, feature 1
            {INF, BIG, NAN},        // site 2: masked everywhere in the exclusive layer
            {NAN, -INF, BIG}};

    @ParameterizedTest
    @MethodSource("kernels")
    void exclusiveTwoInputFeatures(Kernels kernels) {
        MaskedDense1D layer = layer(2, true, TWO_INPUTS);
        float[] x = {0.5f, -1f, 2f, 0.25f, -3f, 4f}; // x[i][a] at 2 i + a
        float x0a = x[0];
        float x0b = x[1];
        float x1a = x[2];
        float x1b = x[3];
        float[] expected = {
                B0,
                x0a * 0.5f + x0b * 1.5f + B1,
                x0a * -0.25f + x0b * 0.75f + x1a * 2f + x1b * -1f + B2};
        assertArrayEquals(expected, forward(kernels, layer, x), "exclusive, in=2, out=1");
    }

    // Inclusive, in = 2, out = 1: block (i, j) used iff i <= j.
    private static final float[][] INCLUSIVE_TWO_INPUTS = {
            {0.5f, 1f, -0.5f},
            {-1f, 0.25f, 1.5f},
            {NAN, 2f, -2f},
            {BIG, -0.75f, 3f},
            {INF, -INF, 0.125f},
            {NAN, BIG, -0.5f}};

    @ParameterizedTest
    @MethodSource("kernels")
    void inclusiveTwoInputFeatures(Kernels kernels) {
        MaskedDense1D layer = layer(2, false, INCLUSIVE_TWO_INPUTS);
        float[] x = {0.5f, -1f, 2f, 0.25f, -3f, 4f};
        float[] expected = {
                x[0] * 0.5f + x[1] * -1f + B0,
                x[0] * 1f + x[1] * 0.25f + x[2] * 2f + x[3] * -0.75f + B1,
                x[0] * -0.5f + x[1] * 1.5f + x[2] * -2f + x[3] * 3f + x[4] * 0.125f + x[5] * -0.5f + B2};
        assertArrayEquals(expected, forward(kernels, layer, x), "inclusive, in=2, out=1");
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void nonDyadicValuesAgreeWithTheDefinitionEvaluatedInDouble(Kernels kernels) {
        // in = 2, exclusive: rows 0, 1 (site 0) reach sites 1, 2; rows 2, 3 (site 1) reach site 2.
        float[][] kernel = {
                {NAN, 0.1f, -0.7f},
                {0.3f, 1f / 3, 0.9f},
                {NAN, BIG, -1.1f},
                {INF, NAN, 0.2f},
                {BIG, -BIG, NAN},
                {NAN, INF, -INF}};
        float[] x = {0.3f, -2f / 3, 1.7f, 0.1f, -0.9f, 2.2f};
        double[] expected = {
                B0,
                (double) x[0] * kernel[0][1] + (double) x[1] * kernel[1][1] + B1,
                (double) x[0] * kernel[0][2] + (double) x[1] * kernel[1][2] + (double) x[2] * kernel[2][2]
                        + (double) x[3] * kernel[3][2] + B2};
        float[] y = forward(kernels, layer(2, true, kernel), x);
        for (int j = 0; j < 3; j++) {
            assertEquals(expected[j], y[j], TOLERANCE, "exclusive, in=2, non-dyadic, site " + j + " with "
                    + kernels.name());
        }
    }

    @Test
    void maskedEntriesHaveNoEffectOnAnyOutput() {
        float[] x = {0.5f, -1f, 2f, 0.25f, -3f, 4f};
        for (boolean exclusive : new boolean[]{true, false}) {
            float[][] junk = exclusive ? TWO_INPUTS : INCLUSIVE_TWO_INPUTS;
            MaskedDense1D withJunk = layer(2, exclusive, junk);
            MaskedDense1D withZeros = layer(2, exclusive, zeroMasked(junk, 2, exclusive));
            for (Kernels k : kernels()) {
                float[] y = forward(k, withJunk, x);
                assertArrayEquals(forward(k, withZeros, x), y, "exclusive=" + exclusive + " with " + k.name());
                for (float v : y) {
                    assertTrue(Float.isFinite(v), "outputs must be finite, got " + Arrays.toString(y));
                }
            }
            assertEquals(withZeros, withJunk, "layers that differ only in masked entries are equal");
        }
    }

    @Test
    void exportedKernelHasZerosInMaskedEntriesAndTheOriginalInUsedOnes() {
        for (boolean exclusive : new boolean[]{true, false}) {
            float[][] original = exclusive ? EXCLUSIVE : INCLUSIVE;
            Tensor exported = layer(1, exclusive, original).kernel();
            assertArrayEquals(new int[]{3, 3}, exported.shape(), "kernel shape (N*in, N*out)");
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    boolean used = exclusive ? r < c : r <= c;
                    float want = used ? original[r][c] : 0f;
                    assertEquals(want, exported.get(r, c), "exclusive=" + exclusive + ", kernel[" + r + ", " + c
                            + "] (" + (used ? "used" : "masked") + ")");
                }
            }
            assertArrayEquals(new float[]{B0, B1, B2}, layer(1, exclusive, original).bias().toArray(), "bias");
        }
        Tensor twoInputs = layer(2, true, TWO_INPUTS).kernel();
        assertArrayEquals(new float[]{
                0, 0.5f, -0.25f,
                0, 1.5f, 0.75f,
                0, 0, 2f,
                0, 0, -1f,
                0, 0, 0,
                0, 0, 0}, twoInputs.toArray(), "exported (6, 3) kernel of the in=2 exclusive layer");
    }

    @Test
    void storesOnlyTheUnmaskedHalf() {
        MaskedDense1D exclusive = layer(1, true, EXCLUSIVE);
        MaskedDense1D inclusive = layer(1, false, INCLUSIVE);
        // N = 3, in = out = 1: kernel 3 (exclusive) or 6 (inclusive) used entries, plus 3 biases; NetKet 9 + 3.
        assertEquals(3 + 3, exclusive.storedParameterCount(), "exclusive stored parameters");
        assertEquals(6 + 3, inclusive.storedParameterCount(), "inclusive stored parameters");
        assertEquals(9 + 3, exclusive.netKetParameterCount(), "NetKet parameters");
        assertEquals(3, exclusive.multiplyAddsPerSample(), "exclusive multiply-adds");
        assertEquals(6, inclusive.multiplyAddsPerSample(), "inclusive multiply-adds");

        int n = 20;
        int in = 4;
        int out = 5;
        for (boolean excl : new boolean[]{true, false}) {
            MaskedDense1D big = MaskedDense1D.fromNetKet(n, in, out, excl, true, Tensor.zeros(n * in, n * out),
                    Tensor.zeros(n, out), "big/");
            long usedBlocks = (long) n * (excl ? n - 1 : n + 1) / 2;
            assertEquals(usedBlocks * in * out + n * out, big.storedParameterCount(), "stored, exclusive=" + excl);
            assertEquals((long) n * in * n * out + n * out, big.netKetParameterCount(), "NetKet, exclusive=" + excl);
            double ratio = (double) big.storedParameterCount() / big.netKetParameterCount();
            assertTrue(ratio > 0.45 && ratio < 0.56, "stored / NetKet parameters should be about half, got " + ratio);
        }
    }
}
