package io.jarnn.cli;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.vmc.Adam;
import io.jarnn.vmc.BoseHubbard;
import io.jarnn.vmc.EnergyEstimator;
import io.jarnn.vmc.Optimizer;
import io.jarnn.vmc.SampleStatistics;
import io.jarnn.vmc.Sgd;
import io.jarnn.vmc.StochasticReconfiguration;
import io.jarnn.vmc.VmcCheckpoint;
import io.jarnn.vmc.VmcDriver;
import io.jarnn.vmc.ExactDiagonalization;
import io.jarnn.vmc.Heisenberg;
import io.jarnn.vmc.Lattice;
import io.jarnn.vmc.LocalEnergies;
import io.jarnn.vmc.Operator;
import io.jarnn.vmc.PauliStrings;
import io.jarnn.vmc.TransverseFieldIsing;
import io.jarnn.vmc.TransverseFieldIsingExact;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the command line meets {@code io.jarnn.vmc}: the operator of {@code --hamiltonian} on
 * {@code --lattice}, its exact ground-state energy, energy estimates and training of a model.
 */
final class Physics {
    /** Largest Hilbert space (number of states) that Lanczos is run on: 2^22, about 4 million. */
    static final long LANCZOS_LIMIT = ExactDiagonalization.DEFAULT_LIMIT;
    static final String LANCZOS_LIMIT_TEXT = "2^22 = 4,194,304 states";
    /** Lanczos stops at this Ritz residual relative to |E|: far below any VMC error. */
    private static final double LANCZOS_TOLERANCE = 1e-11;

    private Physics() {
    }

    /** An exact ground-state energy and how it was found ("free fermions (closed form)", "Lanczos, ..."). */
    record ExactEnergy(double value, String method) {
    }

    /** {@code <H>} estimated from samples: the mean of the local energies, its standard error, their variance. */
    record Estimate(double mean, double error, double variance) {
        /** Mean, standard error sqrt(var / n) and variance (denominator n - 1) of {@code e[0 .. n)}. */
        static Estimate of(double[] e) {
            SampleStatistics s = SampleStatistics.of(e, e.length);
            return new Estimate(s.mean(), s.standardError(), s.variance());
        }
    }

    /** Told after each training step. */
    interface StepListener {
        void step(int step, Estimate energy);
    }

