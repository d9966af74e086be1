package io.jarnn.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * {@link Kernels#logNormalizeRows} and {@link Kernels#probabilityColumns}: vector against scalar, and the scalar against the
 * definition in double, with the tolerances derived in {@link NormalisationCase}. Rows include
 * logits of +-80 with machine powers up to 3.7 (|p x| near 300): the maximum must be subtracted
 * before exp, and every distribution must still sum to one.
 */
class RowNormalisationEquivalenceTest {
    private static final int[] COLS = {1, 2, 3, 4, 5, 7, 16, 17, 33};
    private static final float[] MACHINE_POWS = {1f, 2f, 0.5f, 3.7f};

    static List<Arguments> shapes() {
        List<Arguments> list = new ArrayList<>();
        for (NormalisationCase.Kernel kernel : NormalisationCase.Kernel.values()) {
            for (int cols : COLS) {
                for (float p : MACHINE_POWS) {
                    list.add(Arguments.of(kernel, cols, p));
                }
            }
        }
        return list;
    }

    /**
     * For the row kernels, {@code size} columns and rows of every size in
     * {@link KernelEquivalence#SIZES}; for probabilityColumns the transposed layout the per-site
     * path uses, (localSize = size, batch), with the batch straddling the lane count.
     */
    static Stream<NormalisationCase> cases(NormalisationCase.Kernel kernel, int size, float p) {
        return IntStream.of(KernelEquivalence.SIZES).mapToObj(n -> {
            int slack = (n + size) % 2 == 0 ? 0 : 3;
            return kernel.byColumn()
                    ? new NormalisationCase(kernel, size, n, p, 6f, 3, 6, 2)
                    : new NormalisationCase(kernel, n, size, p, 6f, 3 + kernel.ordinal(), 5 - kernel.ordinal(), slack);
        });
    }

    static Stream<KernelCase> equivalenceCases() {
        return shapes().stream().flatMap(a -> cases((NormalisationCase.Kernel) a.get()[0], (Integer) a.get()[1],
                (Float) a.get()[2]));
    }

    @ParameterizedTest(name = "{0}, size={1}, p={2}")
    @MethodSource("shapes")
    void vectorMatchesScalarAndDouble(NormalisationCase.Kernel kernel, int size, float p) {
        cases(kernel, size, p).forEach(c -> c.assertEquivalent(c.rows() * 7919L + c.cols()));
    }
}
