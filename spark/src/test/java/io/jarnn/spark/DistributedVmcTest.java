package io.jarnn.spark;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.nn.ARNN64;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ARNNDense;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.vmc.Lattice;
import io.jarnn.vmc.Optimizer;
import io.jarnn.vmc.Sgd;
import io.jarnn.vmc.StepRecord;
import io.jarnn.vmc.StochasticReconfiguration;
import io.jarnn.vmc.StochasticReconfiguration.Form;
import io.jarnn.vmc.TransverseFieldIsing;
import io.jarnn.vmc.VmcCheckpoint;
import io.jarnn.vmc.VmcDriver;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distributed VMC step against the local driver's: the same samples (bit for bit), so the
 * same energy and, up to the order of the sums, the same update.
 */
class DistributedVmcTest {
    private static final int SITES = 8;
    /** Relative tolerance on a float64 step's parameters: the sums differ only in order. */
    private static final double TOLERANCE = 1e-9;
    private static final OperatorSource ISING = () -> new TransverseFieldIsing(HilbertSpace.spin(0.5, SITES),
            Lattice.chain(SITES, false), 1, 1);

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
    }

    private static ARNN64 conv64() {
        return ARNNConv1D.builder(HilbertSpace.spin(0.5, SITES)).layers(2).features(3).kernelSize(3)
                .dtype(DType.FLOAT64).build64(7);
    }

    private static VmcDriver local(AutoregressiveModel model, int samples, Optimizer optimizer,
                                   StochasticReconfiguration sr) {
        return VmcDriver.builder(model, ISING.create()).samples(samples).seed(5).optimizer(optimizer).sr(sr).build();
    }

    private static VmcDriver distributed(AutoregressiveModel model, int samples, int partitions,
                                         Optimizer optimizer, StochasticReconfiguration sr) {
        return VmcDriver.builder(model, DistributedVmc.on(spark, ISING).withPartitions(partitions)).samples(samples)
                .seed(5).optimizer(optimizer).sr(sr).build();
    }

    private static void assertClose(AutoregressiveModel expected, AutoregressiveModel actual, double tolerance) {
        double[] a = ((ARNN64) expected).flatParameters();
        double[] b = ((ARNN64) actual).flatParameters();
        assertEquals(a.length, b.length);
        double scale = 0;
        double worst = 0;
        for (int e = 0; e < a.length; e++) {
            scale = Math.max(scale, Math.abs(a[e]));
            worst = Math.max(worst, Math.abs(a[e] - b[e]));
        }
        assertTrue(worst <= tolerance * scale, "largest parameter difference " + worst + " against scale " + scale);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void twoSrStepsMatchTheLocalDriver(int partitions) {
        VmcDriver local = local(conv64(), 320, new Sgd(0.05), new StochasticReconfiguration(0.01, Form.AUTO));
        VmcDriver remote = distributed(conv64(), 320, partitions, new Sgd(0.05),
                new StochasticReconfiguration(0.01, Form.AUTO));
        assertEquals(Form.DENSE, new StochasticReconfiguration().formFor(320, conv64().parameterCount()));
        for (int s = 0; s < 2; s++) {
            StepRecord l = local.runStep();
            StepRecord r = remote.runStep();
            assertEquals(l.energy(), r.energy(), 1e-12 * Math.abs(l.energy()), "energy of step " + s);
            assertEquals(l.variance(), r.variance(), 1e-9 * l.variance(), "variance of step " + s);
            assertClose(local.model(), remote.model(), TOLERANCE);
        }
        assertEquals(2, remote.step());
    }

    @Test
    void aPlainGradientStepMatchesTheLocalDriver() {
        VmcDriver local = local(conv64(), 200, new Sgd(0.05), null);
        VmcDriver remote = distributed(conv64(), 200, 2, new Sgd(0.05), null);
        local.runStep();
        remote.runStep();
        assertClose(local.model(), remote.model(), TOLERANCE);
    }

    @Test
    void moreParametersThanSamplesTakesTheLocalSolveOnTheGatheredJacobian() {
        ARNN64 dense = ARNNDense.builder(HilbertSpace.spin(0.5, SITES)).layers(2).features(6).dtype(DType.FLOAT64)
                .build64(3);
        assertEquals(Form.MINSR, new StochasticReconfiguration().formFor(64, dense.parameterCount()));
        VmcDriver local = local(dense, 64, new Sgd(0.05), new StochasticReconfiguration());
        VmcDriver remote = distributed(dense, 64, 2, new Sgd(0.05), new StochasticReconfiguration());
        local.runStep();
        StepRecord r = remote.runStep();
        assertEquals(Form.MINSR, r.srForm());
        assertClose(local.model(), remote.model(), TOLERANCE);
    }

    @Test
    void aStepIsTheSameForTheSamePartitionsAndWhenATaskIsRetried() {
        VmcDriver once = distributed(conv64(), 320, 3, new Sgd(0.05), new StochasticReconfiguration());
        VmcDriver retried = VmcDriver.builder(conv64(), DistributedVmc.on(spark, ISING).withPartitions(3)
                        .withTaskHook(context -> {
                            if (context.partitionId() == 2 && context.attemptNumber() == 0) {
                                throw new IllegalStateException("injected failure of the first attempt of partition 2");
                            }
                        }))
                .samples(320).seed(5).optimizer(new Sgd(0.05)).sr(new StochasticReconfiguration()).build();
        once.runStep();
        retried.runStep();
        assertArrayEquals(((ARNN64) once.model()).flatParameters(), ((ARNN64) retried.model()).flatParameters());
    }

    /** A model in the tasks' closure (small) or in a broadcast of its own (large): the same steps, bit for bit. */
    @Test
    void aModelShippedInABroadcastGivesTheStepsOfOneInTheClosure() {
        VmcDriver inClosure = distributed(conv64(), 256, 2, new Sgd(0.05), new StochasticReconfiguration());
        VmcDriver inBroadcast = VmcDriver.builder(conv64(), DistributedVmc.on(spark, ISING).withPartitions(2)
                        .withInlineLimit(0))
                .samples(256).seed(5).optimizer(new Sgd(0.05)).sr(new StochasticReconfiguration()).build();
        for (int s = 0; s < 2; s++) {
            assertEquals(inClosure.runStep().energy(), inBroadcast.runStep().energy(), 0, "energy of step " + s);
        }
        assertArrayEquals(((ARNN64) inClosure.model()).flatParameters(), ((ARNN64) inBroadcast.model()).flatParameters());
        ModelBytes bytes = ModelBytes.of(conv64());
        org.apache.spark.api.java.JavaSparkContext jsc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(
                spark.sparkContext());
        try (ModelShipment small = ModelShipment.of(jsc, bytes, bytes.size());
             ModelShipment large = ModelShipment.of(jsc, bytes, bytes.size() - 1)) {
            assertTrue(small instanceof ModelShipment.Inline, "a model of the limit rides in the closure");
            assertTrue(large instanceof ModelShipment.Broadcasted, "a larger one gets a broadcast");
            assertEquals(bytes.sha256(), large.model().sha256());
        }
    }

    @Test
    void aCheckpointResumesOnTheLocalDriver() throws IOException {
        Path file = dir.resolve("run.npz");
        VmcDriver remote = VmcDriver.builder(conv64(), DistributedVmc.on(spark, ISING).withPartitions(2)).samples(128)
                .seed(5).optimizer(new Sgd(0.05)).sr(new StochasticReconfiguration()).checkpoint(file, 0).build();
        List<StepRecord> records = remote.run(1);
        assertEquals(1, records.size());
        VmcCheckpoint saved = VmcCheckpoint.load(file);
        assertEquals(1, saved.step());
        assertArrayEquals(((ARNN64) remote.model()).flatParameters(), ((ARNN64) saved.model()).flatParameters());
        VmcDriver resumed = VmcDriver.builder(saved.model(), ISING.create()).samples(128).optimizer(new Sgd(0.05))
                .sr(new StochasticReconfiguration()).resume(saved).build();
        VmcDriver straight = local(conv64(), 128, new Sgd(0.05), new StochasticReconfiguration());
        straight.runStep();
        straight.runStep();
        resumed.runStep();
        assertClose(straight.model(), resumed.model(), TOLERANCE);
    }

    /**
     * The executors keep a step's workspaces for the next step ({@link StepWorkspaces}): steps on
     * workspaces another model of the same shape left behind give the bits of steps on fresh
     * ones, float32 and float64.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void stepsOnReusedWorkspacesAreStepsOnFreshOnes(boolean float64) {
        DType dtype = float64 ? DType.FLOAT64 : DType.FLOAT32;
        java.util.function.IntFunction<AutoregressiveModel> model = seed -> {
            var b = ARNNConv1D.builder(HilbertSpace.spin(0.5, SITES)).layers(2).features(3).kernelSize(3).dtype(dtype);
            return float64 ? b.build64(seed) : b.build(seed);
        };
        DistributedVmc strategy = DistributedVmc.on(spark, ISING).withPartitions(2);
        java.util.function.Function<AutoregressiveModel, VmcDriver> driver = m -> VmcDriver.builder(m, strategy)
                .samples(320).seed(5).optimizer(new Sgd(0.05)).sr(new StochasticReconfiguration()).build();
        StepWorkspaces.clear();
        VmcDriver other = driver.apply(model.apply(8));
        other.runStep();
        assertTrue(StepWorkspaces.free() >= 1, "a step leaves its workspaces for the next");
        VmcDriver reused = driver.apply(model.apply(7));
        reused.runStep();
        StepWorkspaces.clear();
        VmcDriver fresh = driver.apply(model.apply(7));
        fresh.runStep();
        assertEquals(ModelBytes.of(fresh.model()).sha256(), ModelBytes.of(reused.model()).sha256(),
                "the model after a step on workspaces another model's step left");
        other.runStep();
        reused.runStep();
        StepWorkspaces.clear();
        fresh.runStep();
        assertEquals(ModelBytes.of(fresh.model()).sha256(), ModelBytes.of(reused.model()).sha256(),
                "the model after two steps");
    }

    /** A step is one Spark job of one stage (the model rides in it; nothing else is collected). */
    @Test
    void aStepIsOneSparkJob() throws java.util.concurrent.TimeoutException {
        java.util.concurrent.atomic.AtomicInteger jobs = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger stages = new java.util.concurrent.atomic.AtomicInteger();
        org.apache.spark.scheduler.SparkListener listener = new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
                jobs.incrementAndGet();
            }

            @Override
            public void onStageSubmitted(org.apache.spark.scheduler.SparkListenerStageSubmitted submitted) {
                stages.incrementAndGet();
            }
        };
        VmcDriver remote = distributed(conv64(), 320, 2, new Sgd(0.05), new StochasticReconfiguration());
        remote.runStep(); // the first step may read the model; count the steps after it
        spark.sparkContext().listenerBus().waitUntilEmpty();
        spark.sparkContext().addSparkListener(listener);
        try {
            remote.runStep();
            remote.runStep();
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
        assertEquals(2, jobs.get(), "Spark jobs of two steps");
        assertEquals(2, stages.get(), "Spark stages of two steps");
    }

    @Test
    void anOperatorOnAnotherSpaceIsRefusedBeforeAnyJob() {
        OperatorSource longer = () -> new TransverseFieldIsing(HilbertSpace.spin(0.5, SITES + 2),
                Lattice.chain(SITES + 2, false), 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DistributedVmc.builder(spark, conv64(), longer).optimizer(new Sgd(0.1)).build());
        assertTrue(e.getMessage().startsWith("hamiltonian: expected an operator on the model's Hilbert space"),
                e.getMessage());
        assertTrue(e.getMessage().contains("N=" + (SITES + 2)), e.getMessage());
    }
}
