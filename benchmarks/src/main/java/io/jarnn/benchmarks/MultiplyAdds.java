package io.jarnn.benchmarks;

/**
 * Closed-form multiply-add counts of one sample through jarnn's layers and models, masked work
 * excluded. Every benchmark exposes {@code public static long usefulFlopsPerOp(Map<String, String>
 * params)} built from these, the report ({@code PerfTable}) calls it with the parameters from
 * the JMH JSON, and each benchmark's {@code @Setup} checks it against the library's own
 * {@code multiplyAddsPerSample()}: one formula, verified on every run, and the report needs no
 * model to be built.
 */
public final class MultiplyAdds {
    private MultiplyAdds() {
    }

    /**
     * MaskedDense1D: output site j is reached by the j sites before it (and itself when
     * inclusive), each an (in x out) block.
     */
    public static long maskedDense(int sites, int in, int out, boolean exclusive) {
        long reachingPairs = exclusive ? (long) sites * (sites - 1) / 2 : (long) sites * (sites + 1) / 2;
        return reachingPairs * in * out;
    }

    /**
     * MaskedConv1D: site t uses the taps that do not fall before site 0; tap k reaches back
     * (K-1-k)*d sites, and the exclusive layer drops the last tap.
     */
    public static long maskedConv1D(int sites, int in, int out, int kernelSize, int dilation, boolean exclusive) {
        int taps = kernelSize - (exclusive ? 1 : 0);
        long usedTaps = 0;
        for (int t = 0; t < sites; t++) {
            int firstTap = Math.min(Math.max(kernelSize - 1 - t / dilation, 0), taps);
            usedTaps += taps - firstTap;
        }
        return usedTaps * in * out;
    }

    /** ARNNDense with NetKet's int features: widths 1 -> f -> ... -> f -> localSize, first layer exclusive. */
    public static long arnnDense(int sites, int layers, int features, int localSize) {
        long total = 0;
        for (int l = 0; l < layers; l++) {
            total += maskedDense(sites, inWidth(l, features), outWidth(l, layers, features, localSize), l == 0);
        }
        return total;
    }

    /** ARNNConv1D with NetKet's int features, as {@link #arnnDense}. */
    public static long arnnConv1D(int sites, int layers, int features, int localSize, int kernelSize, int dilation) {
        long total = 0;
        for (int l = 0; l < layers; l++) {
            total += maskedConv1D(sites, inWidth(l, features), outWidth(l, layers, features, localSize),
                    kernelSize, dilation, l == 0);
        }
        return total;
    }

    private static int inWidth(int layer, int features) {
        return layer == 0 ? 1 : features;
    }

    private static int outWidth(int layer, int layers, int features, int localSize) {
        return layer == layers - 1 ? localSize : features;
    }
}
