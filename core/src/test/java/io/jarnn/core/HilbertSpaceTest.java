package io.jarnn.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.jarnn.core.Rejections.assertRejected;
import static io.jarnn.core.Rejections.assertRejectedStatingTheBound;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HilbertSpaceTest {

    @Test
    void spinValuesFollowNetKetOrder() {
        assertArrayEquals(new float[]{1, -1}, HilbertSpace.spin(0.5, 3).localValues(), "spin 1/2");
        assertArrayEquals(new float[]{2, 0, -2}, HilbertSpace.spin(1, 3).localValues(), "spin 1");
        assertArrayEquals(new float[]{3, 1, -1, -3}, HilbertSpace.spin(1.5, 3).localValues(), "spin 3/2");
        assertArrayEquals(new float[]{4, 2, 0, -2, -4}, HilbertSpace.spin(2, 3).localValues(), "spin 2");
        HilbertSpace h = HilbertSpace.spin(0.5, 3);
        assertEquals(0, h.localIndex(1f), "value 1 is local index 0");
        assertEquals(1, h.localIndex(-1f));
        assertEquals(2, h.localSize());
        assertEquals(3, h.size());
        assertEquals("spin", h.kind());
        assertEquals("Spin(s=1/2, N=3)", h.toString());
        assertEquals("Spin(s=1, N=2)", HilbertSpace.spin(1, 2).toString());
    }

    @Test
    void fockAndExplicitValues() {
        HilbertSpace fock = HilbertSpace.fock(3, 4);
        assertArrayEquals(new float[]{0, 1, 2, 3}, fock.localValues());
        assertEquals(2, fock.localIndex(2f));
        assertEquals("fock", fock.kind());
        float[] values = {0.5f, -3f, 7f};
        HilbertSpace h = HilbertSpace.ofLocalValues(2, values);
        values[0] = 99f;
        assertArrayEquals(new float[]{0.5f, -3f, 7f}, h.localValues(), "the space keeps its own copy");
        h.localValues()[1] = 42f;
        assertEquals(-3f, h.localValue(1), "localValues() returns a copy");
        assertEquals(2, h.localIndex(7f));
        assertEquals(-1, h.localIndexOrNegative(Float.NaN));
        assertEquals(-1, h.localIndexOrNegative(0.25f));
    }

    @Test
    void allConfigurationsPutSiteZeroMostSignificant() {
        Tensor spins = HilbertSpace.spin(0.5, 2).allConfigurations();
        assertArrayEquals(new float[]{1, 1, 1, -1, -1, 1, -1, -1}, spins.toArray(), "spin 1/2, N = 2");
        assertArrayEquals(new int[]{4, 2}, spins.shape());

        Tensor spinOne = HilbertSpace.spin(1, 2).allConfigurations();
        assertArrayEquals(new int[]{9, 2}, spinOne.shape());
        // row 5 = 1 * 3 + 2: site 0 has index 1 (value 0), site 1 index 2 (value -2)
        assertArrayEquals(new float[]{0, -2}, spinOne.row(5).toArray());

        Tensor fock = HilbertSpace.fock(2, 3).allConfigurations();
        // row 7 = 0 * 9 + 2 * 3 + 1
        assertArrayEquals(new float[]{0, 2, 1}, fock.row(7).toArray());
        assertArrayEquals(new float[]{2, 2, 2}, fock.row(26).toArray());
        assertEquals(27, HilbertSpace.fock(2, 3).numberOfStates());
    }

    @Test
    void enumerationIsGuarded() {
        assertRejectedStatingTheBound(() -> HilbertSpace.spin(0.5, 21).allConfigurations(),
                "hilbert", "Spin(s=1/2, N=21)", "2097152 configurations", "at most 1048576");
        assertRejectedStatingTheBound(() -> HilbertSpace.spin(0.5, 200).allConfigurations(), "hilbert", "more than 2^63");
        assertRejectedStatingTheBound(() -> HilbertSpace.spin(0.5, 4).allConfigurations(15),
                "hilbert", "16 configurations", "at most 15");
        // However large the limit, the (count, N) tensor must fit in one array: no overflow.
        assertRejectedStatingTheBound(() -> HilbertSpace.spin(0.5, 62).allConfigurations(Long.MAX_VALUE),
                "hilbert", "4611686018427387904 configurations", "at most 34636832");
        assertEquals(16, HilbertSpace.spin(0.5, 4).allConfigurations(16).dim(0));
        assertEquals(1L << 62, HilbertSpace.spin(0.5, 62).numberOfStates());
        assertEquals(Long.MAX_VALUE, HilbertSpace.spin(0.5, 63).numberOfStates(), "2^63 does not fit in a long");
        assertEquals(Long.MAX_VALUE, HilbertSpace.fock(9, 100).numberOfStates());
    }

    @Test
    void randomConfigurationsAreReproducibleAndValid() {
        HilbertSpace h = HilbertSpace.spin(1.5, 7);
        Tensor a = h.randomConfigurations(500, 17);
        assertTrue(a.contentEquals(h.randomConfigurations(500, 17)), "same seed, same configurations");
        assertFalse(a.contentEquals(h.randomConfigurations(500, 18)), "another seed, other configurations");
        assertArrayEquals(new int[]{500, 7}, a.shape());
        assertEquals(500, h.requireConfigurations("a", a), "every entry is a local value");
        int[] counts = new int[h.localSize()];
        for (int idx : h.toLocalIndices(a)) {
            counts[idx]++;
        }
        for (int k = 0; k < counts.length; k++) {
            // 3500 draws, 875 expected per value; 6 sigma is about 154.
            assertTrue(Math.abs(counts[k] - 875) < 160, "local value " + h.localValue(k) + " drawn " + counts[k] + " times");
        }
        assertRejected(() -> h.randomConfigurations(0, 1), "batch", ">= 1", "0");
    }

    @Test
    void requireConfigurationsNamesTheArgumentAndThePosition() {
        HilbertSpace h = HilbertSpace.spin(0.5, 3);
        assertRejected(() -> h.requireConfigurations("sigma", null), "sigma", "null");
        assertRejected(() -> h.requireConfigurations("sigma", Tensor.zeros(3)), "sigma", "(batch, 3)", "(3,)");
        assertRejected(() -> h.requireConfigurations("sigma", Tensor.zeros(2, 4)), "sigma", "(2, 4)");
        Tensor bad = Tensor.copyOf(new float[]{1, 1, -1, -1, 0.5f, 1}, 2, 3);
        assertRejected(() -> h.requireConfigurations("sigma", bad), "sigma", "[1, 1]", "0.5", "[1.0, -1.0]");
        assertRejected(() -> h.localIndex(0f), "value", "[1.0, -1.0]", "0.0");
        assertRejected(() -> h.localValue(2), "index", "0..1", "2");
        // A view is checked over its own elements only.
        Tensor view = Tensor.copyOf(new float[]{0, 0, 0, 1, -1, 1}, 2, 3).row(1).reshape(1, 3);
        assertEquals(1, h.requireConfigurations("view", view));
        assertArrayEquals(new int[]{0, 1, 0}, h.toLocalIndices(view));
    }

    /**
     * The block scan of firstNonLocalValue against the element-wise definition: one non-local
     * value planted at block edges (4096 elements per block) of arrays of local values, for two,
     * three and five local values, in float32 and float64.
     */
    @Test
    void firstNonLocalValueFindsTheFirstBadElementInEveryBlock() {
        float nan = Float.intBitsToFloat(0xFFC00000); // a NaN with its sign bit set, as x86 makes them
        float[] bad = {0.5f, Math.nextUp(1f), Float.NaN, nan, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.MIN_VALUE, -Float.MIN_VALUE, 1e30f, 3f};
        int[] positions = {0, 1, 4095, 4096, 4097, 8191, 9000, 9999};
        for (HilbertSpace h : new HilbertSpace[]{HilbertSpace.spin(0.5, 10), HilbertSpace.spin(1, 10),
                HilbertSpace.fock(4, 10)}) {
            float[] good = h.randomConfigurations(1000, 3).array();
            assertEquals(-1, h.firstNonLocalValue(good, 0, good.length), h + ": all local");
            for (int p : positions) {
                for (float b : bad) {
                    if (h.localIndexOrNegative(b) >= 0) {
                        continue; // 3 is a Fock state
                    }
                    float[] a = good.clone();
                    a[p] = b;
                    a[Math.min(p + 7, a.length - 1)] = b; // a later one must not be reported
                    assertEquals(p, h.firstNonLocalValue(a, 0, a.length), h + ": " + b + " at " + p);
                    int fromOne = p >= 1 ? p - 1 : Math.min(p + 7, a.length - 1) - 1; // the later one when p is before it
                    assertEquals(fromOne, h.firstNonLocalValue(a, 1, a.length - 1), h + ": " + b + " at " + p + ", offset 1");
                    double[] wide = new double[a.length];
                    for (int i = 0; i < a.length; i++) {
                        wide[i] = a[i];
                    }
                    assertEquals(p, h.firstNonLocalValue(wide, 0, wide.length), h + ": float64 " + b + " at " + p);
                }
                double[] wide = new double[good.length];
                for (int i = 0; i < good.length; i++) {
                    wide[i] = good[i];
                }
                wide[p] = 1 + 1e-12; // a double that is no float: no local value either
                assertEquals(p, h.firstNonLocalValue(wide, 0, wide.length), h + ": 1 + 1e-12 at " + p);
            }
            float[] zeros = new float[5000];
            java.util.Arrays.fill(zeros, -0f);
            assertEquals(h.localIndexOrNegative(0f) >= 0 ? -1 : 0, h.firstNonLocalValue(zeros, 0, zeros.length),
                    h + ": -0 is the local value 0 where there is one");
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.3, 0, -0.5, 0.75, Double.NaN, 501})
    void spinMustBeAPositiveHalfInteger(double s) {
        assertRejected(() -> HilbertSpace.spin(s, 2), "s", "multiple of 1/2", String.valueOf(s));
    }

    @Test
    void fockNeedsAtLeastOneQuantum() {
        assertRejected(() -> HilbertSpace.fock(0, 2), "nMax", "got 0");
        assertRejected(() -> HilbertSpace.fock(-3, 2), "nMax", "got -3");
    }

    @Test
    void explicitValuesMustBeDistinctFiniteAndAtLeastTwo() {
        assertRejected(() -> HilbertSpace.ofLocalValues(2, 1f, 2f, 1f), "values", "distinct", "1.0");
        assertRejected(() -> HilbertSpace.ofLocalValues(2, 0f, -0f), "values", "distinct");
        assertRejected(() -> HilbertSpace.ofLocalValues(2, 1f, Float.NaN), "values", "finite", "NaN");
        assertRejected(() -> HilbertSpace.ofLocalValues(2, 1f, Float.NEGATIVE_INFINITY), "values", "finite");
        assertRejected(() -> HilbertSpace.ofLocalValues(2, 1f), "values", "at least 2", "[1.0]");
        assertRejected(() -> HilbertSpace.ofLocalValues(2, (float[]) null), "values", "null");
    }

    @Test
    void equalSpacesHaveEqualSitesAndValues() {
        assertEquals(HilbertSpace.spin(0.5, 3), HilbertSpace.spin(0.5, 3));
        assertEquals(HilbertSpace.spin(0.5, 3).hashCode(), HilbertSpace.spin(0.5, 3).hashCode());
        assertNotEquals(HilbertSpace.spin(0.5, 3), HilbertSpace.spin(0.5, 4));
        assertNotEquals(HilbertSpace.spin(0.5, 3), HilbertSpace.fock(1, 3));
    }
}
