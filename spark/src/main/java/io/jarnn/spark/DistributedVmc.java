package io.jarnn.spark;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.NdArray;
import io.jarnn.core.PrecisionConversion;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNN64;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.vmc.EnergyEstimator;
import io.jarnn.vmc.NonFiniteParametersException;
import io.jarnn.vmc.Optimizer;
import io.jarnn.vmc.ParameterUpdate;
import io.jarnn.vmc.StepRecord;
import io.jarnn.vmc.StochasticReconfiguration;
import io.jarnn.vmc.VmcCheckpoint;
import io.jarnn.vmc.VmcDriver;
import io.jarnn.vmc.VmcListener;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * {@link VmcDriver}'s step as a Spark job. Step s: the model goes out as its {@code .npz}
 * bytes in a broadcast; partition k draws its range of the step's samples
 * ({@link RowRanges}, seed {@link VmcDriver#stepSeed}(seed, s), so the union is exactly the
 * local driver's samples), computes their local energies ({@link EnergyEstimator}) and logPsi
 * Jacobian and returns its share of the sums ({@link StepMoments}); the driver merges the
 * shares in a fixed tree over the partitions, forms F and the SR system
 * (S + lambda I) delta = F, solves it with the run's {@link StochasticReconfiguration}, and
 * updates the model with the run's {@link Optimizer}, as the local driver does.
 *
 * <p>When the SR system is larger than the samples (P &gt; n: the minSR or CG form), a P x P
 * share per partition would be the larger message, so the partitions return their Jacobian rows
 * and local energies instead, and the driver solves exactly as the local driver does, on the
 * assembled (n, P) Jacobian.
 *
 * <p>Deterministic for a given partition count (the tree is fixed); equal to the local step up
 * to the order of the sums (relative differences of order 1e-12 in the direction for a float64
 * model, one float rounding of a parameter for float32). Checkpoints are the local driver's
 * ({@link VmcCheckpoint}), so a run may be resumed either here or on one machine.
 */
public final class DistributedVmc {
    private final SparkSession spark;
    private final OperatorSource hamiltonian;
    private final Optimizer optimizer;
    private final StochasticReconfiguration sr;
    private final int samples;
    private final long seed;
    private final int partitions;
    private final Path checkpointPath;
    private final int checkpointEvery;
    private final VmcListener listener;
    private final TaskHook hook;
    private AutoregressiveModel model;
    private long step;
    private long lastCheckpointStep = -1;

    private DistributedVmc(Builder b) {
        if (b.model.config().machinePow() != 2f) {
            throw new IllegalArgumentException("model: expected machinePow 2 (VMC samples |psi|^2) but got "
                    + b.model.config().machinePow());
        }
        if (b.optimizer == null) {
            throw new IllegalArgumentException("optimizer: expected an optimiser (Sgd, Adam) but got none");
        }
        this.spark = b.spark;
        this.hamiltonian = b.hamiltonian;
        this.optimizer = b.optimizer;
        this.sr = b.sr;
        this.samples = b.samples;
        this.seed = b.seed;
        this.partitions = b.partitions;
        this.checkpointPath = b.checkpointPath;
        this.checkpointEvery = b.checkpointEvery;
        this.listener = b.listener;
        this.hook = b.hook;
        this.model = b.model;
        this.step = b.step;
        if (b.resumed != null) {
            b.resumed.restoreOptimizer(optimizer);
            lastCheckpointStep = b.resumed.step();
        }
        // The executors build the operator; build it once here too, so that a bad one fails now.
        HilbertSpace operatorSpace = hamiltonian.create().hilbert();
        if (!operatorSpace.equals(model.hilbert())) {
            throw new IllegalArgumentException("hamiltonian: expected an operator on the model's Hilbert space "
                    + model.hilbert() + " but got one on " + operatorSpace);
        }
    }

    /** A run of {@code model} under the Hamiltonian {@code hamiltonian} builds on each executor. */
    public static Builder builder(SparkSession spark, AutoregressiveModel model, OperatorSource hamiltonian) {
        return new Builder(spark, model, hamiltonian);
    }

    public AutoregressiveModel model() {
        return model;
    }

    public long step() {
        return step;
    }

    public int samples() {
        return samples;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** How a step's samples are cut into tasks. */
    public RowRanges ranges() {
        int parts = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
        return RowRanges.of(samples, io.jarnn.nn.DirectSampler.DEFAULT_CHUNK_SIZE, parts);
    }

    /** The current state as a checkpoint of the local driver's format. */
    public VmcCheckpoint snapshot() {
        return new VmcCheckpoint(model, step, seed, optimizer.name(), optimizer.steps(), optimizer.state());
    }

    /** Writes a checkpoint of the current state to the builder's path. */
    public void checkpoint() throws IOException {
        if (checkpointPath == null) {
            throw new IllegalStateException("no checkpoint path: set one with Builder.checkpoint");
        }
        snapshot().save(checkpointPath);
        lastCheckpointStep = step;
        if (listener != null) {
            listener.onCheckpoint(step, checkpointPath);
        }
    }

    /** Runs {@code steps} steps, checkpointing as {@link VmcDriver#run} does. */
    public List<StepRecord> run(long steps) throws IOException {
        List<StepRecord> records = new ArrayList<>();
        for (long i = 0; i < steps; i++) {
            StepRecord r = runStep();
            records.add(r);
            if (listener != null) {
                listener.onStep(r);
            }
            if (checkpointPath != null && checkpointEvery > 0 && step % checkpointEvery == 0) {
                checkpoint();
            }
        }
        if (checkpointPath != null && lastCheckpointStep != step) {
            checkpoint();
        }
        return records;
    }

    /**
     * One step: the partitions' shares as a Spark job, then the solve and the update here. The
     * record's sampling time is the whole Spark job (sampling, local energies, Jacobian and shares
     * on the executors, which the driver cannot split), its update time the merge, solve and
     * update on the driver; its local-energy and gradient times are 0.
     */
    public StepRecord runStep() {
        long t0 = System.nanoTime();
        int p = model.parameterCount();
        RowRanges ranges = ranges();
        StochasticReconfiguration.Form form = sr == null ? null : sr.formFor(samples, p);
        boolean gather = form != null && form != StochasticReconfiguration.Form.DENSE;
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<ModelBytes> broadcast = jsc.broadcast(ModelBytes.of(model));
        List<Share> shares;
        try {
            List<Integer> parts = new ArrayList<>(IntStream.range(0, ranges.parts()).boxed().toList());
            shares = jsc.parallelize(parts, ranges.parts())
                    .map(new StepPartition(broadcast, hamiltonian, ranges, VmcDriver.stepSeed(seed, step),
                            form == StochasticReconfiguration.Form.DENSE, gather, hook))
                    .collect();
        } finally {
            broadcast.destroy();
        }
        long t1 = System.nanoTime();
        List<StepMoments> moments = shares.stream().map(Share::moments).toList();
        StepMoments total = StepMoments.reduce(moments);
        if (total.nonFiniteRow >= 0) {
            throw new NonFiniteParametersException(step, "step " + step + ": the local energy of sample "
                    + total.nonFiniteRow + " is " + total.nonFiniteValue + "; stopping with the model of step " + step);
        }
        double variance = samples > 1 ? total.m2 / (samples - 1) : 0;
        double[] gradient = new double[p];
        int iterations = 0;
        if (gather) {
            double[] jacobian = new double[Math.multiplyExact(samples, p)];
            double[] energies = new double[samples];
            for (int k = 0; k < shares.size(); k++) {
                Share s = shares.get(k);
                int first = (int) ranges.firstRow(k);
                System.arraycopy(s.energies(), 0, energies, first, s.energies().length);
                System.arraycopy(s.jacobian(), 0, jacobian, first * p, s.jacobian().length);
            }
            sr.solve(jacobian, samples, p, energies, gradient);
            iterations = sr.lastIterations();
        } else {
            double[] force = new double[p];
            for (int e = 0; e < p; e++) {
                force[e] = 2 * total.c[e] / samples;
            }
            if (sr != null) {
                double[] s = total.s;
                for (int i = 0; i < s.length; i++) {
                    s[i] /= samples;
                }
                sr.solveSystem(s, force, p, gradient);
            } else {
                gradient = force;
            }
        }
        double[] increment = new double[p];
        optimizer.update(gradient, increment);
        model = ParameterUpdate.plus(model, increment, step, "");
        long t2 = System.nanoTime();
        StepRecord record = new StepRecord(step, samples, total.meanEnergy, Math.sqrt(variance / samples), variance,
                form, iterations, t1 - t0, 0, 0, t2 - t1);
        step++;
        return record;
    }

    /** What one partition sends back. */
    record Share(StepMoments moments, double[] energies, double[] jacobian) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /** One partition of a step: sample its range, local energies, Jacobian, its share of the sums. */
    private static final class StepPartition implements Function<Integer, Share> {
        @Serial
        private static final long serialVersionUID = 1L;

        private final Broadcast<ModelBytes> model;
        private final OperatorSource hamiltonian;
        private final RowRanges ranges;
        private final long stepSeed;
        private final boolean withS;
        private final boolean gather;
        private final TaskHook hook;

        StepPartition(Broadcast<ModelBytes> model, OperatorSource hamiltonian, RowRanges ranges, long stepSeed,
                      boolean withS, boolean gather, TaskHook hook) {
            this.model = model;
            this.hamiltonian = hamiltonian;
            this.ranges = ranges;
            this.stepSeed = stepSeed;
            this.withS = withS;
            this.gather = gather;
            this.hook = hook;
        }

        @Override
        public Share call(Integer part) {
            Tasks.runHook(hook);
            AutoregressiveModel m = model.value().model().withThreads(Tasks.threads());
            int rows = ranges.rowCount(part);
            long first = ranges.firstRow(part);
            int sites = m.hilbert().size();
            int p = m.parameterCount();
            NdArray configurations = m.dtype() == DType.FLOAT32 ? Tensor.zeros(rows, sites) : Tensor64.zeros(rows, sites);
            m.sampler().withChunkSize(ranges.chunkSize()).sample(stepSeed, first, configurations, null);
            double[] sigma = new double[rows * sites];
            for (int i = 0; i < sigma.length; i++) {
                sigma[i] = configurations.getDouble(i);
            }
            double[] energies = new double[rows];
            EnergyEstimator.of(hamiltonian.create()).localEnergies(m, sigma, rows, energies);
            // A fresh Jacobian: widened (a copy) or taken as it is, then centred in place by StepMoments.
            double[] o = switch (m.logPsiJacobian(configurations)) {
                case Tensor t -> PrecisionConversion.widen(t).array();
                case Tensor64 t -> t.array();
            };
            if (gather) {
                double[] raw = o.clone();
                return new Share(StepMoments.of(first, rows, p, energies, o, false), energies, raw);
            }
            return new Share(StepMoments.of(first, rows, p, energies, o, withS), null, null);
        }
    }

    /** Settings of a {@link DistributedVmc}; those of {@link VmcDriver.Builder}, plus the partition count. */
    public static final class Builder {
        private final SparkSession spark;
        private AutoregressiveModel model;
        private final OperatorSource hamiltonian;
        private Optimizer optimizer;
        private StochasticReconfiguration sr;
        private int samples = 1024;
        private long seed;
        private long step;
        private int partitions;
        private Path checkpointPath;
        private int checkpointEvery;
        private VmcListener listener;
        private VmcCheckpoint resumed;
        private TaskHook hook = TaskHook.NONE;

        private Builder(SparkSession spark, AutoregressiveModel model, OperatorSource hamiltonian) {
            if (spark == null) {
                throw new IllegalArgumentException("spark: expected a SparkSession but got null");
            }
            if (model == null) {
                throw new IllegalArgumentException("model: expected a model but got null");
            }
            if (hamiltonian == null) {
                throw new IllegalArgumentException("hamiltonian: expected an operator source but got null");
            }
            this.spark = spark;
            this.model = model;
            this.hamiltonian = hamiltonian;
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

        /** Spark tasks per step (0, the default: the cluster's default parallelism). */
        public Builder partitions(int partitions) {
            if (partitions < 0) {
                throw new IllegalArgumentException("partitions: expected >= 0 (0: automatic) but got " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        /** Checkpoint to {@code path} every {@code every} steps (0: only at the end of {@link #run}). */
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

        /** Continue from a checkpoint (of this class or of the local driver). */
        public Builder resume(VmcCheckpoint checkpoint) {
            this.resumed = checkpoint;
            this.model = checkpoint.model();
            this.step = checkpoint.step();
            this.seed = checkpoint.seed();
            return this;
        }

        Builder taskHook(TaskHook hook) {
            this.hook = hook;
            return this;
        }

        public DistributedVmc build() {
            return new DistributedVmc(this);
        }
    }
}
