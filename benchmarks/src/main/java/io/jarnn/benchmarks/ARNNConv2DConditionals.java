package io.jarnn.benchmarks;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.ARNNConv2D;

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
 * Full ARNNConv2D conditionals (all layers, selu, normalisation) of a spin-1/2 batch on an L x L
 * lattice in float32 on one thread, through the allocation-free
 * {@code conditionalsLogPsi(inputs, out, workspace)}: 3 layers, kernel (3, 2), dilation (1, 1),
 * L = 16 and 32 (N = 256 and 1024, the latter the size of the ARNNConv1D benchmark). Useful
 * flops count only the layers' multiply-adds inside the image (NetKet's zero padding and the
 * masked kernel positions excluded); selu and the normalisation are extra.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_MODULE, ForkFlags.HEAP_MIN, ForkFlags.HEAP_MAX, ForkFlags.PRE_TOUCH})
@State(Scope.Benchmark)
public class ARNNConv2DConditionals {
    @Param({"16", "32"})
    public int side;
    @Param({"3"})
    public int layers;
    @Param({"1024"})
    public int batch;
    @Param({"16"})
    public int features;
    @Param({"3"})
    public int kernelHeight;
    @Param({"2"})
    public int kernelWidth;

    private ModelFixture fixture;

    public static long usefulFlopsPerOp(Map<String, String> params) {
        return 2L * Integer.parseInt(params.get("batch")) * MultiplyAdds.model(config(
                Integer.parseInt(params.get("side")), Integer.parseInt(params.get("layers")),
                Integer.parseInt(params.get("features")), Integer.parseInt(params.get("kernelHeight")),
                Integer.parseInt(params.get("kernelWidth"))));
    }

    /** The measured model's configuration, float32: what the flop count and the benchmark both build. */
    static ARNNConfig config(int side, int layers, int features, int kernelHeight, int kernelWidth) {
        return ARNNConv2D.builder(HilbertSpace.spin(0.5, side * side)).layers(layers).features(features)
                .kernelSize(kernelHeight, kernelWidth).dilation(1, 1).bias(true).machinePow(2f)
                .dtype(DType.FLOAT32).config();
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        var model = ARNN.initialise(config(side, layers, features, kernelHeight, kernelWidth), 11).withThreads(1);
        fixture = new ModelFixture(params.getBenchmark(), model, batch, usefulFlopsPerOp(SelfChecks.params(params)));
    }

    @Benchmark
    public Tensor jarnn() {
        fixture.forward();
        return fixture.out;
    }
}
