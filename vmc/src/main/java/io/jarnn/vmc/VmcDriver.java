package io.jarnn.vmc;

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
 * The model is immutable; the driver holds the current one and its per-step buffers (samples,
 * Jacobian, energies, vectors), sized once. Everything depends on (model, seed, step) only, never
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
    private final EnergyEstimator energies;
    private final Optimizer optimizer;
    private final StochasticReconfiguration sr;
    private final int samples;
    private final long seed;
    private final Path checkpointPath;
    private final int checkpointEvery;
    private final VmcListener listener;
    private final ModelBridge bridge;

    private long step;
    private final double[] localEnergies;
    private final double[] weights;
    private final double[] jacobian;
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
        this.energies = Objects.requireNonNull(b.energies, "energies");
        this.optimizer = Objects.requireNonNull(b.optimizer, "optimizer");
        this.sr = b.sr;
        this.samples = b.samples;
        this.seed = b.seed;
        this.checkpointPath = b.checkpointPath;
        this.checkpointEvery = b.checkpointEvery;
        this.listener = b.listener;
        this.bridge = ModelBridge.of(model, samples);
        int p = model.parameterCount();
        this.localEnergies = new double[samples];
        this.weights = new double[samples];
        this.jacobian = sr == null ? null : new double[Math.multiplyExact(samples, p)];
        this.gradient = new double[p];
        this.increment = new double[p];
        this.step = b.step;
        if (b.resumed != null) {
            b.resumed.restoreOptimizer(optimizer);
            lastCheckpointStep = b.resumed.step();
        }
    }

    /**
     * A driver of {@code model} (float32 or float64) for the Hamiltonian {@code hamiltonian}, local
     * energies by {@link LocalEnergies} ({@link EnergyEstimator#of}).
     */
    public static Builder builder(AutoregressiveModel model, Operator hamiltonian) {
        return new Builder(model, EnergyEstimator.of(hamiltonian));
    }

    /** A driver of {@code model} (float32 or float64) whose local energies come from {@code energies}. */
    public static Builder builder(AutoregressiveModel model, EnergyEstimator energies) {
        return new Builder(model, energies);
    }

    /**
     * The seed of step s's samples: SplitMix64's finaliser of {@code seed + (s + 1) * 0x9E3779B97F4A7C15}
     * (distinct steps draw from unrelated streams; a function of (seed, s) only).
     */
    public static long stepSeed(long seed, long s) {
        long z = seed + (s + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The current model (after {@link #step()} updates). */
    public AutoregressiveModel model() {
        return bridge.model();
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

    /** One step: sample, local energies, gradient (SR), update. */
    public StepRecord runStep() {
        int p = gradient.length;
        long t0 = System.nanoTime();
        bridge.sample(stepSeed(seed, step));
        long t1 = System.nanoTime();
        energies.localEnergies(bridge.model(), bridge.configurations, samples, localEnergies);
        double mean = 0;
        for (int b = 0; b < samples; b++) {
            double e = localEnergies[b];
            if (!Double.isFinite(e)) {
                throw new NonFiniteParametersException(step, "step " + step + ": the local energy of sample " + b
                        + " is " + e + "; stopping with the model of step " + step + lastCheckpointNote());
            }
            mean += e;
        }
        mean /= samples;
        double ss = 0;
        for (int b = 0; b < samples; b++) {
            double d = localEnergies[b] - mean;
            ss += d * d;
        }
        double variance = samples > 1 ? ss / (samples - 1) : 0;
        double stderr = Math.sqrt(variance / samples);
        long t2 = System.nanoTime();
        StochasticReconfiguration.Form form = null;
        if (sr != null) {
            bridge.jacobian(jacobian);
        } else {
            for (int b = 0; b < samples; b++) {
                weights[b] = 2 * (localEnergies[b] - mean) / samples;
            }
            bridge.gradient(weights, gradient);
        }
        long t3 = System.nanoTime();
        int iterations = 0;
        if (sr != null) {
            form = sr.solve(jacobian, samples, p, localEnergies, gradient);
            iterations = sr.lastIterations();
        }
        optimizer.update(gradient, increment);
        bridge.setModel(ParameterUpdate.plus(bridge.model(), increment, step, lastCheckpointNote()));
        long t4 = System.nanoTime();
        StepRecord record = new StepRecord(step, samples, mean, stderr, variance, form, iterations,
                t1 - t0, t2 - t1, t3 - t2, t4 - t3);
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
        private final EnergyEstimator energies;
        private Optimizer optimizer;
        private StochasticReconfiguration sr;
        private int samples = 1024;
        private long seed;
        private long step;
        private Path checkpointPath;
        private int checkpointEvery;
        private VmcListener listener;
        private VmcCheckpoint resumed;

        private Builder(AutoregressiveModel model, EnergyEstimator energies) {
            if (model == null) {
                throw new IllegalArgumentException("model: expected a model but got null");
            }
            this.model = model;
            this.energies = energies;
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
