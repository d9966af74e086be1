package io.jarnn.vmc;

import io.jarnn.core.HilbertSpace;
import org.junit.jupiter.api.Test;

import static io.jarnn.vmc.DenseOperators.X;
import static io.jarnn.vmc.DenseOperators.XZ;
import static io.jarnn.vmc.DenseOperators.Z;
import static io.jarnn.vmc.DenseOperators.addScaled;
import static io.jarnn.vmc.DenseOperators.annihilation;
import static io.jarnn.vmc.DenseOperators.maxAbsDifference;
import static io.jarnn.vmc.DenseOperators.onSite;
import static io.jarnn.vmc.DenseOperators.times;
import static io.jarnn.vmc.DenseOperators.transpose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each operator's matrix (through connected) against a dense Kronecker construction. */
class OperatorMatrixTest {

    static void assertSameMatrix(double[][] expected, double[][] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": dimension");
        double diff = maxAbsDifference(expected, actual);
        assertTrue(diff < 1e-13, what + ": max |H - dense| = " + diff);
        assertTrue(maxAbsDifference(actual, transpose(actual)) == 0, what + ": not symmetric");
    }

    static double[][] ising(Lattice lattice, double j, double h) {
        int n = lattice.sites();
        double[][] m = new double[1 << n][1 << n];
        for (int[] b : lattice.bonds()) {
            addScaled(m, -j, times(onSite(Z, b[0], n), onSite(Z, b[1], n)));
        }
        for (int i = 0; i < n; i++) {
            addScaled(m, -h, onSite(X, i, n));
        }
        return m;
    }

    static double[][] heisenberg(Lattice lattice, double j, boolean marshall) {
        int n = lattice.sites();
        double[][] m = new double[1 << n][1 << n];
        for (int[] b : lattice.bonds()) {
            addScaled(m, j, times(onSite(Z, b[0], n), onSite(Z, b[1], n)));
            addScaled(m, j, times(onSite(X, b[0], n), onSite(X, b[1], n)));
            addScaled(m, -j, times(onSite(XZ, b[0], n), onSite(XZ, b[1], n))); // Y Y = -(XZ)(XZ)
        }
        if (marshall) { // U H U with U = prod over sublattice 1 of Z
            double[][] u = DenseOperators.identity(1 << n);
            for (int i = 0; i < n; i++) {
                if (lattice.sublattice(i) == 1) {
                    u = times(u, onSite(Z, i, n));
                }
            }
            m = times(times(u, m), u);
        }
        return m;
    }

    static double[][] boseHubbard(Lattice lattice, int nMax, double t, double u, double mu) {
        int n = lattice.sites();
        int d = 1;
        for (int i = 0; i < n; i++) {
            d *= nMax + 1;
        }
        double[][] m = new double[d][d];
        double[][] b = annihilation(nMax);
        double[][] bd = transpose(b);
        for (int[] bond : lattice.bonds()) {
            addScaled(m, -t, times(onSite(bd, bond[0], n), onSite(b, bond[1], n)));
            addScaled(m, -t, times(onSite(bd, bond[1], n), onSite(b, bond[0], n)));
        }
        for (int i = 0; i < n; i++) {
            double[][] num = times(onSite(bd, i, n), onSite(b, i, n));
            addScaled(m, u / 2, times(num, num));
            addScaled(m, -u / 2, num);
            addScaled(m, -mu, num);
        }
        return m;
    }

    @Test
    void isingMatchesPauliMatrices() {
        for (Lattice lattice : new Lattice[] {Lattice.chain(5, false), Lattice.chain(5, true), Lattice.chain(2, true),
                Lattice.square(2, true)}) {
            HilbertSpace hi = HilbertSpace.spin(0.5, lattice.sites());
            assertSameMatrix(ising(lattice, 0.7, 1.3),
                    ExactDiagonalization.denseMatrix(new TransverseFieldIsing(hi, lattice, 0.7, 1.3)), "ising " + lattice);
        }
    }

    @Test
    void zOfValuePlusOneIsPlusOne() {
        // NetKet: local value +1 (index 0) is Z's +1 eigenstate, so -J Z0 Z1 on (+1, -1) is +J.
        HilbertSpace hi = HilbertSpace.spin(0.5, 2);
        TransverseFieldIsing op = new TransverseFieldIsing(hi, Lattice.chain(2, false), 1, 0);
        Connections c = new Connections(op, 2);
        op.connected(new double[] {1, -1, 1, 1}, 0, 2, c);
        assertEquals(1.0, c.elements()[0]);
        assertEquals(-1.0, c.elements()[c.maxConnections()]);
    }

    @Test
    void heisenbergMatchesPauliMatrices() {
        for (Lattice lattice : new Lattice[] {Lattice.chain(5, false), Lattice.chain(6, true), Lattice.chain(5, true),
                Lattice.square(2, true)}) {
            HilbertSpace hi = HilbertSpace.spin(0.5, lattice.sites());
            assertSameMatrix(heisenberg(lattice, 0.8, false),
                    ExactDiagonalization.denseMatrix(new Heisenberg(hi, lattice, 0.8, false)), "heisenberg " + lattice);
            if (lattice.isBipartite()) {
                assertSameMatrix(heisenberg(lattice, 0.8, true),
                        ExactDiagonalization.denseMatrix(new Heisenberg(hi, lattice, 0.8, true)),
                        "heisenberg marshall " + lattice);
            }
        }
    }

    @Test
    void heisenbergOnASectorIsTheRestriction() {
        Lattice lattice = Lattice.chain(6, true);
        HilbertSpace full = HilbertSpace.spin(0.5, 6);
        HilbertSpace sector = HilbertSpace.spin(0.5, 6, 1.0);
        double[][] h = ExactDiagonalization.denseMatrix(new Heisenberg(full, lattice, 1, false));
        double[][] hs = ExactDiagonalization.denseMatrix(new Heisenberg(sector, lattice, 1, false));
        assertEquals(15, hs.length);
        assertRestriction(h, full, hs, sector);
    }

    static void assertRestriction(double[][] h, HilbertSpace full, double[][] hs, HilbertSpace sector) {
        StateIndex fi = new StateIndex(full, 1 << 16);
        StateIndex si = new StateIndex(sector, 1 << 16);
        int n = full.size();
        double[] a = new double[n];
        double[] b = new double[n];
        for (int s = 0; s < si.dim(); s++) {
            si.configuration(s, a, 0);
            for (int t = 0; t < si.dim(); t++) {
                si.configuration(t, b, 0);
                assertEquals(h[fi.indexOf(a, 0)][fi.indexOf(b, 0)], hs[s][t], 1e-14, "element " + s + ", " + t);
            }
        }
    }

    @Test
    void boseHubbardMatchesBosonMatrices() {
        for (Lattice lattice : new Lattice[] {Lattice.chain(3, false), Lattice.chain(4, true), Lattice.square(2, false)}) {
            HilbertSpace hi = HilbertSpace.fock(2, lattice.sites());
            assertSameMatrix(boseHubbard(lattice, 2, 0.9, 1.7, 0.4),
                    ExactDiagonalization.denseMatrix(new BoseHubbard(hi, lattice, 0.9, 1.7, 0.4)), "bose-hubbard " + lattice);
        }
        Lattice ring = Lattice.chain(3, true);
        assertSameMatrix(boseHubbard(ring, 3, 1.1, 2.0, -0.3),
                ExactDiagonalization.denseMatrix(new BoseHubbard(HilbertSpace.fock(3, 3), ring, 1.1, 2.0, -0.3)),
                "bose-hubbard nMax 3");
        double[][] h = boseHubbard(ring, 3, 1.1, 2.0, -0.3);
        double[][] hs = ExactDiagonalization.denseMatrix(new BoseHubbard(HilbertSpace.fock(3, 3, 3), ring, 1.1, 2.0, -0.3));
        assertRestriction(h, HilbertSpace.fock(3, 3), hs, HilbertSpace.fock(3, 3, 3));
    }
}
