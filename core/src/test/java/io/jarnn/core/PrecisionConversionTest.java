package io.jarnn.core;

import static io.jarnn.core.Rejections.assertRejectedStatingTheBound;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Widening, narrowing and the {@link NdArray} view of both precisions. */
class PrecisionConversionTest {
    private static final double HALF_ULP_ABOVE_MAX = (double) Float.MAX_VALUE + Math.ulp(Float.MAX_VALUE) / 2.0;

    @Test
    void widenIsExactForEveryKindOfFloat() {
        float[] values = {0f, -0f, Float.MIN_VALUE, Float.MIN_NORMAL, 0.1f, -Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        Tensor64 wide = PrecisionConversion.widen(Tensor.wrap(values, 3, 3));
        assertArrayEquals(new int[] {3, 3}, wide.shape());
        for (int i = 0; i < values.length; i++) {
            assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(wide.getFlat(i)),
                    "element " + i);
        }
    }

    @Test
    void narrowRoundsToNearestAndKeepsInfinitiesAndNan() {
        double[] values = {0.1, -0.0, Double.MIN_VALUE, 1.0 + 0x1p-24, 1.0 + 0x1p-24 + 0x1p-40,
            Math.nextDown(HALF_ULP_ABOVE_MAX), Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
        float[] expected = {0.1f, -0f, 0f, 1f, Math.nextUp(1f), Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN};
        Tensor narrow = PrecisionConversion.narrow(Tensor64.wrap(values, 9));
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(narrow.getFlat(i)),
                    "element " + i + " (" + values[i] + ")");
        }
    }

    @Test
    void narrowRefusesAFiniteValueThatWouldBecomeInfiniteNamingTheElement() {
        Tensor64 view = Tensor64.wrap(new double[] {1e300, 1, 2, -HALF_ULP_ABOVE_MAX, 3, 4}, 3, 2).slice(1, 3);
        assertRejectedStatingTheBound(() -> PrecisionConversion.narrow(view),
                "array: element 1 (" + -HALF_ULP_ABOVE_MAX + ") is beyond float32 range", "keep it in float64");
        assertTrue(PrecisionConversion.overflowsFloat32(HALF_ULP_ABOVE_MAX));
        assertTrue(PrecisionConversion.overflowsFloat32(-Double.MAX_VALUE));
        assertFalse(PrecisionConversion.overflowsFloat32(Math.nextDown(HALF_ULP_ABOVE_MAX)));
        assertFalse(PrecisionConversion.overflowsFloat32(Double.POSITIVE_INFINITY));
        assertFalse(PrecisionConversion.overflowsFloat32(Double.NaN));
    }

    @Test
    void ndArrayConvertsOnlyWhenThePrecisionDiffers() {
        Tensor single = Tensor.wrap(new float[] {0.1f, -2}, 2);
        Tensor64 dbl = Tensor64.wrap(new double[] {0.1, -2}, 2);
        assertSame(single, single.toSinglePrecision());
        assertSame(single, single.to(DType.FLOAT32));
        assertSame(dbl, dbl.toDoublePrecision());
        assertSame(dbl, dbl.to(DType.FLOAT64));
        assertEquals(DType.FLOAT32, single.dtype());
        assertEquals(DType.FLOAT64, dbl.dtype());
        assertEquals((double) 0.1f, single.to(DType.FLOAT64).getDouble(0));
        assertEquals(0.1f, dbl.to(DType.FLOAT32).toSinglePrecision().getFlat(0));
        assertEquals(0.1, dbl.getDouble(0));
        NdArray view = Tensor64.wrap(new double[] {1, 2, 3, 4}, 2, 2).slice(1, 2);
        assertArrayEquals(new int[] {1, 2}, view.shape());
        assertEquals(2, view.size());
        assertEquals(3.0, view.getDouble(0), "getDouble counts from the view's offset");
        assertArrayEquals(new float[] {3, 4}, view.toSinglePrecision().toArray());
    }
}
