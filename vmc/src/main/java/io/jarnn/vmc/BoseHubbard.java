package io.jarnn.vmc;

import io.jarnn.core.HilbertSpace;

/**
 * The Bose-Hubbard model on {@code Fock(nMax, N)}, as NetKet's {@code BoseHubbard}:
 * {@code H = -t sum_<ij> (b_i^dag b_j + b_j^dag b_i) + U/2 sum_i n_i (n_i - 1) - mu sum_i n_i}
 * over the bonds of a {@link Lattice}, with {@code b} truncated at {@code nMax} bosons per site
 * (matrix elements {@code <n+1| b^dag |n> = sqrt(n+1)} for {@code n < nMax}).
 *
 * <p>A row: the diagonal {@code U/2 sum n_i(n_i-1) - mu sum n_i}, then, for each bond (i, j) in
 * order, the hop of a boson from j to i ({@code n_j > 0}, {@code n_i < nMax}), element
 * {@code -t sqrt((n_i+1) n_j)}, and from i to j, element {@code -t sqrt((n_j+1) n_i)}.
 * Conserves the number of bosons, so {@code Fock(nMax, N, nParticles)} works. Immutable.
 */
public final class BoseHubbard implements Operator {
    private final HilbertSpace hilbert;
    private final Lattice lattice;
    private final double t;
    private final double u;
    private final double mu;
    private final int nMax;
    /** sqrtTable[k] = sqrt(k) for k = 0 .. nMax^2, which covers every (n_i + 1) n_j of a hop. */
    private final double[] sqrtTable;

    public BoseHubbard(HilbertSpace hilbert, Lattice lattice, double t, double u, double mu) {
        OperatorChecks.requireNonNull("hilbert", hilbert, "a Fock space");
        OperatorChecks.requireNonNull("lattice", lattice, "a lattice");
        if (!hilbert.kind().equals("fock")) {
            throw new IllegalArgumentException("hilbert: expected a Fock space for the Bose-Hubbard model but got "
                    + hilbert);
        }
        OperatorChecks.requireSites(hilbert, lattice);
        this.hilbert = hilbert;
        this.lattice = lattice;
        this.t = OperatorChecks.requireFinite("t", t);
        this.u = OperatorChecks.requireFinite("U", u);
        this.mu = OperatorChecks.requireFinite("mu", mu);
        this.nMax = hilbert.localSize() - 1;
        if ((long) nMax * nMax > 1 << 24) {
            throw new IllegalArgumentException("hilbert: expected nMax <= 4096 for the Bose-Hubbard model but got "
                    + hilbert);
        }
        this.sqrtTable = new double[nMax * nMax + 1];
        for (int k = 0; k < sqrtTable.length; k++) {
            sqrtTable[k] = Math.sqrt(k);
        }
    }

    public Lattice lattice() {
        return lattice;
    }

    public double t() {
        return t;
    }

    public double u() {
        return u;
    }

    public double mu() {
        return mu;
    }

    @Override
    public HilbertSpace hilbert() {
        return hilbert;
    }

    @Override
    public int maxConnections() {
        return t == 0 ? 1 : 2 * lattice.bondCount() + 1;
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
            double diag = 0;
            for (int i = 0; i < n; i++) {
                double v = sigma[row + i];
                if (!(v >= 0 && v <= nMax && v == Math.rint(v))) {
                    throw new IllegalArgumentException("sigma: element [" + b + ", " + i + "] is " + v
                            + ", expected an occupation 0.." + nMax + " (" + hilbert + ")");
                }
                diag += 0.5 * u * v * (v - 1) - mu * v;
            }
            int slot = b * slots;
            System.arraycopy(sigma, row, conf, slot * n, n);
            el[slot] = diag;
            int count = 1;
            if (t != 0) {
                for (int k = 0; k < bondCount; k++) {
                    int p = lattice.bondFrom(k);
                    int q = lattice.bondTo(k);
                    int np = (int) sigma[row + p];
                    int nq = (int) sigma[row + q];
                    if (nq > 0 && np < nMax) { // b_p^dag b_q
                        int s = slot + count++;
                        System.arraycopy(sigma, row, conf, s * n, n);
                        conf[s * n + p] = np + 1;
                        conf[s * n + q] = nq - 1;
                        el[s] = -t * sqrtTable[(np + 1) * nq];
                    }
                    if (np > 0 && nq < nMax) { // b_q^dag b_p
                        int s = slot + count++;
                        System.arraycopy(sigma, row, conf, s * n, n);
                        conf[s * n + p] = np - 1;
                        conf[s * n + q] = nq + 1;
                        el[s] = -t * sqrtTable[(nq + 1) * np];
                    }
                }
            }
            out.setCount(b, count);
        }
    }

    @Override
    public String describe() {
        return "bose-hubbard:t=" + t + ",U=" + u + ",mu=" + mu + " on " + lattice.describe();
    }

    @Override
    public String toString() {
        return describe();
    }
}
