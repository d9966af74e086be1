package io.jarnn.properties;

import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Issue 4, property 9: invalid inputs (wrong rank, wrong N, values that are not local states,
 * NaN and infinities, mis-shaped, missing, extra or non-finite parameters, out-of-range indices
 * and counts, a foreign workspace) raise {@link IllegalArgumentException} with a message, and
 * nothing else: no {@code ArrayIndexOutOfBoundsException}, no {@code NullPointerException},
 * no silent success.
 */
class InvalidInputProperties {

    /**
     * Every kind of misuse (input, parameters, call) in at least 5% of the checked cases, and
     * at least half of all generated misuses applicable to their model.
     */
    @Test
    void invalidUseRaisesIllegalArgumentExceptionAndNothingElse() {
        Coverage coverage = new Coverage();
        SuiteRunMode.qt(2000).forAll(ArbitraryModels.models(WeightStyle.INIT, WeightStyle.MASKED_NAN,
                        WeightStyle.MASKED_GARBAGE), InvalidUse.all(), integers().between(2, 4), longs().all())
                .checkAssert((spec, misuse, batch, inputSeed) -> check(spec, misuse, batch, inputSeed, coverage));
        coverage.requireCheckedFraction(0.5);
        coverage.requireEach("misuse", Arrays.stream(InvalidUse.class.getPermittedSubclasses())
                .map(Class::getSimpleName).toList(), 0.05);
    }

    private static void check(ModelSpec spec, InvalidUse misuse, int batch, long inputSeed, Coverage coverage) {
        ARNN m = Build.model(spec);
        Tensor x = Build.randomConfigurations(m.hilbert(), batch, inputSeed);
        Throwable thrown = null;
        boolean applicable;
        try {
            applicable = misuse.perform(m, x);
        } catch (Throwable t) {
            thrown = t;
            applicable = true;
        }
        if (!applicable) {
            coverage.skip(misuse.getClass().getSimpleName() + " not applicable");
            return;
        }
        coverage.checked();
        coverage.collect("misuse", misuse.getClass().getSimpleName());
        if (thrown == null) {
            fail(misuse + ": expected an IllegalArgumentException but the call returned normally");
        }
        if (!(thrown instanceof IllegalArgumentException)) {
            fail(misuse + ": expected an IllegalArgumentException but got " + stackTrace(thrown));
        }
        if (thrown.getMessage() == null || thrown.getMessage().isBlank()) {
            fail(misuse + ": the IllegalArgumentException has no message");
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter s = new StringWriter();
        t.printStackTrace(new PrintWriter(s));
        return s.toString();
    }
}
