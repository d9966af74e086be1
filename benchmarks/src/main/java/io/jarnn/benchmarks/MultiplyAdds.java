package io.jarnn.benchmarks;

import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.MaskedConv1DSpec;
import io.jarnn.nn.MaskedDense1DSpec;

/**
 * Multiply-add counts of one sample through jarnn's layers and models (masked work excluded),
 * taken from the library itself: the layer specifications' {@code multiplyAddsPerSample()}, so
 * the benchmarks hold no second copy of the formula. Every benchmark exposes
 * {@code public static long usefulFlopsPerOp(Map<String, String> params)} built from these, the
 * report ({@code PerfTable}) calls it with the parameters from the JMH JSON, and each
 * benchmark's {@code @Setup} checks it against the model or layer it actually measures.
 */
public final class MultiplyAdds {
    private MultiplyAdds() {
    }

    /** {@link MaskedDense1DSpec#multiplyAddsPerSample()} of a layer of this shape. */
    public static long maskedDense(int sites, int in, int out, boolean exclusive) {
        return new MaskedDense1DSpec(sites, in, out, exclusive, false).multiplyAddsPerSample();
    }

    /** {@link MaskedConv1DSpec#multiplyAddsPerSample()} of a layer of this shape. */
    public static long maskedConv1D(int sites, int in, int out, int kernelSize, int dilation, boolean exclusive) {
        return new MaskedConv1DSpec(sites, in, out, kernelSize, dilation, exclusive, false).multiplyAddsPerSample();
    }

    /** {@link ARNNConfig#multiplyAddsPerSample()}: the sum over the model's layer specifications. */
    public static long model(ARNNConfig config) {
        return config.multiplyAddsPerSample();
    }
}
