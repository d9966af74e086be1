package io.jarnn.benchmarks;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.ARNNConv2D;
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
 * Exact samples from an ARNNConv2D on an L x L spin-1/2 lattice (L = 32, N = 1024; 3 layers, 16
 * features, kernel (3, 2), float32) through the cached per-site path, whose layers keep only the
 * image rows their kernels still reach, a batch of {@code batch} per operation ({@code threads = 2}
 * splits it into two chunks drawn in parallel), beside {@link DirectSampling}'s 1D figures.
 * Useful flops: the multiply-adds a full forward of the batch needs (what per-site evaluation
 * cannot avoid), times two; the selu, normalisation and draws are not counted.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_MODULE, ForkFlags.HEAP_MIN, ForkFlags.HEAP_MAX, ForkFlags.PRE_TOUCH})
@State(Scope.Benchmark)
public class ARNNConv2DSampling {
    @Param({"32"})
    public int side;
    @Param({"64", "1024"})
    public int batch;
    @Param({"1", "2"})
    public int threads;

    private DirectSampler sampler;
    private Tensor configurations;
    private long seed;

    public static long usefulFlopsPerOp(Map<String, String> params) {
        return 2L * Integer.parseInt(params.get("batch"))
                * MultiplyAdds.model(config(Integer.parseInt(params.get("side"))));
    }

    /** The sampled model on an L x L lattice, float32: what the flop count and the benchmark both build. */
    static ARNNConfig config(int side) {
        return ARNNConv2D.builder(HilbertSpace.spin(0.5, side * side)).layers(3).features(16).kernelSize(3, 2)
                .dilation(1, 1).bias(true).machinePow(2f).dtype(DType.FLOAT32).config();
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        ARNN model = ARNN.initialise(config(side), 11);
        SelfChecks.requireVectorKernels(model.kernels(), params.getBenchmark());
        SelfChecks.requireFlops(params.getBenchmark(), usefulFlopsPerOp(SelfChecks.params(params)),
                2L * batch * model.multiplyAddsPerSample());
        sampler = DirectSampler.of(model).withThreads(threads).withChunkSize(batch / threads);
        configurations = Tensor.zeros(batch, side * side);
        SamplingChecks.requireExactLogProbabilities(params.getBenchmark(), sampler, model);
    }

    @Benchmark
    public Tensor cached() {
        sampler.sample(seed++, configurations, null);
        return configurations;
    }
}
