package io.jarnn.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Every {@link BackwardKernels} method, vector against scalar, on shapes straddling the lane
 * count (rows and columns from {@link KernelEquivalence#SIZES}), non-zero offsets, strides wider
 * than the row, tight and padded outputs; see {@link BackwardCase} for the tolerances. The
 * backward products are accumulateTaps calls, checked in their layouts by
 * {@link AccumulateTapsEquivalenceTest} ({@code DENSE_INPUT_GRADIENT}, {@code DENSE_PANEL_GRADIENT},
 * {@code CONV_KERNEL_GRADIENT}, {@code CONVOLUTION}).
 */
class BackwardEquivalenceTest {
    private static final float[] MACHINE_POWS = {1f, 2f, 0.5f};

    static Stream<BackwardCase> equivalenceCases() {
        return Stream.of(BackwardCase.Kernel.values()).flatMap(k -> IntStream.of(KernelEquivalence.SIZES).boxed()
                .flatMap(size -> Stream.of(
                        // Long runs of elements (selu', sums along many rows), short normalisation rows.
                        new BackwardCase(k, 1, size, 2f, 6f, 0, 0, 0, 0),
                        new BackwardCase(k, size, normalisation(k) ? 2 : 3, MACHINE_POWS[size % 3], 6f, 3, 5, 2, 4),
                        new BackwardCase(k, size, normalisation(k) ? 5 : 17, MACHINE_POWS[(size + 1) % 3], 80f, 1, 2, 1, 0),
                        new BackwardCase(k, 3, size, 1f, 10f, 2, 1, 0, 3))));
    }

    private static boolean normalisation(BackwardCase.Kernel k) {
        return k == BackwardCase.Kernel.LOG_NORMALIZE_ROWS_BACKWARD
                || k == BackwardCase.Kernel.LOG_NORMALIZE_ROWS_BACKWARD_CHOSEN
                || k == BackwardCase.Kernel.LOG_NORMALIZE_COLUMNS_BACKWARD_CHOSEN;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("equivalenceCases")
    void vectorMatchesScalar(BackwardCase c) {
        c.assertEquivalent(31L * c.rows() + c.cols() + c.which().ordinal());
    }
}
