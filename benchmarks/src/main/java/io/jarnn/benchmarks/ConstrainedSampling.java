package io.jarnn.benchmarks;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.DirectSampler;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * {@link DirectSampling}'s model (ARNNConv1D, 3 layers, 16 features, K = 3, one thread, batch
 * 64) on spin-1/2 chains with and without the total-Sz = 0 constraint: what the sector rule
 * costs per sample. {@code sector = none} is the unconstrained space, {@code sz0} the Sz = 0
 * sector; the parameters and the random streams are the same.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_MODULE, ForkFlags.HEAP_MIN, ForkFlags.HEAP_MAX, ForkFlags.PRE_TOUCH})
@State(Scope.Benchmark)
public class ConstrainedSampling {
    @Param({"1000"})
    public int sites;
    @Param({"64"})
    public int batch;
    @Param({"none", "sz0"})
    public String sector;

    private DirectSampler sampler;
    private Tensor configurations;
    private long seed;

    public static long usefulFlopsPerOp(Map<String, String> params) {
        return 2L * Integer.parseInt(params.get("batch"))
                * MultiplyAdds.model(config(Integer.parseInt(params.get("sites")), params.get("sector")));
    }

    static ARNNConfig config(int sites, String sector) {
        HilbertSpace hilbert = switch (sector) {
            case "none" -> HilbertSpace.spin(0.5, sites);
            case "sz0" -> HilbertSpace.spin(0.5, sites, 0);
            default -> throw new IllegalArgumentException("sector: expected none or sz0 but got '" + sector + "'");
        };
        return DirectSampling.config(hilbert);
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        ARNN model = ARNN.initialise(config(sites, sector), 11);
        SelfChecks.requireVectorKernels(model.kernels(), params.getBenchmark());
        sampler = DirectSampler.of(model).withThreads(1).withChunkSize(batch);
        configurations = Tensor.zeros(batch, sites);
        SamplingChecks.requireExactLogProbabilities(params.getBenchmark(), sampler, model);
    }

    @Benchmark
    public Tensor cached() {
        sampler.sample(seed++, configurations, null);
        return configurations;
    }
}
