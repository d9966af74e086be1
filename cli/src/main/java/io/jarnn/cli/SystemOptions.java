package io.jarnn.cli;

import io.jarnn.core.HilbertSpace;
import picocli.CommandLine.Option;

/**
 * {@code --hamiltonian} and {@code --lattice}, shared by {@code train}, {@code energy} and
 * {@code exact}: together they give the operator and its Hilbert space.
 */
final class SystemOptions {
    @Option(names = "--hamiltonian", paramLabel = "SPEC", required = true, converter = Converters.Hamiltonian.class,
            description = {"the Hamiltonian (required), one of",
                    "  ising:J=1,h=1  (-J sum ZZ - h sum X; J default 1)",
                    "  heisenberg:J=1[,marshall][,sz=0]  (J sum XX+YY+ZZ;",
                    "    sz: only the states of that total Sz)",
                    "  bose-hubbard:t=1,U=4,mu=1,nmax=3[,n=6]  (n: only",
                    "    the states of n particles in all)",
                    "  pauli:0.5*XXI+ZZI-1.5*IIZ  (a letter per site)",
                    "  pauli:FILE  (lines 'COEFFICIENT STRING')"})
    HamiltonianSpec hamiltonian;

    @Option(names = "--lattice", paramLabel = "SPEC", required = true, converter = Converters.Lattice.class,
            description = {"the lattice (required): chain:N:open|periodic,",
                    "square:L:open|periodic (L x L sites, row by row)"})
    LatticeSpec lattice;

    HilbertSpace hilbert() {
        return hamiltonian.hilbert(lattice);
    }

    /** E.g. {@code ising:J=1,h=1 on chain:20:open}. */
    String describe() {
        return hamiltonian.describe() + " on " + lattice;
    }
}
