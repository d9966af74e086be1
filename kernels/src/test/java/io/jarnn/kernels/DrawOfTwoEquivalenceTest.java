package io.jarnn.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Kernels#drawOfTwo}: vector against scalar bitwise, the scalar against
 * SplittableRandom's doubles and {@link TwoStateDraw#choose}; row counts straddle the lane
 * counts, with an invalid row at the start, inside a whole block, in the tail, or none.
 */
class DrawOfTwoEquivalenceTest {

    static Stream<DrawOfTwoCase> equivalenceCases() {
        return IntStream.of(KernelEquivalence.SIZES).boxed().flatMap(n -> Stream.of(
                new DrawOfTwoCase(n, 0, 0, 0, -1),
                new DrawOfTwoCase(n, 3, 5, 2, -1),
                new DrawOfTwoCase(n, 1, 0, 0, 0),
                new DrawOfTwoCase(n, 0, 2, 1, n / 2),
                new DrawOfTwoCase(n, 2, 1, 0, n - 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("equivalenceCases")
    void vectorMatchesScalarAndDefinition(DrawOfTwoCase c) {
        for (long seed = 0; seed < 4; seed++) {
            c.assertEquivalent(31L * c.rows() + c.badRow() + seed);
        }
    }

    /** SplitMix64 gives SplittableRandom's doubles, from states near 0, near the sign bit and random. */
    @Test
    void splitMixIsSplittableRandom() {
        SplittableRandom seeds = new SplittableRandom(3);
        long[] starts = {0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, seeds.nextLong(), seeds.nextLong()};
        for (long start : starts) {
            SplittableRandom jdk = new SplittableRandom(start);
            long state = start;
            for (int i = 0; i < 10_000; i++) {
                state += SplitMix64.GAMMA;
                assertEquals(jdk.nextDouble(), SplitMix64.uniform(state), "state " + start + ", value " + i);
            }
        }
    }
}