    /**
     * The system of {@code options}, checked: a Hilbert space and operator the Hamiltonian's
     * parameters allow on the lattice, Pauli strings (read from their file) of one letter per site.
     * What is wrong is a usage error naming {@code --hamiltonian}.
     */
    static System of(CommandSpec command, SystemOptions options) throws IOException {
        try {
            return System.of(options.hamiltonian, options.lattice);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), "--hamiltonian: " + e.getMessage().replace("marshallSign: ", "marshall: ") + " (with --lattice "
                    + options.lattice + ")");
        }
    }

    /** Refuses a model whose Hilbert space is not that of the Hamiltonian on the lattice. */
    static void requireSameSpace(Path modelFile, AutoregressiveModel model, System system) {
        if (!model.hilbert().equals(system.hilbert())) {
            throw new CommandFailure(modelFile + ": the model is on " + model.hilbert() + " but " + system.describe()
                    + " acts on " + system.hilbert());
        }
    }

    /** A Hamiltonian on a lattice: its Hilbert space, its operator, its exact energy (computed once). */
    static final class System {
        private final HamiltonianSpec hamiltonian;
        private final LatticeSpec lattice;
        private final HilbertSpace hilbert;
        private final Operator operator;
        private Optional<ExactEnergy> exact;
        private long exactLimit = -1;

        private System(HamiltonianSpec hamiltonian, LatticeSpec lattice, HilbertSpace hilbert, Operator operator) {
            this.hamiltonian = hamiltonian;
            this.lattice = lattice;
            this.hilbert = hilbert;
            this.operator = operator;
        }

        /** @throws IllegalArgumentException if the Hamiltonian's parameters do not fit the lattice */
        static System of(HamiltonianSpec hamiltonian, LatticeSpec latticeSpec) throws IOException {
            HilbertSpace hilbert = hamiltonian.hilbert(latticeSpec);
            Lattice lattice = latticeSpec.kind() == LatticeSpec.Kind.CHAIN
                    ? Lattice.chain(latticeSpec.length(), latticeSpec.periodic())
                    : Lattice.square(latticeSpec.length(), latticeSpec.periodic());
            Operator operator = switch (hamiltonian) {
                case HamiltonianSpec.Ising i -> new TransverseFieldIsing(hilbert, lattice, i.j(), i.h());
                case HamiltonianSpec.Heisenberg h -> new Heisenberg(hilbert, lattice, h.j(), h.marshall());
                case HamiltonianSpec.BoseHubbard b -> new BoseHubbard(hilbert, lattice, b.t(), b.u(), b.mu());
                case HamiltonianSpec.Pauli p -> {
                    List<HamiltonianSpec.PauliTerm> terms = p.read();
                    HamiltonianSpec.Pauli.requireLength(terms, latticeSpec);
                    yield PauliStrings.parse(hilbert, HamiltonianSpec.Pauli.siteForm(terms));
                }
            };
            return new System(hamiltonian, latticeSpec, hilbert, operator);
        }

        HilbertSpace hilbert() {
            return hilbert;
        }

        Operator operator() {
            return operator;
        }

        String describe() {
            return hamiltonian.describe() + " on " + lattice;
        }

        /** The number of states, e.g. {@code 1,048,576}. */
        String dimensionText() {
            long n = hilbert.numberOfStates();
            return n == Long.MAX_VALUE ? "more than 2^63" : String.format(Locale.ROOT, "%,d", n);
        }

        /**
         * The exact ground-state energy: the free-fermion closed form of an Ising chain (any N),
         * else Lanczos when the space has at most {@code limit} states; empty beyond.
         */
        Optional<ExactEnergy> exact(long limit) {
            if (limit != exactLimit) {
                exact = computeExact(limit);
                exactLimit = limit;
            }
            return exact;
        }

        private Optional<ExactEnergy> computeExact(long limit) {
            if (hamiltonian instanceof HamiltonianSpec.Ising i && lattice.kind() == LatticeSpec.Kind.CHAIN) {
                try {
                    return Optional.of(new ExactEnergy(TransverseFieldIsingExact.groundStateEnergy(lattice.length(),
                            lattice.periodic(), i.j(), i.h()), "free fermions, closed form"));
                } catch (IllegalArgumentException e) {
                    // A ring the closed form does not cover (J < 0 on an odd ring, N < 3): Lanczos below.
                }
            }
            long states = hilbert.numberOfStates();
            if (states > limit) {
                return Optional.empty();
            }
            ExactDiagonalization.GroundState g = ExactDiagonalization.lanczos(operator, limit, LANCZOS_TOLERANCE, 1);
            return Optional.of(new ExactEnergy(g.energy(), String.format(Locale.ROOT,
                    "Lanczos on %,d states, residual %.1e", g.dim(), g.residual())));
        }

        /** {@code <H>} of {@code model} from {@code samples} exact samples drawn with {@code seed}. */
        Estimate estimate(AutoregressiveModel model, int samples, long seed) {
            int n = hilbert.size();
            NdArray configurations = model.dtype() == DType.FLOAT32 ? Tensor.zeros(samples, n)
                    : Tensor64.zeros(samples, n);
            model.sampler().sample(seed, 0, configurations, null);
            return Estimate.of(new LocalEnergies(operator, model, samples).compute(configurations));
        }

        /**
         * Trains {@code model} for {@code settings.steps()} steps, or continues the run saved in
         * {@code resume} (its model, step, seed and optimiser state), telling {@code listener} after
         * each step the energy estimated from that step's samples (steps numbered from 1, a resumed
         * run from its checkpoint's step + 1). With a {@code checkpoint} path the driver saves model
         * and state there every {@code checkpointEvery} steps (0: at the end only) and at the end.
         */
        AutoregressiveModel train(AutoregressiveModel model, VmcCheckpoint resume, TrainCommand.Settings settings,
                                  Path checkpoint, int checkpointEvery, StepListener listener) throws IOException {
            return train(model, resume, settings, checkpoint, checkpointEvery, listener, null);
        }

        /**
         * As above; with an {@code interrupt}, Ctrl-C stops the run after its current step, and the
         * run ends as if that were its last (final checkpoint included).
         */
        AutoregressiveModel train(AutoregressiveModel model, VmcCheckpoint resume, TrainCommand.Settings settings,
                                  Path checkpoint, int checkpointEvery, StepListener listener,
                                  TrainingInterrupt interrupt) throws IOException {
            Optimizer optimizer = settings.optimizer() == TrainCommand.OptimizerKind.ADAM
                    ? new Adam(settings.learningRate()) : new Sgd(settings.learningRate());
            StochasticReconfiguration sr = settings.optimizer() == TrainCommand.OptimizerKind.SR
                    ? new StochasticReconfiguration(settings.diagShift(), StochasticReconfiguration.Form.AUTO,
                            StochasticReconfiguration.DEFAULT_CG_TOLERANCE, 0, model.threads()) : null;
            VmcDriver.Builder builder = VmcDriver.builder(model, EnergyEstimator.of(operator)).samples(settings.samples())
                    .seed(settings.seed()).optimizer(optimizer).sr(sr)
                    .listener(r -> listener.step(Math.toIntExact(r.step() + 1),
                            new Estimate(r.energy(), r.standardError(), r.variance())));
            if (resume != null) {
                builder.resume(resume);
            }
            if (checkpoint != null) {
                builder.checkpoint(checkpoint, checkpointEvery);
            }
            VmcDriver driver = builder.build();
            if (interrupt != null) {
                interrupt.attach(driver, checkpoint == null ? "nothing" : checkpoint.toString());
            }
            driver.run(settings.steps());
            return driver.model();
        }
    }
}
