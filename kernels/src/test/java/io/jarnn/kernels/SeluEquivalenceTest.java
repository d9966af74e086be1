package io.jarnn.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * {@link Kernels#selu}: vector against scalar (3 ulps), against the scalar twin of its lanes
 * (bitwise) and the scalar against selu in double; see {@link SeluCase} for the tolerances.
 * Sizes straddle the lane count; sources and destinations at non-zero offsets, apart or in place.
 */
class SeluEquivalenceTest {

    static Stream<SeluCase> equivalenceCases() {
        return IntStream.of(KernelEquivalence.SIZES).boxed().flatMap(n -> Stream.of(
                new SeluCase(n, 3, 5, 0, false, 6f),
                new SeluCase(n, 1, 6, 4, false, 6f),
                new SeluCase(n, 3, 0, 0, true, 6f),
                new SeluCase(n, 1, 0, 4, true, 100f)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("equivalenceCases")
    void vectorMatchesScalarTwinAndDouble(SeluCase c) {
        c.assertEquivalent(17L * c.n() + c.srcOff());
    }
}
