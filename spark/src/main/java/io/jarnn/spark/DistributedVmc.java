package io.jarnn.spark;

import io.jarnn.core.HilbertSpace;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.vmc.EnergyEstimator;
import io.jarnn.vmc.StepEstimate;
import io.jarnn.vmc.StepStrategy;
import io.jarnn.vmc.StochasticReconfiguration;
import io.jarnn.vmc.VmcCheckpoint;
import io.jarnn.vmc.VmcDriver;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link VmcDriver}'s step as a Spark job: a {@link StepStrategy}, so that the run loop, the
 * update, the listener, checkpoints and stop requests (Ctrl-C) are the local driver's own:
 * <pre>
 *   VmcDriver run = VmcDriver.builder(model, DistributedVmc.on(spark, hamiltonian).withPartitions(8))
 *           .samples(1024).optimizer(new Sgd(0.1)).sr(sr).build();      // or DistributedVmc.builder(...)
 * </pre>
 * Step s: the model goes out as its {@code .npz} bytes ({@link ModelShipment}: in the tasks'
 * closure when small, else in a broadcast of its own); partition k draws its
 * range of the step's samples ({@link RowRanges}, seed {@link VmcDriver#stepSeed}(seed, s), so
 * the union is exactly the local driver's samples), computes their local energies
 * ({@link EnergyEstimator}) and logPsi Jacobian and returns its share of the sums
 * ({@link StepMoments}); the driver merges the shares in a fixed tree over the partitions, forms
 * F and the SR system (S + lambda I) delta = F and solves it with the run's
 * {@link StochasticReconfiguration}; the {@link VmcDriver} then updates the model with its
 * optimiser, as on one machine. An executor keeps a task's buffers (samples, local energies,
 * Jacobian, the Gram product's scratch: {@link StepWorkspace}) for the next step's task of the
 * same shape ({@link StepWorkspaces}), and the driver its P x P matrix for S, as the local driver
 * keeps its own.
 *
 * <p>When the SR system is larger than the samples (P &gt; n: the minSR or CG form), a P x P
 * share per partition would be the larger message, so the partitions return their Jacobian rows
 * and local energies instead, and the driver solves exactly as the local driver does, on the
 * assembled (n, P) Jacobian.
 *
 * <p>Deterministic for a given partition count (the tree is fixed); equal to the local step up
 * to the order of the sums (relative differences of order 1e-12 in the direction for a float64
 * model, one float rounding of a parameter for float32). Checkpoints are the local driver's
 * ({@link VmcCheckpoint}), so a run may be resumed either here or on one machine. The step
 * record's sampling time is the whole Spark job (sampling, local energies, Jacobian and shares
 * on the executors, which the driver cannot split), its update time the merge, solve and update
 * on the driver; its local-energy and gradient times are 0.
 */
public final class DistributedVmc implements StepStrategy {
    private final SparkSession spark;
    private final OperatorSource hamiltonian;
    private final int partitions;
    private final TaskHook hook;
    private final int inlineLimit;
    /**
     * The identity of {@link #hamiltonian} on the executors, where every task deserialises the
     * operator source anew: the key under which they keep the steps' workspaces
     * ({@link StepWorkspaces}), one per strategy made by {@link #on}.
     */
    private final String hamiltonianKey;
    /** The driver's P x P matrix for S, reused from step to step (null before the first SR step or while in use). */
    private final AtomicReference<double[]> spareS = new AtomicReference<>();

    private DistributedVmc(SparkSession spark, OperatorSource hamiltonian, int partitions, TaskHook hook,
                           int inlineLimit, String hamiltonianKey) {
        this.spark = spark;
        this.hamiltonian = hamiltonian;
        this.partitions = partitions;
        this.hook = hook;
        this.inlineLimit = inlineLimit;
        this.hamiltonianKey = hamiltonianKey;
    }

