package io.jarnn.benchmarks;

import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.LayerSpec;

/**
 * Useful multiply-adds of a forward and backward pass of logPsi through a model, per sample:
 * the forward's, once more for the parameter gradient (dW = X^T dY has the forward's products)
 * and once more for the input gradients of every layer but the first (dX = dY W^T; the
 * configurations need none). The normalisation, selu and their backwards are not counted. The
 * same for a per-sample Jacobian, whose rows take the same products without the batch sum.
 */
final class GradientFlops {
    private GradientFlops() {
    }

    static long multiplyAddsPerSample(ARNNConfig config) {
        long forward = MultiplyAdds.model(config);
        LayerSpec first = config.layerSpecs().get(0);
        return 3 * forward - first.multiplyAddsPerSample();
    }
}
