package io.jarnn.vmc;

import io.jarnn.core.SplitMix64;
import io.jarnn.nn.AutoregressiveModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Variational Monte Carlo with exact samples, NetKet's {@code VMC} loop as a sequence of small
 * steps:
 * <pre>
 *   sample       n exact samples of |psi|^2, seed {@link #stepSeed}(seed, s) for step s
 *   energies     E_loc of each sample ({@link EnergyEstimator}); mean, variance, standard error
 *   gradient     F = 2 &lt;(E_loc - Ebar) O&gt;: from the Jacobian through {@link StochasticReconfiguration}
 *                (then F is replaced by the SR direction), or without SR as the logPsi gradient with
 *                weights 2 (E_loc - Ebar) / n
 *   update       d = optimizer(F); theta += d (in double, rounded once to the model's precision)
 * </pre>
 * The model is immutable; the driver holds the current one and the run's loop: update,
 * listener, checkpoints, stop requests. Where a step's samples, local energies and direction are
 * computed is its {@link StepStrategy}: on this machine by default ({@link StepStrategy#local},
 * which holds the per-step buffers: samples, Jacobian, energies, sized once), or elsewhere
 * ({@link #builder(AutoregressiveModel, StepStrategy)}; the spark module's Spark jobs), with the
 * same loop, checkpoints and Ctrl-C handling. Everything depends on (model, seed, step) only, never
 * on thread counts, so a run resumed from a checkpoint ({@link Builder#resume}) continues bit for bit
 * the trajectory of an uninterrupted run.
 *
 * <p>Requires machinePow 2 (|psi|^2 is then the sampled distribution) and real parameters.
 * A step that would make a parameter or the energy non-finite throws
 * {@link NonFiniteParametersException} naming the step; the model stays the last good one and no
 * checkpoint is written for the failed step. {@link #requestCheckpoint()} and {@link #requestStop()}
 * may be called from any thread (a Ctrl-C handler): the checkpoint is written after the current step.
 */
public final class VmcDriver {
    private final StepStrategy strategy;
    private final Optimizer optimizer;
    private final StochasticReconfiguration sr;
    private final int samples;
    private final long seed;
    private final Path checkpointPath;
    private final int checkpointEvery;
    private final VmcListener listener;

    private AutoregressiveModel model;
    private long step;
    private final double[] gradient;
    private final double[] increment;
    private volatile boolean checkpointRequested;
    private volatile boolean stopRequested;
    private long lastCheckpointStep = -1;

    private VmcDriver(Builder b) {
        AutoregressiveModel model = b.model;
        if (model.config().machinePow() != 2f) {
            throw new IllegalArgumentException("model: expected machinePow 2 (VMC samples |psi|^2) but got "
                    + model.config().machinePow());
        }
        this.strategy = Objects.requireNonNull(b.strategy, "strategy");
        this.optimizer = Objects.requireNonNull(b.optimizer, "optimizer");
        this.sr = b.sr;
        this.samples = b.samples;
        this.seed = b.seed;
        this.checkpointPath = b.checkpointPath;
        this.checkpointEvery = b.checkpointEvery;
        this.listener = b.listener;
        this.model = model;
        int p = model.parameterCount();
        this.gradient = new double[p];
        this.increment = new double[p];
        this.step = b.step;
        if (b.resumed != null) {
            b.resumed.restoreOptimizer(optimizer);
            lastCheckpointStep = b.resumed.step();
        }
        strategy.requireCompatible(model);
    }

    /**
     * A driver of {@code model} (float32 or float64) for the Hamiltonian {@code hamiltonian}, local
     * energies by {@link LocalEnergies} ({@link EnergyEstimator#of}).
     */
    public static Builder builder(AutoregressiveModel model, Operator hamiltonian) {
        return new Builder(model, StepStrategy.local(EnergyEstimator.of(hamiltonian)));
    }

    /** A driver of {@code model} (float32 or float64) whose local energies come from {@code energies}. */
    public static Builder builder(AutoregressiveModel model, EnergyEstimator energies) {
        return new Builder(model, StepStrategy.local(energies));
    }

    /**
     * A driver of {@code model} whose steps' samples, energies and directions come from
     * {@code strategy} (e.g. Spark jobs); the run loop, update and checkpoints are this class's.
     */
    public static Builder builder(AutoregressiveModel model, StepStrategy strategy) {
        if (strategy == null) {
            throw new IllegalArgumentException("strategy: expected a step strategy but got null");
        }
        return new Builder(model, strategy);
    }

    /**
     * The seed of step s's samples: {@link SplitMix64#streamSeed}{@code (seed, s)} (distinct steps
     * draw from unrelated streams; a function of (seed, s) only).
     */
    public static long stepSeed(long seed, long s) {
        return SplitMix64.streamSeed(seed, s);
    }

    /** The current model (after {@link #step()} updates). */
    public AutoregressiveModel model() {
        return model;
    }

    /** Updates done so far. */
    public long step() {
        return step;
    }

    public long seed() {
        return seed;
    }

    public int samples() {
        return samples;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The SR preconditioner, or null for plain gradients. */
    public StochasticReconfiguration sr() {
        return sr;
    }

    /** Asks for a checkpoint after the current step (any thread). */
    public void requestCheckpoint() {
        checkpointRequested = true;
    }

    /** Asks {@link #run} to stop after the current step and write a final checkpoint (any thread). */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Runs {@code steps} steps (or until {@link #requestStop()}), notifying the listener after each,
     * checkpointing every {@code checkpointEvery} steps, on request, and at the end (when a
     * checkpoint path is set and the last step is not already saved).
     *
     * @return the records of the steps run
     */
    public java.util.List<StepRecord> run(long steps) throws IOException {
        java.util.List<StepRecord> records = new java.util.ArrayList<>();
        for (long i = 0; i < steps && !stopRequested; i++) {
            StepRecord r = runStep();
            records.add(r);
            if (listener != null) {
                listener.onStep(r);
            }
            boolean due = checkpointEvery > 0 && step % checkpointEvery == 0;
            if (checkpointPath != null && (due || checkpointRequested)) {
                checkpoint();
            }
        }
        if (checkpointPath != null && lastCheckpointStep != step) {
            checkpoint();
        }
        return records;
    }

    /** Writes a checkpoint of the current state now (to the builder's path). */
    public void checkpoint() throws IOException {
        if (checkpointPath == null) {
            throw new IllegalStateException("no checkpoint path: set one with Builder.checkpoint");
        }
        checkpoint(checkpointPath);
        checkpointRequested = false;
        lastCheckpointStep = step;
        if (listener != null) {
            listener.onCheckpoint(step, checkpointPath);
        }
    }

    /** Writes a checkpoint of the current state to {@code path} (the state beside it, see {@link VmcCheckpoint}). */
    public void checkpoint(Path path) throws IOException {
        snapshot().save(path);
    }

    /** The current state as a checkpoint (the optimiser's moments copied). */
    public VmcCheckpoint snapshot() {
        return new VmcCheckpoint(model(), step, seed, optimizer.name(), optimizer.steps(), optimizer.state());
    }

    /**
     * One step: the strategy's samples, local energies and direction, then the update. The
     * record's update time includes the SR solve.
     */
    public StepRecord runStep() {
        StepEstimate e = strategy.estimate(model, step, stepSeed(seed, step), samples, sr, gradient);
        if (e.failed()) {
            throw new NonFiniteParametersException(step, "step " + step + ": the local energy of sample "
                    + e.nonFiniteSample() + " is " + e.nonFiniteEnergy() + "; stopping with the model of step " + step
                    + lastCheckpointNote());
        }
        long t0 = System.nanoTime();
        optimizer.update(gradient, increment);
        model = ParameterUpdate.plus(model, increment, step, lastCheckpointNote());
        long update = System.nanoTime() - t0;
        StepRecord record = new StepRecord(step, samples, e.energy(), Math.sqrt(e.variance() / samples), e.variance(),
                e.srForm(), e.cgIterations(), e.samplingNanos(), e.localEnergyNanos(), e.gradientNanos(),
                e.solveNanos() + update);
        step++;
        return record;
    }

    private String lastCheckpointNote() {
        if (checkpointPath == null) {
            return "";
        }
        return lastCheckpointStep < 0 ? " (no checkpoint written yet)"
                : "; the last checkpoint, " + checkpointPath + " (step " + lastCheckpointStep + "), is intact";
    }

    /** Settings of a {@link VmcDriver}. */
    public static final class Builder {
        private AutoregressiveModel model;
        private final StepStrategy strategy;
        private Optimizer optimizer;
        private StochasticReconfiguration sr;
        private int samples = 1024;
        private long seed;
        private long step;
        private Path checkpointPath;
        private int checkpointEvery;
        private VmcListener listener;
        private VmcCheckpoint resumed;

        private Builder(AutoregressiveModel model, StepStrategy strategy) {
            if (model == null) {
                throw new IllegalArgumentException("model: expected a model but got null");
            }
            this.model = model;
            this.strategy = strategy;
        }

        /** Samples per step (default 1024). */
        public Builder samples(int samples) {
            if (samples < 2) {
                throw new IllegalArgumentException("samples: expected >= 2 but got " + samples);
            }
            this.samples = samples;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /** SR preconditioner (null: plain gradient). */
        public Builder sr(StochasticReconfiguration sr) {
            this.sr = sr;
            return this;
        }

        /** Checkpoint to {@code path} every {@code every} steps (0: only on request and at the end of {@link #run}). */
        public Builder checkpoint(Path path, int every) {
            if (every < 0) {
                throw new IllegalArgumentException("every: expected >= 0 but got " + every);
            }
            this.checkpointPath = path;
            this.checkpointEvery = every;
            return this;
        }

        public Builder listener(VmcListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * Continue from {@code checkpoint}: its model, step, seed and optimiser state (the optimiser
         * set here must be of the same kind, the other settings should be those of the original run).
         */
        public Builder resume(VmcCheckpoint checkpoint) {
            this.resumed = checkpoint;
            this.model = checkpoint.model();
            this.step = checkpoint.step();
            this.seed = checkpoint.seed();
            return this;
        }

        public VmcDriver build() {
            if (optimizer == null) {
                throw new IllegalArgumentException("optimizer: expected an optimiser (Sgd, Adam) but got none");
            }
            return new VmcDriver(this);
        }
    }
}