    /**
     * Steps on {@code spark} under the Hamiltonian {@code hamiltonian} builds on each executor,
     * in the cluster's default parallelism of tasks.
     *
     * <p>A partition's share holds S's upper triangle, P (P + 1) / 2 doubles (1.6 MB for the
     * demo's P = 626): above {@code spark.task.maxDirectResultSize} (Spark's default 1 MiB)
     * Spark sends a task's result through the block manager (stored, announced, fetched, removed)
     * instead of with the task's status. Sessions from {@link SparkSessions#builder} raise that
     * limit to 128 MiB; a session of your own should do the same
     * ({@code .config("spark.task.maxDirectResultSize", "128m")}; the results stay within
     * {@code spark.driver.maxResultSize}, 1 GiB by default, for up to ~600 partitions of the demo).
     */
    public static DistributedVmc on(SparkSession spark, OperatorSource hamiltonian) {
        if (spark == null) {
            throw new IllegalArgumentException("spark: expected a SparkSession but got null");
        }
        if (hamiltonian == null) {
            throw new IllegalArgumentException("hamiltonian: expected an operator source but got null");
        }
        return new DistributedVmc(spark, hamiltonian, 0, TaskHook.NONE, ModelShipment.INLINE_LIMIT,
                UUID.randomUUID().toString());
    }

    /** A {@link VmcDriver} builder of {@code model} whose steps are {@link #on}(spark, hamiltonian)'s jobs. */
    public static VmcDriver.Builder builder(SparkSession spark, AutoregressiveModel model, OperatorSource hamiltonian) {
        return VmcDriver.builder(model, on(spark, hamiltonian));
    }

