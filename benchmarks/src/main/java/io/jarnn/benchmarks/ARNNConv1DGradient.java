package io.jarnn.benchmarks;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.ARNNConv1D;
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
 * Forward and backward of {@code sum_b c_b logPsi(sigma_b)} (ARNNConv1D, N = 1024, kernel size 3, 3 layers, 16
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
public class ARNNConv1DGradient {
    @Param({"1024"})
    public int sites;
    @Param({"3"})
    public int layers;
    @Param({"16"})
    public int features;
    @Param({"1024"})
    public int batch;

    private ARNN model;
    private Tensor sigma;
    private Tensor weights;
    private float[] grad;
    private GradientWorkspace workspace;

    public static long usefulFlopsPerOp(Map<String, String> params) {
        return 2L * Integer.parseInt(params.get("batch")) * GradientFlops.multiplyAddsPerSample(config(
                Integer.parseInt(params.get("sites")), Integer.parseInt(params.get("layers")),
                Integer.parseInt(params.get("features"))));
    }

    /** The measured model's configuration: what the flop count and the benchmark both build. */
    static ARNNConfig config(int sites, int layers, int features) {
        return ARNNConv1D.builder(HilbertSpace.spin(0.5, sites)).layers(layers).features(features)
                .kernelSize(3).dilation(1).bias(true).machinePow(2f).config();
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        model = ARNN.initialise(config(sites, layers, features), 12).withThreads(1);
        SelfChecks.requireVectorKernels(model.kernels(), params.getBenchmark());
        SelfChecks.requireFlops(params.getBenchmark(), usefulFlopsPerOp(SelfChecks.params(params)),
                2L * batch * GradientFlops.multiplyAddsPerSample(model.config()));
        sigma = model.hilbert().randomConfigurations(batch, 3);
        weights = Tensor.zeros(batch);
        for (int b = 0; b < batch; b++) {
            weights.array()[b] = 1f / batch;
        }
        grad = new float[model.parameterCount()];
        workspace = model.newGradientWorkspace();
        // Self-check: the gradient of the mean logPsi is finite and the same on two threads.
        model.logPsiGradient(sigma, weights, grad, 0, workspace);
        float[] two = new float[grad.length];
        model.withThreads(2).logPsiGradient(sigma, weights, two, 0, model.newGradientWorkspace());
        SelfChecks.requireBitwiseEqual(params.getBenchmark() + ": gradient on 1 and 2 threads", grad, two, grad.length);
    }

    @Benchmark
    public float[] jarnn() {
        model.logPsiGradient(sigma, weights, grad, 0, workspace);
        return grad;
    }
}
