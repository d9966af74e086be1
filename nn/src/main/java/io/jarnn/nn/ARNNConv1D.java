package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;

import java.util.Arrays;

/**
 * NetKet's {@code ARNNConv1D}: a stack of causal, dilated {@link MaskedConv1D} layers of one
 * kernel size and dilation. Build one with
 * {@code ARNNConv1D.builder(hilbert).layers(3).features(16).kernelSize(3).build(seed)}. Its
 * per-site cache keeps only each layer's receptive window, so sampling costs O(1) per site.
 */
public final class ARNNConv1D {
    private ARNNConv1D() {
    }

    /** A configuration builder for a conv1d ARNN on {@code hilbert} (NetKet's defaults). */
    public static Builder builder(HilbertSpace hilbert) {
        return new Builder(hilbert);
    }

    /**
     * NetKet's {@code ARNNConv1D(...)} call for {@code config}, or null when its layers are not
     * all convolutions of one kernel size, dilation and bias.
     */
    static String describe(ARNNConfig config) {
        if (!(config.layerSpecs().getFirst() instanceof MaskedConv1DSpec first)) {
            return null;
        }
        for (LayerSpec spec : config.layerSpecs()) {
            if (!(spec instanceof MaskedConv1DSpec c) || c.kernelSize() != first.kernelSize()
                    || c.dilation() != first.dilation() || c.useBias() != first.useBias()) {
                return null;
            }
        }
        return "ARNNConv1D(hilbert=" + config.hilbert() + ", layers=" + config.layers() + ", features="
                + Arrays.toString(config.features()) + ", kernel_size=" + first.kernelSize() + ", kernel_dilation="
                + first.dilation() + ", use_bias=" + first.useBias() + ", machine_pow=" + config.machinePow() + ")";
    }

    /** NetKet's {@code ARNNConv1D} arguments: those of every ARNN plus kernel size (default 3) and dilation (1). */
    public static final class Builder extends ARNNConfig.Builder<Builder> {
        private int kernelSize = 3;
        private int dilation = 1;

        private Builder(HilbertSpace hilbert) {
            super(hilbert);
        }

        public Builder kernelSize(int kernelSize) {
            this.kernelSize = kernelSize;
            return this;
        }

        public Builder dilation(int dilation) {
            this.dilation = dilation;
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        LayerSpec layer(int sites, int in, int out, boolean exclusive, boolean useBias) {
            return new MaskedConv1DSpec(sites, in, out, kernelSize, dilation, exclusive, useBias);
        }
    }
}
