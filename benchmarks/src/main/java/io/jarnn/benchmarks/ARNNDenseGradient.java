package io.jarnn.benchmarks;


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
 * Forward and backward of {@code sum_b c_b logPsi(sigma_b)} (ARNNDense, N = 256, 3 layers, 16
 * features, spin-1/2, batch 1024) on one thread, through the allocation-free flat
 * {@code logPsiGradient(inputs, weights, grad, off, workspace)}. Useful flops: see
 * {@link GradientFlops} (the layers' unmasked multiply-adds of the forward, the parameter
 * gradient and the input gradients, times two).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_MODULE, ForkFlags.HEAP_MIN, ForkFlags.HEAP_MAX, ForkFlags.PRE_TOUCH})
@State(Scope.Benchmark)
public class ARNNDenseGradient {
    @Param({"256"})
    public int sites;
    @Param({"3"})
    public int layers;
    @Param({"16"})
    public int features;
    @Param({"1024"})
    public int batch;

    private GradientFixture fixture;

    public static long usefulFlopsPerOp(Map<String, String> params) {
        int sites = Integer.parseInt(params.get("sites"));
        int layers = Integer.parseInt(params.get("layers"));
        int features = Integer.parseInt(params.get("features"));
        return GradientFixture.usefulFlopsPerOp(ARNNDenseConditionals.config(sites, layers, features), Integer.parseInt(params.get("batch")));
    }

    /** The model of the forward benchmark of the same shape, so that their times compare. */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        fixture = new GradientFixture(params.getBenchmark(), ARNNDenseConditionals.config(sites, layers, features),
                batch, usefulFlopsPerOp(SelfChecks.params(params)));
    }

    @Benchmark
    public float[] jarnn() {
        return fixture.gradient();
    }
}
