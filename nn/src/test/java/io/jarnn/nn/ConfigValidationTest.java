package io.jarnn.nn;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.jarnn.nn.Rejections.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model configurations are validated with NetKet's rules; every rejection names the argument, expected and got. */
class ConfigValidationTest {
    private static final HilbertSpace SPINS = HilbertSpace.spin(0.5, 4);

    @ParameterizedTest
    @ValueSource(floats = {0f, -1f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
    void machinePowMustBeFiniteAndPositive(float p) {
        assertRejected(() -> ARNNDense.builder(SPINS).machinePow(p).config(), "machinePow", "> 0", Float.toString(p));
        assertRejected(() -> ARNNConv1D.builder(SPINS).machinePow(p).build(1), "machinePow", Float.toString(p));
    }

    @Test
    void featuresListMustHaveOneEntryPerLayer() {
        assertRejected(() -> ARNNDense.builder(SPINS).layers(2).features(4, 5, 2).config(),
                "features", "layers=2", "3 entries", "[4, 5, 2]");
        assertRejected(() -> ARNNConv1D.builder(SPINS).layers(3).features(4, 2).config(),
                "features", "layers=3", "2 entries");
    }

    @Test
    void lastFeatureMustBeTheLocalSize() {
        assertRejected(() -> ARNNDense.builder(SPINS).layers(2).features(4, 3).config(),
                "features", "local size 2", "[4, 3]");
        assertRejected(() -> ARNNConv1D.builder(HilbertSpace.spin(1, 3)).layers(1).features(new int[]{2}).config(),
                "features", "local size 3", "[2]");
    }

    @Test
    void featureEntriesMustBePositive() {
        assertRejected(() -> ARNNDense.builder(SPINS).layers(3).features(0, 4, 2).config(),
                "features", ">= 1", "[0, 4, 2]");
        assertRejected(() -> ARNNConv1D.builder(SPINS).layers(2).features(0).config(), "features", ">= 1", "[0, 2]");
        assertRejected(() -> ARNNDense.builder(SPINS).layers(2).features(-3).config(), "features", "[-3, 2]");
    }

    @Test
    void layersMustBePositive() {
        assertRejected(() -> ARNNDense.builder(SPINS).layers(0).config(), "layers", ">= 1", "0");
        assertRejected(() -> ARNNConv1D.builder(SPINS).layers(-2).config(), "layers", "-2");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 0, -1})
    void kernelSizeMustBeAtLeastTwo(int kernelSize) {
        assertRejected(() -> ARNNConv1D.builder(SPINS).kernelSize(kernelSize).config(),
                "kernelSize", ">= 2", "got " + kernelSize);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 8, 10, 15, 17, 99})
    void conv2dNeedsASquareNumberOfSites(int n) {
        assertRejected(() -> ARNNConv2D.builder(HilbertSpace.spin(0.5, n)).config(), "hilbert", "N = L * L",
                "N=" + n, "not a perfect square");
    }

