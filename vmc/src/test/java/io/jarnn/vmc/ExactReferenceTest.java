package io.jarnn.vmc;

import io.jarnn.core.HilbertSpace;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lanczos, the free-fermion Ising chain and dense diagonalisation held to each other. */
class ExactReferenceTest {

    static double lanczos(Operator op) {
        return ExactDiagonalization.lanczos(op).energy();
    }

    static double denseGround(Operator op) {
        return ExactDiagonalization.eigenvalues(ExactDiagonalization.denseMatrix(op))[0];
    }

    @Test
    void isingChainClosedFormAgreesWithLanczos() {
        double worst = 0;
        for (int n = 8; n <= 14; n++) {
            for (boolean periodic : new boolean[] {false, true}) {
                for (double h : new double[] {0.5, 1, 2}) {
                    Lattice chain = Lattice.chain(n, periodic);
                    double exact = TransverseFieldIsingExact.groundStateEnergy(n, periodic, 1, h);
                    double ed = lanczos(new TransverseFieldIsing(HilbertSpace.spin(0.5, n), chain, 1, h));
                    double rel = Math.abs(exact - ed) / Math.abs(exact);
                    worst = Math.max(worst, rel);
                    assertEquals(exact, ed, 1e-9 * Math.abs(exact), chain + " h=" + h);
                }
            }
        }
        System.out.println("TFIM closed form vs Lanczos, N=8..14, h=0.5,1,2, open+periodic: worst relative "
                + worst);
    }

    @Test
    void isingClosedFormOtherCouplings() {
        // negative h, negative J on an even ring, J != 1
        for (double[] jh : new double[][] {{1, -0.7}, {-1, 0.7}, {2.5, 1.5}}) {
            for (boolean periodic : new boolean[] {false, true}) {
                int n = 6;
                double exact = TransverseFieldIsingExact.groundStateEnergy(n, periodic, jh[0], jh[1]);
                double dense = denseGround(new TransverseFieldIsing(HilbertSpace.spin(0.5, n),
                        Lattice.chain(n, periodic), jh[0], jh[1]));
                assertEquals(dense, exact, 1e-12, "J=" + jh[0] + " h=" + jh[1] + " periodic=" + periodic);
            }
        }
        assertEquals(-3.0, TransverseFieldIsingExact.groundStateEnergy(3, true, 1, 0), 1e-15);
        assertEquals(-1.0, TransverseFieldIsingExact.groundStateEnergy(1, false, 5, 1), 1e-15);
    }

    @Test
    void lanczosAgreesWithDenseOnTinySystems() {
        Operator[] ops = {
            new TransverseFieldIsing(HilbertSpace.spin(0.5, 7), Lattice.chain(7, true), 1, 0.8),
            new TransverseFieldIsing(HilbertSpace.spin(0.5, 9), Lattice.square(3, true), 1, 3.0),
            new Heisenberg(HilbertSpace.spin(0.5, 8), Lattice.chain(8, true), 1, false),
            new Heisenberg(HilbertSpace.spin(0.5, 9, 0.5), Lattice.square(3, false), 1, true),
            new Heisenberg(HilbertSpace.spin(0.5, 7), Lattice.chain(7, true), 1, false),
            new BoseHubbard(HilbertSpace.fock(3, 5), Lattice.chain(5, true), 1, 4, 0.5),
            new BoseHubbard(HilbertSpace.fock(3, 6, 6), Lattice.chain(6, true), 1, 2, 0),
        };
        for (Operator op : ops) {
            double dense = denseGround(op);
            ExactDiagonalization.GroundState gs = ExactDiagonalization.lanczos(op);
            assertEquals(dense, gs.energy(), 1e-10 * Math.max(1, Math.abs(dense)), op.describe());
            assertTrue(gs.residual() <= 1e-11 * Math.max(1, Math.abs(dense)), op.describe() + " residual " + gs.residual());
        }
    }

