package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.kernels.ScalarKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The gradient APIs against each other, in both precisions: Jacobian rows weighted by c equal
 * the gradient, the VJP with a one-hot cotangent equals it too, layer-output gradients sum to
 * the bias gradients, masked dense entries are exactly 0, every result is bitwise the same on
 * any number of threads, the flat gradient allocates nothing, the flat parameter vector round
 * trips, and the flax order of the expanded Jacobian. (Finite differences:
 * {@code GradientFiniteDifferenceTest}.)
 */
class GradientConsistencyTest {
    /** Agreement of two summation orders of the same gradient, relative to 1 + |g|. */
    private static final double SUM_ORDER_TOLERANCE = 2e-5; //f64: private static final double SUM_ORDER_TOLERANCE = 1e-12;

    static List<ARNN> models() {
        HilbertSpace spins = HilbertSpace.spin(0.5, 8);
        return List.of(
                noisy(Build.model(ARNNDense.builder(spins).layers(3).features(4), 1)),
                noisy(Build.model(ARNNConv1D.builder(HilbertSpace.spin(1, 9)).layers(3).features(5).kernelSize(3)
                        .dilation(2), 2)),
                noisy(Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 8, 0)).layers(2).features(3)
                        .kernelSize(4), 3)),
                noisy(Build.model(ARNNDense.builder(HilbertSpace.fock(2, 6, 5)).layers(2).features(3).bias(false)
                        .machinePow(1f), 4)),
                noisy(Build.model(ARNNConv2D.builder(HilbertSpace.spin(0.5, 16)).layers(3).features(5).kernelSize(3, 2)
                        .dilation(1, 2), 5)),
                noisy(Build.model(ARNNConv2D.builder(HilbertSpace.spin(1, 9, 0)).layers(2).features(4).kernelSize(2, 3)
                        .machinePow(1f), 6)));
    }

    /** The model with noise on every parameter, so that biases are not zero. */
    static ARNN noisy(ARNN model) {
        float[] theta = model.flatParameters();
        SplittableRandom random = new SplittableRandom(theta.length);
        for (int e = 0; e < theta.length; e++) {
            theta[e] += (float) (0.2 * (random.nextDouble() - 0.5));
        }
        return model.withParameters(theta);
    }

    private static Tensor weights(int batch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor w = Tensor.zeros(batch);
        for (int b = 0; b < batch; b++) {
            w.array()[b] = (float) (random.nextDouble() * 2 - 1);
        }
        return w;
    }

    private static float[] gradient(ARNN model, Tensor sigma, Tensor w) {
        float[] grad = new float[model.parameterCount()];
        model.logPsiGradient(sigma, w, grad, 0, model.newGradientWorkspace());
        return grad;
    }

    private static void assertClose(String what, float[] expected, double[] actual) {
        for (int e = 0; e < expected.length; e++) {
            double err = Math.abs(expected[e] - actual[e]) / (1 + Math.abs(expected[e]));
            if (!(err <= SUM_ORDER_TOLERANCE)) {
                fail(what + ": flat entry " + e + " expected " + expected[e] + " but got " + actual[e]
                        + " (relative " + err + " > " + SUM_ORDER_TOLERANCE + ")");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void jacobianRowsWeightedByCEqualTheGradient(ARNN model) {
        // A full chunk of the gradient, then one of a full block and a partial one: a dense
        // model's parameter gradient runs over several blocks per product, its Jacobian rows one
        // sample at a time.
        GradientWorkspace workspace = model.newGradientWorkspace();
        int batch = workspace.chunkRows + workspace.blockRows + 11;
        Tensor sigma = Build.randomConfigurations(model.hilbert(), batch, 7);
        Tensor w = weights(batch, 8);
        Tensor jacobian = model.logPsiJacobian(sigma);
        int count = model.parameterCount();
        double[] weighted = new double[count];
        for (int b = 0; b < batch; b++) {
            for (int e = 0; e < count; e++) {
                weighted[e] += w.getFlat(b) * jacobian.array()[b * count + e];
            }
        }
        assertClose(model + ": sum_b c_b J[b] against logPsiGradient", gradient(model, sigma, w), weighted);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void vjpWithTheGatheredCotangentEqualsTheGradient(ARNN model) {
        int batch = 9;
        int n = model.hilbert().size();
        int ls = model.hilbert().localSize();
        Tensor sigma = Build.randomConfigurations(model.hilbert(), batch, 9);
        Tensor w = weights(batch, 10);
        Tensor cot = Tensor.zeros(batch, n, ls);
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < n; i++) {
                int k = model.hilbert().localIndexOrNegative((float) sigma.getFlat(b * n + i)); //f64: int k = model.hilbert().localIndexOrNegative((float) sigma.getFlat(b * n + i));
                cot.array()[(b * n + i) * ls + k] = w.getFlat(b);
            }
        }
        float[] vjp = model.conditionalsLogPsiVjp(sigma, cot).parameters();
        double[] widened = new double[vjp.length];
        for (int e = 0; e < vjp.length; e++) {
            widened[e] = vjp[e];
        }
        assertClose(model + ": VJP of a one-hot cotangent against logPsiGradient", gradient(model, sigma, w), widened);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void layerOutputGradientsSumToTheBiasGradients(ARNN model) {
        int batch = 6;
        int n = model.hilbert().size();
        int ls = model.hilbert().localSize();
        Tensor sigma = Build.randomConfigurations(model.hilbert(), batch, 11);
        Tensor cot = Tensor.zeros(batch, n, ls);
        SplittableRandom random = new SplittableRandom(12);
        for (int i = 0; i < cot.size(); i++) {
            cot.array()[i] = (float) (random.nextDouble() * 2 - 1);
        }
        ConditionalsVjp vjp = model.conditionalsLogPsiVjp(sigma, cot);
        assertEquals(model.layers().size(), vjp.layerOutputs().size(), "one output gradient per layer");
        for (int l = 0; l < model.layers().size(); l++) {
            MaskedLayer layer = model.layers().get(l);
            Tensor g = vjp.layerOutputs().get(l);
            assertArrayEquals(new int[]{batch, n, layer.outFeatures()}, g.shape(), "layer " + l + " output gradient");
            if (!layer.useBias()) {
                continue;
            }
            Tensor bias = vjp.netKetParameters().get(ParameterKeys.bias(l));
            boolean perSite = layer instanceof MaskedDense1D;
            double[] sums = new double[bias.size()];
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < layer.outFeatures(); c++) {
                        sums[(perSite ? i * layer.outFeatures() : 0) + c] += g.array()[(b * n + i) * layer.outFeatures() + c];
                    }
                }
            }
            assertClose(model + ": layer " + l + " bias gradient against its output gradient's sums", bias.array(), sums);
        }
    }

    @Test
    void maskedDenseKernelEntriesAreExactlyZero() {
        ARNN model = models().get(0);
        Tensor sigma = Build.randomConfigurations(model.hilbert(), 5, 13);
        Map<String, Tensor> grad = model.logPsiGradient(sigma, weights(5, 14));
        int nonZero = 0;
        for (int l = 0; l < model.layers().size(); l++) {
            MaskedDense1DSpec spec = (MaskedDense1DSpec) model.layers().get(l).spec();
            Tensor kernel = grad.get(ParameterKeys.kernel(l));
            assertArrayEquals(spec.kernelShape(), kernel.shape(), "gradient of " + ParameterKeys.kernel(l));
            int cols = kernel.dim(1);
            for (int r = 0; r < kernel.dim(0); r++) {
                for (int c = 0; c < cols; c++) {
                    float v = kernel.array()[r * cols + c];
                    if (!spec.isUsed(r, c)) {
                        assertEquals(0f, v, ParameterKeys.kernel(l) + "[" + r + ", " + c + "] is masked");
                    } else if (v != 0f) {
                        nonZero++;
                    }
                }
            }
        }
        assertTrue(nonZero > model.parameterCount() / 2, "used kernel entries with a non-zero gradient: " + nonZero);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void resultsAreBitwiseIdenticalForAnyThreadCount(ARNN model) {
        int chunk = model.newGradientWorkspace().chunkRows;
        int batch = 3 * chunk + chunk / 2 + 1;
        Tensor sigma = Build.randomConfigurations(model.hilbert(), batch, 15);
        Tensor w = weights(batch, 16);
        Tensor cot = Tensor.zeros(batch, model.hilbert().size(), model.hilbert().localSize());
        for (int i = 0; i < cot.size(); i++) {
            cot.array()[i] = (float) Math.sin(i);
        }
        ARNN one = model.withThreads(1);
        float[] grad = gradient(one, sigma, w);
        Tensor jacobian = one.logPsiJacobian(sigma);
        ConditionalsVjp vjp = one.conditionalsLogPsiVjp(sigma, cot);
        for (int threads : new int[]{2, 3, 4}) {
            ARNN many = model.withThreads(threads);
            String what = model + " on " + threads + " threads, batch " + batch + " in chunks of " + chunk;
            assertArrayEquals(grad, gradient(many, sigma, w), what + ": gradient bitwise");
            assertTrue(jacobian.contentEquals(many.logPsiJacobian(sigma)), what + ": Jacobian bitwise");
            ConditionalsVjp other = many.conditionalsLogPsiVjp(sigma, cot);
            assertArrayEquals(vjp.parameters(), other.parameters(), what + ": VJP bitwise");
            for (int l = 0; l < vjp.layerOutputs().size(); l++) {
                assertTrue(vjp.layerOutputs().get(l).contentEquals(other.layerOutputs().get(l)),
                        what + ": layer " + l + " output gradient bitwise");
            }
        }
    }

    @Test
    void theFlatGradientAllocatesNothingOnOneThread() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Scalar kernels: interpreted Vector API code allocates its vectors until C2 compiles it.
        for (ARNN m : models()) {
            ARNN model = m.withThreads(1).withKernels(ScalarKernels.INSTANCE);
            int batch = 2 * model.chunkRows() + 3;
            Tensor sigma = Build.randomConfigurations(model.hilbert(), batch, 17);
            Tensor w = weights(batch, 18);
            float[] grad = new float[model.parameterCount() + 3];
            GradientWorkspace workspace = model.newGradientWorkspace();
            for (int warm = 0; warm < 10; warm++) {
                model.logPsiGradient(sigma, w, grad, 3, workspace);
            }
            // Five measured calls, of which at most one may see a transient of the JVM's own (a
            // deoptimisation once allocated 72 bytes on the thread); a real per-call allocation
            // shows in every one.
            long[] allocated = new long[5];
            for (int call = 0; call < allocated.length; call++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                model.logPsiGradient(sigma, w, grad, 3, workspace);
                allocated[call] = threads.getCurrentThreadAllocatedBytes() - before;
            }
            long zero = java.util.Arrays.stream(allocated).filter(a -> a == 0).count();
            assertTrue(zero >= allocated.length - 1, model + ": bytes allocated by each of five flat gradients of "
                    + batch + " samples: " + java.util.Arrays.toString(allocated));
        }
    }

    @Test
    void theFlatParameterVectorRoundTrips() {
        for (ARNN model : models()) {
            float[] theta = model.flatParameters();
            assertEquals(model.parameterCount(), theta.length, model + ": flat length");
            assertEquals(model.config().layerSpecs().stream().mapToLong(LayerSpec::storedParameterCount).sum(),
                    theta.length, model + ": the effective parameters");
            ARNN same = model.withParameters(theta);
            Tensor sigma = Build.randomConfigurations(model.hilbert(), 4, 19);
            assertTrue(model.conditionalsLogPsi(sigma).contentEquals(same.conditionalsLogPsi(sigma)), model + ": forward");
            Map<String, Tensor> a = model.parameters();
            Map<String, Tensor> b = same.parameters();
            for (String key : a.keySet()) {
                assertTrue(a.get(key).contentEquals(b.get(key)), model + ": " + key);
                assertTrue(a.get(key).contentEquals(model.netKetParameters(theta).get(key)), model + ": netKetParameters " + key);
            }
            float[] direction = new float[theta.length];
            float[] expected = theta.clone();
            for (int e = 0; e < theta.length; e++) {
                direction[e] = (float) Math.cos(e);
                expected[e] += 0.5f * direction[e];
            }
            assertArrayEquals(expected, model.withParametersPlus(0.5f, direction).flatParameters(), model + ": axpy");
            IllegalArgumentException shortVector = assertThrows(IllegalArgumentException.class,
                    () -> model.withParameters(new float[theta.length - 1]));
            assertTrue(shortVector.getMessage().startsWith("flat:"), shortVector.getMessage());
            float[] bad = theta.clone();
            bad[theta.length - 1] = Float.NaN;
            IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> model.withParameters(bad));
            assertTrue(nan.getMessage().contains("flat element " + (theta.length - 1)), nan.getMessage());
        }
    }

    @Test
    void theExpandedJacobianFollowsFlaxOrder() {
        ARNN model = noisy(Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 5)).layers(11).features(2)
                .kernelSize(2), 20));
        ParameterLayout layout = model.parameterLayout();
        assertEquals(List.of("_layers_0/bias", "_layers_0/kernel", "_layers_1/bias", "_layers_1/kernel",
                "_layers_10/bias", "_layers_10/kernel", "_layers_2/bias"), layout.flaxKeys().subList(0, 7));
        Tensor sigma = Build.randomConfigurations(model.hilbert(), 3, 21);
        Tensor jacobian = model.logPsiJacobian(sigma);
        Tensor expanded = model.toNetKetJacobian(jacobian);
        assertEquals(layout.flaxSize(), expanded.dim(1), "expanded width");
        int count = model.parameterCount();
        for (int b = 0; b < 3; b++) {
            float[] row = new float[count];
            System.arraycopy(jacobian.array(), b * count, row, 0, count);
            List<Float> flattened = new ArrayList<>();
            Map<String, Tensor> map = model.netKetParameters(row);
            for (String key : layout.flaxKeys()) {
                for (int i = 0; i < map.get(key).size(); i++) {
                    flattened.add((float) map.get(key).getFlat(i)); //f64: flattened.add(map.get(key).getFlat(i));
                }
            }
            for (int i = 0; i < flattened.size(); i++) {
                assertEquals((float) flattened.get(i), expanded.array()[b * flattened.size() + i], "row " + b + ", flax column " + i);
            }
        }
        // A dense model: the masked entries of the expanded rows are 0.
        ARNN dense = models().get(0);
        Tensor denseExpanded = dense.toNetKetJacobian(dense.logPsiJacobian(Build.randomConfigurations(dense.hilbert(), 2, 22)));
        int[] used = dense.parameterLayout().flaxIndices();
        boolean[] isUsed = new boolean[denseExpanded.dim(1)];
        for (int i : used) {
            isUsed[i] = true;
        }
        for (int i = 0; i < isUsed.length; i++) {
            if (!isUsed[i]) {
                assertEquals(0f, denseExpanded.array()[i], "masked flax column " + i);
            }
        }
    }
}
