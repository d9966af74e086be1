package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.kernels.Kernels;

import java.util.List;

/**
 * NetKet's {@code ARNNDense}: a stack of {@link MaskedDense1D} layers. Build one with
 * {@code ARNNDense.builder(hilbert).layers(3).features(16).build(seed)}.
 */
public final class ARNNDense extends ARNN {
    ARNNDense(ARNNConfig config, List<MaskedLayer> layers, int threads, Kernels kernels) {
        super(config, layers, threads, kernels);
    }

    /** A configuration builder for a dense ARNN on {@code hilbert} (NetKet's defaults). */
    public static ARNNConfig.Builder builder(HilbertSpace hilbert) {
        return ARNNConfig.builder(ARNNConfig.Kind.DENSE, hilbert);
    }
}
