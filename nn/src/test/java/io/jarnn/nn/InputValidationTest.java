package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.jarnn.nn.Rejections.assertRejected;

/** Inputs to a model: shape (batch, N), local values only; each rejection names the argument, expected and got. */
class InputValidationTest {
    private static final HilbertSpace SPINS = HilbertSpace.spin(0.5, 3);
    private static final List<ARNN> MODELS = List.of(
            Build.model(ARNNDense.builder(SPINS).layers(2).features(4), 1),
            Build.model(ARNNConv1D.builder(SPINS).layers(2).features(4), 2));

    @Test
    void wrongRankIsRejected() {
        for (ARNN m : MODELS) {
            assertRejected(() -> m.logPsi(Tensor.zeros(3)), "inputs", "(batch, 3)", "(3,)");
            assertRejected(() -> m.conditionals(Tensor.zeros(1, 3, 1)), "inputs", "(batch, 3)", "(1, 3, 1)");
        }
    }

    @Test
    void wrongNumberOfSitesIsRejected() {
        for (ARNN m : MODELS) {
            assertRejected(() -> m.conditionalsLogPsi(Tensor.zeros(2, 4)), "inputs", "(batch, 3)", "(2, 4)");
            assertRejected(() -> m.logPsi(1f, -1f), "configuration", "3 local values", "got 2");
            assertRejected(() -> m.conditionals(1f, -1f, 1f, 1f), "configuration", "got 4");
            assertRejected(() -> m.logPsi((Tensor) null), "inputs", "null");
        }
    }

    /**
     * Values that are no local state; -0.99999994 is the float32 next to -1. In float64 also the
     * doubles next to -1 and 1, which round to a local value in float32 but are none themselves.
     */
    @ParameterizedTest
    @ValueSource(floats = {0f, 0.5f, Float.NaN, 2f, -0.99999994f}) //f64: @ValueSource(doubles = {0.0, 0.5, Double.NaN, 2.0, -0.99999994, -0.9999999999999999, 1.0000000000000002})
    void nonLocalValuesAreRejectedWithTheirPosition(float bad) {
        for (ARNN m : MODELS) {
            Tensor sigma = Tensor.copyOf(new float[]{1, -1, 1, -1, 1, 1}, 2, 3);
            sigma.set(bad, 1, 2);
            assertRejected(() -> m.logPsi(sigma), "inputs", "[1, 2]", Float.toString(bad), "[1.0, -1.0]");
            assertRejected(() -> m.conditionals(sigma), "inputs", "[1, 2]");
            assertRejected(() -> m.logPsi(1f, bad, -1f), "[0, 1]", Float.toString(bad));
        }
    }

    @Test
    void outputBuffersAndWorkspacesAreChecked() {
        ARNN m = MODELS.get(0);
        Tensor sigma = Build.randomConfigurations(SPINS, 2, 1);
        assertRejected(() -> m.conditionalsLogPsi(sigma, Tensor.zeros(2, 3, 3), m.newWorkspace()), "out", "(2, 3, 2)", "(2, 3, 3)");
        assertRejected(() -> m.conditionalsLogPsi(sigma, null, m.newWorkspace()), "out", "null");
        assertRejected(() -> m.conditionalsLogPsi(sigma, Tensor.zeros(2, 3, 2), null), "workspace", "null");
        ARNN wide = Build.model(ARNNDense.builder(SPINS).layers(2).features(40), 3);
        assertRejected(() -> m.conditionalsLogPsi(sigma, Tensor.zeros(2, 3, 2), wide.newWorkspace()), "workspace");
        assertRejected(() -> m.conditional(sigma, 3), "index", "0..2", "got 3");
        assertRejected(() -> m.conditional(sigma, -1), "index", "got -1");
    }
}
