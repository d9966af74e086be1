package io.jarnn.vmc;

import io.jarnn.core.HilbertSpace;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The transverse-field Ising chain of the tests, H = -J sum_i s_i s_{i+1} - h sum_i X_i on spin
 * 1/2 (values +1, -1), open or periodic: a stand-in for the operators module's Ising, written
 * here so that these tests do not depend on it.
 */
final class TestIsing implements Operator {
    private final HilbertSpace hilbert;
    private final double j;
    private final double h;
    private final boolean periodic;

    TestIsing(int n, double j, double h, boolean periodic) {
        this.hilbert = HilbertSpace.spin(0.5, n);
        this.j = j;
        this.h = h;
        this.periodic = periodic;
    }

    @Override
    public HilbertSpace hilbert() {
        return hilbert;
    }

    @Override
    public int maxConnections() {
        return hilbert.size() + 1;
    }

    @Override
    public void connected(double[] sigma, int off, int rows, Connections out) {
        out.requireFits(this, rows);
        int n = hilbert.size();
        int m = out.maxConnections();
        double[] c = out.configurations();
        double[] el = out.elements();
        for (int b = 0; b < rows; b++) {
            int s = off + b * n;
            double diag = 0;
            int bonds = periodic ? n : n - 1;
            for (int i = 0; i < bonds; i++) {
                diag -= j * sigma[s + i] * sigma[s + (i + 1) % n];
            }
            int slot = b * m;
            System.arraycopy(sigma, s, c, slot * n, n);
            el[slot] = diag;
            for (int i = 0; i < n; i++) {
                int k = slot + 1 + i;
                System.arraycopy(sigma, s, c, k * n, n);
                c[k * n + i] = -sigma[s + i];
                el[k] = -h;
            }
            out.setCount(b, n + 1);
        }
    }

    @Override
    public String describe() {
        return "test-ising:J=" + j + ",h=" + h + " on chain:" + hilbert.size() + (periodic ? ":periodic" : ":open");
    }

    /** The exact ground-state energy by dense diagonalisation (N <= 12). */
    double exactGroundEnergy() {
        int n = hilbert.size();
        int dim = 1 << n;
        DMatrixRMaj hm = new DMatrixRMaj(dim, dim);
        double[] sigma = new double[n];
        Connections con = new Connections(this, 1);
        for (int a = 0; a < dim; a++) {
            for (int i = 0; i < n; i++) {
                sigma[i] = ((a >> (n - 1 - i)) & 1) == 0 ? 1 : -1;
            }
            connected(sigma, 0, 1, con);
            for (int k = 0; k < con.count(0); k++) {
                int col = 0;
                for (int i = 0; i < n; i++) {
                    col = (col << 1) | (con.configurations()[k * n + i] > 0 ? 0 : 1);
                }
                hm.add(a, col, con.elements()[k]);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(dim, false, true);
        if (!eig.decompose(hm)) {
            throw new IllegalStateException("eigen decomposition failed");
        }
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < dim; i++) {
            min = Math.min(min, eig.getEigenvalue(i).real);
        }
        return min;
    }
}
