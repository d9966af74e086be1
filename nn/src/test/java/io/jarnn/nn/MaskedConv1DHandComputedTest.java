package io.jarnn.nn;

import io.jarnn.core.Tensor;
import io.jarnn.kernels.Kernels;
import io.jarnn.kernels.ScalarKernels;
import io.jarnn.kernels.VectorKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link MaskedConv1D} with one input and one output feature, outputs written out by hand from
 * NetKet's definition {@code y[t] = sum_{k<K'} x[t - (K-1-k)*d] * w[k] + b} (x before site 0 is
 * zero; K' = K - 1 taps for the exclusive layer, whose nearest tap is t - d, NOT t - 1).
 * Inputs, weights and bias are small dyadic numbers, so every product and sum is exact in float
 * and the comparisons are exact. Each case runs the full forward and the per-site cache, with
 * the scalar and the vector kernels, with and without bias, on two samples at once.
 */
class MaskedConv1DHandComputedTest {
    private static final float W0 = 0.75f;
    private static final float W1 = -2f;
    private static final float W2 = 1.25f;
    private static final float BIAS = 0.125f;
    /** Two samples; the second holds spin values. */
    private static final float[][] SAMPLES = {{0.5f, -1f, 2f, 1.5f, -0.25f}, {1f, 1f, -1f, -1f, 1f}};
    /**
     * Non-dyadic values against the definition in double: float32 rounds each of a few O(1)
     * products and sums (about 1e-7); the float64 twin must agree to 1e-12, the fidelity
     * bound (its own rounding is about 1e-16), which a layer rounding through float32 misses.
     */
    private static final double TOLERANCE = 1e-6; //f64: private static final double TOLERANCE = 1e-12;

    static List<Arguments> kernelsAndBias() {
        List<Arguments> list = new ArrayList<>();
        for (Kernels k : List.<Kernels>of(ScalarKernels.INSTANCE, VectorKernels.INSTANCE)) {
            list.add(Arguments.of(k, true));
            list.add(Arguments.of(k, false));
        }
        return list;
    }

    private static MaskedConv1D layer(int n, int kernelSize, int dilation, boolean exclusive, boolean useBias,
                                      float... weights) {
        Tensor kernel = Tensor.copyOf(weights, weights.length, 1, 1);
        Tensor bias = useBias ? Tensor.copyOf(new float[]{BIAS}, 1) : null;
        return MaskedConv1D.fromNetKet(n, 1, 1, kernelSize, dilation, exclusive, useBias, kernel, bias, "layer/");
    }

    /**
     * Runs {@code layer} on the first N values of both samples, by the full forward and by the
     * per-site cache, and compares every site with {@code expected(x)} exactly.
     */
    private static void assertLayer(Kernels kernels, MaskedConv1D layer, Function<float[], float[]> expected) {
        int n = layer.sites();
        float[] x = new float[2 * n];
        float[][] want = new float[2][];
        for (int s = 0; s < 2; s++) {
            float[] xs = Arrays.copyOf(SAMPLES[s], n);
            System.arraycopy(xs, 0, x, s * n, n);
            want[s] = expected.apply(xs);
            assertEquals(n, want[s].length, "expected values per sample");
        }
        float[] y = new float[2 + 2 * n];
        layer.forward(kernels, x, 0, 2, y, 2, new float[2 * n]);
        for (int s = 0; s < 2; s++) {
            float[] got = Arrays.copyOfRange(y, 2 + s * n, 2 + (s + 1) * n);
            assertArrayEquals(want[s], got, layer + " forward with " + kernels.name() + ", sample " + s);
        }

        LayerCache cache = layer.newCache(2);
        cache.reset();
        float[] site = new float[2];
        for (int t = 0; t < n; t++) {
            // The exclusive first layer receives site t-1 before site t is computed; inclusive layers site t.
            int pushed = layer.exclusive() ? t - 1 : t;
            if (pushed >= 0) {
                cache.push(pushed, x, pushed, 0, n);
            }
            cache.computeSite(kernels, t, site, 0);
            for (int s = 0; s < 2; s++) {
                assertEquals(want[s][t], site[s], layer + " per-site cache with " + kernels.name()
                        + ", sample " + s + ", site " + t);
            }
        }
    }

    /** y[t] = w0 x[t-2] + w1 x[t-1] + w2 x[t] + b with tenths and thirds, by the full forward and the cache. */
    @ParameterizedTest(name = "{0}, bias={1}")
    @MethodSource("kernelsAndBias")
    void nonDyadicValuesAgreeWithTheDefinitionEvaluatedInDouble(Kernels kernels, boolean useBias) {
        float[] w = {0.1f, -1f / 3, 0.7f};
        float[] x = {0.3f, -2f / 3, 1.7f, 0.1f, -0.9f};
        int n = x.length;
        MaskedConv1D layer = layer(n, 3, 1, false, useBias, w);
        float[] y = new float[n];
        layer.forward(kernels, x, 0, 1, y, 0, new float[n]);
        LayerCache cache = layer.newCache(1);
        cache.reset();
        float[] site = new float[1];
        for (int t = 0; t < n; t++) {
            double expected = useBias ? BIAS : 0;
            for (int k = 0; k < 3; k++) {
                int source = t - (2 - k);
                expected += source >= 0 ? (double) w[k] * x[source] : 0;
            }
            assertEquals(expected, y[t], TOLERANCE, layer + " forward with " + kernels.name() + ", site " + t);
            cache.push(t, x, t, 0, n);
            cache.computeSite(kernels, t, site, 0);
            assertEquals(expected, site[0], TOLERANCE, layer + " per-site cache with " + kernels.name() + ", site " + t);
        }
    }

    @ParameterizedTest(name = "{0}, bias={1}")
    @MethodSource("kernelsAndBias")
    void inclusiveKernel2Dilation1(Kernels kernels, boolean useBias) {
        float b = useBias ? BIAS : 0f;
        assertLayer(kernels, layer(5, 2, 1, false, useBias, W0, W1), x -> new float[]{
                W1 * x[0] + b,
                W0 * x[0] + W1 * x[1] + b,
                W0 * x[1] + W1 * x[2] + b,
                W0 * x[2] + W1 * x[3] + b,
                W0 * x[3] + W1 * x[4] + b});
    }

    @ParameterizedTest(name = "{0}, bias={1}")
    @MethodSource("kernelsAndBias")
    void inclusiveKernel3Dilation1(Kernels kernels, boolean useBias) {
        float b = useBias ? BIAS : 0f;
        assertLayer(kernels, layer(4, 3, 1, false, useBias, W0, W1, W2), x -> new float[]{
                W2 * x[0] + b,
                W1 * x[0] + W2 * x[1] + b,
                W0 * x[0] + W1 * x[1] + W2 * x[2] + b,
                W0 * x[1] + W1 * x[2] + W2 * x[3] + b});
    }

    @ParameterizedTest(name = "{0}, bias={1}")
    @MethodSource("kernelsAndBias")
    void exclusiveKernel2Dilation1SeesOnlyThePreviousSite(Kernels kernels, boolean useBias) {
        float b = useBias ? BIAS : 0f;
        assertLayer(kernels, layer(4, 2, 1, true, useBias, W0), x -> new float[]{
                b,
                W0 * x[0] + b,
                W0 * x[1] + b,
                W0 * x[2] + b});
    }

    @ParameterizedTest(name = "{0}, bias={1}")
    @MethodSource("kernelsAndBias")
    void exclusiveKernel3Dilation1(Kernels kernels, boolean useBias) {
        float b = useBias ? BIAS : 0f;
        assertLayer(kernels, layer(5, 3, 1, true, useBias, W0, W1), x -> new float[]{
                b,
                W1 * x[0] + b,
                W0 * x[0] + W1 * x[1] + b,
                W0 * x[1] + W1 * x[2] + b,
                W0 * x[2] + W1 * x[3] + b});
    }

    @ParameterizedTest(name = "{0}, bias={1}")
    @MethodSource("kernelsAndBias")
    void exclusiveKernel2Dilation2SeesTMinus2ButNotTMinus1(Kernels kernels, boolean useBias) {
        float b = useBias ? BIAS : 0f;
        // y[t] = w0 * x[t-2]: site 1 sees nothing (x[0] is at t-1), site 3 sees x[1] but not x[2].
        assertLayer(kernels, layer(5, 2, 2, true, useBias, W0), x -> new float[]{
                b,
                b,
                W0 * x[0] + b,
                W0 * x[1] + b,
                W0 * x[2] + b});
    }

    @ParameterizedTest(name = "{0}, bias={1}")
    @MethodSource("kernelsAndBias")
    void exclusiveKernel3Dilation2(Kernels kernels, boolean useBias) {
        float b = useBias ? BIAS : 0f;
        // y[t] = w0 * x[t-4] + w1 * x[t-2]
        MaskedConv1D layer = layer(5, 3, 2, true, useBias, W0, W1);
        assertEquals(4, layer.multiplyAddsPerSample(), "products written below: taps before site 0 cost nothing");
        assertLayer(kernels, layer, x -> new float[]{
                b,
                b,
                W1 * x[0] + b,
                W1 * x[1] + b,
                W0 * x[0] + W1 * x[2] + b});
    }

    @ParameterizedTest(name = "{0}, bias={1}")
    @MethodSource("kernelsAndBias")
    void inclusiveKernel2Dilation2(Kernels kernels, boolean useBias) {
        float b = useBias ? BIAS : 0f;
        // y[t] = w0 * x[t-2] + w1 * x[t]
        assertLayer(kernels, layer(4, 2, 2, false, useBias, W0, W1), x -> new float[]{
                W1 * x[0] + b,
                W1 * x[1] + b,
                W0 * x[0] + W1 * x[2] + b,
                W0 * x[1] + W1 * x[3] + b});
    }

    @ParameterizedTest(name = "{0}, bias={1}")
    @MethodSource("kernelsAndBias")
    void inclusiveKernel3Dilation2WiderThanTheChain(Kernels kernels, boolean useBias) {
        float b = useBias ? BIAS : 0f;
        // y[t] = w0 * x[t-4] + w1 * x[t-2] + w2 * x[t]; the first tap never lands on a site of N = 3.
        assertLayer(kernels, layer(3, 3, 2, false, useBias, W0, W1, W2), x -> new float[]{
                W2 * x[0] + b,
                W2 * x[1] + b,
                W1 * x[0] + W2 * x[2] + b});
    }

    @ParameterizedTest(name = "{0}, bias={1}")
    @MethodSource("kernelsAndBias")
    void exclusiveKernel3Dilation2OnThreeSites(Kernels kernels, boolean useBias) {
        float b = useBias ? BIAS : 0f;
        assertLayer(kernels, layer(3, 3, 2, true, useBias, W0, W1), x -> new float[]{
                b,
                b,
                W1 * x[0] + b});
    }
}
