package io.jarnn.properties;

import io.jarnn.core.HilbertSpace;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ARNNConv2D;
import io.jarnn.nn.ARNNDense;

import java.util.Arrays;
import java.util.List;

/**
 * Everything needed to rebuild one generated model, printed in a failing property's counterexample: a
 * shrunk failure reads like {@code ARNNConv1D[Spin(s=1/2), N=5, layers=2, features=[3, 2],
 * kernelSize=3, dilation=2, machinePow=1.5, bias=true, weights=HUGE, seed=7]}.
 *
 * @param hiddenWidths     widths of the hidden layers: the int form uses the first entry for
 *                         every hidden layer; the list form uses the first {@code layers - 1}
 *                         entries and appends the local size, as NetKet requires
 * @param featuresPerLayer whether {@code features} is given in NetKet's list form
 * @param kernelSize       conv1d: the kernel size; conv2d: the kernel height (likewise {@code dilation})
 * @param kernelWidth      conv2d only: the kernel width (likewise {@code dilationWidth})
 * @param seed             seeds the initialiser and the adversarial weight transforms; the model
 *                         itself is built in a precision by {@code Build.model(spec)} or its twin
 */
public record ModelSpec(ModelSpec.Kind kind, LocalSpace local, int sites, int layers, boolean featuresPerLayer,
                        List<Integer> hiddenWidths, int kernelSize, int dilation, int kernelWidth,
                        int dilationWidth, float machinePow, boolean bias, WeightStyle weights, long seed) {

    /** NetKet's three model families, which the generators pick from (conv2d on N = L * L sites). */
    public enum Kind {
        DENSE("ARNNDense"), CONV1D("ARNNConv1D"), CONV2D("ARNNConv2D");

        private final String netKetName;

        Kind(String netKetName) {
            this.netKetName = netKetName;
        }

        public String netKetName() {
            return netKetName;
        }
    }

    public ModelSpec {
        hiddenWidths = List.copyOf(hiddenWidths);
    }

    public HilbertSpace hilbert() {
        return local.on(sites);
    }

    /** Output width of every layer after NetKet's resolution of the int or list form. */
    public int[] resolvedFeatures() {
        int[] f = new int[layers];
        for (int l = 0; l < layers - 1; l++) {
            f[l] = featuresPerLayer ? hiddenWidths.get(l) : hiddenWidths.get(0);
        }
        f[layers - 1] = local.localSize();
        return f;
    }

    /** The float32 configuration; {@code Build.config(spec)} (and its float64 twin) sets the precision. */
    public ARNNConfig config() {
        ARNNConfig.Builder<?> b = switch (kind) {
            case CONV1D -> ARNNConv1D.builder(hilbert()).kernelSize(kernelSize).dilation(dilation);
            case CONV2D -> ARNNConv2D.builder(hilbert()).kernelSize(kernelSize, kernelWidth)
                    .dilation(dilation, dilationWidth);
            case DENSE -> ARNNDense.builder(hilbert());
        };
        b.layers(layers).bias(bias).machinePow(machinePow);
        if (featuresPerLayer) {
            b.features(resolvedFeatures());
        } else {
            b.features(hiddenWidths.get(0));
        }
        return b.config();
    }

    /** The same specification with other weights (e.g. to force generic, non-zero weights). */
    public ModelSpec withWeights(WeightStyle style) {
        return new ModelSpec(kind, local, sites, layers, featuresPerLayer, hiddenWidths, kernelSize, dilation,
                kernelWidth, dilationWidth, machinePow, bias, style, seed);
    }

    @Override
    public String toString() {
        String features = featuresPerLayer ? Arrays.toString(resolvedFeatures()) : Integer.toString(hiddenWidths.get(0));
        return kind.netKetName() + "[" + local + ", N=" + sites + ", layers=" + layers + ", features=" + features
                + (kind == Kind.CONV1D ? ", kernelSize=" + kernelSize + ", dilation=" + dilation : "")
                + (kind == Kind.CONV2D ? ", kernelSize=(" + kernelSize + ", " + kernelWidth + "), dilation=(" + dilation
                + ", " + dilationWidth + ")" : "")
                + ", machinePow=" + machinePow + ", bias=" + bias + ", weights=" + weights + ", seed=" + seed + "]";
    }
}
