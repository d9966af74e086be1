package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;

import java.util.Arrays;

/**
 * NetKet's {@code ARNNConv2D}: a stack of {@link MaskedConv2D} layers of one kernel size and
 * dilation over the N = L x L sites, viewed as an image row by row. Build one with
 * {@code ARNNConv2D.builder(hilbert).layers(3).features(16).kernelSize(3, 2).build(seed)}; N must
 * be a perfect square. Its per-site cache keeps only the image rows each layer's kernel can
 * still reach, so sampling costs O(1) per site.
 *
 * <p>The mask has a blind spot: a site's output never depends on the sites above and to the
 * right of it that lie beyond the kernel's reach, however many layers are stacked (see
 * docs/semantics.md, "ARNNConv2D's receptive field").
 */
public final class ARNNConv2D {
    private ARNNConv2D() {
    }

    /** A configuration builder for a conv2d ARNN on {@code hilbert} (NetKet's defaults). */
    public static Builder builder(HilbertSpace hilbert) {
        return new Builder(hilbert);
    }

    /**
     * NetKet's {@code ARNNConv2D(...)} call for {@code config}, or null when its layers are not
     * all 2D convolutions of one kernel size, dilation and bias.
     */
    static String describe(ARNNConfig config) {
        if (!(config.layerSpecs().getFirst() instanceof MaskedConv2DSpec first)) {
            return null;
        }
        for (LayerSpec spec : config.layerSpecs()) {
            if (!(spec instanceof MaskedConv2DSpec c) || c.kernelHeight() != first.kernelHeight()
                    || c.kernelWidth() != first.kernelWidth() || c.dilationHeight() != first.dilationHeight()
                    || c.dilationWidth() != first.dilationWidth() || c.useBias() != first.useBias()) {
                return null;
            }
        }
        return "ARNNConv2D(hilbert=" + config.hilbert() + ", layers=" + config.layers() + ", features="
                + Arrays.toString(config.features()) + ", kernel_size=(" + first.kernelHeight() + ", "
                + first.kernelWidth() + "), kernel_dilation=(" + first.dilationHeight() + ", " + first.dilationWidth()
                + "), use_bias=" + first.useBias() + ", machine_pow=" + config.machinePow() + ")";
    }

    /**
     * NetKet's {@code ARNNConv2D} arguments: those of every ARNN plus {@code kernel_size} (h, w)
     * (NetKet has no default; here (3, 2) unless set) and {@code kernel_dilation} (default (1, 1)).
     */
    public static final class Builder extends ARNNConfig.Builder<Builder> {
        private int kernelHeight = 3;
        private int kernelWidth = 2;
        private int dilationHeight = 1;
        private int dilationWidth = 1;

        private Builder(HilbertSpace hilbert) {
            super(hilbert);
        }

        /** NetKet's {@code kernel_size=(h, w)}. */
        public Builder kernelSize(int height, int width) {
            this.kernelHeight = height;
            this.kernelWidth = width;
            return this;
        }

        /** NetKet's {@code kernel_dilation=(dh, dw)}. */
        public Builder dilation(int height, int width) {
            this.dilationHeight = height;
            this.dilationWidth = width;
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        LayerSpec layer(int sites, int in, int out, boolean exclusive, boolean useBias) {
            int side = (int) Math.round(Math.sqrt(sites));
            if (side * side != sites) {
                throw new IllegalArgumentException("hilbert: ARNNConv2D views the N sites as an L x L lattice, row by "
                        + "row, so expected N = L * L but got N=" + sites + ", which is not a perfect square");
            }
            return new MaskedConv2DSpec(sites, in, out, kernelHeight, kernelWidth, dilationHeight, dilationWidth,
                    exclusive, useBias);
        }
    }
}
