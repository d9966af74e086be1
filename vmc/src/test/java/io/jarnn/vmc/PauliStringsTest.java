package io.jarnn.vmc;

import io.jarnn.core.HilbertSpace;
import org.junit.jupiter.api.Test;

import static io.jarnn.vmc.DenseOperators.X;
import static io.jarnn.vmc.DenseOperators.XZ;
import static io.jarnn.vmc.DenseOperators.Z;
import static io.jarnn.vmc.DenseOperators.addScaled;
import static io.jarnn.vmc.DenseOperators.onSite;
import static io.jarnn.vmc.DenseOperators.times;
import static io.jarnn.vmc.OperatorBadInputTest.refused;
import static io.jarnn.vmc.OperatorMatrixTest.assertSameMatrix;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PauliStringsTest {
    static final HilbertSpace SPINS = HilbertSpace.spin(0.5, 4);

    static double[][] matrix(String text) {
        return ExactDiagonalization.denseMatrix(PauliStrings.parse(SPINS, text));
    }

    @Test
    void zHasNetKetsSign() {
        // value +1 (NetKet's local index 0, "up") is Z's +1 eigenstate
        PauliStrings z0 = PauliStrings.parse(SPINS, "Z0");
        Connections c = new Connections(z0, 2);
        z0.connected(new double[] {1, 1, 1, 1, -1, 1, 1, 1}, 0, 2, c);
        assertEquals(1.0, c.elements()[0]);
        assertEquals(-1.0, c.elements()[c.maxConnections()]);
        assertSameMatrix(onSite(Z, 0, 4), matrix("Z0"), "Z0");
    }

    @Test
    void singleFactorsAndProductsMatchDenseMatrices() {
        int n = 4;
        double[][] expected = new double[16][16];
        addScaled(expected, -1.0, times(onSite(Z, 0, n), onSite(Z, 1, n)));
        addScaled(expected, -0.5, onSite(X, 3, n));
        addScaled(expected, -0.25, times(onSite(XZ, 0, n), onSite(XZ, 1, n))); // 0.25 Y0 Y1 = -0.25 (XZ)(XZ)
        assertSameMatrix(expected, matrix("-1.0 Z0 Z1\n-0.5 X3\n0.25 Y0 Y1"), "newlines");
        assertSameMatrix(expected, matrix("-1.0 Z0 Z1; -0.5 X3; 0.25 Y0 Y1"), "semicolons");
        assertSameMatrix(expected, matrix("-1.0 Z0*Z1 - 0.5 X3 + 0.25 y0 y1"), "signs");
        // Y0 Z1 Y2: (i XZ)_0 Z_1 (i XZ)_2 = -(XZ)_0 Z_1 (XZ)_2, real
        double[][] yzy = times(times(onSite(XZ, 0, n), onSite(Z, 1, n)), onSite(XZ, 2, n));
        double[][] minus = new double[16][16];
        addScaled(minus, -2, yzy);
        assertSameMatrix(minus, matrix("2 Y0 Z1 Y2"), "Y0 Z1 Y2");
        // X0 Z0 = -i Y0; twice: (-i Y)(-i Y) = -1
        assertSameMatrix(addScaled(new double[16][16], -3, DenseOperators.identity(16)), matrix("3 X0 Z0 X0 Z0"),
                "X0 Z0 X0 Z0");
        // products on one site: X0 Y0 Y1 X1 = (i Z0)(-i Z1) = Z0 Z1, X0 Y0 X1 Y1 = (i Z0)(i Z1) = -Z0 Z1,
        // Y2 Z2 X3 Z3 = (i X2)(-i Y3) = X2 Y3 = i X2 (XZ)3: not real, refused in badTerms; Z0 Y0 Z1 Y1 = (-i X0)(-i X1)
        double[][] zz = times(onSite(Z, 0, n), onSite(Z, 1, n));
        assertSameMatrix(zz, matrix("X0 Y0 Y1 X1"), "X0 Y0 Y1 X1");
        assertSameMatrix(addScaled(new double[16][16], -1, zz), matrix("X0 Y0 X1 Y1"), "X0 Y0 X1 Y1");
        assertSameMatrix(addScaled(new double[16][16], -1, times(onSite(X, 0, n), onSite(X, 1, n))),
                matrix("Z0 Y0 Z1 Y1"), "Z0 Y0 Z1 Y1");
        // a constant and the identity factor
        assertSameMatrix(addScaled(new double[16][16], 2.5, DenseOperators.identity(16)), matrix("1.5; I2"), "1.5 + I");
    }

    @Test
    void isingAndHeisenbergAsPauliStrings() {
        Lattice ring = Lattice.chain(4, true);
        StringBuilder ising = new StringBuilder();
        StringBuilder heis = new StringBuilder();
        for (int[] b : ring.bonds()) {
            ising.append("-0.7 Z").append(b[0]).append(" Z").append(b[1]).append('\n');
            heis.append("1.3 X").append(b[0]).append(" X").append(b[1]).append(" + 1.3 Y").append(b[0]).append(" Y")
                    .append(b[1]).append(" + 1.3 Z").append(b[0]).append(" Z").append(b[1]).append('\n');
        }
        for (int i = 0; i < 4; i++) {
            ising.append("-1.1 X").append(i).append('\n');
        }
        assertSameMatrix(ExactDiagonalization.denseMatrix(new TransverseFieldIsing(SPINS, ring, 0.7, 1.1)),
                matrix(ising.toString()), "ising");
        PauliStrings h = PauliStrings.parse(SPINS, heis.toString());
        assertSameMatrix(ExactDiagonalization.denseMatrix(new Heisenberg(SPINS, ring, 1.3, false)),
                ExactDiagonalization.denseMatrix(h), "heisenberg");
        // XX + YY cancels on parallel spins: only the diagonal is listed
        Connections c = new Connections(h, 1);
        h.connected(new double[] {1, 1, 1, 1}, 0, 1, c);
        assertEquals(1, c.count(0));
        assertEquals(12, h.terms());
    }

    @Test
    void badTerms() {
        refused("text: term '0.5 Y0' is not real", () -> PauliStrings.parse(SPINS, "-1 Z0 Z1; 0.5 Y0"));
        refused("text: term 'X0 Y1 Y2 Y3' is not real", () -> PauliStrings.parse(SPINS, "X0 Y1 Y2 Y3"));
        refused("text: term 'Y2 Z2 X3 Z3' is not real", () -> PauliStrings.parse(SPINS, "Y2 Z2 X3 Z3"));
        refused("text: term 'X0 Y0' is not Hermitian", () -> PauliStrings.parse(SPINS, "X0 Y0"));
        refused("text: term '2 X1 Z1' is not Hermitian", () -> PauliStrings.parse(SPINS, "2 X1 Z1"));
        refused("text: term '-0.5 X4': site 4 is outside the space's sites 0..3",
                () -> PauliStrings.parse(SPINS, "Z0\n-0.5 X4"));
        refused("text: term '2 Q1': expected a factor", () -> PauliStrings.parse(SPINS, "2 Q1"));
        refused("text: term 'Zx': expected a site number", () -> PauliStrings.parse(SPINS, "Zx"));
        refused("text: term '1..5 Z0': expected a real coefficient", () -> PauliStrings.parse(SPINS, "1..5 Z0"));
        refused("text: expected at least one term", () -> PauliStrings.parse(SPINS, " ;\n "));
        refused("text: expected a term after '-'", () -> PauliStrings.parse(SPINS, "Z0 -"));
        refused("hilbert: expected an unconstrained spin-1/2 space",
                () -> PauliStrings.parse(HilbertSpace.spin(0.5, 4, 0), "Z0"));
        refused("hilbert: expected an unconstrained spin-1/2 space",
                () -> PauliStrings.parse(HilbertSpace.fock(1, 4), "Z0"));
    }
}
