package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;

import java.util.Arrays;

/**
 * NetKet's {@code ARNNDense}: a stack of {@link MaskedDense1D} layers. Build one with
 * {@code ARNNDense.builder(hilbert).layers(3).features(16).build(seed)}.
 */
public final class ARNNDense {
    private ARNNDense() {
    }

    /** A configuration builder for a dense ARNN on {@code hilbert} (NetKet's defaults). */
    public static Builder builder(HilbertSpace hilbert) {
        return new Builder(hilbert);
    }

    /** NetKet's {@code ARNNDense(...)} call for {@code config}, or null when its layers are not all dense alike. */
    static String describe(ARNNConfig config) {
        boolean bias = config.layerSpecs().getFirst().useBias();
        for (LayerSpec spec : config.layerSpecs()) {
            if (!(spec instanceof MaskedDense1DSpec) || spec.useBias() != bias) {
                return null;
            }
        }
        return "ARNNDense(hilbert=" + config.hilbert() + ", layers=" + config.layers() + ", features="
                + Arrays.toString(config.features()) + ", use_bias=" + bias + ", machine_pow="
                + config.machinePow() + ")";
    }

    /** NetKet's {@code ARNNDense} arguments: layers, features, bias, machinePow. */
    public static final class Builder extends ARNNConfig.Builder<Builder> {
        private Builder(HilbertSpace hilbert) {
            super(hilbert);
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        LayerSpec layer(int sites, int in, int out, boolean exclusive, boolean useBias) {
            return new MaskedDense1DSpec(sites, in, out, exclusive, useBias);
        }
    }
}
