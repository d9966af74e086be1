package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.kernels.ScalarKernels;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.jarnn.nn.Rejections.assertRejected;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loading parameters in NetKet's names and shapes: missing, extra or mis-shaped arrays and
 * non-finite values in used entries are rejected, naming the key; NaN in a masked dense entry
 * is accepted (NetKet's own initialiser writes it there for N = 1) and changes nothing.
 */
class ParameterValidationTest {
    private static final HilbertSpace SPINS = HilbertSpace.spin(0.5, 3);
    private static final ARNN DENSE = ARNNDense.builder(SPINS).layers(2).features(4).build(1);
    private static final ARNN CONV = ARNNConv1D.builder(SPINS).layers(2).features(4).kernelSize(3).build(2);

    private static Map<String, Tensor> parameters(ARNN model) {
        return new HashMap<>(model.parameters());
    }

    @Test
    void missingKeyIsNamed() {
        for (ARNN model : new ARNN[]{DENSE, CONV}) {
            Map<String, Tensor> p = parameters(model);
            p.remove("_layers_1/bias");
            assertRejected(() -> ARNN.fromParameters(model.config(), p), "_layers_1/bias", "missing");
        }
    }

    @Test
    void extraKeyIsNamed() {
        for (ARNN model : new ARNN[]{DENSE, CONV}) {
            Map<String, Tensor> p = parameters(model);
            p.put("_layers_2/kernel", Tensor.zeros(1));
            assertRejected(() -> ARNN.fromParameters(model.config(), p), "_layers_2/kernel", "unexpected");
        }
        ARNNConfig noBias = ARNNDense.builder(SPINS).layers(2).features(4).bias(false).config();
        Map<String, Tensor> withBias = parameters(DENSE);
        assertRejected(() -> ARNN.fromParameters(noBias, withBias), "_layers_0/bias", "unexpected");
    }

    @Test
    void wrongShapesAreNamedWithExpectedAndGot() {
        Map<String, Tensor> dense = parameters(DENSE);
        dense.put("_layers_0/kernel", Tensor.zeros(3, 13));
        assertRejected(() -> ARNN.fromParameters(DENSE.config(), dense), "_layers_0/kernel", "(3, 12)", "(3, 13)");
        Map<String, Tensor> denseBias = parameters(DENSE);
        denseBias.put("_layers_1/bias", Tensor.zeros(2));
        assertRejected(() -> ARNN.fromParameters(DENSE.config(), denseBias), "_layers_1/bias", "(3, 2)", "(2,)");
        Map<String, Tensor> conv = parameters(CONV);
        conv.put("_layers_0/kernel", Tensor.zeros(3, 1, 4)); // the exclusive layer has K - 1 = 2 taps
        assertRejected(() -> ARNN.fromParameters(CONV.config(), conv), "_layers_0/kernel", "(2, 1, 4)", "(3, 1, 4)");
        Map<String, Tensor> convBias = parameters(CONV);
        convBias.put("_layers_0/bias", Tensor.zeros(3, 4)); // conv bias is per feature, not per site
        assertRejected(() -> ARNN.fromParameters(CONV.config(), convBias), "_layers_0/bias", "(4,)", "(3, 4)");
    }

    @Test
    void nonFiniteValuesInUsedEntriesAreRejected() {
        Map<String, Tensor> conv = parameters(CONV);
        conv.get("_layers_1/kernel").set(Float.NaN, 2, 3, 1);
        assertRejected(() -> ARNN.fromParameters(CONV.config(), conv), "_layers_1/kernel", "finite", "[2, 3, 1]", "NaN");
        Map<String, Tensor> denseUsed = parameters(DENSE);
        denseUsed.get("_layers_0/kernel").set(Float.POSITIVE_INFINITY, 1, 9); // site 1 -> site 2: used
        assertRejected(() -> ARNN.fromParameters(DENSE.config(), denseUsed), "_layers_0/kernel", "[1, 9]", "Infinity");
        Map<String, Tensor> bias = parameters(DENSE);
        bias.get("_layers_1/bias").set(Float.NaN, 2, 0);
        assertRejected(() -> ARNN.fromParameters(DENSE.config(), bias), "_layers_1/bias", "[2, 0]", "NaN");
    }

    @Test
    void nanInMaskedDenseEntriesIsAcceptedAndIgnored() {
        Map<String, Tensor> p = parameters(DENSE);
        Tensor k0 = p.get("_layers_0/kernel"); // (3, 12): row i reaches columns of sites j > i only
        Tensor k1 = p.get("_layers_1/kernel"); // (12, 6): block (i, j) used iff i <= j
        k0.set(Float.NaN, 0, 0);
        k0.set(Float.NaN, 2, 11);
        k0.set(1e30f, 1, 4);
        k1.set(Float.NaN, 4, 0);
        k1.set(Float.NEGATIVE_INFINITY, 11, 3);
        ARNN loaded = ARNN.fromParameters(DENSE.config(), p);
        Tensor sigma = SPINS.allConfigurations();
        assertTrue(DENSE.conditionals(sigma).contentEquals(loaded.conditionals(sigma)),
                "masked entries must have no effect on the conditionals");
        assertTrue(loaded.parameters().get("_layers_0/kernel").contentEquals(DENSE.parameters().get("_layers_0/kernel")),
                "exported masked entries are zeros again");
    }

    @Test
    void nullParametersAreRejected() {
        assertRejected(() -> ARNN.fromParameters(DENSE.config(), null), "parameters", "null");
        assertRejected(() -> ARNN.fromParameters(null, parameters(DENSE)), "config", "null");
        Map<String, Tensor> p = parameters(DENSE);
        p.put("_layers_0/kernel", null);
        assertRejected(() -> ARNN.fromParameters(DENSE.config(), p), "_layers_0/kernel");
        Map<String, Tensor> nullKey = parameters(DENSE); // a HashMap may hold a null key: an unexpected name
        nullKey.put(null, Tensor.zeros(1));
        assertRejected(() -> ARNN.fromParameters(DENSE.config(), nullKey), "null", "unexpected");
        assertRejected(() -> MaskedDense1D.fromNetKet(3, 1, 2, true, true, null, Tensor.zeros(3, 2), "l/"),
                "l/kernel", "(3, 6)", "null");
        assertRejected(() -> MaskedDense1D.fromNetKet(3, 1, 2, true, true, Tensor.zeros(3, 6), null, "l/"),
                "l/bias", "(3, 2)", "null");
        assertRejected(() -> MaskedConv1D.fromNetKet(3, 1, 2, 2, 1, true, true, null, Tensor.zeros(2), "c/"),
                "c/kernel", "(1, 1, 2)", "null");
    }

    @Test
    void withParametersKeepsThreadsAndKernels() {
        ARNN scalarTwoThreads = CONV.withThreads(2).withKernels(ScalarKernels.INSTANCE);
        ARNN again = scalarTwoThreads.withParameters(CONV.parameters());
        assertTrue(again.threads() == 2 && again.kernels() == ScalarKernels.INSTANCE,
                "withParameters keeps " + scalarTwoThreads.threads() + " threads and " + scalarTwoThreads.kernels().name());
        Tensor sigma = SPINS.allConfigurations();
        assertTrue(again.conditionals(sigma).contentEquals(scalarTwoThreads.conditionals(sigma)),
                "round trip through parameters() gives the same model");
    }
}
