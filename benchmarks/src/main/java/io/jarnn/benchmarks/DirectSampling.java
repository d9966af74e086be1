package io.jarnn.benchmarks;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.ARNNConv1D;
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
 * NetKet's own sampling benchmark configuration: exact samples from an ARNNConv1D with
 * L = 10000 spin-1/2 sites, 3 layers, 16 features, kernel size 3, float32, a batch of 64 per
 * operation, through the cached per-site path. {@code threads = 2} splits the batch into two
 * chunks drawn in parallel: batch 64 gives each thread 32 samples (latency of one batch of 64),
 * batch 128 gives each 64 (throughput on all cores). Useful flops: the multiply-adds a full forward of the
 * batch needs (what per-site evaluation cannot avoid), times two; the selu, normalisation and
 * draws are extra work not counted.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_MODULE, ForkFlags.HEAP_MIN, ForkFlags.HEAP_MAX, ForkFlags.PRE_TOUCH})
@State(Scope.Benchmark)
public class DirectSampling {
    @Param({"10000"})
    public int sites;
    @Param({"64", "128"})
    public int batch;
    @Param({"1", "2"})
    public int threads;

    private DirectSampler sampler;
    private Tensor configurations;
    private long seed;

    public static long usefulFlopsPerOp(Map<String, String> params) {
        return 2L * Integer.parseInt(params.get("batch"))
                * MultiplyAdds.model(config(Integer.parseInt(params.get("sites"))));
    }

    /** NetKet's benchmark model on {@code sites} spins: what the flop count and the benchmark both build. */
    static ARNNConfig config(int sites) {
        return config(HilbertSpace.spin(0.5, sites));
    }

    /** NetKet's benchmark model on {@code hilbert}, in float32. */
    static ARNNConfig config(HilbertSpace hilbert) {
        return ARNNConv1D.builder(hilbert).layers(3).features(16).kernelSize(3).dilation(1).bias(true).machinePow(2f)
                .dtype(DType.FLOAT32).config();
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        ARNN model = ARNN.initialise(config(sites), 11);
        SelfChecks.requireVectorKernels(model.kernels(), params.getBenchmark());
        SelfChecks.requireFlops(params.getBenchmark(), usefulFlopsPerOp(SelfChecks.params(params)),
                2L * batch * model.multiplyAddsPerSample());
        sampler = DirectSampler.of(model).withThreads(threads).withChunkSize(batch / threads);
        configurations = Tensor.zeros(batch, sites);
        SamplingChecks.requireExactLogProbabilities(params.getBenchmark(), sampler, model);
    }

    @Benchmark
    public Tensor cached() {
        sampler.sample(seed++, configurations, null);
        return configurations;
    }
}
