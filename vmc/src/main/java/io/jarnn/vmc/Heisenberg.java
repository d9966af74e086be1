package io.jarnn.vmc;

import io.jarnn.core.HilbertSpace;

/**
 * The Heisenberg model in NetKet's convention (Pauli matrices):
 * {@code H = J sum_<ij> (X_i X_j + Y_i Y_j + Z_i Z_j)} over the bonds of a {@link Lattice}, on
 * spin 1/2 (four times the model in spin-1/2 operators {@code S = sigma/2}).
 *
 * <p>On a configuration: {@code Z_i Z_j} is {@code sigma_i sigma_j} (value +1 is Z's +1
 * eigenstate, as in NetKet); {@code X_i X_j + Y_i Y_j} is zero on parallel spins and swaps
 * antiparallel ones with element {@code 2}. So a row is the diagonal
 * {@code J sum_<ij> sigma_i sigma_j}, then, in bond order, each bond with
 * {@code sigma_i != sigma_j} exchanged, element {@code 2J}.
 *
 * <p>Marshall sign rule ({@code marshallSign = true}, NetKet's {@code sign_rule}): the exchange
 * elements become {@code -2J}. This is {@code U H U} with {@code U = prod_{i in B} Z_i} for one
 * sublattice B of a bipartite lattice (every bond joins the two sublattices, so every exchange
 * flips one spin of B and picks up a factor -1); the spectrum is unchanged and, for J &gt; 0, the
 * ground state becomes positive (Perron-Frobenius). On a lattice that is not bipartite no such U
 * exists, and the rule is refused. Conserves total Sz, so constrained spaces
 * ({@code total_sz}) work. Immutable.
 */
public final class Heisenberg implements Operator {
    private final HilbertSpace hilbert;
    private final Lattice lattice;
    private final double j;
    private final boolean marshallSign;

    public Heisenberg(HilbertSpace hilbert, Lattice lattice, double j, boolean marshallSign) {
        OperatorChecks.requireSpinHalf("the Heisenberg model", hilbert, lattice);
        if (marshallSign && !lattice.isBipartite()) {
            throw new IllegalArgumentException("marshallSign: expected a bipartite lattice for the Marshall sign rule but "
                    + lattice + " is not bipartite");
        }
        this.hilbert = hilbert;
        this.lattice = lattice;
        this.j = OperatorChecks.requireFinite("J", j);
        this.marshallSign = marshallSign;
    }

    public Lattice lattice() {
        return lattice;
    }

    public double j() {
        return j;
    }

    public boolean marshallSign() {
        return marshallSign;
    }

    @Override
    public HilbertSpace hilbert() {
        return hilbert;
    }

    @Override
    public int maxConnections() {
        return lattice.bondCount() + 1;
    }

    @Override
    public void connected(double[] sigma, int off, int rows, Connections out) {
        int n = OperatorChecks.requireCall(this, sigma, off, rows, out);
        int slots = out.maxConnections();
        double[] conf = out.configurations();
        double[] el = out.elements();
        int bondCount = lattice.bondCount();
        double exchange = marshallSign ? -2 * j : 2 * j;
        for (int b = 0; b < rows; b++) {
            int row = off + b * n;
            OperatorChecks.requireSpinRow(hilbert, sigma, row, b);
            int slot = b * slots;
            System.arraycopy(sigma, row, conf, slot * n, n);
            double zz = 0;
            int count = 1;
            for (int k = 0; k < bondCount; k++) {
                int p = lattice.bondFrom(k);
                int q = lattice.bondTo(k);
                double si = sigma[row + p];
                double sj = sigma[row + q];
                zz += si * sj;
                if (si != sj && j != 0) {
                    int s = slot + count++;
                    System.arraycopy(sigma, row, conf, s * n, n);
                    conf[s * n + p] = sj;
                    conf[s * n + q] = si;
                    el[s] = exchange;
                }
            }
            el[slot] = j * zz;
            out.setCount(b, count);
        }
    }

    @Override
    public String describe() {
        return "heisenberg:J=" + j + (marshallSign ? ",marshall" : "") + " on " + lattice.describe();
    }

    @Override
    public String toString() {
        return describe();
    }
}
