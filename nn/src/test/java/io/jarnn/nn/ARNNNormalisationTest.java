package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Properties every ARNN has by construction, on whole enumerable spaces: conditionals are
 * probabilities (finite, non-negative, each row summing to one), the configuration
 * probabilities exp(p logPsi) sum to one over the space, and a single configuration gets the
 * same logPsi as inside a batch.
 */
class ARNNNormalisationTest {

    static List<ARNN> models() {
        return ModelCases.enumerable();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void conditionalsAreProbabilityRows(ARNN model) {
        Tensor all = Build.allConfigurations(model.hilbert());
        Tensor cond = model.conditionals(all);
        int n = model.hilbert().size();
        int ls = model.hilbert().localSize();
        assertTrue(cond.hasShape(all.dim(0), n, ls), "conditionals shape " + Arrays.toString(cond.shape()));
        for (int b = 0; b < all.dim(0); b++) {
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int k = 0; k < ls; k++) {
                    float v = cond.get(b, i, k);
                    if (!(Float.isFinite(v) && v >= 0)) {
                        fail(model + ": conditional[" + b + ", " + i + ", " + k + "] = " + v
                                + ", expected a finite non-negative probability");
                    }
                    sum += v;
                }
                if (!(Math.abs(sum - 1) <= 1e-5)) { //f64: if (!(Math.abs(sum - 1) <= 1e-13)) {
                    fail(model + ": conditionals[" + b + ", " + i + ", :] = "
                            + Arrays.toString(ModelCases.row(cond, b, i)) + " sum to " + sum + ", expected 1 within 1e-5");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void probabilitiesSumToOneOverTheWholeSpace(ARNN model) {
        HilbertSpace h = model.hilbert();
        Tensor all = Build.allConfigurations(h);
        assertTrue(all.dim(0) <= 4096, "enumerated " + all.dim(0) + " configurations");
        Tensor logPsi = model.logPsi(all);
        double total = 0;
        for (int r = 0; r < all.dim(0); r++) {
            total += Math.exp(model.machinePow() * (double) logPsi.get(r));
        }
        assertEquals(1.0, total, 1e-4, model + ": sum over all " + all.dim(0) + " configurations of exp(p logPsi)"); //f64: assertEquals(1.0, total, 1e-12, model + ": sum over all " + all.dim(0) + " configurations of exp(p logPsi)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void singleConfigurationLogPsiEqualsBatchLogPsi(ARNN model) {
        Tensor all = Build.allConfigurations(model.hilbert());
        Tensor batch = model.logPsi(all);
        int rows = all.dim(0);
        for (int r : new int[]{0, 1, rows / 3, rows / 2 + 1, rows - 1}) {
            float[] sigma = all.row(r).toArray();
            float single = model.logPsi(sigma);
            assertEquals(batch.get(r), single, 1e-6f * Math.max(1f, Math.abs(batch.get(r))),
                    model + ": logPsi of configuration " + r + " " + Arrays.toString(sigma) + " alone vs in a batch of " + rows);
            Tensor singleConditionals = model.conditionals(sigma);
            Tensor batchConditionals = model.conditionals(all.slice(r, r + 1)).reshape(singleConditionals.shape());
            assertTrue(singleConditionals.approxEquals(batchConditionals, 1e-6),
                    model + ": conditionals of configuration " + r + " alone vs as a one-row slice of the batch");
        }
    }
}
