package io.jarnn.benchmarks;

import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
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
 * The same model and batch of 64 sampled along both paths on one thread: {@code cached}
 * (per-site caches, O(1) per site) and {@code naive} (a full forward of the batch for every
 * site, O(L) per site, as an ARNN without caches must). The report gives their ratio.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_MODULE, ForkFlags.HEAP_MIN, ForkFlags.HEAP_MAX, ForkFlags.PRE_TOUCH})
@State(Scope.Benchmark)
public class CachedVsNaiveSampling {
    @Param({"256", "1024"})
    public int sites;
    @Param({"64"})
    public int batch;

    private DirectSampler cachedSampler;
    private DirectSampler naiveSampler;
    private Tensor configurations;
    private long seed;

    public static long usefulFlopsPerOp(Map<String, String> params) {
        return 2L * Integer.parseInt(params.get("batch"))
                * MultiplyAdds.model(DirectSampling.config(Integer.parseInt(params.get("sites"))));
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        ARNN model = ARNN.initialise(DirectSampling.config(sites), 11).withThreads(1);
        SelfChecks.requireVectorKernels(model.kernels(), params.getBenchmark());
        cachedSampler = DirectSampler.of(model).withChunkSize(batch);
        naiveSampler = cachedSampler.withPath(DirectSampler.Path.NAIVE);
        configurations = Tensor.zeros(batch, sites);
        SamplingChecks.requireExactLogProbabilities(params.getBenchmark(), cachedSampler, model);
        SamplingChecks.requireExactLogProbabilities(params.getBenchmark(), naiveSampler, model);
    }

    @Benchmark
    public Tensor cached() {
        cachedSampler.sample(seed++, configurations, null);
        return configurations;
    }

    @Benchmark
    public Tensor naive() {
        naiveSampler.sample(seed++, configurations, null);
        return configurations;
    }
}
