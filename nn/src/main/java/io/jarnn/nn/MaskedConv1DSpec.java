package io.jarnn.nn;

/**
 * NetKet's {@code MaskedConv1D}: a causal convolution of kernel size K and dilation d. With
 * {@code K' = K - (exclusive ? 1 : 0)} taps,
 * {@code y[t] = bias + sum_{k < K'} x[t - (K-1-k)*d] . kernel[k]} (x before site 0 is zero);
 * kernel (K', in, out), bias (out). The exclusive layer's nearest tap is {@code t - d}.
 */
public record MaskedConv1DSpec(int sites, int in, int out, int kernelSize, int dilation, boolean exclusive,
                               boolean useBias) implements LayerSpec {

    public MaskedConv1DSpec {
        MaskedDense1DSpec.requireDims(sites, in, out);
        requireKernelSize(kernelSize);
        requireDilation(dilation);
    }

    static void requireKernelSize(int kernelSize) {
        if (kernelSize < 2) {
            throw new IllegalArgumentException("kernelSize: expected >= 2 (with 1 the exclusive first layer "
                    + "would have no taps and the model would ignore its inputs) but got " + kernelSize);
        }
    }

    static void requireDilation(int dilation) {
        if (dilation < 1) {
            throw new IllegalArgumentException("dilation: expected >= 1 but got " + dilation);
        }
    }

    /** Number of taps K' stored: K, or K - 1 for the exclusive layer. */
    public int taps() {
        return kernelSize - (exclusive ? 1 : 0);
    }

    /** How far back from site t tap k reads: (K-1-k)*d. */
    int shift(int k) {
        return (kernelSize - 1 - k) * dilation;
    }

    /** First tap that does not fall before site 0 at site t ({@link #taps()} when none does). */
    int firstTap(int t) {
        int k = kernelSize - 1 - t / dilation;
        return Math.min(Math.max(k, 0), taps());
    }

    @Override
    public String typeName() {
        return "MaskedConv1D";
    }

    @Override
    public int[] kernelShape() {
        return new int[]{taps(), in, out};
    }

    @Override
    public int[] biasShape() {
        return new int[]{out};
    }

    @Override
    public long usedKernelEntries() {
        return (long) taps() * in * out;
    }

    @Override
    public long multiplyAddsPerSample() {
        long total = 0;
        for (int t = 0; t < sites; t++) {
            total += (long) (taps() - firstTap(t)) * in * out;
        }
        return total;
    }

    /** LeCun normal with fan-in K' * in (the taps the layer really has). */
    @Override
    public int kernelFanIn() {
        return taps() * in;
    }

    @Override
    public double kernelInitScale() {
        return 1.0;
    }

    @Override
    public MaskedConv1DSpec onSites(int sites) {
        return new MaskedConv1DSpec(sites, in, out, kernelSize, dilation, exclusive, useBias);
    }
}
