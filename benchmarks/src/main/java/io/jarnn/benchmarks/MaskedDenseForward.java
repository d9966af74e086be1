package io.jarnn.benchmarks;

import io.jarnn.kernels.Kernels;

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
 * Forward of one hidden float32 MaskedDense1D layer (in = out = f, inclusive, bias) through jarnn's
 * vector kernels, single thread. Useful flops: 2 x batch x unmasked multiply-adds.
 * Scalar and EJML baselines on the same data: {@link MaskedDenseForwardBaselines}, matched by shape. //f64: * No baselines in float64 (EJML's float64 module is not a dependency; {@link MaskedDenseForwardBaselines} is float32).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_MODULE, ForkFlags.HEAP_MIN, ForkFlags.HEAP_MAX, ForkFlags.PRE_TOUCH})
@State(Scope.Benchmark)
public class MaskedDenseForward {
    /** All N in {64, 256, 1024} x f in {4, 16} with N*f <= 4096, x batch in {1, 64, 1024}. */
    @Param({"N64-f4-b1", "N64-f4-b64", "N64-f4-b1024",
            "N64-f16-b1", "N64-f16-b64", "N64-f16-b1024",
            "N256-f4-b1", "N256-f4-b64", "N256-f4-b1024",
            "N256-f16-b1", "N256-f16-b64", "N256-f16-b1024",
            "N1024-f4-b1", "N1024-f4-b64", "N1024-f4-b1024"})
    public String shape;

    private DenseLayerFixture fixture;
    private Kernels kernels;

    public static long usefulFlopsPerOp(Map<String, String> params) {
        return DenseShape.parse(params.get("shape")).usefulFlops();
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        kernels = Kernels.active();
        SelfChecks.requireVectorKernels(kernels, params.getBenchmark());
        fixture = new DenseLayerFixture(DenseShape.parse(shape), 1234);
        SelfChecks.requireFlops(params.getBenchmark(), usefulFlopsPerOp(SelfChecks.params(params)),
                2L * fixture.shape.batch() * fixture.layer.multiplyAddsPerSample());
        fixture.forward(kernels);
        // accumulateTaps performs the scalar reference's fma sequence per element: bitwise equal.
        SelfChecks.requireBitwiseEqual(shape + " vector forward", fixture.scalarReferenceRows(), fixture.y,
                fixture.checkedRows() * fixture.shape.width());
        fixture.requireMatchesDefinition(shape + " vector forward", fixture.y, true);
    }

    @Benchmark
    public float[] jarnn() {
        fixture.forward(kernels);
        return fixture.y;
    }
}
