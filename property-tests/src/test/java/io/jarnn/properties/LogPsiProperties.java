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
     * Relative to the sum of |terms|: logPsi adds the N chosen log-conditionals in double and
     * rounds once to the model's precision, this check adds them in double, so they differ by at
     * most (N - 1) eps/2 sum|terms| of the double sum plus one rounding (single: 1e-6 is 8.4 of
     * its eps; double: 1e-14 is 45 of its eps, for (N - 1)/2 + 1 = 8.5 at N = 16). The two forward
     * calls give the same bits for the terms (the vector kernels round alike interpreted and
     * compiled, property 8). Far below any indexing or summation mistake, and in double far below
     * a sum rounded through single precision.
     */
    static final double RELATIVE_TOLERANCE = 1e-6; //f64: static final double RELATIVE_TOLERANCE = 1e-14;

    @Test
    void logPsiIsTheSumOfTheChosenLogConditionals() {
        SuiteRunMode.qt(1000).forAll(ArbitraryModels.models(), integers().between(1, 8), longs().all())
                .checkAssert(LogPsiProperties::logPsiIsTheSumOfTheChosenLogConditionals);
    }

    private static void logPsiIsTheSumOfTheChosenLogConditionals(ModelSpec spec, int batch, long inputSeed) {
        ARNN m = Build.model(spec);
        HilbertSpace h = m.hilbert();
        Tensor x = Build.randomConfigurations(h, batch, inputSeed);
        Tensor conditionals = m.conditionalsLogPsi(x);
        Tensor logPsi = m.logPsi(x);
        for (int b = 0; b < batch; b++) {
            double sum = 0;
            double scale = 1;
            for (int i = 0; i < h.size(); i++) {
                int k = Build.localIndex(h, x.get(b, i));
                float term = conditionals.get(b, i, k);
                sum += term;
                scale += Math.abs(term);
            }
            double tolerance = RELATIVE_TOLERANCE * scale;
            float batched = logPsi.getFlat(b);
            if (!(Math.abs(batched - sum) <= tolerance)) {
                fail("logPsi(x)[" + b + "] = " + batched + ", expected the sum of the chosen log-conditionals " + sum
                        + " within " + tolerance + "; " + ConditionalRows.input(x, b));
            }
            float single = m.logPsi(ConditionalRows.configuration(x, b));
            if (!(Math.abs(single - sum) <= tolerance)) {
                fail("logPsi(float...) = " + single + ", expected " + sum + " within " + tolerance + " (batched: "
                        + batched + "); " + ConditionalRows.input(x, b));
            }
        }
    }
}