    @org.junit.jupiter.api.Test
    void conv2dKernelAndDilationAreChecked() {
        HilbertSpace square = HilbertSpace.spin(0.5, 16);
        assertRejected(() -> ARNNConv2D.builder(square).kernelSize(1, 1).config(), "kernelSize", "not (1, 1)", "(1, 1)");
        assertRejected(() -> ARNNConv2D.builder(square).kernelSize(0, 3).config(), "kernelSize", "(0, 3)");
        assertRejected(() -> ARNNConv2D.builder(square).dilation(1, 0).config(), "kernelDilation", ">= 1", "(1, 0)");
        assertEquals("ARNNConv2D(hilbert=Spin(s=1/2, N=16), layers=2, features=[16, 2], kernel_size=(3, 2), "
                + "kernel_dilation=(1, 1), use_bias=true, machine_pow=2.0)", ARNNConv2D.builder(square).config().toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void dilationMustBePositive(int dilation) {
        assertRejected(() -> ARNNConv1D.builder(SPINS).dilation(dilation).config(), "dilation", ">= 1", "got " + dilation);
    }

    @Test
    void aStackMustBeAutoregressiveAndItsWidthsMustChain() {
        HilbertSpace spins = SPINS; // N = 4, local size 2
        MaskedDense1DSpec first = new MaskedDense1DSpec(4, 1, 3, true, true);
        MaskedDense1DSpec last = new MaskedDense1DSpec(4, 3, 2, false, true);
        assertEquals(2, ARNNConfig.of(spins, List.of(first, last), 2f).layers(), "a valid stack");
        assertRejected(() -> ARNNConfig.of(spins, List.of(new MaskedDense1DSpec(4, 1, 3, false, true), last), 2f),
                "layers[0].exclusive", "expected true", "got false");
        assertRejected(() -> ARNNConfig.of(spins, List.of(first, new MaskedDense1DSpec(4, 3, 2, true, true)), 2f),
                "layers[1].exclusive", "expected false", "got true");
        assertRejected(() -> ARNNConfig.of(spins, List.of(first, new MaskedDense1DSpec(4, 5, 2, false, true)), 2f),
                "layers[1].in", "expected 3", "got 5");
        assertRejected(() -> ARNNConfig.of(spins, List.of(new MaskedDense1DSpec(4, 2, 3, true, true), last), 2f),
                "layers[0].in", "expected 1", "got 2");
        assertRejected(() -> ARNNConfig.of(spins, List.of(first, new MaskedDense1DSpec(5, 3, 2, false, true)), 2f),
                "layers[1].sites", "expected N=4", "got 5");
        assertRejected(() -> ARNNConfig.of(spins, List.of(first), 2f), "layers[0].out", "local size 2", "got 3");
        assertRejected(() -> ARNNConfig.of(spins, List.of(), 2f), "layers", "at least one", "none");
        assertRejected(() -> ARNNConfig.of(spins, null, 2f), "layers", "null");
    }

    @Test
    void onSitesChangesOnlyTheSiteCount() {
        MaskedConv1DSpec conv = new MaskedConv1DSpec(4, 3, 5, 4, 2, false, false);
        assertEquals(new MaskedConv1DSpec(9, 3, 5, 4, 2, false, false), conv.onSites(9));
        MaskedDense1DSpec dense = new MaskedDense1DSpec(4, 1, 3, true, true);
        assertEquals(new MaskedDense1DSpec(7, 1, 3, true, true), dense.onSites(7));
        assertRejected(() -> dense.onSites(0), "sites", ">= 1", "N=0");
    }

    @Test
    void aMixedStackIsValidAndDescribedLayerByLayer() {
        ARNNConfig mixed = ARNNConfig.of(SPINS, List.of(new MaskedConv1DSpec(4, 1, 3, 2, 1, true, true),
                new MaskedDense1DSpec(4, 3, 2, false, false)), 1.5f);
        String text = mixed.toString();
        assertTrue(text.startsWith("ARNN(") && text.contains("MaskedConv1DSpec") && text.contains("MaskedDense1DSpec"),
                text);
        assertEquals(mixed.layerSpecs().get(0).multiplyAddsPerSample() + mixed.layerSpecs().get(1).multiplyAddsPerSample(),
                ARNN.initialise(mixed, 1).multiplyAddsPerSample());
    }

    @Test
    void siteCountMustBePositive() {
        assertRejected(() -> HilbertSpace.spin(0.5, 0), "N", "at least 1", "got 0");
        assertRejected(() -> HilbertSpace.fock(2, -1), "N", "got -1");
        assertRejected(() -> HilbertSpace.ofLocalValues(0, 1f, 2f), "N", "got 0");
    }

    @Test
    void nullArgumentsAreRejected() {
        assertRejected(() -> ARNNDense.builder(null), "hilbert", "null");
        assertRejected(() -> ARNNConfig.of(null, List.of(), 2f), "hilbert", "null");
        assertRejected(() -> ARNNDense.builder(SPINS).features((int[]) null), "features", "null");
        assertRejected(() -> ARNNDense.builder(SPINS).build(1).withKernels(null), "kernels", "null");
        assertRejected(() -> ARNNDense.builder(SPINS).build(1).withThreads(0), "threads", ">= 1", "0");
    }

    @Test
    void netKetDefaultsAndTheIntFormOfFeatures() {
        ARNNConfig conv = ARNNConv1D.builder(SPINS).config();
        assertEquals(2, conv.layers(), "default layers");
        assertArrayEquals(new int[]{16, 2}, conv.features(), "default features: hidden 16, last = local size");
        MaskedConv1DSpec layer = (MaskedConv1DSpec) conv.layerSpecs().getFirst();
        assertEquals(3, layer.kernelSize(), "default kernel size");
        assertEquals(1, layer.dilation(), "default dilation");
        assertEquals(2f, conv.machinePow(), "default machinePow");
        assertTrue(conv.layerSpecs().stream().allMatch(LayerSpec::useBias), "default bias");
        assertArrayEquals(new int[]{2}, ARNNDense.builder(SPINS).layers(1).features(7).config().features(),
                "layers = 1: the only layer has the local size");
        assertArrayEquals(new int[]{5, 5, 3}, ARNNDense.builder(HilbertSpace.spin(1, 2)).layers(3).features(5)
                .config().features(), "int form: hidden layers of that width, last the local size");
    }

    @Test
    void theDTypeIsPartOfTheConfigurationAndPicksTheModelClass() {
        ARNNConfig.Builder<?> builder = ARNNDense.builder(HilbertSpace.spin(0.5, 4)).layers(2).features(3);
        ARNNConfig float32 = builder.config();
        assertEquals(DType.FLOAT32, float32.dtype(), "float32 is the default");
        ARNNConfig float64 = builder.dtype(DType.FLOAT64).config();
        assertEquals(DType.FLOAT64, float64.dtype());
        assertEquals(float64, float32.withDType(DType.FLOAT64));
        assertTrue(!float32.equals(float64) && float32.hashCode() != float64.hashCode(), "dtype must count in equals");
        assertEquals(float32.toString().replaceFirst("\\)$", ", param_dtype=float64)"), float64.toString());
        assertRejected(() -> float32.withDType(null), "dtype");

        assertRejected(() -> ARNN.initialise(float64, 1), "config", "float32", "float64");
        assertRejected(() -> ARNN64.initialise(float32, 1), "config", "float64", "float32");
        assertRejected(() -> builder.build(1), "float32");
        assertTrue(AutoregressiveModel.initialise(float64, 1) instanceof ARNN64);
        assertTrue(AutoregressiveModel.initialise(float32, 1) instanceof ARNN);
        assertTrue(builder.buildModel(1) instanceof ARNN64);
        assertEquals(float64, builder.dtype(DType.FLOAT32).build64(1).config(), "build64 builds in float64");
    }
}
