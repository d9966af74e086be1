package io.jarnn.spark.bench;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.spark.DistributedSampler;
import io.jarnn.spark.SparkSessions;
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
 * Distributed sampling throughput on NetKet's sampling benchmark model (the benchmarks module's
 * DirectSampling: ARNNConv1D, L = 10000 spin-1/2 sites, 3 layers, 16 features, kernel 3,
 * float32): {@code samples} exact samples per operation as one Spark job of {@code partitions}
 * tasks, on {@code local[1]} and {@code local[2]} (the scaling), each task on one core. The
 * samples stay on the executors (each task returns its row count): this measures drawing them,
 * not moving them. One JVM per master (Spark allows one context per JVM), which JMH's forks give.
 * Run: {@code ./jarnn spark-bench SparkSampling}; ops/s times {@code samples} is samples/s.
 *
 * <p>A minute of warm-up, as in {@link SparkVmcStep}: on two cores the JIT compilers share the
 * cores with both sampling threads on {@code local[2]} (on {@code local[1]} they have the other core
 * to themselves), and with 2 x 5 s of warm-up a {@code local[2]} run was still speeding up through
 * its measurement (2.36, 2.40, 2.54, 2.58, 2.74 jobs/s on a Zen 4), which measured the compilers,
 * not the sampling.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 10)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Benchmark)
public class SparkSampling {
    @Param({"local[1]", "local[2]"})
    public String master;
    @Param({"10000"})
    public int sites;
    @Param({"1024"})
    public int samples;
    @Param({"4"})
    public int partitions;

    private SparkSession spark;
    private DistributedSampler sampler;
    private long seed;

    @Setup
    public void setUp() {
        spark = SparkSessions.builder(master, "jarnn-bench").getOrCreate();
        ARNN model = ARNNConv1D.builder(HilbertSpace.spin(0.5, sites)).layers(3).features(16).kernelSize(3).dilation(1)
                .bias(true).machinePow(2f).dtype(DType.FLOAT32).build(11);
        sampler = DistributedSampler.of(spark, model).withPartitions(partitions);
    }

    @TearDown
    public void tearDown() {
        spark.stop();
    }

    @Benchmark
    public long sample() {
        long rows = sampler.blocks(samples, seed++).map(b -> (long) b.rows()).reduce(Long::sum);
        if (rows != samples) {
            throw new IllegalStateException("expected " + samples + " samples but the job drew " + rows);
        }
        return rows;
    }
}
