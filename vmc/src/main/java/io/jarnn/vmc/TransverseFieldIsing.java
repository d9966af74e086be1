package io.jarnn.vmc;

import io.jarnn.core.HilbertSpace;

/**
 * The transverse-field Ising model in NetKet's convention (Pauli matrices, not spin-1/2
 * operators): {@code H = -J sum_<ij> Z_i Z_j - h sum_i X_i} over the bonds of a {@link Lattice},
 * on spin 1/2. A local value +1 is Z's +1 eigenstate (NetKet's {@code Spin(1/2)}: local index 0,
 * value +1, "up"), so {@code Z_i} acts on a configuration as the value {@code sigma_i} itself.
 *
 * <p>Rows of {@link #connected}: the diagonal {@code -J sum_<ij> sigma_i sigma_j}, then, when
 * {@code h != 0}, the N configurations with one spin flipped, each with element {@code -h}, in site
 * order. A constrained space ({@code total_sz}) is refused: X leaves the sector. Immutable.
 */
public final class TransverseFieldIsing implements Operator {
    private final HilbertSpace hilbert;
    private final Lattice lattice;
    private final double j;
    private final double h;

    public TransverseFieldIsing(HilbertSpace hilbert, Lattice lattice, double j, double h) {
        OperatorChecks.requireSpinHalf("the transverse-field Ising model", hilbert, lattice);
        if (hilbert.isConstrained()) {
            throw new IllegalArgumentException("hilbert: expected an unconstrained spin-1/2 space for the transverse-field"
                    + " Ising model (X_i changes total_sz, leaving the sector) but got " + hilbert);
        }
        this.hilbert = hilbert;
        this.lattice = lattice;
        this.j = OperatorChecks.requireFinite("J", j);
        this.h = OperatorChecks.requireFinite("h", h);
    }

    public Lattice lattice() {
        return lattice;
    }

    public double j() {
        return j;
    }

    public double h() {
        return h;
    }

    @Override
    public HilbertSpace hilbert() {
        return hilbert;
    }

    @Override
    public int maxConnections() {
        return h == 0 ? 1 : hilbert.size() + 1;
    }

    @Override
    public void connected(double[] sigma, int off, int rows, Connections out) {
        int n = OperatorChecks.requireCall(this, sigma, off, rows, out);
        int slots = out.maxConnections();
        double[] conf = out.configurations();
        double[] el = out.elements();
        int bondCount = lattice.bondCount();
        for (int b = 0; b < rows; b++) {
            int row = off + b * n;
            OperatorChecks.requireSpinRow(hilbert, sigma, row, b);
            double zz = 0;
            for (int k = 0; k < bondCount; k++) {
                zz += sigma[row + lattice.bondFrom(k)] * sigma[row + lattice.bondTo(k)];
            }
            int slot = b * slots;
            System.arraycopy(sigma, row, conf, slot * n, n);
            el[slot] = -j * zz;
            if (h == 0) {
                out.setCount(b, 1);
                continue;
            }
            for (int i = 0; i < n; i++) {
                int s = slot + 1 + i;
                System.arraycopy(sigma, row, conf, s * n, n);
                conf[s * n + i] = -sigma[row + i];
                el[s] = -h;
            }
            out.setCount(b, n + 1);
        }
    }

    @Override
    public String describe() {
        return "ising:J=" + j + ",h=" + h + " on " + lattice.describe();
    }

    @Override
    public String toString() {
        return describe();
    }
}
