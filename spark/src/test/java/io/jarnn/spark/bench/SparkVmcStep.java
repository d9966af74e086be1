package io.jarnn.spark.bench;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.spark.DistributedVmc;
import io.jarnn.spark.OperatorSource;
import io.jarnn.spark.SparkSessions;
import io.jarnn.vmc.Lattice;
import io.jarnn.vmc.Sgd;
import io.jarnn.vmc.StepRecord;
import io.jarnn.vmc.StochasticReconfiguration;
import io.jarnn.vmc.TransverseFieldIsing;
import io.jarnn.vmc.VmcDriver;
import org.apache.spark.sql.SparkSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The demo's VMC step (ARNNConv1D, 3 layers, 8 features, kernel 7, float64, on the open
 * transverse-field Ising chain N = 20, J = h = 1, 1024 exact samples, SR with shift 0.01 and SGD
 * lr 0.1) on one machine ({@code local}: {@link VmcDriver#runStep}, the model on 2 threads) and
 * as a Spark job on {@code local[2]} with 2 partitions ({@code spark}: {@link VmcDriver#runStep} on
 * {@link DistributedVmc}'s steps):
 * their ratio is the per-step overhead of Spark. Run: {@code ./jarnn spark-bench SparkVmcStep}.
 *
 * <p>The warm-up is a minute (several hundred steps), not JMH's usual seconds: Spark's scheduling
 * code runs a few times per job, so it takes hundreds of jobs to be compiled (after 150 steps the
 * Spark threads still spent nearly twice the CPU per step they spend after 600, measured with
 * thread CPU times on a loaded machine, issue 17); a training run of a few hundred steps reaches
 * that state early, and the local driver gets the same warm-up.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 6, time = 10)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Benchmark)
public class SparkVmcStep {
    private static final int SITES = 20;
    private static final OperatorSource ISING = () -> new TransverseFieldIsing(HilbertSpace.spin(0.5, SITES),
            Lattice.chain(SITES, false), 1, 1);

    @Param({"local", "spark"})
    public String driver;
    @Param({"1024"})
    public int samples;

    private SparkSession spark;
    private VmcDriver local;
    private VmcDriver distributed;

    @Setup
    public void setUp() {
        AutoregressiveModel model = ARNNConv1D.builder(HilbertSpace.spin(0.5, SITES)).layers(3).features(8).kernelSize(7)
                .dtype(DType.FLOAT64).build64(1).withThreads(2);
        if (driver.equals("local")) {
            local = VmcDriver.builder(model, ISING.create()).samples(samples).seed(1).optimizer(new Sgd(0.1))
                    .sr(new StochasticReconfiguration(0.01, StochasticReconfiguration.Form.AUTO)).build();
        } else {
            spark = SparkSessions.builder("local[2]", "jarnn-bench").getOrCreate();
            distributed = VmcDriver.builder(model, DistributedVmc.on(spark, ISING).withPartitions(2)).samples(samples)
                    .seed(1).optimizer(new Sgd(0.1))
                    .sr(new StochasticReconfiguration(0.01, StochasticReconfiguration.Form.AUTO)).build();
        }
    }

    @TearDown
    public void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Benchmark
    public StepRecord step() {
        return local != null ? local.runStep() : distributed.runStep();
    }
}
