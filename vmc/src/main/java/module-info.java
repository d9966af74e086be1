/**
 * jarnn vmc: variational Monte Carlo with autoregressive models. Lattices and operators on
 * Hilbert spaces, local energies from batched logPsi, exact references (Lanczos, the free-fermion
 * transverse-field Ising chain), optimisers (SGD, Adam, stochastic reconfiguration) and the
 * driver that samples exactly, estimates the energy and its gradient and updates the model.
 */
module io.jarnn.vmc {
    requires transitive io.jarnn.nn;
    requires ejml.ddense;
    requires ejml.core;
    exports io.jarnn.vmc;
}