    @Test
    void heisenbergKnownEnergies() {
        // Four-site ring: J sum S_i.S_{i+1} = (J/2)[S_tot^2 - S_A^2 - S_B^2] with A = {0, 2}, B = {1, 3};
        // the ground state has S_tot = 0, S_A = S_B = 1: (J/2)(0 - 2 - 2) = -2J in spin operators,
        // and sigma = 2 S makes it 4 (-2J) = -8J in NetKet's Pauli convention.
        assertEquals(-8.0, lanczos(new Heisenberg(HilbertSpace.spin(0.5, 4), Lattice.chain(4, true), 1, false)), 1e-12);
        assertEquals(-8.0, lanczos(new Heisenberg(HilbertSpace.spin(0.5, 4, 0), Lattice.chain(4, true), 1, true)), 1e-12);
        // Two sites: the singlet, S.S = -3/4, i.e. -3 in Pauli convention.
        assertEquals(-3.0, lanczos(new Heisenberg(HilbertSpace.spin(0.5, 2), Lattice.chain(2, true), 1, false)), 1e-12);
        // N = 10 chains (spin-operator values, times 4): open -4.258035207, periodic -4.515446354.
        assertEquals(4 * -4.258035207, lanczos(new Heisenberg(HilbertSpace.spin(0.5, 10, 0), Lattice.chain(10, false),
                1, true)), 4e-9);
        assertEquals(4 * -4.515446354, lanczos(new Heisenberg(HilbertSpace.spin(0.5, 10), Lattice.chain(10, true),
                1, false)), 4e-9);
        // 4 x 4 periodic square, total_sz = 0 (12870 states): -11.228483208 J in spin operators.
        assertEquals(4 * -11.228483208, lanczos(new Heisenberg(HilbertSpace.spin(0.5, 16, 0), Lattice.square(4, true),
                1, true)), 4e-9);
    }

    /**
     * A basis far smaller than the iterations needed forces many thick restarts: the critical
     * Ising chain N = 16 (65,536 states, a gap of about 0.2) with 6 and 10 vectors still gives the
     * free-fermion energy to 1e-10 relative, as does the default basis.
     */
    @Test
    void thickRestartsConvergeWithASmallBasis() {
        for (boolean periodic : new boolean[] {false, true}) {
            TransverseFieldIsing op = new TransverseFieldIsing(HilbertSpace.spin(0.5, 16), Lattice.chain(16, periodic), 1, 1);
            double exact = TransverseFieldIsingExact.groundStateEnergy(16, periodic, 1, 1);
            for (int basis : new int[] {6, 10, 0}) {
                ExactDiagonalization.GroundState g = ExactDiagonalization.lanczos(op, 1L << 16, 1e-11, 3, basis);
                if (basis > 0) {
                    assertTrue(g.matrixVectorProducts() > 2 * basis, "restarts: " + g.matrixVectorProducts() + " products");
                }
                assertEquals(exact, g.energy(), 1e-10 * Math.abs(exact), "basis " + basis + ", periodic " + periodic
                        + ", " + g.matrixVectorProducts() + " products, residual " + g.residual());
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExactDiagonalization.lanczos(
                new TransverseFieldIsing(HilbertSpace.spin(0.5, 4), Lattice.chain(4, false), 1, 1), 16, 1e-11, 1, 2));
        assertTrue(e.getMessage().startsWith("maxBasis: expected >= 3"), e.getMessage());
    }

    @Test
    void closedFormRefusals() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransverseFieldIsingExact.groundStateEnergy(2, true, 1, 1));
        assertTrue(e.getMessage().startsWith("n: expected at least 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TransverseFieldIsingExact.groundStateEnergy(5, true, -1, 1));
        assertTrue(e.getMessage().startsWith("J: expected J >= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ExactDiagonalization.lanczos(new TransverseFieldIsing(HilbertSpace.spin(0.5, 12),
                        Lattice.chain(12, false), 1, 1), 1000, 1e-11, 1));
        assertTrue(e.getMessage().startsWith("hilbert: expected at most 1000 states"), e.getMessage());
    }
}
