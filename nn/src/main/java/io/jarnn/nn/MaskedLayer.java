package io.jarnn.nn;

import io.jarnn.core.Tensor;
import io.jarnn.kernels.Kernels;

/**
 * One autoregressively masked layer: a {@link LayerSpec} with its parameters, mapping
 * (samples, N, in) to (samples, N, out). Immutable and thread-safe; per-call state lives in
 * caller-owned buffers and {@link LayerCache}s. Shapes, counts and NetKet names are the spec's.
 */
public abstract class MaskedLayer {
    private final LayerSpec spec;
    final int sites;
    final int in;
    final int out;
    final boolean exclusive;
    final boolean useBias;

    MaskedLayer(LayerSpec spec) {
        this.spec = spec;
        this.sites = spec.sites();
        this.in = spec.in();
        this.out = spec.out();
        this.exclusive = spec.exclusive();
        this.useBias = spec.useBias();
    }

    /**
     * The layer {@code spec} describes with these parameters in NetKet's shapes ({@code bias}
     * ignored, may be null, without a bias); errors name the parameters with {@code keyPrefix},
     * e.g. {@code "_layers_0/"}.
     */
    public static MaskedLayer of(LayerSpec spec, Tensor kernel, Tensor bias, String keyPrefix) {
        return switch (spec) {
            case MaskedDense1DSpec dense -> MaskedDense1D.fromNetKet(dense, kernel, bias, keyPrefix);
            case MaskedConv1DSpec conv -> MaskedConv1D.fromNetKet(conv, kernel, bias, keyPrefix);
        };
    }

    /** What this layer is, apart from its parameters. */
    public LayerSpec spec() {
        return spec;
    }

    /** Number of sites N. */
    public final int sites() {
        return sites;
    }

    /** Input features per site. */
    public final int inFeatures() {
        return in;
    }

    /** Output features per site. */
    public final int outFeatures() {
        return out;
    }

    /** Whether site i sees only sites before it (the first layer) rather than up to itself. */
    public final boolean exclusive() {
        return exclusive;
    }

    public final boolean useBias() {
        return useBias;
    }

    /** NetKet's module name, e.g. {@code "MaskedDense1D"}. */
    public final String typeName() {
        return spec.typeName();
    }

    /** Shape of the NetKet {@code kernel} parameter. */
    public final int[] kernelShape() {
        return spec.kernelShape();
    }

    /** Shape of the NetKet {@code bias} parameter. */
    public final int[] biasShape() {
        return spec.biasShape();
    }

    /** Number of floats this layer stores (only unmasked kernel entries, plus the bias). */
    public final long storedParameterCount() {
        return spec.storedParameterCount();
    }

    /** Number of parameters that can influence an output: unmasked kernel entries plus bias. */
    public final long effectiveParameterCount() {
        return spec.storedParameterCount();
    }

    /** Number of parameters in NetKet's representation (full kernel plus bias). */
    public final long netKetParameterCount() {
        return spec.netKetParameterCount();
    }

    /** Multiply-adds one full forward of one sample needs (masked work excluded). */
    public final long multiplyAddsPerSample() {
        return spec.multiplyAddsPerSample();
    }

    /** The kernel in NetKet's full shape (masked entries are zeros). A fresh copy. */
    public abstract Tensor kernel();

    /** The bias in NetKet's shape (zeros when the layer has no bias). A fresh copy. */
    public abstract Tensor bias();

    /**
     * {@code y[s, i, :] = layer(x[s, :, :])[i]} for {@code s < samples}: x is (samples, N, in)
     * contiguous at {@code xOff}, y is (samples, N, out) contiguous at {@code yOff}; y is
     * overwritten and must not overlap x. {@code scratch} (at least samples * N * max(in, out)
     * floats, overlapping neither) is the layer's to use for the call.
     */
    public abstract void forward(Kernels kernels, float[] x, int xOff, int samples, float[] y, int yOff,
                                 float[] scratch);

    /** A fresh per-site cache for {@code batch} samples (see {@link LayerCache}). */
    abstract LayerCache newCache(int batch);

    @Override
    public String toString() {
        return spec.toString();
    }
}
