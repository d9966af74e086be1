package io.jarnn.benchmarks;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.ARNNDense;

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
 * Full ARNNDense conditionals (all layers, selu, normalisation) of a spin-1/2 batch in float32 on
 * one thread, through the allocation-free {@code conditionalsLogPsi(inputs, out, workspace)}.
 * Useful flops count only the layers' unmasked multiply-adds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_MODULE, ForkFlags.HEAP_MIN, ForkFlags.HEAP_MAX, ForkFlags.PRE_TOUCH})
@State(Scope.Benchmark)
public class ARNNDenseConditionals {
    @Param({"256"})
    public int sites;
    @Param({"3"})
    public int layers;
    @Param({"16"})
    public int features;
    @Param({"1024"})
    public int batch;

    private ModelFixture fixture;

    public static long usefulFlopsPerOp(Map<String, String> params) {
        return 2L * Integer.parseInt(params.get("batch")) * MultiplyAdds.model(config(
                Integer.parseInt(params.get("sites")), Integer.parseInt(params.get("layers")),
                Integer.parseInt(params.get("features"))));
    }

    /** The measured model's configuration, float32: what the flop count and the benchmark both build. */
    static ARNNConfig config(int sites, int layers, int features) {
        return ARNNDense.builder(HilbertSpace.spin(0.5, sites)).layers(layers).features(features)
                .bias(true).machinePow(2f).dtype(DType.FLOAT32).config();
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        var model = ARNN.initialise(config(sites, layers, features), 12).withThreads(1);
        fixture = new ModelFixture(params.getBenchmark(), model, batch, usefulFlopsPerOp(SelfChecks.params(params)));
    }

    @Benchmark
    public Tensor jarnn() {
        fixture.forward();
        return fixture.out;
    }
}
