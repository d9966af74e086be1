package io.jarnn.cli;

import io.jarnn.core.HilbertSpace;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the command line meets {@code io.jarnn.vmc}: the operator of {@code --hamiltonian} on
 * {@code --lattice}, its exact ground-state energy, energy estimates of a model.
 */
final class Physics {
    /** Largest Hilbert space (number of states) that Lanczos is run on: 2^22, about 4 million. */
    static final long LANCZOS_LIMIT = 1L << 22;
    static final String LANCZOS_LIMIT_TEXT = "2^22 = 4,194,304 states";

    private Physics() {
    }

    /** {@code <H>} estimated from samples: the mean of the local energies, its standard error, their variance. */
    record Estimate(double mean, double error, double variance) {
    }

    /** Told after each training step. */
    interface StepListener {
        void step(int step, Estimate energy);
    }

    /** Refuses a model whose Hilbert space is not that of the Hamiltonian on the lattice. */
    static void requireSameSpace(java.nio.file.Path modelFile, io.jarnn.nn.AutoregressiveModel model, System system) {
        if (!model.hilbert().equals(system.hilbert())) {
            throw new CommandFailure(modelFile + ": the model is on " + model.hilbert() + " but " + system.describe()
                    + " acts on " + system.hilbert());
        }
    }

    /** An exact ground-state energy and how it was found ("free fermions (closed form)", "Lanczos, ..."). */
    record ExactEnergy(double value, String method) {
    }

    /**
     * The system of {@code options}, checked: a Hilbert space the Hamiltonian's parameters allow
     * on the lattice, Pauli strings (read from their file) of one letter per site. What is wrong
     * is a usage error naming {@code --hamiltonian}.
     */
    static System of(CommandSpec command, SystemOptions options) throws IOException {
        HilbertSpace hilbert;
        List<HamiltonianSpec.PauliTerm> pauli = List.of();
        try {
            hilbert = options.hilbert();
            if (options.hamiltonian instanceof HamiltonianSpec.Pauli p) {
                pauli = p.read();
                HamiltonianSpec.Pauli.requireLength(pauli, options.lattice);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), "--hamiltonian: " + e.getMessage() + " (with --lattice "
                    + options.lattice + ")");
        }
        return new System(options.hamiltonian, options.lattice, hilbert, pauli);
    }

    /** A Hamiltonian on a lattice, its Hilbert space, and the Pauli terms if it is a sum of them. */
    record System(HamiltonianSpec hamiltonian, LatticeSpec lattice, HilbertSpace hilbert,
                  List<HamiltonianSpec.PauliTerm> pauliTerms) {

        String describe() {
            return hamiltonian.describe() + " on " + lattice;
        }

        /** The number of states, e.g. {@code 1,048,576}. */
        String dimensionText() {
            long n = hilbert.numberOfStates();
            return n == Long.MAX_VALUE ? "more than 2^63" : String.format(Locale.ROOT, "%,d", n);
        }

        /**
         * The exact ground-state energy: the closed form of the Ising chain, else Lanczos when
         * the space has at most {@code limit} states; empty beyond.
         */
        Optional<ExactEnergy> exact(long limit) {
            throw new CommandFailure("exact energies need io.jarnn.vmc's exact solvers (branch vmcops), not yet merged");
        }

        /**
         * Trains {@code model} as {@code settings} say, telling {@code listener} after each step
         * (1-based) the energy estimated from that step's samples; returns the trained model.
         */
        io.jarnn.nn.AutoregressiveModel train(io.jarnn.nn.AutoregressiveModel model, TrainCommand.Settings settings,
                                              StepListener listener) {
            throw new CommandFailure("training needs io.jarnn.vmc's driver (branch vmcopt), not yet merged");
        }

        /** {@code <H>} of {@code model} from {@code samples} exact samples drawn with {@code seed}. */
        Estimate estimate(io.jarnn.nn.AutoregressiveModel model, int samples, long seed) {
            throw new CommandFailure("energies need io.jarnn.vmc's local energies (branch vmcops), not yet merged");
        }
    }
}
