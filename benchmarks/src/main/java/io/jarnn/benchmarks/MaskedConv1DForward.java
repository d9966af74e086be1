package io.jarnn.benchmarks;

import io.jarnn.core.Tensor;
import io.jarnn.kernels.Kernels;
import io.jarnn.kernels.ScalarKernels;
import io.jarnn.nn.MaskedConv1D;

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
 * Forward of one hidden float32 MaskedConv1D layer (in = out = features, inclusive, bias) through
 * jarnn's vector kernels, single thread. No scalar twin: at features 64 and batch 1024 the
 * scalar reference needs tens of seconds per call; the dense baselines give that ratio.
 * Useful flops: 2 x batch x multiply-adds of the taps that do not fall before site 0.
 *
 * <p>{@code jarnn} times the public row-major {@code forward} (x and y (batch, sites, features));
 * {@code planar} times {@code forwardPlanar}, the layout a convolutional model's full forward
 * keeps every layer in (per sample features by positions, rows {@link #PLANAR_ROW_GAP} floats
 * longer than the sequence), with no transposes; the model runs it on blocks of positions, all
 * layers on one block before the next, so its planes stay in cache where here each call
 * streams a whole sample. Both are checked bitwise against the scalar row-major forward.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_MODULE, ForkFlags.HEAP_MIN, ForkFlags.HEAP_MAX, ForkFlags.PRE_TOUCH})
@State(Scope.Benchmark)
public class MaskedConv1DForward {
    private static final int CHECKED_SAMPLES = 2;
    /**
     * Rounded evaluations between the definition and the result, each within the dot-product bound:
     * the result's; in the float64 twin also the definition's, evaluated in the same precision.
     */
    private static final int ROUNDED_EVALUATIONS = 1; //f64: private static final int ROUNDED_EVALUATIONS = 2;
    /** Floats between rows of the planar layout, as a model's (rows 4 KiB apart would share an L1 set). */
    private static final int PLANAR_ROW_GAP = 16;

    @Param({"1024"})
    public int sites;
    @Param({"256", "1024"})
    public int batch;
    @Param({"16", "64"})
    public int features;
    @Param({"3"})
    public int kernelSize;
    @Param({"1", "2"})
    public int dilation;

    private Kernels kernels;
    private MaskedConv1D layer;
    private float[] x;
    private float[] y;
    private float[] scratch;
    /** The planar benchmark's input and output, per sample (features, stride); x and y stay null. */
    private float[] xPlanar;
    private float[] yPlanar;
    private int stride;

    public static long usefulFlopsPerOp(Map<String, String> params) {
        int f = Integer.parseInt(params.get("features"));
        return 2L * Integer.parseInt(params.get("batch")) * MultiplyAdds.maskedConv1D(
                Integer.parseInt(params.get("sites")), f, f, Integer.parseInt(params.get("kernelSize")),
                Integer.parseInt(params.get("dilation")), false);
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        kernels = Kernels.active();
        SelfChecks.requireVectorKernels(kernels, params.getBenchmark());
        Tensor kernel = RandomArrays.uniform(7, (float) (1 / Math.sqrt(kernelSize * features)),
                kernelSize, features, features);
        Tensor bias = RandomArrays.uniform(8, 0.1f, features);
        layer = MaskedConv1D.fromNetKet(sites, features, features, kernelSize, dilation, false, true, kernel, bias, "");
        float[] input = RandomArrays.uniform(9, 1f, batch, sites, features).array();
        SelfChecks.requireFlops(params.getBenchmark(), usefulFlopsPerOp(SelfChecks.params(params)),
                2L * batch * layer.multiplyAddsPerSample());
        int checked = CHECKED_SAMPLES * sites * features;
        float[] reference = new float[checked];
        layer.forward(ScalarKernels.INSTANCE, input, 0, CHECKED_SAMPLES, reference, 0, new float[checked]);

        float[] result = new float[checked];
        if (params.getBenchmark().endsWith(".planar")) {
            // Only the planar buffers: at 64 features and batch 1024 the row-major ones are
            // another 0.5 GiB (1 GiB in the float64 twin), past the fork's heap.
            stride = sites + PLANAR_ROW_GAP;
            xPlanar = new float[batch * features * stride];
            yPlanar = new float[batch * features * stride];
            for (int s = 0; s < batch; s++) {
                transpose(input, s * sites * features, sites, features, xPlanar, s * features * stride, features, stride);
            }
            planar();
            for (int s = 0; s < CHECKED_SAMPLES; s++) {
                transpose(yPlanar, s * features * stride, features, sites, result, s * sites * features, stride, features);
            }
        } else {
            x = input;
            y = new float[batch * sites * features];
            scratch = new float[batch * sites * features];
            jarnn();
            System.arraycopy(y, 0, result, 0, checked);
        }
        SelfChecks.requireBitwiseEqual("conv forward " + SelfChecks.params(params), reference, result, checked);
        requireMatchesDefinition(input, result, kernel.array(), bias.array());
    }

    /** {@code dst[dstOff + c * dstRowStride + r] = src[srcOff + r * srcRowStride + c]} for r < rows, c < cols. */
    private static void transpose(float[] src, int srcOff, int rows, int cols, float[] dst, int dstOff,
                                  int srcRowStride, int dstRowStride) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[dstOff + c * dstRowStride + r] = src[srcOff + r * srcRowStride + c];
            }
        }
    }

    /** Sample 0 of the result against y[t, c] = bias[c] + sum_k sum_a x[t - (K-1-k)*d, a] W[k, a, c], in double. */
    private void requireMatchesDefinition(float[] input, float[] result, float[] w, float[] bias) {
        double unitRoundoff = Math.ulp(1f) / 2;
        int terms = kernelSize * features + 1;
        for (int t = 0; t < sites; t++) {
            for (int c = 0; c < features; c++) {
                double sum = bias[c];
                double magnitude = Math.abs(bias[c]);
                for (int k = 0; k < kernelSize; k++) {
                    int source = t - (kernelSize - 1 - k) * dilation;
                    for (int a = 0; source >= 0 && a < features; a++) {
                        double term = (double) input[source * features + a] * w[(k * features + a) * features + c];
                        sum += term;
                        magnitude += Math.abs(term);
                    }
                }
                SelfChecks.requireWithin("conv forward vs the definition", "[0, " + t + ", " + c + "]", sum,
                        result[t * features + c], ROUNDED_EVALUATIONS * terms * unitRoundoff * magnitude);
            }
        }
    }

    @Benchmark
    public float[] jarnn() {
        layer.forward(kernels, x, 0, batch, y, 0, scratch);
        return y;
    }

    @Benchmark
    public float[] planar() {
        layer.forwardPlanar(kernels, xPlanar, 0, batch, yPlanar, 0, stride);
        return yPlanar;
    }
}
