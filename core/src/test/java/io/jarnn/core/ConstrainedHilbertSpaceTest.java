package io.jarnn.core;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.jarnn.core.Rejections.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConstrainedHilbertSpaceTest {

    /** Sum of the values of row r. */
    private static double rowSum(Tensor t, int r) {
        double sum = 0;
        for (int i = 0; i < t.dim(1); i++) {
            sum += t.get(r, i);
        }
        return sum;
    }

    @Test
    void spinSectorFollowsNetKetsTotalSz() {
        HilbertSpace h = HilbertSpace.spin(0.5, 8, 0);
        assertTrue(h.isConstrained());
        assertEquals(0.0, h.constrainedTotal().getAsDouble());
        assertEquals(4, h.localIndexTotal(), "four sites at index 1 (value -1)");
        assertEquals(70, h.numberOfStates(), "C(8, 4)");
        assertEquals("Spin(s=1/2, total_sz=0, N=8)", h.toString());
        assertEquals("Spin(s=1, total_sz=-1, N=3)", HilbertSpace.spin(1, 3, -1).toString());
        assertEquals("Spin(s=1/2, total_sz=3/2, N=3)", HilbertSpace.spin(0.5, 3, 1.5).toString());
        // spin 1, N=3, Sz=-1: the 2m values {2,0,-2} must sum to -2; 6 of the 27 states.
        assertEquals(6, HilbertSpace.spin(1, 3, -1).numberOfStates());
        assertArrayEquals(new float[]{1, -1}, h.localValues(), "local values unchanged");
    }

    @Test
    void fockSectorFollowsNetKetsNParticles() {
        HilbertSpace h = HilbertSpace.fock(2, 5, 4);
        assertEquals(4, h.localIndexTotal());
        assertEquals(4.0, h.constrainedTotal().getAsDouble());
        assertEquals("Fock(n_max=2, n_particles=4, N=5)", h.toString());
        // occupations 0..2 on 5 sites adding to 4: coefficient of x^4 in (1+x+x^2)^5 = 45.
        assertEquals(45, h.numberOfStates());
        assertEquals(1, HilbertSpace.fock(3, 4, 12).numberOfStates(), "all sites full");
        assertEquals(1, HilbertSpace.fock(3, 4, 0).numberOfStates(), "vacuum");
    }

    @Test
    void enumerationIsTheFilteredUnconstrainedListInOrder() {
        for (HilbertSpace h : List.of(HilbertSpace.spin(0.5, 8, 0), HilbertSpace.spin(1, 4, 1),
                HilbertSpace.fock(2, 5, 4), HilbertSpace.fock(3, 3, 7))) {
            HilbertSpace free = h.kind().equals("spin") ? HilbertSpace.spin((h.localSize() - 1) / 2.0, h.size())
                    : HilbertSpace.fock(h.localSize() - 1, h.size());
            double target = h.kind().equals("spin") ? 2 * h.constrainedTotal().getAsDouble()
                    : h.constrainedTotal().getAsDouble();
            Tensor all = free.allConfigurations();
            Tensor sector = h.allConfigurations();
            assertEquals(h.numberOfStates(), sector.dim(0), h + ": rows vs numberOfStates");
            int r = 0;
            for (int row = 0; row < all.dim(0); row++) {
                if (rowSum(all, row) == target) {
                    for (int i = 0; i < h.size(); i++) {
                        assertEquals(all.get(row, i), sector.get(r, i), h + ": sector row " + r + " site " + i);
                    }
                    r++;
                }
            }
            assertEquals(r, sector.dim(0), h + ": sector size vs filtered count");
        }
    }

    @Test
    void randomConfigurationsAreUniformOverTheSector() {
        HilbertSpace h = HilbertSpace.fock(2, 5, 4);
        int draws = 90_000;
        Tensor t = h.randomConfigurations(draws, 7);
        Tensor all = h.allConfigurations();
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int r = 0; r < all.dim(0); r++) {
            index.put(key(all, r), r);
        }
        long[] counts = new long[all.dim(0)];
        for (int r = 0; r < draws; r++) {
            Integer c = index.get(key(t, r));
            assertTrue(c != null, "draw " + r + " is outside " + h + ": " + key(t, r));
            counts[c]++;
        }
        double expected = (double) draws / counts.length;
        double chi2 = 0;
        for (long c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        // 44 degrees of freedom: the 0.999 quantile is 78.7.
        assertTrue(chi2 < 78.7, "chi2 = " + chi2 + " with 44 degrees of freedom");
        assertArrayEquals(t.array(), h.randomConfigurations(draws, 7).array(), "reproducible from the seed");
    }

    private static String key(Tensor t, int r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < t.dim(1); i++) {
            b.append(t.get(r, i)).append(',');
        }
        return b.toString();
    }

    @Test
    void bigSectorsCountWithoutOverflowingEarly() {
        // Sz = -N/2 at N = 200: one state, although C(100, 50) prefixes of the middle overflow a long.
        assertEquals(1, HilbertSpace.spin(0.5, 200, -100).numberOfStates());
        assertEquals(Long.MAX_VALUE, HilbertSpace.spin(0.5, 200, 0).numberOfStates());
        Tensor t = HilbertSpace.spin(0.5, 2000, 0).randomConfigurations(3, 1);
        for (int r = 0; r < 3; r++) {
            assertEquals(0.0, rowSum(t, r), "row " + r + " of a large sector");
        }
    }

    @Test
    void unreachableTotalsAreRejected() {
        assertRejected(() -> HilbertSpace.spin(0.5, 3, 0), "totalSz", "-3/2", "3/2", "but got 0.0");
        assertRejected(() -> HilbertSpace.spin(0.5, 4, 2.5), "totalSz", "but got 2.5");
        assertRejected(() -> HilbertSpace.spin(1, 4, 0.5), "totalSz", "-4", "4", "but got 0.5");
        assertRejected(() -> HilbertSpace.spin(0.5, 4, Double.NaN), "totalSz", "NaN");
        assertRejected(() -> HilbertSpace.spin(500, 10_000_000, 0), "totalSz", "at most 2147483647", "but got 0.0");
        assertRejected(() -> HilbertSpace.fock(2, 5, 11), "nParticles", "0..10", "but got 11");
        assertRejected(() -> HilbertSpace.fock(2, 5, -1), "nParticles", "but got -1");
    }

    @Test
    void theConstraintTakesPartInEquality() {
        HilbertSpace free = HilbertSpace.spin(0.5, 4);
        HilbertSpace zero = HilbertSpace.spin(0.5, 4, 0);
        assertFalse(free.isConstrained());
        assertTrue(free.constrainedTotal().isEmpty());
        assertEquals(-1, free.localIndexTotal());
        assertNotEquals(free, zero);
        assertNotEquals(zero, HilbertSpace.spin(0.5, 4, 1));
        assertEquals(zero, HilbertSpace.spin(0.5, 4, 0));
        Set<HilbertSpace> set = new HashSet<>(List.of(free, zero, HilbertSpace.spin(0.5, 4, 0)));
        assertEquals(2, set.size());
        assertNotEquals(HilbertSpace.fock(2, 4), HilbertSpace.fock(2, 4, 3));
    }
}
