package io.jarnn.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.kernels.ScalarKernels;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ARNNDense;
import io.jarnn.nn.MaskedConv1D;
import io.jarnn.nn.MaskedConv2D;
import io.jarnn.nn.MaskedConv2DSpec;
import io.jarnn.nn.MaskedDense1D;
import io.jarnn.nn.MaskedLayer;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The library's multiply-add counts, which the benchmarks and the report use, against two
 * counts that share nothing with the library's formula:
 * <ul>
 *   <li>{@code bruteForce*}: every (output site j, input site i, tap k) is tried against the
 *       definition of the mask, and a connected triple contributes its in x out weight entries.
 *       Dense: i &lt; j (exclusive) or i &lt;= j. Conv: tap k &lt; K' reads site
 *       {@code j - (K-1-k)*d}, and only real sites 0..N-1 count (the zero padding before site
 *       0 costs nothing);</li>
 *   <li>{@code measured}: the scalar forward of one sample with all inputs non-zero, run once
 *       per kernel entry with that entry 1 and all others 0; every non-zero output element is
 *       one product of that weight with a real input that the forward actually performed.</li>
 * </ul>
 */
class MultiplyAddsTest {

    @Test
    void maskedDenseCountsEveryUnmaskedBlockEntry() {
        int checked = 0;
        for (boolean exclusive : new boolean[]{true, false}) {
            for (int sites : new int[]{1, 2, 3, 7}) {
                for (int[] io : new int[][]{{1, 1}, {2, 3}, {3, 2}}) {
                    MaskedDense1D layer = MaskedDense1D.fromNetKet(sites, io[0], io[1], exclusive, false,
                            Tensor.zeros(sites * io[0], sites * io[1]), null, "");
                    String shape = "MaskedDense1D N=" + sites + " in=" + io[0] + " out=" + io[1]
                            + " exclusive=" + exclusive;
                    long expected = bruteForceDense(sites, io[0], io[1], exclusive);
                    assertEquals(expected, measured(layer), shape + ": products the scalar forward performs");
                    assertEquals(expected, layer.multiplyAddsPerSample(), shape + ": the library's count");
                    assertEquals(expected, MultiplyAdds.maskedDense(sites, io[0], io[1], exclusive),
                            shape + ": the benchmarks' count");
                    checked++;
                }
            }
        }
        assertEquals(24, checked, "dense shapes checked");
    }

    @Test
    void maskedConv1DCountsOnlyTapsOnRealSitesIncludingDilationAndKernelsLongerThanTheChain() {
        int checked = 0;
        for (boolean exclusive : new boolean[]{true, false}) {
            for (int kernelSize : new int[]{2, 3, 4, 6}) {
                for (int dilation = 1; dilation <= 3; dilation++) {
                    for (int sites : new int[]{1, 2, 3, 5, 17}) {
                        int taps = kernelSize - (exclusive ? 1 : 0);
                        MaskedConv1D layer = MaskedConv1D.fromNetKet(sites, 2, 3, kernelSize, dilation, exclusive,
                                false, Tensor.zeros(taps, 2, 3), null, "");
                        String shape = "MaskedConv1D N=" + sites + " in=2 out=3 K=" + kernelSize + " d=" + dilation
                                + " exclusive=" + exclusive;
                        long expected = bruteForceConv(sites, 2, 3, kernelSize, dilation, exclusive);
                        assertEquals(expected, measured(layer), shape + ": products the scalar forward performs");
                        assertEquals(expected, layer.multiplyAddsPerSample(), shape + ": the library's count");
                        assertEquals(expected, MultiplyAdds.maskedConv1D(sites, 2, 3, kernelSize, dilation, exclusive),
                                shape + ": the benchmarks' count");
                        checked++;
                    }
                }
            }
        }
        assertEquals(120, checked, "conv shapes checked");
    }

