package io.jarnn.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * {@link Kernels#drawColumns}: vector and scalar choose the same state in every column, and the
 * scalar its definition (see {@link DrawCase}). Columns straddle the double lane count (the
 * vector blocks and the scalar tail), for the local sizes of spin-1/2 up to a Fock space;
 * offsets are non-zero and the arrays tight or padded.
 */
class DrawEquivalenceTest {

    static Stream<DrawCase> equivalenceCases() {
        return IntStream.of(KernelEquivalence.SIZES).boxed().flatMap(cols -> IntStream.of(1, 2, 3, 5).mapToObj(
                rows -> new DrawCase(rows, cols, rows % 3, (cols + rows) % 4, rows % 2, cols % 2 == 0 ? 0 : 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("equivalenceCases")
    void vectorAndScalarChooseTheSameStates(DrawCase c) {
        c.assertEquivalent(31L * c.cols() + c.rows());
    }
}
