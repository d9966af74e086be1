package io.jarnn.spark;

import io.jarnn.vmc.Operator;

import java.io.Serializable;

/**
 * How an executor builds the Hamiltonian of a distributed VMC run: operators are not
 * serialisable (they own scratch), so the recipe travels instead, e.g.
 * {@code () -> new TransverseFieldIsing(HilbertSpace.spin(0.5, 20), Lattice.chain(20, false), 1, 1)}.
 * A lambda assigned to this type is serialisable when everything it captures is: capture plain
 * numbers and strings and build the Hilbert space, lattice and operator inside.
 */
@FunctionalInterface
public interface OperatorSource extends Serializable {
    Operator create();
}
