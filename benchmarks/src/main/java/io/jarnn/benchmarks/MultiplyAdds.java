package io.jarnn.benchmarks;

import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.MaskedConv1D;
import io.jarnn.nn.MaskedDense1D;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Multiply-add counts of one sample through jarnn's layers and models (masked work excluded),
 * taken from the library itself: the {@code multiplyAddsPerSample()} of a layer or model built
 * for the purpose, so the benchmarks hold no second copy of the formula. Every benchmark
 * exposes {@code public static long usefulFlopsPerOp(Map<String, String> params)} built from
 * these, the report ({@code PerfTable}) calls it with the parameters from the JMH JSON, and each
 * benchmark's {@code @Setup} checks it against the model or layer it actually measures.
 *
 * <p>Building costs memory (a dense layer's NetKet kernel is (N*in, N*out), 64 MiB at
 * N*f = 4096) and, for models, a parameter initialisation; counts are memoised per shape
 * because the report asks for the same one several times per row.
 */
public final class MultiplyAdds {
    private static final Map<Object, Long> COUNTS = new ConcurrentHashMap<>();

    private MultiplyAdds() {
    }

    /** {@link MaskedDense1D#multiplyAddsPerSample()} of a layer of this shape (zero kernel, no bias). */
    public static long maskedDense(int sites, int in, int out, boolean exclusive) {
        return COUNTS.computeIfAbsent(List.of("MaskedDense1D", sites, in, out, exclusive),
                key -> MaskedDense1D.fromNetKet(sites, in, out, exclusive, false,
                        Tensor.zeros(sites * in, sites * out), null, "").multiplyAddsPerSample());
    }

    /** {@link MaskedConv1D#multiplyAddsPerSample()} of a layer of this shape (zero kernel, no bias). */
    public static long maskedConv1D(int sites, int in, int out, int kernelSize, int dilation, boolean exclusive) {
        int taps = kernelSize - (exclusive ? 1 : 0);
        return COUNTS.computeIfAbsent(List.of("MaskedConv1D", sites, in, out, kernelSize, dilation, exclusive),
                key -> MaskedConv1D.fromNetKet(sites, in, out, kernelSize, dilation, exclusive, false,
                        Tensor.zeros(taps, in, out), null, "").multiplyAddsPerSample());
    }

    /** {@link ARNN#multiplyAddsPerSample()} of a model of this configuration. */
    public static long model(ARNNConfig config) {
        return COUNTS.computeIfAbsent(config, key -> ARNN.initialise(config, 0).multiplyAddsPerSample());
    }
}
