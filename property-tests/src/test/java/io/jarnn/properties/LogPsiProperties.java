package io.jarnn.properties;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/** Issue 4, property 5: logPsi(sigma) = sum over i of logPsi[i, localIndex(sigma_i)]. */
class LogPsiProperties {
    /**
     * Relative to the sum of |terms|: logPsi adds the N chosen log-conditionals in float, this
     * check adds them in double, so they differ by at most (N - 1) eps/2 sum|terms| (7.5 eps for
     * N = 16; 1e-6 is 8.4 eps). The two forward calls give the same bits for the terms (the
     * vector kernels round alike interpreted and compiled, property 8). Far below any indexing
     * or summation mistake.
     */
    static final double RELATIVE_TOLERANCE = 1e-6;

    @Test
    void logPsiIsTheSumOfTheChosenLogConditionals() {
        SuiteRunMode.qt(1000).forAll(ArbitraryModels.models(), integers().between(1, 8), longs().all())
                .checkAssert(LogPsiProperties::logPsiIsTheSumOfTheChosenLogConditionals);
    }

    private static void logPsiIsTheSumOfTheChosenLogConditionals(ModelSpec spec, int batch, long inputSeed) {
        ARNN m = spec.build();
        HilbertSpace h = m.hilbert();
        Tensor x = h.randomConfigurations(batch, inputSeed);
        Tensor conditionals = m.conditionalsLogPsi(x);
        Tensor logPsi = m.logPsi(x);
        for (int b = 0; b < batch; b++) {
            double sum = 0;
            double scale = 1;
            for (int i = 0; i < h.size(); i++) {
                int k = h.localIndex(x.get(b, i));
                float term = conditionals.get(b, i, k);
                sum += term;
                scale += Math.abs(term);
            }
            double tolerance = RELATIVE_TOLERANCE * scale;
            float batched = logPsi.getFlat(b);
            if (!(Math.abs(batched - sum) <= tolerance)) {
                fail("logPsi(x)[" + b + "] = " + batched + ", expected the sum of the chosen log-conditionals " + sum
                        + " within " + tolerance + "; " + Rows.input(x, b));
            }
            float single = m.logPsi(Rows.configuration(x, b));
            if (!(Math.abs(single - sum) <= tolerance)) {
                fail("logPsi(float...) = " + single + ", expected " + sum + " within " + tolerance + " (batched: "
                        + batched + "); " + Rows.input(x, b));
            }
        }
    }
}
