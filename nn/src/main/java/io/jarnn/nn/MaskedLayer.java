package io.jarnn.nn;

import io.jarnn.core.Tensor;
import io.jarnn.kernels.BackwardKernels;
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
            case MaskedConv2DSpec conv -> MaskedConv2D.fromNetKet(conv, kernel, bias, keyPrefix);
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

    // ---------------------------------------------------------------- flat parameters and backward

    /**
     * Number of floats of this layer in a flat parameter vector: its stored (effective)
     * parameters, the unmasked kernel entries then the bias, in the layer's own storage order
     * (see {@link #readParameters}).
     */
    public final int parameterCount() {
        return (int) spec.storedParameterCount();
    }

    /**
     * Writes this layer's {@link #parameterCount()} parameters to {@code dst[off ..]} in its
     * storage order: a dense layer its transposed panels (for each output site j, an (out, K_j)
     * block, {@code panel_j[c, r] = kernel[r, j*out + c]}) then its bias (N, out); a convolution
     * its kernel (K', in, out) then its bias (out). Biases only when the layer has one.
     */
    public abstract void readParameters(float[] dst, int off);

    /**
     * A layer of the same spec with parameters read from {@code src[off ..]} in the order of
     * {@link #readParameters}. Non-finite values are rejected, naming the flat index.
     */
    abstract MaskedLayer withParameters(float[] src, int off, int flatBase);

    /**
     * The input gradient: {@code dx = dy . J}, with J the layer's Jacobian, i.e. dX = dY W^T over
     * the unmasked weights only. dy is (samples, N, out) at {@code dyOff}, dx (samples, N, in) at
     * {@code dxOff}, overwritten, not overlapping dy. Each dx element is a fixed sequence of fused
     * multiply-adds ({@link Kernels#accumulateTaps} order), independent of how samples are grouped.
     */
    public abstract void backwardInput(Kernels kernels, float[] dy, int dyOff, int samples, float[] dx, int dxOff);

    /**
     * The parameter gradient, accumulated: {@code grad[gradOff + e] += sum_s dy . dy_s/dtheta_e}
     * over the samples, in the order of {@link #readParameters}, from the layer's input x
     * (samples, N, in) at {@code xOff} and the output gradient dy (samples, N, out) at
     * {@code dyOff}. Each element sums over the samples in ascending order (then positions, for a
     * convolution); {@code scratch} holds at least samples * N * max(in, out) floats.
     */
    public abstract void backwardParameters(Kernels kernels, BackwardKernels backward, float[] x, int xOff,
                                            float[] dy, int dyOff, int samples, float[] grad, int gradOff,
                                            float[] scratch);

    /** A fresh per-site cache for {@code batch} samples (see {@link LayerCache}). */
    abstract LayerCache newCache(int batch);

    /**
     * A per-site cache that keeps the inputs of every site pushed, never reusing a site's
     * storage for a later site: after a pass up to some site, positions may be pushed again
     * from any site s on (in increasing order) and site s + 1 onwards recomputed, the earlier
     * positions still holding what was pushed first. What {@link ConnectedLogPsi} restarts
     * from. A dense layer's cache already keeps every site.
     */
    LayerCache newHistoryCache(int batch) {
        return newCache(batch);
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
