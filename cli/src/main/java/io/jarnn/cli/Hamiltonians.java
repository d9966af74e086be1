package io.jarnn.cli;

import io.jarnn.vmc.Operator;

import java.io.IOException;

/**
 * The command line's Hamiltonian and lattice forms ({@code --hamiltonian ising:J=1,h=1
 * --lattice chain:20:open}) for other front ends: {@code jarnn-spark train} takes the same two
 * strings and builds the same operator from them on the driver and on every executor.
 */
public final class Hamiltonians {
    /** The forms {@code --hamiltonian} takes, for help texts. */
    public static final String HAMILTONIAN_FORMS = HamiltonianSpec.FORMS;
    /** The forms {@code --lattice} takes, for help texts. */
    public static final String LATTICE_FORMS = LatticeSpec.FORMS;

    private Hamiltonians() {
    }

    /**
     * The operator of {@code hamiltonian} on {@code lattice}, as {@code jarnn train} builds it
     * (a {@code pauli:FILE} reads the file).
     *
     * @throws IllegalArgumentException "expected ... but got ..." naming the part at fault
     */
    public static Operator operator(String hamiltonian, String lattice) throws IOException {
        return Physics.System.of(HamiltonianSpec.parse(hamiltonian), LatticeSpec.parse(lattice)).operator();
    }

    /** One line naming the system, e.g. {@code ising:J=1,h=1 on chain:20:open}. */
    public static String describe(String hamiltonian, String lattice) throws IOException {
        return Physics.System.of(HamiltonianSpec.parse(hamiltonian), LatticeSpec.parse(lattice)).describe();
    }
}
