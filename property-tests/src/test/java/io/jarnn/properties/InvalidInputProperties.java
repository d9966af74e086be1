package io.jarnn.properties;

import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 4, property 9: invalid inputs (wrong rank, wrong N, values that are not local states,
 * NaN and infinities, mis-shaped, missing, extra or non-finite parameters, out-of-range indices
 * and counts, a foreign workspace) raise {@link IllegalArgumentException} with a message, and
 * nothing else: no {@code ArrayIndexOutOfBoundsException}, no {@code NullPointerException},
 * no silent success.
 */
class InvalidInputProperties {

    @Provide
    Arbitrary<ModelSpec> models() {
        return ArbitraryModels.models(WeightStyle.INIT, WeightStyle.MASKED_NAN, WeightStyle.MASKED_GARBAGE);
    }

    @Provide
    Arbitrary<InvalidUse> misuses() {
        return InvalidUse.all();
    }

    @Property(tries = 2000)
    void invalidUseRaisesIllegalArgumentExceptionAndNothingElse(@ForAll("models") ModelSpec spec,
                                                                @ForAll("misuses") InvalidUse misuse,
                                                                @ForAll @IntRange(min = 2, max = 4) int batch,
                                                                @ForAll long inputSeed) {
        ARNN m = spec.build();
        Tensor x = m.hilbert().randomConfigurations(batch, inputSeed);
        Throwable thrown = null;
        boolean applicable;
        try {
            applicable = misuse.perform(m, x);
        } catch (Throwable t) {
            thrown = t;
            applicable = true;
        }
        Assume.that(applicable);
        Statistics.label("misuse").collect(misuse.getClass().getSimpleName());
        Statistics.label("misuse").coverage(coverage -> {
            for (Class<?> kind : InvalidUse.class.getPermittedSubclasses()) {
                coverage.check(kind.getSimpleName()).percentage(p -> p >= 5);
            }
        });
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
