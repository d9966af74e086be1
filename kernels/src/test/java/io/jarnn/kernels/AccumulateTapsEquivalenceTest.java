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
 * {@link VectorKernels#accumulateTaps} must be BITWISE equal to the scalar reference: its
 * javadoc fixes one fused multiply-add per (tap, input) in ascending order for every output
 * element, so the register blocking (6x4, 4x4, 2x12, 2x8, 3x8, 2x4, 4x2 and 8x1 vectors, at 256 bits and below 6x2,
 * single rows, padded and masked column tails) may change nothing. Shapes straddle the lane count in every direction.
 */
class AccumulateTapsEquivalenceTest {
    private static final int LANES = VectorLanes.FLOATS.length();
    /**
     * 1..9 cover the 6-, 4- and 8-row blocks and every remainder; 12 = two 6-blocks, 16 = two
     * 6-blocks and a 4-block (a hidden layer's 16 outputs), 17 = two 8-blocks and a single row.
     * At 256 bits and below (the 6x2 tile) 8 and 9 run as 4 + 4 (+ 1) instead of 6 + 2 single
     * rows, and 14 and 15 as 6 + 4 + 4 (+ 1): a six-row block before the four-row ones.
     */
    private static final int[] ROWS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 14, 15, 16, 17};
    /**
     * Output widths around one, two and four vectors of the running species, so that the
     * 4-vector, 2-vector and 1-vector column blocks and both column tails are entered at every
     * vector width (fixed widths up to 48 never reached the 4-vector blocks at 16 lanes); and
     * around eight and twelve vectors, where two or three rows left below the tall blocks take
     * the 2 x 12, 2 x 8 and 3 x 8 tiles: just short of them, exactly, and with each remainder
     * (12 + 8 vectors and a column, two 2 x 12 tiles and 4 vectors and 3 columns).
     */
    static final int[] OUTS = IntStream.of(1, 2, 3, LANES - 1, LANES, LANES + 1, 2 * LANES - 1, 2 * LANES,
                    2 * LANES + 1, 3 * LANES + 2, 4 * LANES - 1, 4 * LANES, 4 * LANES + 1, 5 * LANES + 3,
                    8 * LANES - 1, 8 * LANES, 8 * LANES + 5, 12 * LANES - 1, 12 * LANES, 12 * LANES + 1,
                    20 * LANES + 1, 28 * LANES + 3)
            .filter(n -> n > 0).distinct().sorted().toArray();
    private static final int[] INS = {1, 3, 16};
    private static final int[] TAPS = {1, 2, 3};

    static List<Arguments> inTapsLayouts() {
        List<Arguments> list = new ArrayList<>();
        for (TapsCase.Layout layout : TapsCase.Layout.values()) {
            for (int in : INS) {
                for (int taps : TAPS) {
                    list.add(Arguments.of(in, taps, layout));
                }
            }
        }
        return list;
    }

    /** The cases of one (in, taps, layout): every (rows, out), in tight arrays and in padded ones. */
    static Stream<TapsCase> cases(int in, int taps, TapsCase.Layout layout) {
        return IntStream.of(ROWS).boxed().flatMap(rows -> IntStream.of(OUTS).boxed().flatMap(out -> Stream.of(
                // Tight arrays (masked tail loads) and padded ones (whole-vector tail loads).
                TapsCase.of(layout, rows, out, in, taps),
                TapsCase.of(layout, rows, out, in, taps, Kernels.OVERREAD_PADDING))));
    }

    /** Every case of this class, for {@link KernelCompletenessTest}. */
    static Stream<KernelCase> equivalenceCases() {
        return inTapsLayouts().stream().flatMap(a -> cases((Integer) a.get()[0], (Integer) a.get()[1],
                (TapsCase.Layout) a.get()[2]));
    }

    @ParameterizedTest(name = "in={0}, taps={1}, {2}")
    @MethodSource("inTapsLayouts")
    void vectorMatchesTheDocumentedFmaOrderBitForBit(int in, int taps, TapsCase.Layout layout) {
        cases(in, taps, layout).forEach(c -> c.assertEquivalent(0x7A95L * 31 + c.hashCode()));
    }

    @Test
    void largeShapesAreBitwiseEqualToo() {
        TapsCase.of(TapsCase.Layout.GAPS, 1021, 33, 3, 2).assertEquivalent(1021);
        TapsCase.of(TapsCase.Layout.CONVOLUTION, 1021, 17, 16, 3).assertEquivalent(1022);
        TapsCase.of(TapsCase.Layout.GAPS, 3, 1021, 3, 1).assertEquivalent(1023);
        TapsCase.of(TapsCase.Layout.PACKED_TAPS, 9, 1021, 1, 2).assertEquivalent(1024);
        TapsCase.of(TapsCase.Layout.FEATURE_MAJOR_CONVOLUTION, 16, 1021, 16, 3).assertEquivalent(1025);
    }

    @Test
    void startsFromTheCurrentValueOfY() {
        // 1 x 1 x 1 with y = 0.5: y = fma(x, w, 0.5), exactly representable.
        float[] x = {0, 3f};
        float[] w = {0, 0, 0.25f};
        for (Kernels k : List.<Kernels>of(ScalarKernels.INSTANCE, VectorKernels.INSTANCE)) {
            float[] y = {9f, 0.5f, 9f};
            k.accumulateTaps(x, 1, 1, 1, 1, 1, w, 2, 1, 1, y, 1, 1, 1, 1);
            assertEquals(0.5f + 3f * 0.25f, y[1], k.name() + ": y[1] = 0.5 + 3 * 0.25");
            assertEquals(9f, y[0], k.name() + ": guard before y");
            assertEquals(9f, y[2], k.name() + ": guard after y");
        }
    }
}
