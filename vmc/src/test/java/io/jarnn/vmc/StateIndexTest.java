package io.jarnn.vmc;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import org.junit.jupiter.api.Test;

import static io.jarnn.vmc.OperatorBadInputTest.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The numbering of states is HilbertSpace.allConfigurations' (NetKet's) order, sectors included. */
class StateIndexTest {

    @Test
    void numbersStatesInEnumerationOrder() {
        for (HilbertSpace hi : new HilbertSpace[] {HilbertSpace.spin(0.5, 7), HilbertSpace.spin(0.5, 8, 1),
                HilbertSpace.spin(1, 5), HilbertSpace.spin(1.5, 4, -1), HilbertSpace.fock(3, 4),
                HilbertSpace.fock(2, 6, 5), HilbertSpace.fock(4, 3, 12)}) {
            Tensor all = hi.allConfigurations();
            StateIndex index = new StateIndex(hi, 1 << 20);
            int n = hi.size();
            assertEquals(all.dim(0), index.dim(), hi + ": number of states");
            double[] row = new double[n + 2];
            for (int s = 0; s < index.dim(); s++) {
                index.configuration(s, row, 2);
                for (int i = 0; i < n; i++) {
                    assertEquals(all.get(s, i), row[2 + i], 0.0, hi + ": state " + s + " site " + i);
                }
                assertEquals(s, index.indexOf(row, 2), hi + ": index of state " + s);
            }
        }
    }

    @Test
    void configurationsOutsideTheSpaceHaveNoIndex() {
        StateIndex sector = new StateIndex(HilbertSpace.spin(0.5, 4, 0), 100);
        assertEquals(-1, sector.indexOf(new double[] {1, 1, 1, -1}, 0));
        assertEquals(-1, sector.indexOf(new double[] {-1, -1, -1, -1}, 0));
        assertEquals(-1, sector.indexOf(new double[] {1, 0.5, -1, -1}, 0));
        StateIndex fock = new StateIndex(HilbertSpace.fock(2, 3), 100);
        assertEquals(-1, fock.indexOf(new double[] {0, 3, 0}, 0));
        assertEquals(26, fock.indexOf(new double[] {2, 2, 2}, 0));
        refused("hilbert: expected at most 10 states", () -> new StateIndex(HilbertSpace.spin(0.5, 4), 10));
    }
}
