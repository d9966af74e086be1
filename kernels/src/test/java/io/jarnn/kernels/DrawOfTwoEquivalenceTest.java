package io.jarnn.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * {@link Kernels#drawOfTwo}: vector against scalar and the scalar against the definition, bitwise
 * (see {@link DrawOfTwoCase}). Row counts straddle the lane counts (and the sampler's chunk of
 * 64); uniforms at both ends of [0, 1) in the first, a middle and the last row; a pair that
 * cannot be drawn in the first, a middle, the last row of a block and the tail.
 */
class DrawOfTwoEquivalenceTest {
    static final int[] ROWS = IntStream.concat(IntStream.rangeClosed(1, 17), IntStream.of(31, 32, 33, 63, 64, 65, 1021))
            .toArray();

    static Stream<DrawOfTwoCase> equivalenceCases() {
        return IntStream.of(ROWS).boxed().flatMap(rows -> Stream.of(
                new DrawOfTwoCase(rows, 0, 0, 0, DrawOfTwoCase.Edge.NONE, -1),
                new DrawOfTwoCase(rows, 3, 5, 2, DrawOfTwoCase.Edge.NONE, -1),
                new DrawOfTwoCase(rows, 1, 2, 1, DrawOfTwoCase.Edge.ZERO, -1),
                new DrawOfTwoCase(rows, 2, 1, 3, DrawOfTwoCase.Edge.LARGEST, -1),
                new DrawOfTwoCase(rows, 0, 3, 1, DrawOfTwoCase.Edge.NONE, 0),
                new DrawOfTwoCase(rows, 1, 0, 0, DrawOfTwoCase.Edge.NONE, rows / 2),
                new DrawOfTwoCase(rows, 2, 4, 2, DrawOfTwoCase.Edge.NONE, rows - 1)));
    }

    /** Several seeds per case: the special pairs, the values and the edge row move with the seed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("equivalenceCases")
    void vectorMatchesScalarAndDefinition(DrawOfTwoCase c) {
        for (long seed = 0; seed < 24; seed++) {
            c.assertEquivalent(seed * 7919 + c.rows());
        }
    }
}
