package io.jarnn.nn;

/**
 * What one masked layer is, apart from its parameters: its shape, its NetKet parameter shapes,
 * how its parameters are initialised and how much work a forward does. A model's configuration
 * is a Hilbert space, a list of these and {@code machinePow} ({@link ARNNConfig}); a layer is a
 * spec plus parameters ({@link MaskedLayer#spec()}), in either precision. A new layer type is
 * one spec, its layer class (one source, twinned to float64) with its case in
 * {@link MaskedLayer#of}, and its kernels.
 *
 * <p>Every spec maps (samples, N, in) to (samples, N, out); the output at site i depends on
 * inputs at sites {@code < i} (exclusive) or {@code <= i} (inclusive). Specs validate their
 * arguments at construction, naming the argument. Immutable values.
 */
public sealed interface LayerSpec permits MaskedDense1DSpec, MaskedConv1DSpec, MaskedConv2DSpec {

    /** Number of sites N. */
    int sites();

    /** Input features per site. */
    int in();

    /** Output features per site. */
    int out();

    /** Whether site i sees only sites before it (the first layer) rather than up to itself. */
    boolean exclusive();

    boolean useBias();

    /** NetKet's module name, e.g. {@code "MaskedDense1D"}. */
    String typeName();

    /** Shape of the NetKet {@code kernel} parameter. */
    int[] kernelShape();

    /** Shape of the NetKet {@code bias} parameter. */
    int[] biasShape();

    /** Kernel entries that can influence an output (the unmasked ones): the numbers a layer stores. */
    long usedKernelEntries();

    /** Multiply-adds one full forward of one sample needs (masked work and zero padding excluded). */
    long multiplyAddsPerSample();

    /** Number of numbers a layer stores: the used kernel entries plus the bias. */
    default long storedParameterCount() {
        return usedKernelEntries() + (useBias() ? product(biasShape()) : 0);
    }

    /** Number of parameters in NetKet's representation (the full kernel plus the bias). */
    default long netKetParameterCount() {
        return product(kernelShape()) + (useBias() ? product(biasShape()) : 0);
    }

    /**
     * Fan-in of NetKet's LeCun-normal kernel initialisation: the kernel is drawn with variance
     * {@code kernelInitScale()^2 / kernelFanIn()} (see {@code Initializer}), every entry of the
     * NetKet-shaped kernel in row-major order. The bias NetKet initialises to zeros.
     */
    int kernelFanIn();

    /** The factor on the LeCun normal's standard deviation (1 unless a mask thins the kernel). */
    double kernelInitScale();

    /** The same layer over another number of sites (e.g. the same architecture on a larger lattice). */
    LayerSpec onSites(int sites);

    private static long product(int[] shape) {
        long p = 1;
        for (int d : shape) {
            p *= d;
        }
        return p;
    }
}
