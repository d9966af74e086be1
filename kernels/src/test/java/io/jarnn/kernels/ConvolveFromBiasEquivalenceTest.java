package io.jarnn.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link VectorKernels#convolveFromBias} must be BITWISE equal to the scalar reference on both of
 * its paths: the short reductions (one or two (tap, input) terms: a first layer's one input and
 * one or two taps) and the longer ones it hands to the register tiles from rows set to the bias.
 * Column counts straddle one and four vectors, so the 4-vector loop, the 1-vector loop and the
 * scalar tail are all entered, and the blocks of four vectors from the bias end on a whole
 * block or on one moved back over the block before it (9 vectors less 3 columns); dilated taps
 * overlap the windows as the planar forward reads them.
 */
class ConvolveFromBiasEquivalenceTest {
    private static final int LANES = VectorLanes.FLOATS.length();
    /**
     * 2, 4, 6, 8, 10, 12, 14, 16: whole blocks of six, four and two rows ({@link PlanarPanels});
     * 1, 3, 5, 7, 9, 17: blocks and a row left to the fill-and-accumulate path.
     */
    private static final int[] ROWS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 17};
    static final int[] COLS = IntStream.of(1, 2, 3, LANES - 1, LANES, LANES + 1, 4 * LANES - 1, 4 * LANES,
                    4 * LANES + 1, 5 * LANES + 3, 8 * LANES, 9 * LANES - 3)
            .filter(n -> n > 0).distinct().sorted().toArray();
    private static final int[] INS = {1, 2, 3, 16};
    private static final int[] TAPS = {1, 2, 3};
    private static final int[] TAP_STRIDES = {1, 2, 3};

    static List<Arguments> inTaps() {
        List<Arguments> list = new ArrayList<>();
        for (int in : INS) {
            for (int taps : TAPS) {
                for (int tapStride : TAP_STRIDES) {
                    list.add(Arguments.of(in, taps, tapStride));
                }
            }
        }
        return list;
    }

    static Stream<ConvolveFromBiasCase> cases(int in, int taps, int tapStride) {
        return IntStream.of(ROWS).boxed().flatMap(rows -> IntStream.of(COLS).boxed().flatMap(cols -> Stream.of(
                ConvolveFromBiasCase.of(rows, cols, in, taps, tapStride, 0),
                ConvolveFromBiasCase.of(rows, cols, in, taps, tapStride, Kernels.OVERREAD_PADDING))));
    }

    /** Every case of this class, for {@link KernelCompletenessTest}. */
    static Stream<KernelCase> equivalenceCases() {
        return inTaps().stream().flatMap(a -> cases((Integer) a.get()[0], (Integer) a.get()[1], (Integer) a.get()[2]));
    }

    @ParameterizedTest(name = "in={0}, taps={1}, tapStride={2}")
    @MethodSource("inTaps")
    void vectorMatchesTheDocumentedFmaOrderBitForBit(int in, int taps, int tapStride) {
        cases(in, taps, tapStride).forEach(c -> c.assertEquivalent(0x5EEDL * 31 + c.hashCode()));
    }

    @Test
    void aLongFirstLayerRowIsBitwiseEqualToo() {
        ConvolveFromBiasCase.of(16, 1021, 1, 2, 1, 0).assertEquivalent(1021);
        ConvolveFromBiasCase.of(2, 1021, 16, 3, 2, 0).assertEquivalent(1022);
    }

    @Test
    void startsFromTheBiasNotFromY() {
        // 1 x 1, one term: y = fma(0.25, 3, 0.5), exactly representable; y's old value is ignored.
        float[] w = {0, 0.25f};
        float[] bias = {0.5f};
        float[] x = {0, 0, 3f};
        for (Kernels k : List.<Kernels>of(ScalarKernels.INSTANCE, VectorKernels.INSTANCE)) {
            float[] y = {9f, 7f, 9f};
            k.convolveFromBias(w, 1, 1, new float[] {0.25f}, 1, 1, bias, 0, x, 2, 1, 1, y, 1, 1, 1, 1);
            assertEquals(0.5f + 3f * 0.25f, y[1], k.name() + ": y[1] = 0.5 + 3 * 0.25");
            assertEquals(9f, y[0], k.name() + ": guard before y");
            assertEquals(9f, y[2], k.name() + ": guard after y");
        }
    }
}
