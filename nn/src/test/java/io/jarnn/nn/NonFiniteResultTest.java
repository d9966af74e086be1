package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finite weights large enough to overflow single-precision activations (the reproduction: every
 * kernel times 1e16 or 1e30) give an exception naming the sample, the site and the layer, never
 * NaN: through full forwards, per-site evaluation and the sampler, for any thread count.
 *
 * <p>In the float64 twin those factors do not overflow (activations of 1e90 are representable):
 * there they must give results, and the overflowing factors are 1e160 and 1e300 instead (two
 * layers of 1e160 already pass double's 1.8e308).
 */
class NonFiniteResultTest {
    private static final HilbertSpace SPINS = HilbertSpace.spin(0.5, 100);
    private static final ARNN MODEL = Build.model(ARNNConv1D.builder(SPINS).layers(3).features(16).kernelSize(3), 42);
    /** Kernel factors that overflow this precision's activations (the float32 reproduction's, or their float64 analogue). */
    private static final float OVERFLOWING = 1e16f; //f64: private static final double OVERFLOWING = 1e160;
    private static final float FAR_OVERFLOWING = 1e30f; //f64: private static final double FAR_OVERFLOWING = 1e300;

    private static ARNN scaled(ARNN model, float factor) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        model.parameters().forEach((key, t) -> {
            Tensor c = t.copy();
            if (key.endsWith("kernel")) {
                float[] a = c.array();
                for (int i = 0; i < a.length; i++) {
                    a[i] *= factor;
                }
            }
            params.put(key, c);
        });
        return model.withParameters(params);
    }

    private static String failure(Runnable call) {
        return assertThrows(NonFiniteResultException.class, call::run).getMessage();
    }

    @ParameterizedTest
    @ValueSource(floats = {1e16f, 1e30f}) //f64: @ValueSource(doubles = {1e160, 1e300})
    void everyEntryPointRefusesToReturnNonFiniteValues(float factor) {
        ARNN big = scaled(MODEL, factor);
        Tensor sigma = Build.randomConfigurations(SPINS, 5, 1);
        for (Function<ARNN, Object> call : java.util.List.<Function<ARNN, Object>>of(
                m -> m.logPsi(sigma), m -> m.conditionals(sigma), m -> m.conditionalsLogPsi(sigma),
                m -> DirectSampler.of(m).sample(64, 7, true))) {
            String message = failure(() -> call.apply(big));
            assertTrue((message.contains(" is NaN") || message.contains("Infinity") || message.contains("not finite"))
                    && message.contains("sample ") && message.contains("site "),
                    message);
            assertTrue(message.contains("_layers_") || message.contains("logits"), "names where: " + message);
        }
    }

    @Test
    void theMessageNamesTheFirstLayerThatOverflows() {
        // Only the middle layer is huge (every weight half the largest float): the first layer's
        // outputs stay finite, the middle layer's sums of 48 such products overflow.
        Map<String, Tensor> params = new LinkedHashMap<>(MODEL.parameters());
        Tensor k = params.get("_layers_1/kernel").copy();
        java.util.Arrays.fill(k.array(), Float.MAX_VALUE / 2);
        params.put("_layers_1/kernel", k);
        ARNN model = MODEL.withParameters(params);
        String message = failure(() -> model.logPsi(Build.randomConfigurations(SPINS, 3, 2)));
        assertTrue(message.contains("_layers_1 (MaskedConv1D) gives "), message); //f64: assertTrue(message.contains("_layers_1 (MaskedConv1D) gives "), message);
    }

    @Test
    void perSiteEvaluationRefusesNonFiniteConditionals() {
        ARNN big = scaled(MODEL, FAR_OVERFLOWING);
        SiteCache cache = big.newCache(4);
        Tensor sigma = Build.randomConfigurations(SPINS, 4, 3);
        String message = failure(() -> {
            for (int i = 0; i < SPINS.size(); i++) {
                big.conditional(cache, sigma, i);
            }
        });
        assertTrue(message.startsWith("the conditional of sample "), message);
    }

    @Test
    void theSampleNamedDoesNotDependOnTheThreadCount() {
        ARNN big = scaled(MODEL, OVERFLOWING);
        String one = failure(() -> DirectSampler.of(big).withThreads(1).sample(1000, 5, true));
        String two = failure(() -> DirectSampler.of(big).withThreads(2).sample(1000, 5, true));
        assertEquals(one, two);
        String forwardOne = failure(() -> big.withThreads(1).logPsi(Build.randomConfigurations(SPINS, 300, 4)));
        String forwardTwo = failure(() -> big.withThreads(2).logPsi(Build.randomConfigurations(SPINS, 300, 4)));
        assertEquals(forwardOne, forwardTwo);
    }

    /**
     * A Jacobian of overflowing activations is refused naming its first row, on one thread or
     * two (each planar sample's row is checked where it is computed, the first bad row kept
     * across the workers), in the planar layout and the others (dense).
     */
    @Test
    void theJacobianNamesItsFirstNonFiniteRowOnAnyThreadCount() {
        ARNN dense = Build.model(ARNNDense.builder(SPINS).layers(3).features(4), 42);
        for (ARNN model : java.util.List.of(MODEL, dense)) {
            ARNN big = scaled(model, OVERFLOWING);
            Tensor sigma = Build.randomConfigurations(SPINS, 300, 4);
            String one = failure(() -> big.withThreads(1).logPsiJacobian(sigma));
            String two = failure(() -> big.withThreads(2).logPsiJacobian(sigma));
            assertTrue(one.startsWith("the Jacobian row of sample 0 is not finite"), one);
            assertEquals(one, two);
        }
    }

    /**
     * Weights that are large but whose activations stay representable give finite results; in
     * float64 these include the factors that overflow single precision (1e16, 1e30).
     */
    @ParameterizedTest
    @ValueSource(floats = {1e3f}) //f64: @ValueSource(doubles = {1e3, 1e16, 1e30})
    void largeButRepresentableWeightsStillGiveResults(float factor) {
        ARNN large = scaled(MODEL, factor);
        Tensor logPsi = large.logPsi(Build.randomConfigurations(SPINS, 5, 1));
        for (float v : logPsi.toArray()) {
            assertTrue(Float.isFinite(v), "logPsi " + v);
        }
        Samples s = DirectSampler.of(large).sample(32, 3, true);
        for (float v : s.logProbabilities().toArray()) {
            assertTrue(Float.isFinite(v) && v <= 0, "log-probability " + v);
        }
    }
}