    /** The brute force itself, on cases small enough to count by hand. */
    @Test
    void bruteForceAgreesWithHandCounts() {
        // Dense N=3, exclusive: pairs (0,1), (0,2), (1,2); inclusive adds the three diagonal blocks.
        assertEquals(3 * 2 * 5, bruteForceDense(3, 2, 5, true));
        assertEquals(6 * 2 * 5, bruteForceDense(3, 2, 5, false));
        // Conv N=4, K=3, d=2, inclusive: tap 2 (shift 0) at sites 0-3, tap 1 (shift 2) at sites 2-3,
        // tap 0 (shift 4) nowhere: 6 site-taps. Exclusive keeps taps 0 and 1: 2 site-taps.
        assertEquals(6, bruteForceConv(4, 1, 1, 3, 2, false));
        assertEquals(2, bruteForceConv(4, 1, 1, 3, 2, true));
        // K=6 on N=2, exclusive, d=1: taps 0-4 reach back 5..1 sites; only shift 1 at site 1 is real.
        assertEquals(1, bruteForceConv(2, 1, 1, 6, 1, true));
    }

    @Test
    void modelsCountTheirLayersWithNetKetsArchitecture() {
        ARNN dense = ARNN.initialise(ARNNDense.builder(HilbertSpace.spin(0.5, 9)).layers(3).features(5)
                .dtype(DType.FLOAT32).config(), 1);
        long denseExpected = bruteForceDense(9, 1, 5, true) + bruteForceDense(9, 5, 5, false)
                + bruteForceDense(9, 5, 2, false);
        assertModelCount(dense, denseExpected, "ARNNDense N=9 layers=3 f=5 localSize=2");

        ARNN conv = ARNN.initialise(ARNNConv1D.builder(HilbertSpace.fock(2, 11)).layers(2).features(4).kernelSize(3)
                .dilation(2).dtype(DType.FLOAT32).config(), 1);
        assertModelCount(conv, bruteForceConv(11, 1, 4, 3, 2, true) + bruteForceConv(11, 4, 3, 3, 2, false),
                "ARNNConv1D N=11 layers=2 f=4 K=3 d=2 localSize=3");

        ARNN wide = ARNN.initialise(ARNNConv1D.builder(HilbertSpace.spin(0.5, 5)).layers(4).features(3).kernelSize(7)
                .dilation(3).dtype(DType.FLOAT32).config(), 2);
        assertModelCount(wide, bruteForceConv(5, 1, 3, 7, 3, true) + 2 * bruteForceConv(5, 3, 3, 7, 3, false)
                + bruteForceConv(5, 3, 2, 7, 3, false), "ARNNConv1D N=5 layers=4 f=3 K=7 d=3 localSize=2");
    }

    private static void assertModelCount(ARNN model, long expected, String what) {
        long measured = 0;
        for (MaskedLayer layer : model.layers()) {
            measured += measured(layer);
        }
        assertEquals(expected, measured, what + ": products the scalar forwards of its layers perform");
        assertEquals(expected, model.multiplyAddsPerSample(), what + ": the library's count");
        assertEquals(expected, MultiplyAdds.model(model.config()), what + ": the benchmarks' count");
    }

