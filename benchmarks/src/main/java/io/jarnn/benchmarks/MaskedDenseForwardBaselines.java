package io.jarnn.benchmarks;

import io.jarnn.core.Tensor;
import io.jarnn.kernels.ScalarKernels;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
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
 * The baselines of {@link MaskedDenseForward} on the same layer and data:
 * <ul>
 *   <li>{@code scalar}: the same layer through {@link ScalarKernels} (the reference kernels,
 *       only unmasked multiply-adds, like jarnn);</li>
 *   <li>{@code ejml}: {@code CommonOps_FDRM.mult} of the (batch, N*f) input by the full masked
 *       (N*f, N*f) kernel, which multiplies the masked zeros too (what a dense library does
 *       with NetKet's representation); the bias add is left out, in EJML's favour.</li>
 * </ul>
 * The two largest cases (N*f = 4096 at batch 1024) are left out: they take 5-30 s per call
 * (about 34 GFLOP for EJML, 17 GFLOP of latency-bound scalar fma) and would dominate the run,
 * while batch 64 of the same layers already gives the ratio.
 * Useful flops, as for jarnn: 2 x batch x unmasked multiply-adds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_MODULE, ForkFlags.HEAP_MIN, ForkFlags.HEAP_MAX, ForkFlags.PRE_TOUCH})
@State(Scope.Benchmark)
public class MaskedDenseForwardBaselines {
    @Param({"N64-f4-b1", "N64-f4-b64", "N64-f4-b1024",
            "N64-f16-b1", "N64-f16-b64", "N64-f16-b1024",
            "N256-f4-b1", "N256-f4-b64", "N256-f4-b1024",
            "N256-f16-b1", "N256-f16-b64",
            "N1024-f4-b1", "N1024-f4-b64"})
    public String shape;

    private DenseLayerFixture fixture;
    private FMatrixRMaj ejmlInput;
    private FMatrixRMaj ejmlKernel;
    private FMatrixRMaj ejmlOutput;

    public static long usefulFlopsPerOp(Map<String, String> params) {
        return DenseShape.parse(params.get("shape")).usefulFlops();
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        SelfChecks.printKernels();
        fixture = new DenseLayerFixture(DenseShape.parse(shape), 1234);
        SelfChecks.requireFlops(params.getBenchmark(), usefulFlopsPerOp(SelfChecks.params(params)),
                2L * fixture.shape.batch() * fixture.layer.multiplyAddsPerSample());
        if (params.getBenchmark().endsWith(".ejml")) {
            setUpEjml();
        } else {
            fixture.forward(ScalarKernels.INSTANCE);
            fixture.requireMatchesDefinition(shape + " scalar forward", fixture.y, true);
        }
    }

    private void setUpEjml() {
        int width = fixture.shape.width();
        int batch = fixture.shape.batch();
        Tensor kernel = fixture.maskedKernel();
        ejmlKernel = FMatrixRMaj.wrap(width, width, kernel.array());
        ejmlInput = FMatrixRMaj.wrap(batch, width, fixture.x);
        ejmlOutput = new FMatrixRMaj(batch, width);
        CommonOps_FDRM.mult(ejmlInput, ejmlKernel, ejmlOutput);
        fixture.requireMatchesDefinition(shape + " EJML product", ejmlOutput.data, false);
    }

    @Benchmark
    public float[] scalar() {
        fixture.forward(ScalarKernels.INSTANCE);
        return fixture.y;
    }

    @Benchmark
    public FMatrixRMaj ejml() {
        CommonOps_FDRM.mult(ejmlInput, ejmlKernel, ejmlOutput);
        return ejmlOutput;
    }
}
