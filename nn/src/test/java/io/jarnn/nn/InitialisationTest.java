package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.kernels.ScalarKernels;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NetKet's initialisation, by distribution: LeCun normal kernels (a normal truncated at two
 * standard deviations, rescaled to variance 1/fan_in), zero biases, dense kernels scaled by
 * sqrt(maskSize / maskCount), where maskCount counts the entries that reach an output.
 * Reproducible from a seed.
 */
class InitialisationTest {
    /** Standard deviation of a unit normal truncated to [-2, 2]. */
    private static final double TRUNCATED_UNIT_STD = 0.8796256610342398;

    private static double[] meanAndStd(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double sq = 0;
        for (float v : values) {
            sq += (v - mean) * (v - mean);
        }
        return new double[]{mean, Math.sqrt(sq / values.length)};
    }

    @Test
    void sameSeedSameParametersOtherSeedOtherParameters() {
        for (ARNNConfig.Builder<?> b : List.<ARNNConfig.Builder<?>>of(
                ARNNDense.builder(HilbertSpace.spin(0.5, 6)).layers(3).features(5),
                ARNNConv1D.builder(HilbertSpace.spin(1, 6)).layers(3).features(5).kernelSize(3).dilation(2))) {
            Map<String, Tensor> first = Build.model(b, 42).parameters();
            Map<String, Tensor> again = Build.model(b, 42).parameters();
            Map<String, Tensor> other = Build.model(b, 43).parameters();
            assertEquals(first.keySet(), again.keySet(), "parameter names");
            for (String key : first.keySet()) {
                assertTrue(first.get(key).contentEquals(again.get(key)), key + " differs between two builds from seed 42");
                if (key.endsWith("kernel")) {
                    assertFalse(first.get(key).contentEquals(other.get(key)), key + " is the same for seeds 42 and 43");
                }
            }
        }
    }