    /**
     * Each benchmark's flop count is 2 x batch x the brute-force count of the model its parameters
     * name. Benchmarks without a float64 twin are in {@link UntwinnedBenchmarkFlopsTest}.
     */
    @Test
    void benchmarkFlopCountsFollowTheirParameters() {
        assertEquals(2L * 64 * bruteForceDense(256, 16, 16, false),
                MaskedDenseForward.usefulFlopsPerOp(Map.of("shape", "N256-f16-b64")), "MaskedDenseForward");
        assertEquals(2L * 256 * bruteForceConv(1024, 16, 16, 3, 2, false),
                MaskedConv1DForward.usefulFlopsPerOp(Map.of("sites", "1024", "batch", "256", "features", "16",
                        "kernelSize", "3", "dilation", "2")), "MaskedConv1DForward");
        assertEquals(2L * 8 * (bruteForceDense(32, 1, 6, true) + bruteForceDense(32, 6, 6, false)
                        + bruteForceDense(32, 6, 2, false)),
                ARNNDenseConditionals.usefulFlopsPerOp(Map.of("sites", "32", "layers", "3", "features", "6",
                        "batch", "8")), "ARNNDenseConditionals");
        assertEquals(2L * 8 * (bruteForceConv(40, 1, 6, 4, 3, true) + bruteForceConv(40, 6, 2, 4, 3, false)),
                ARNNConv1DConditionals.usefulFlopsPerOp(Map.of("sites", "40", "layers", "2", "features", "6",
                        "kernelSize", "4", "dilation", "3", "batch", "8")), "ARNNConv1DConditionals");
        assertEquals(2L * 64 * netKetSamplingModel(300),
                DirectSampling.usefulFlopsPerOp(Map.of("sites", "300", "batch", "64", "threads", "2")), "DirectSampling");
        assertEquals(2L * 8 * (bruteForceConv2d(5, 1, 6, 3, 2, true) + bruteForceConv2d(5, 6, 6, 3, 2, false)
                        + bruteForceConv2d(5, 6, 2, 3, 2, false)),
                ARNNConv2DConditionals.usefulFlopsPerOp(Map.of("side", "5", "layers", "3", "features", "6",
                        "kernelHeight", "3", "kernelWidth", "2", "batch", "8")), "ARNNConv2DConditionals");
        assertEquals(2L * 64 * (bruteForceConv2d(6, 1, 16, 3, 2, true) + bruteForceConv2d(6, 16, 16, 3, 2, false)
                        + bruteForceConv2d(6, 16, 2, 3, 2, false)),
                ARNNConv2DSampling.usefulFlopsPerOp(Map.of("side", "6", "batch", "64", "threads", "2")),
                "ARNNConv2DSampling");
    }

