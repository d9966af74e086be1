package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A whole ARNNConv2D against NetKet's {@code ARNNSequential} computed independently in double:
 * the inputs reshaped to (B, L, L, 1), each layer NetKet's {@code MaskedConv2D.__call__}
 * ({@link MaskedConv2DHandComputedTest#netKet}: pad, mask * kernel, VALID dilated correlation),
 * selu between layers, then {@code x - logsumexp(p x) / p} per site. Parameters are the model's
 * own (NetKet's names and shapes), so this pins the stacking, activations and normalisation on
 * top of the layer.
 */
class ARNNConv2DNetKetTest {
    private static final double TOLERANCE = 2e-5; //f64: private static final double TOLERANCE = 1e-11;

    static List<ARNN> models() {
        return List.of(
                Build.model(ARNNConv2D.builder(HilbertSpace.spin(0.5, 25)).layers(3).features(6).kernelSize(3, 2), 1),
                Build.model(ARNNConv2D.builder(HilbertSpace.spin(1, 16)).layers(2).features(5).kernelSize(2, 3)
                        .dilation(2, 1).machinePow(1f), 2),
                Build.model(ARNNConv2D.builder(HilbertSpace.fock(2, 9)).layers(3).features(4, 7, 3).kernelSize(3, 3)
                        .bias(false).machinePow(0.7f), 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void conditionalsLogPsiAreNetKets(ARNN model) {
        HilbertSpace h = model.hilbert();
        int n = h.size();
        int ls = h.localSize();
        int batch = 5;
        Tensor sigma = Build.randomConfigurations(h, batch, 3);
        double[] x = new double[batch * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = sigma.getFlat(i);
        }
        Map<String, Tensor> params = model.parameters();
        List<LayerSpec> specs = model.config().layerSpecs();
        for (int l = 0; l < specs.size(); l++) {
            if (l > 0) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = x[i] > 0 ? 1.0507009873554805 * x[i] : 1.0507009873554805 * 1.6732632423543772 * Math.expm1(x[i]);
                }
            }
            MaskedConv2DSpec spec = (MaskedConv2DSpec) specs.get(l);
            double[] kernel = doubles(params.get(ParameterKeys.kernel(l)));
            double[] bias = spec.useBias() ? doubles(params.get(ParameterKeys.bias(l))) : null;
            x = MaskedConv2DHandComputedTest.netKet(spec, x, kernel, bias, batch);
        }
        double p = model.machinePow();
        Tensor got = model.conditionalsLogPsi(sigma);
        for (int row = 0; row < batch * n; row++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < ls; k++) {
                max = Math.max(max, x[row * ls + k]);
            }
            double sum = 0;
            for (int k = 0; k < ls; k++) {
                sum += Math.exp(p * (x[row * ls + k] - max));
            }
            for (int k = 0; k < ls; k++) {
                double want = x[row * ls + k] - max - Math.log(sum) / p;
                double g = got.getFlat(row * ls + k);
                if (!(Math.abs(want - g) <= TOLERANCE * (1 + Math.abs(want)))) {
                    fail(model + ": sample " + row / n + ", site " + row % n + ", state " + k + ": NetKet " + want
                            + " but jarnn " + g);
                }
            }
        }
    }

    private static double[] doubles(Tensor t) {
        double[] a = new double[t.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = t.getFlat(i);
        }
        return a;
    }
}
