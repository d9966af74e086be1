package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.kernels.Kernels;

import java.util.List;

/**
 * NetKet's {@code ARNNConv1D}: a stack of causal, dilated {@link MaskedConv1D} layers. Build one
 * with {@code ARNNConv1D.builder(hilbert).layers(3).features(16).kernelSize(3).build(seed)}.
 * Its per-site cache keeps only each layer's receptive window, so sampling costs O(1) per site.
 */
public final class ARNNConv1D extends ARNN {
    ARNNConv1D(ARNNConfig config, List<MaskedLayer> layers, int threads, Kernels kernels) {
        super(config, layers, threads, kernels);
    }

    /** A configuration builder for a conv1d ARNN on {@code hilbert} (NetKet's defaults). */
    public static ARNNConfig.Builder builder(HilbertSpace hilbert) {
        return ARNNConfig.builder(ARNNConfig.Kind.CONV1D, hilbert);
    }

    public int kernelSize() {
        return config().kernelSize();
    }

    public int dilation() {
        return config().dilation();
    }
}