    /**
     * From NetKet's definition: (output site, input site) pairs joined by an unmasked kernel
     * position (i, j) (the last row masked from column kw/2, or kw/2 + 1 inclusive), over an
     * L x L image without padding, times in * out.
     */
    static long bruteForceConv2d(int side, int in, int out, int kh, int kw, boolean exclusive) {
        long entries = 0;
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        boolean masked = i == kh - 1 && j >= kw / 2 + (exclusive ? 0 : 1);
                        int rr = r - (kh - 1 - i);
                        int cc = c + j - kw / 2;
                        if (!masked && rr >= 0 && cc >= 0 && cc < side) {
                            entries += (long) in * out;
                        }
                    }
                }
            }
        }
        return entries;
    }

    /**
     * The model benchmarks build their models in float32, this file's precision, and the measured
     * model (the scalar forwards of its layers) performs the multiply-adds the flop count claims.
     */
    @Test
    void modelBenchmarksMeasureModelsOfThisPrecisionWithTheCountedWork() {
        assertBenchmarkModel(ARNNDenseConditionals.config(12, 3, 4), 8,
                ARNNDenseConditionals.usefulFlopsPerOp(Map.of("sites", "12", "layers", "3", "features", "4",
                        "batch", "8")), "ARNNDenseConditionals");
        assertBenchmarkModel(ARNNConv1DConditionals.config(40, 2, 6, 4, 3), 8,
                ARNNConv1DConditionals.usefulFlopsPerOp(Map.of("sites", "40", "layers", "2", "features", "6",
                        "kernelSize", "4", "dilation", "3", "batch", "8")), "ARNNConv1DConditionals");
        assertBenchmarkModel(DirectSampling.config(40), 64,
                DirectSampling.usefulFlopsPerOp(Map.of("sites", "40", "batch", "64", "threads", "2")), "DirectSampling");
        assertBenchmarkModel(ARNNConv2DConditionals.config(5, 2, 6, 3, 2), 8,
                ARNNConv2DConditionals.usefulFlopsPerOp(Map.of("side", "5", "layers", "2", "features", "6",
                        "kernelHeight", "3", "kernelWidth", "2", "batch", "8")), "ARNNConv2DConditionals");
        assertBenchmarkModel(ARNNConv2DSampling.config(4), 64,
                ARNNConv2DSampling.usefulFlopsPerOp(Map.of("side", "4", "batch", "64", "threads", "2")),
                "ARNNConv2DSampling");
    }

    private static void assertBenchmarkModel(ARNNConfig config, int batch, long usefulFlopsPerOp, String benchmark) {
        assertEquals(DType.FLOAT32, config.dtype(), benchmark + ": the precision of the measured model");
        ARNN model = ARNN.initialise(config, 5);
        long measured = 0;
        for (MaskedLayer layer : model.layers()) {
            measured += measured(layer);
        }
        assertEquals(usefulFlopsPerOp, 2L * batch * measured,
                benchmark + ": flops per op vs 2 x batch x the products the model's scalar forwards perform");
    }

    /** NetKet's sampling benchmark model (3 conv layers, f=16, K=3, d=1) on {@code sites} spins. */
    static long netKetSamplingModel(int sites) {
        return bruteForceConv(sites, 1, 16, 3, 1, true) + bruteForceConv(sites, 16, 16, 3, 1, false)
                + bruteForceConv(sites, 16, 2, 3, 1, false);
    }

    /** Weight entries of a dense layer that connect an input site to an output site it may see. */
    static long bruteForceDense(int sites, int in, int out, boolean exclusive) {
        long entries = 0;
        for (int j = 0; j < sites; j++) {
            for (int i = 0; i < sites; i++) {
                if (exclusive ? i < j : i <= j) {
                    entries += (long) in * out;
                }
            }
        }
        return entries;
    }

    /** (site, tap) pairs of a causal dilated convolution whose tap lands on a real site, times in x out. */
    static long bruteForceConv(int sites, int in, int out, int kernelSize, int dilation, boolean exclusive) {
        int taps = kernelSize - (exclusive ? 1 : 0);
        long entries = 0;
        for (int j = 0; j < sites; j++) {
            for (int i = 0; i < sites; i++) {
                for (int k = 0; k < taps; k++) {
                    if (j - i == (kernelSize - 1 - k) * dilation) {
                        entries += (long) in * out;
                    }
                }
            }
        }
        return entries;
    }

    /**
     * Products of a weight with a real input that the scalar forward of one sample performs: per
     * kernel entry, a forward with only that entry set to 1 and inputs 1, 2, 3, ... (none zero),
     * counting the output elements that are not zero.
     */
    static long measured(MaskedLayer layer) {
        int sites = layer.sites();
        int in = layer.inFeatures();
        int out = layer.outFeatures();
        float[] x = new float[sites * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        float[] y = new float[sites * out];
        float[] scratch = new float[sites * Math.max(in, out)];
        int[] shape = layer.kernelShape();
        int entries = 1;
        for (int dim : shape) {
            entries *= dim;
        }
        long products = 0;
        for (int e = 0; e < entries; e++) {
            float[] kernel = new float[entries];
            kernel[e] = 1f;
            withKernel(layer, Tensor.wrap(kernel, shape)).forward(ScalarKernels.INSTANCE, x, 0, 1, y, 0, scratch);
            for (float v : y) {
                if (v != 0f) {
                    products++;
                }
            }
        }
        return products;
    }

    /** A layer of the same shape and mask with another kernel and no bias. */
    private static MaskedLayer withKernel(MaskedLayer layer, Tensor kernel) {
        if (layer instanceof MaskedConv2D conv) {
            MaskedConv2DSpec s = conv.spec();
            return MaskedConv2D.fromNetKet(new MaskedConv2DSpec(s.sites(), s.in(), s.out(), s.kernelHeight(),
                    s.kernelWidth(), s.dilationHeight(), s.dilationWidth(), s.exclusive(), false), kernel, null, "");
        }
        if (layer instanceof MaskedConv1D conv) {
            return MaskedConv1D.fromNetKet(conv.sites(), conv.inFeatures(), conv.outFeatures(), conv.kernelSize(),
                    conv.dilation(), conv.exclusive(), false, kernel, null, "");
        }
        return MaskedDense1D.fromNetKet(layer.sites(), layer.inFeatures(), layer.outFeatures(), layer.exclusive(),
                false, kernel, null, "");
    }
}
