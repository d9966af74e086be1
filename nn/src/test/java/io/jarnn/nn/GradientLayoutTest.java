package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Whole models' gradients, Jacobians and VJPs in the layout {@link Backprop} runs them (planar
 * convolutions sample by sample, with a last layer's taps as the columns of one product;
 * feature-major dense chunks, with narrow layers' panels in tiles of several sites) against the
 * row-major path over the same chunks ({@code new GradientWorkspace(model, true)}): bitwise
 * equal, on one thread (a dense chunk's panels added as they are summed) and on three (whole
 * partial sums), with batches that leave a partial chunk and a partial block. The layer tests
 * ({@code BackwardLayoutTest}) hold the products; this holds what Backprop does with them.
 */
class GradientLayoutTest {
    static List<ARNN> models() {
        return List.of(
                // Hidden layers and the last one of two outputs: site groups of three everywhere.
                noisy(Build.model(ARNNDense.builder(HilbertSpace.spin(0.5, 37)).layers(3).features(2), 1)),
                // A wide hidden layer (one site per panel), a last layer of three outputs (groups of two).
                noisy(Build.model(ARNNDense.builder(HilbertSpace.spin(1, 23)).layers(2).features(7), 2)),
                // Five outputs (groups of one), no bias.
                noisy(Build.model(ARNNDense.builder(HilbertSpace.fock(4, 11)).layers(2).features(5).bias(false)
                        .machinePow(1f), 3)),
                // The Sz = 0 sector: the seed through rows and the sector rule.
                noisy(Build.model(ARNNDense.builder(HilbertSpace.spin(0.5, 12, 0)).layers(2).features(3), 4)),
                noisy(Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 70)).layers(3).features(4).kernelSize(3)
                        .dilation(2), 5)),
                // Long enough for the taps as columns (Tuning.CONV_TAP_COLUMNS_MIN_SITES), hidden and last layers.
                noisy(Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 130)).layers(3).features(3).kernelSize(3)
                        .dilation(2), 8)),
                noisy(Build.model(ARNNConv1D.builder(HilbertSpace.spin(1, 33)).layers(2).features(16).kernelSize(4)
                        .bias(false), 6)),
                noisy(Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 14, 0)).layers(2).features(3)
                        .kernelSize(2), 7)));
    }

    /** The model with noise on every parameter, so that biases are not zero. */
    private static ARNN noisy(ARNN model) {
        float[] theta = model.flatParameters();
        SplittableRandom random = new SplittableRandom(theta.length);
        for (int e = 0; e < theta.length; e++) {
            theta[e] += (float) (0.2 * (random.nextDouble() - 0.5));
        }
        return model.withParameters(theta);
    }

    @Test
    void everyLayoutIsTheRowMajorOneBitwise() {
        for (ARNN base : models()) {
            GradientWorkspace own = base.newGradientWorkspace();
            // Two chunks, the second with a full block and a partial one (dense: four blocks a chunk).
            int batch = own.chunkRows + own.blockRows + 37;
            Tensor sigma = Build.randomConfigurations(base.hilbert(), batch, 11);
            SplittableRandom random = new SplittableRandom(batch);
            Tensor w = Tensor.zeros(batch);
            for (int b = 0; b < batch; b++) {
                w.array()[b] = (float) (random.nextDouble() * 2 - 1);
            }
            int n = base.hilbert().size();
            int ls = base.hilbert().localSize();
            Tensor cot = Tensor.zeros(batch, n, ls);
            for (int e = 0; e < batch * n * ls; e++) {
                cot.array()[e] = (float) (random.nextDouble() * 2 - 1);
            }
            for (int threads : new int[]{1, 3}) {
                ARNN model = base.withThreads(threads);
                String what = model + " on " + threads + " threads, " + own.layout;
                float[] expected = new float[model.parameterCount()];
                float[] actual = new float[model.parameterCount()];
                model.logPsiGradient(sigma, w, expected, 0, new GradientWorkspace(model, true));
                model.logPsiGradient(sigma, w, actual, 0, model.newGradientWorkspace());
                assertSameBits(what + ": gradient", expected, actual);

                Tensor jacExpected = Tensor.zeros(batch, model.parameterCount());
                Tensor jacActual = Tensor.zeros(batch, model.parameterCount());
                model.logPsiJacobian(sigma, jacExpected, new GradientWorkspace(model, true));
                model.logPsiJacobian(sigma, jacActual, model.newGradientWorkspace());
                assertSameBits(what + ": Jacobian", jacExpected.array(), jacActual.array());

                Tensor[] outExpected = layerOutputs(model, batch);
                Tensor[] outActual = layerOutputs(model, batch);
                Backprop.reduce(model, sigma, null, 0, cot, outExpected, expected, 0, new GradientWorkspace(model, true));
                Backprop.reduce(model, sigma, null, 0, cot, outActual, actual, 0, model.newGradientWorkspace());
                assertSameBits(what + ": VJP", expected, actual);
                for (int l = 0; l < outExpected.length; l++) {
                    assertSameBits(what + ": VJP, layer " + l + " output", outExpected[l].array(), outActual[l].array());
                }
            }
        }
    }

    /**
     * A conv1d model of short reach copies its Jacobian's forward from a table of every layer's
     * activations by context ({@link ContextTable}): bitwise the row-major path, on one thread
     * and three, on spin-1/2 and Fock chains (dilated), in a sector (the activations do not see
     * the sector rule), and for a second model of the same shape in the same workspace (the
     * table filled again).
     */
    @Test
    void theJacobianForwardByContextIsTheRowMajorOneBitwise() {
        List<ARNNConfig.Builder<?>> builders = List.of(
                ARNNConv1D.builder(HilbertSpace.spin(0.5, 20)).layers(3).features(5).kernelSize(3),
                ARNNConv1D.builder(HilbertSpace.fock(2, 17)).layers(2).features(4).kernelSize(2).dilation(3),
                ARNNConv1D.builder(HilbertSpace.spin(0.5, 14, 0)).layers(2).features(3).kernelSize(3));
        for (ARNNConfig.Builder<?> builder : builders) {
            GradientWorkspace ws = null;
            for (long seed : new long[]{21, 22}) {
                ARNN base = noisy(Build.model(builder, seed));
                if (ws == null) {
                    ws = base.newGradientWorkspace();
                }
                int batch = 400;
                Tensor sigma = Build.randomConfigurations(base.hilbert(), batch, seed);
                for (int threads : new int[]{1, 3}) {
                    ARNN model = base.withThreads(threads);
                    Tensor expected = Tensor.zeros(batch, model.parameterCount());
                    Tensor actual = Tensor.zeros(batch, model.parameterCount());
                    model.logPsiJacobian(sigma, expected, new GradientWorkspace(model, true));
                    model.logPsiJacobian(sigma, actual, ws);
                    assertTrue(ws.forwardTableModel == model, model + ": the forward by context was taken");
                    assertSameBits(model + " on " + threads + " threads: Jacobian", expected.array(), actual.array());
                }
            }
        }
    }

    private static Tensor[] layerOutputs(ARNN model, int batch) {
        Tensor[] outputs = new Tensor[model.layers().size()];
        for (int l = 0; l < outputs.length; l++) {
            outputs[l] = Tensor.zeros(batch, model.hilbert().size(), model.layers().get(l).outFeatures());
        }
        return outputs;
    }

    private static void assertSameBits(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int e = 0; e < expected.length; e++) {
            if (Float.floatToIntBits(expected[e]) != Float.floatToIntBits(actual[e])) { //f64: if (Double.doubleToLongBits(expected[e]) != Double.doubleToLongBits(actual[e])) {
                fail(what + ": element " + e + " expected " + expected[e] + " but got " + actual[e]);
            }
        }
    }
}
