package io.jarnn.benchmarks;

import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.GradientWorkspace;

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
 * The per-sample Jacobian of logPsi, (batch, P), of NetKet's sampling benchmark model
 * ({@link DirectSampling#config}: ARNNConv1D, 10000 spin-1/2 sites, 3 layers, 16 features, kernel
 * size 3) on a batch of 1024 configurations, what an SR step needs, on {@code threads} threads
 * through the allocation-free {@code logPsiJacobian(inputs, out, workspace)}. Useful flops: see
 * {@link GradientFlops}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_MODULE, ForkFlags.HEAP_MIN, ForkFlags.HEAP_MAX, ForkFlags.PRE_TOUCH})
@State(Scope.Benchmark)
public class SamplingModelJacobian {
    @Param({"10000"})
    public int sites;
    @Param({"1024"})
    public int batch;
    @Param({"1", "2"})
    public int threads;

    private ARNN model;
    private Tensor sigma;
    private Tensor jacobian;
    private GradientWorkspace workspace;

    public static long usefulFlopsPerOp(Map<String, String> params) {
        return 2L * Integer.parseInt(params.get("batch"))
                * GradientFlops.multiplyAddsPerSample(DirectSampling.config(Integer.parseInt(params.get("sites"))));
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        model = ARNN.initialise(DirectSampling.config(sites), 11).withThreads(threads);
        SelfChecks.requireVectorKernels(model.kernels(), params.getBenchmark());
        SelfChecks.requireFlops(params.getBenchmark(), usefulFlopsPerOp(SelfChecks.params(params)),
                2L * batch * GradientFlops.multiplyAddsPerSample(model.config()));
        sigma = model.hilbert().randomConfigurations(batch, 5);
        jacobian = Tensor.zeros(batch, model.parameterCount());
        workspace = model.newGradientWorkspace();
        // Self-check: the rows' sum is the gradient of sum_b logPsi (two summation orders).
        model.logPsiJacobian(sigma, jacobian, workspace);
        Tensor ones = Tensor.zeros(batch);
        java.util.Arrays.fill(ones.array(), 1f);
        float[] grad = new float[model.parameterCount()];
        model.logPsiGradient(sigma, ones, grad, 0, model.newGradientWorkspace());
        for (int e = 0; e < grad.length; e++) {
            double sum = 0;
            for (int b = 0; b < batch; b++) {
                sum += jacobian.array()[b * grad.length + e];
            }
            SelfChecks.requireWithin(params.getBenchmark() + ": Jacobian column sum", "parameter " + e, grad[e], sum,
                    1e-3 * (1 + Math.abs(grad[e])));
        }
    }

    @Benchmark
    public Tensor jarnn() {
        model.logPsiJacobian(sigma, jacobian, workspace);
        return jacobian;
    }
}
