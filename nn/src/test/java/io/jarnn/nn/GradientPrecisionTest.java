package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The float32 gradient against the float64 one of the same (exactly widened) model: equal to
 * float32 rounding, within {@value #TOLERANCE} relative to 1 + |g| (a gradient is a sum over
 * samples and sites of products of O(1) activations: some hundred roundings of 6e-8). The worst
 * error of the run is printed. (The float64 gradient itself is held to finite differences by
 * {@code GradientFiniteDifferenceTest}.)
 */
class GradientPrecisionTest {
    static final double TOLERANCE = 1e-4;
    private static double worst;
    private static String worstWhere = "";

    static List<ARNN> models() {
        return List.of(
                GradientConsistencyTest.noisy(ARNNDense.builder(HilbertSpace.spin(0.5, 10)).layers(3).features(6).build(1)),
                GradientConsistencyTest.noisy(ARNNConv1D.builder(HilbertSpace.spin(1, 12)).layers(3).features(8)
                        .kernelSize(3).dilation(2).machinePow(0.5f).build(2)),
                GradientConsistencyTest.noisy(ARNNConv1D.builder(HilbertSpace.spin(0.5, 10, 0)).layers(2).features(5)
                        .kernelSize(4).machinePow(1f).build(3)),
                GradientConsistencyTest.noisy(ARNNDense.builder(HilbertSpace.fock(3, 8)).layers(2).features(4)
                        .bias(false).build(4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void singlePrecisionGradientMatchesDoublePrecision(ARNN model) {
        ARNN64 wide = model.toDoublePrecision();
        int batch = 70;
        Tensor sigma = model.hilbert().randomConfigurations(batch, 5);
        Tensor w = Tensor.zeros(batch);
        SplittableRandom random = new SplittableRandom(6);
        for (int b = 0; b < batch; b++) {
            w.array()[b] = (float) (random.nextDouble() * 2 - 1);
        }
        float[] g32 = new float[model.parameterCount()];
        model.logPsiGradient(sigma, w, g32, 0, model.newGradientWorkspace());
        double[] g64 = new double[wide.parameterCount()];
        wide.logPsiGradient(sigma.toDoublePrecision(), w.toDoublePrecision(), g64, 0, wide.newGradientWorkspace());
        for (int e = 0; e < g32.length; e++) {
            double err = Math.abs(g32[e] - g64[e]) / (1 + Math.abs(g64[e]));
            record(model + ", flat parameter " + e, err);
            if (!(err <= TOLERANCE)) {
                fail(String.format(Locale.ROOT, "%s: flat parameter %d: float32 %s but float64 %s (relative %.3g > %.1g)",
                        model, e, g32[e], g64[e], err, TOLERANCE));
            }
        }
        Tensor j32 = model.logPsiJacobian(sigma);
        Tensor64 j64 = wide.logPsiJacobian(sigma.toDoublePrecision());
        for (int i = 0; i < j32.size(); i++) {
            double err = Math.abs(j32.getFlat(i) - j64.getFlat(i)) / (1 + Math.abs(j64.getFlat(i)));
            record(model + ", Jacobian entry " + i, err);
            if (!(err <= TOLERANCE)) {
                fail(model + ": Jacobian flat entry " + i + ": float32 " + j32.getFlat(i) + " but float64 " + j64.getFlat(i));
            }
        }
    }

    private static synchronized void record(String where, double err) {
        if (err > worst) {
            worst = err;
            worstWhere = where;
        }
    }

    @AfterAll
    static void printWorst() {
        System.out.printf(Locale.ROOT, "GradientPrecisionTest: worst float32 |g32 - g64| / (1 + |g64|) = %.3g (%s)%n",
                worst, worstWhere);
    }
}