    @Test
    void convKernelIsTruncatedLeCunNormal() {
        // Layer 1: K' = 4 taps, in = out = 64: 16384 weights, fan_in = 4 * 64 = 256, std 1/16.
        ARNN model = Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 8)).layers(3).features(64).kernelSize(4), 7);
        Tensor kernel = model.parameters().get("_layers_1/kernel");
        assertTrue(kernel.hasShape(4, 64, 64), "kernel shape");
        double expectedStd = Math.sqrt(1.0 / 256);
        double[] ms = meanAndStd(kernel.toArray());
        // Sampling error of the std is about std / sqrt(2 n) = 0.55 %; 5 % cannot fail by chance but
        // catches a wrong fan_in (a factor 2 at least) or a missing truncation correction (12 %).
        assertEquals(expectedStd, ms[1], 0.05 * expectedStd, "std of the conv kernel, fan_in 256");
        assertEquals(0.0, ms[0], 5 * expectedStd / Math.sqrt(kernel.size()), "mean of the conv kernel");
        double bound = 2 * expectedStd / TRUNCATED_UNIT_STD;
        for (float v : kernel.toArray()) {
            assertTrue(Math.abs(v) <= bound * (1 + 1e-6), "|w| = " + Math.abs(v) + " beyond the truncation at " + bound);
        }
        Tensor first = model.parameters().get("_layers_0/kernel"); // fan_in = 3 taps * 1 input
        assertEquals(Math.sqrt(1.0 / 3), meanAndStd(first.toArray())[1], 0.25 * Math.sqrt(1.0 / 3),
                "std of the first conv kernel (192 weights), fan_in 3");
    }

    /**
     * NetKet's MaskedConv2D initialisation: {@code corr * mask * lecun_normal} with flax's conv
     * fan-in kh*kw*in and {@code corr = sqrt(mask.size / mask.sum())} over the (kh, kw) mask. For
     * kernel (3, 4), inclusive: 2*4 + 3 = 11 unmasked of 12 positions; in = out = 64, fan-in
     * 768, so the unmasked std is sqrt(12/11) / sqrt(768); the masked (2, 3) is zero.
     */
    @Test
    void conv2dKernelIsMaskedAndScaledByTheMaskDensity() {
        ARNN model = Build.model(ARNNConv2D.builder(HilbertSpace.spin(0.5, 16)).layers(3).features(64)
                .kernelSize(3, 4), 9);
        Tensor kernel = model.parameters().get("_layers_1/kernel");
        assertTrue(kernel.hasShape(3, 4, 64, 64), "kernel shape");
        double sq = 0;
        int used = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                for (int a = 0; a < 64; a++) {
                    for (int c = 0; c < 64; c++) {
                        float v = kernel.get(i, j, a, c);
                        if (i == 2 && j == 3) {
                            assertEquals(0f, v, 0f, "masked entry (2, 3)");
                        } else {
                            sq += (double) v * v;
                            used++;
                        }
                    }
                }
            }
        }
        double expectedStd = Math.sqrt(12.0 / 11) / Math.sqrt(768);
        assertEquals(expectedStd, Math.sqrt(sq / used), 0.03 * expectedStd,
                "std of the unmasked conv2d entries: sqrt(maskSize / maskCount) / sqrt(kh * kw * in)");
        // The exclusive first layer: 2*4 + 2 = 10 of 12 positions, in = 1, fan-in 12.
        Tensor first = model.parameters().get("_layers_0/kernel");
        double firstSq = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                for (int c = 0; c < 64; c++) {
                    float v = first.get(i, j, 0, c);
                    if (i == 2 && j >= 2) {
                        assertEquals(0f, v, 0f, "masked entry of the exclusive layer");
                    }
                    firstSq += (double) v * v;
                }
            }
        }
        double firstStd = Math.sqrt(12.0 / 10) / Math.sqrt(12);
        assertEquals(firstStd, Math.sqrt(firstSq / (10 * 64)), 0.12 * firstStd, "std of the first conv2d kernel");
    }

    @Test
    void denseKernelIsMaskedAndScaledByTheMaskDensity() {
        int n = 24;
        int width = 32;
        ARNN model = Build.model(ARNNDense.builder(HilbertSpace.spin(0.5, n)).layers(2).features(width), 11);
        Tensor kernel = model.parameters().get("_layers_1/kernel"); // (n * 32, n * 2), inclusive
        int in = width;
        int out = 2;
        int usedCount = 0;
        double sq = 0;
        for (int r = 0; r < n * in; r++) {
            for (int c = 0; c < n * out; c++) {
                float v = kernel.get(r, c);
                if (r / in <= c / out) {
                    usedCount++;
                    sq += (double) v * v;
                }
            }
        }
        long maskCount = (long) in * out * n * (n + 1) / 2;
        assertEquals(maskCount, usedCount, "used entries");
        double expectedStd = Math.sqrt(1.0 / (n * in)) * Math.sqrt((double) n * in * n * out / maskCount);
        assertEquals(expectedStd, Math.sqrt(sq / usedCount), 0.05 * expectedStd,
                "std of the used dense entries: sqrt(1/fan_in) * sqrt(maskSize / maskCount)");
    }

    /**
     * The dense correction sqrt(maskSize / maskCount) is right only if maskCount is the number of
     * kernel entries that really reach an output: found here by perturbing every entry of an
     * initialised kernel, one at a time, and watching the layer's outputs.
     */
    @Test
    void theDenseCorrectionCountsExactlyTheEntriesThatReachAnOutput() {
        int n = 4;
        int in = 2;
        int out = 3;
        float[] x = Build.randomConfigurations(HilbertSpace.spin(0.5, n * in), 3, 5).toArray(); // 3 samples of (n, in)
        for (boolean exclusive : new boolean[]{true, false}) {
            MaskedDense1DSpec spec = new MaskedDense1DSpec(n, in, out, exclusive, false);
            Tensor kernel = Initializer.initialKernel(spec, new SplittableRandom(3));
            float[] base = forward(MaskedLayer.of(spec, kernel, null, ""), x);
            int reaching = 0;
            for (int e = 0; e < kernel.size(); e++) {
                Tensor perturbed = kernel.copy();
                perturbed.array()[e] += 1f;
                if (!Arrays.equals(base, forward(MaskedLayer.of(spec, perturbed, null, ""), x))) {
                    reaching++;
                }
            }
            assertEquals(spec.usedKernelEntries(), reaching, "exclusive=" + exclusive
                    + ": entries that reach an output, against the mask count of the initialiser's correction");
        }
    }

    private static float[] forward(MaskedLayer layer, float[] x) {
        int samples = x.length / (layer.sites() * layer.inFeatures());
        float[] y = new float[samples * layer.sites() * layer.outFeatures()];
        float[] scratch = new float[samples * layer.sites() * Math.max(layer.inFeatures(), layer.outFeatures())];
        layer.forward(ScalarKernels.INSTANCE, x, 0, samples, y, 0, scratch);
        return y;
    }

    @Test
    void biasesStartAtZero() {
        for (ARNN model : new ARNN[]{
                Build.model(ARNNDense.builder(HilbertSpace.spin(0.5, 5)).layers(3).features(6), 1),
                Build.model(ARNNConv1D.builder(HilbertSpace.fock(3, 5)).layers(3).features(6), 1)}) {
            for (Map.Entry<String, Tensor> e : model.parameters().entrySet()) {
                if (e.getKey().endsWith("bias")) {
                    assertTrue(e.getValue().contentEquals(Tensor.zeros(e.getValue().shape())), e.getKey() + " must be zeros");
                }
            }
        }
    }

    @Test
    void singleSiteDenseModelIsValid() {
        // N = 1: the exclusive mask is empty (NetKet's correction would divide by zero); site 0 sees biases only.
        ARNN model = Build.model(ARNNDense.builder(HilbertSpace.spin(0.5, 1)).layers(2).features(3), 5);
        Tensor all = Build.allConfigurations(model.hilbert());
        Tensor logPsi = model.logPsi(all);
        double total = Math.exp(2.0 * logPsi.get(0)) + Math.exp(2.0 * logPsi.get(1));
        // float32: a few roundings of O(1) numbers; float64 to 1e-14 (the same, 1e9 times finer).
        assertEquals(1.0, total, 1e-6, "probabilities of the two configurations of one spin"); //f64: assertEquals(1.0, total, 1e-14, "probabilities of the two configurations of one spin");
    }
}
