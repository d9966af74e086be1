package io.jarnn.vmc;

import io.jarnn.core.HilbertSpace;

/**
 * A real Hermitian operator on a {@link HilbertSpace}, given by its sparse rows: for a
 * configuration sigma, the configurations sigma' with {@code H[sigma, sigma'] != 0} and those
 * elements. Local energies, Lanczos and the VMC driver see operators only through this.
 *
 * <p>Configurations are rows of N local VALUES (as the models take them: -1/+1 for spin 1/2,
 * occupation numbers for Fock), held in double, which represents every local value exactly.
 * Implementations are immutable and thread-safe; {@link #connected} writes into caller-owned
 * {@link Connections} and allocates nothing.
 */
public interface Operator {

    /** The space this operator acts on; its configurations are the rows {@link #connected} takes. */
    HilbertSpace hilbert();

    /**
     * An upper bound on the number of connected configurations of any one configuration, the
     * diagonal included: what {@link Connections} reserves per row.
     */
    int maxConnections();

    /**
     * For each of {@code rows} configurations {@code sigma[off + b*N .. off + (b+1)*N)}, writes
     * its connected configurations and matrix elements into {@code out} (see {@link Connections}):
     * the diagonal element first (also when it is zero), then the off-diagonal ones in an order
     * that depends only on sigma. Matrix elements that are exactly zero off the diagonal may be
     * omitted.
     *
     * @throws IllegalArgumentException if {@code out} has room for fewer rows or another space,
     *                                  or a configuration holds a value that is not a local state
     */
    void connected(double[] sigma, int off, int rows, Connections out);

    /** A short description in the command line's syntax, e.g. {@code "ising:J=1,h=1 on chain:20:open"}. */
    String describe();
}