    /** The same steps cut into {@code partitions} tasks (0: the cluster's default parallelism). */
    public DistributedVmc withPartitions(int partitions) {
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions: expected >= 0 (0: automatic) but got " + partitions);
        }
        return new DistributedVmc(spark, hamiltonian, partitions, hook, inlineLimit, hamiltonianKey);
    }

    /** The same steps running {@code hook} at the start of each task (tests inject failures). */
    DistributedVmc withTaskHook(TaskHook hook) {
        return new DistributedVmc(spark, hamiltonian, partitions, hook, inlineLimit, hamiltonianKey);
    }

    /** The same steps shipping models of at most {@code bytes} in the tasks' closure, larger ones in a broadcast (tests). */
    DistributedVmc withInlineLimit(int bytes) {
        return new DistributedVmc(spark, hamiltonian, partitions, hook, bytes, hamiltonianKey);
    }

    /** How a step of {@code samples} samples is cut into tasks. */
    public RowRanges ranges(int samples) {
        int parts = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
        return RowRanges.of(samples, io.jarnn.nn.DirectSampler.DEFAULT_CHUNK_SIZE, parts);
    }

    /** The executors build the operator; build it once here too, so that a bad one fails before any job. */
    @Override
    public void requireCompatible(AutoregressiveModel model) {
        HilbertSpace operatorSpace = hamiltonian.create().hilbert();
        if (!operatorSpace.equals(model.hilbert())) {
            throw new IllegalArgumentException("hamiltonian: expected an operator on the model's Hilbert space "
                    + model.hilbert() + " but got one on " + operatorSpace);
        }
    }

    /** One step: the partitions' shares as a Spark job, then the merge and the solve here. */
    @Override
    public StepEstimate estimate(AutoregressiveModel model, long step, long stepSeed, int samples,
                                 StochasticReconfiguration sr, double[] direction) {
        long t0 = System.nanoTime();
        int p = model.parameterCount();
        RowRanges ranges = ranges(samples);
        StochasticReconfiguration.Form form = sr == null ? null : sr.formFor(samples, p);
        boolean gather = form != null && form != StochasticReconfiguration.Form.DENSE;
        boolean withS = form == StochasticReconfiguration.Form.DENSE;
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Share> shares;
        try (ModelShipment shipment = ModelShipment.of(jsc, ModelBytes.of(model), inlineLimit)) {
            shares = PartitionJobs.run(spark.sparkContext(), ranges.parts(), new StepPartition(shipment, hamiltonian,
                    hamiltonianKey, ranges, stepSeed, withS, gather, hook), Share.class, "jarnn VMC step " + step);
        }
        long t1 = System.nanoTime();
        List<StepMoments> moments = shares.stream().map(Share::moments).toList();
        double[] fullS = withS ? spareS(p) : null;
        StepMoments total = withS ? StepMoments.reduceToFullS(moments, samples, fullS) : StepMoments.reduce(moments);
        if (total.nonFiniteRow >= 0) {
            spareS.set(fullS);
            return StepEstimate.nonFinite(total.nonFiniteRow, total.nonFiniteValue, t1 - t0, 0);
        }
        double variance = samples > 1 ? total.m2 / (samples - 1) : 0;
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
            sr.solve(jacobian, samples, p, energies, direction);
            iterations = sr.lastIterations();
        } else {
            double[] force = sr == null ? direction : new double[p];
            for (int e = 0; e < p; e++) {
                force[e] = 2 * total.c[e] / samples;
            }
            if (sr != null) {
                sr.solveSystem(fullS, force, p, direction);
                spareS.set(fullS);
            }
        }
        long t2 = System.nanoTime();
        return new StepEstimate(total.meanEnergy, variance, form, iterations, t1 - t0, 0, 0, t2 - t1, -1, 0);
    }

    /** A P x P matrix for S: the one the last step used if it has that size. */
    private double[] spareS(int p) {
        double[] s = spareS.getAndSet(null);
        return s != null && s.length == (long) p * p ? s : new double[Math.multiplyExact(p, p)];
    }

    /** What one partition sends back. */
    record Share(StepMoments moments, double[] energies, double[] jacobian) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /** One partition of a step: sample its range, local energies, Jacobian, its share of the sums. */
    private static final class StepPartition extends PartitionJobs.Task<Share> {
        @Serial
        private static final long serialVersionUID = 1L;

        private final ModelShipment model;
        private final OperatorSource hamiltonian;
        private final String hamiltonianKey;
        private final RowRanges ranges;
        private final long stepSeed;
        private final boolean withS;
        private final boolean gather;
        private final TaskHook hook;

        StepPartition(ModelShipment model, OperatorSource hamiltonian, String hamiltonianKey, RowRanges ranges,
                      long stepSeed, boolean withS, boolean gather, TaskHook hook) {
            this.model = model;
            this.hamiltonian = hamiltonian;
            this.hamiltonianKey = hamiltonianKey;
            this.ranges = ranges;
            this.stepSeed = stepSeed;
            this.withS = withS;
            this.gather = gather;
            this.hook = hook == TaskHook.NONE ? null : hook; // one serialised lambda less per task
        }

        @Override
        Share call(int part) {
            Tasks.runHook(hook);
            AutoregressiveModel m = model.model().model().withThreads(Tasks.threads());
            int rows = ranges.rowCount(part);
            long first = ranges.firstRow(part);
            int p = m.parameterCount();
            StepWorkspaces.Key key = new StepWorkspaces.Key(hamiltonianKey, m.config(), rows);
            StepWorkspace w = StepWorkspaces.borrow(key, m, () -> EnergyEstimator.of(hamiltonian.create()));
            try {
                w.sample(m, ranges.chunkSize(), stepSeed, first);
                w.localEnergies(m);
                double[] o = w.jacobian();
                // The share holds none of the workspace's arrays: it is serialised after the workspace is given back.
                if (gather) {
                    double[] raw = o.clone();
                    double[] energies = w.energies.clone();
                    return new Share(StepMoments.of(first, rows, p, energies, o, null), energies, raw);
                }
                return new Share(StepMoments.of(first, rows, p, w.energies, o, withS ? w.gramScratch() : null),
                        null, null);
            } finally {
                StepWorkspaces.giveBack(key, w);
            }
        }
    }

}
