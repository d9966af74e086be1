package io.jarnn.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link VectorKernels#accumulateTaps} must be BITWISE equal to the scalar reference: its
 * javadoc fixes one fused multiply-add per (tap, input) in ascending order for every output
 * element, so the register blocking (4x2 vectors, 8 rows, masked column tails, single rows)
 * may change nothing. Shapes straddle the lane count in every direction.
 */
class AccumulateTapsEquivalenceTest {
    /** 1..9 cover the 4- and 8-row blocks and every remainder; 17 = two 8-blocks and a single row. */
    private static final int[] ROWS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 17};
    /** Around one and two vectors of 16, 8 and 4 lanes (the 2-vector column block and its tails). */
    private static final int[] OUTS = {1, 2, 3, 15, 16, 17, 31, 32, 33, 48};
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

    @ParameterizedTest(name = "in={0}, taps={1}, {2}")
    @MethodSource("inTapsLayouts")
    void vectorMatchesTheDocumentedFmaOrderBitForBit(int in, int taps, TapsCase.Layout layout) {
        SplittableRandom random = new SplittableRandom(0x7A95L * 31 + in * 7L + taps * 131L + layout.ordinal());
        int checked = 0;
        for (int rows : ROWS) {
            for (int out : OUTS) {
                // Tight arrays (masked tail loads) and padded ones (whole-vector tail loads).
                TapsCase.of(layout, rows, out, in, taps).assertEquivalent(random);
                TapsCase.of(layout, rows, out, in, taps, Kernels.OVERREAD_PADDING).assertEquivalent(random);
                checked++;
            }
        }
        assertEquals(ROWS.length * OUTS.length, checked, "cases checked");
    }

    @Test
    void largeShapesAreBitwiseEqualToo() {
        SplittableRandom random = new SplittableRandom(1021);
        TapsCase.of(TapsCase.Layout.GAPS, 1021, 33, 3, 2).assertEquivalent(random);
        TapsCase.of(TapsCase.Layout.CONVOLUTION, 1021, 17, 16, 3).assertEquivalent(random);
        TapsCase.of(TapsCase.Layout.GAPS, 3, 1021, 3, 1).assertEquivalent(random);
        TapsCase.of(TapsCase.Layout.PACKED_TAPS, 9, 1021, 1, 2).assertEquivalent(random);
        TapsCase.of(TapsCase.Layout.FEATURE_MAJOR_CONVOLUTION, 16, 1021, 16, 3).assertEquivalent(random);
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
