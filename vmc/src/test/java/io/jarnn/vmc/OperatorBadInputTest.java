package io.jarnn.vmc;

import io.jarnn.core.HilbertSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperatorBadInputTest {

    static void refused(String start, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), "expected a message starting '" + start + "' but got: "
                + e.getMessage());
    }

    @Test
    void constructionRefusals() {
        HilbertSpace spins = HilbertSpace.spin(0.5, 5);
        refused("hilbert: expected an unconstrained spin-1/2 space for the transverse-field Ising model",
                () -> new TransverseFieldIsing(HilbertSpace.spin(0.5, 4, 0), Lattice.chain(4, true), 1, 1));
        refused("hilbert: expected spin 1/2", () -> new TransverseFieldIsing(HilbertSpace.spin(1, 4),
                Lattice.chain(4, true), 1, 1));
        refused("hilbert: expected spin 1/2", () -> new Heisenberg(HilbertSpace.fock(1, 4), Lattice.chain(4, true), 1,
                false));
        refused("lattice: expected 5 sites", () -> new Heisenberg(spins, Lattice.chain(4, true), 1, false));
        refused("marshallSign: expected a bipartite lattice", () -> new Heisenberg(spins, Lattice.chain(5, true), 1, true));
        refused("hilbert: expected a Fock space", () -> new BoseHubbard(spins, Lattice.chain(5, true), 1, 1, 0));
        refused("J: expected a finite number", () -> new TransverseFieldIsing(spins, Lattice.chain(5, true),
                Double.NaN, 1));
        refused("h: expected a finite number", () -> new TransverseFieldIsing(spins, Lattice.chain(5, true), 1,
                Double.POSITIVE_INFINITY));
        refused("lattice: expected a lattice", () -> new TransverseFieldIsing(spins, null, 1, 1));
    }

    @Test
    void connectedRefusals() {
        HilbertSpace spins = HilbertSpace.spin(0.5, 3);
        Operator ising = new TransverseFieldIsing(spins, Lattice.chain(3, true), 1, 1);
        Connections small = new Connections(ising, 1);
        refused("out: expected Connections for 2 rows", () -> ising.connected(new double[6], 0, 2, small));
        refused("sigma: element [0, 1] is 0.0", () -> ising.connected(new double[] {1, 0, 1}, 0, 1, small));
        refused("sigma: expected 1 rows of 3 values from offset 1", () -> ising.connected(new double[] {1, 1, 1}, 1, 1,
                small));
        Operator bh = new BoseHubbard(HilbertSpace.fock(2, 3), Lattice.chain(3, true), 1, 1, 0);
        Connections c = new Connections(bh, 1);
        refused("sigma: element [0, 2] is 3.0", () -> bh.connected(new double[] {0, 1, 3}, 0, 1, c));
        refused("sigma: element [0, 0] is -1.0", () -> bh.connected(new double[] {-1, 1, 1}, 0, 1, c));
        Operator heis = new Heisenberg(HilbertSpace.spin(0.5, 4), Lattice.chain(4, true), 1, false);
        refused("out: expected Connections", () -> heis.connected(new double[4], 0, 1, new Connections(ising, 4)));
    }
}
