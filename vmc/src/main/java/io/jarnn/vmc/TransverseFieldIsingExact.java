package io.jarnn.vmc;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The exact ground-state energy of the transverse-field Ising chain
 * {@code H = -J sum_<ij> Z_i Z_j - h sum_i X_i} (Pauli matrices, as {@link TransverseFieldIsing})
 * from its free-fermion solution (Jordan-Wigner, then Bogoliubov).
 *
 * <ul>
 *   <li>Open chain of N sites (bonds (i, i+1), i &lt; N-1):
 *       {@code E0 = -sum_{k=1}^{N} Lambda_k}, where {@code Lambda_k} are the singular values of
 *       the N x N upper bidiagonal matrix with {@code h} on the diagonal and {@code J} above it
 *       (Lieb-Schultz-Mattis / Pfeuty; the fermion modes' energies are {@code 2 Lambda_k}).
 *       Computed by EJML's SVD, accurate to about 1e-15 (|J| + |h|) N.</li>
 *   <li>Periodic chain of N &gt;= 3 sites: the ground state lies in the sector of even parity
 *       {@code P = prod_i X_i = +1} (for h != 0 the ground state is unique and, in the Z basis,
 *       positive up to signs, so P maps it to itself with eigenvalue +1), where the fermions
 *       obey antiperiodic boundary conditions, {@code k = pi (2m+1) / N}, m = 0 .. N-1, and
 *       every Bogoliubov mode is empty:
 *       {@code E0 = -sum_k sqrt(J^2 + h^2 - 2 J h cos k)}.
 *       (The odd sector, periodic k = 2 pi m / N, lies above; it becomes degenerate with the
 *       even one only as N grows for |h| &lt; |J|.) This holds for J &gt;= 0 and any h (h to -h is
 *       the unitary prod_i Z_i); for J &lt; 0 and even N, flip every other spin (J to -J); J &lt; 0
 *       on an odd ring is frustrated and refused. N &lt; 3 is refused: those rings have fewer
 *       than N distinct bonds (see {@link Lattice}).</li>
 * </ul>
 */
public final class TransverseFieldIsingExact {
    private TransverseFieldIsingExact() {
    }

    /** The ground-state energy of the chain of {@code n} sites, open or periodic, with couplings J and h. */
    public static double groundStateEnergy(int n, boolean periodic, double j, double h) {
        OperatorChecks.requireFinite("J", j);
        OperatorChecks.requireFinite("h", h);
        if (n < 1) {
            throw new IllegalArgumentException("n: expected at least 1 site but got " + n);
        }
        if (periodic) {
            if (n < 3) {
                throw new IllegalArgumentException("n: expected at least 3 sites for a periodic chain (a ring of " + n
                        + " has fewer than n distinct bonds) but got " + n);
            }
            if (j < 0 && n % 2 == 1) {
                throw new IllegalArgumentException("J: expected J >= 0 on a periodic chain of odd length (J < 0 is"
                        + " frustrated there) but got " + j + " for n = " + n);
            }
            double aj = Math.abs(j);
            double ah = Math.abs(h);
            double e = 0;
            for (int m = 0; m < n; m++) {
                double k = Math.PI * (2 * m + 1) / n;
                e -= Math.sqrt(Math.max(0, aj * aj + ah * ah - 2 * aj * ah * Math.cos(k)));
            }
            return e;
        }
        DMatrixRMaj b = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            b.set(i, i, h);
            if (i + 1 < n) {
                b.set(i, i + 1, j);
            }
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, n, false, false, true);
        if (!svd.decompose(b)) {
            throw new ArithmeticException("SVD of the " + n + " x " + n + " Ising matrix did not converge");
        }
        double[] s = svd.getSingularValues();
        double e = 0;
        for (int k = 0; k < svd.numberOfSingularValues(); k++) {
            e -= s[k];
        }
        return e;
    }
}
