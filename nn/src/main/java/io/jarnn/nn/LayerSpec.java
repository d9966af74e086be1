package io.jarnn.nn;

import io.jarnn.core.Tensor;

import java.util.random.RandomGenerator;

/**
 * What one masked layer is, apart from its parameters: its shape, its NetKet parameter shapes,
 * how its parameters are initialised and how much work a forward does. A model's configuration
 * is a Hilbert space, a list of these and {@code machinePow} ({@link ARNNConfig}); a layer is a
 * spec plus parameters ({@link MaskedLayer#spec()}). A new layer type is one spec, its layer
 * class and its kernels.
 *
 * <p>Every spec maps (samples, N, in) to (samples, N, out); the output at site i depends on
 * inputs at sites {@code < i} (exclusive) or {@code <= i} (inclusive). Specs validate their
 * arguments at construction, naming the argument. Immutable values.
 */
public sealed interface LayerSpec permits MaskedDense1DSpec, MaskedConv1DSpec {

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

    /** Kernel entries that can influence an output (the unmasked ones): the floats a layer stores. */
    long usedKernelEntries();

    /** Multiply-adds one full forward of one sample needs (masked work and zero padding excluded). */
    long multiplyAddsPerSample();

    /** Number of floats a layer stores: the used kernel entries plus the bias. */
    default long storedParameterCount() {
        return usedKernelEntries() + (useBias() ? product(biasShape()) : 0);
    }

    /** Number of parameters in NetKet's representation (the full kernel plus the bias). */
    default long netKetParameterCount() {
        return product(kernelShape()) + (useBias() ? product(biasShape()) : 0);
    }

    /**
     * A NetKet-shaped kernel drawn as NetKet initialises this layer (LeCun normal with this
     * layer's fan-in and corrections), consuming {@code random} in row-major order. The bias
     * NetKet initialises to zeros.
     */
    Tensor initialKernel(RandomGenerator random);

    /**
     * The layer with these parameters in NetKet's shapes ({@code bias} ignored, may be null,
     * without a bias); errors name the parameters with {@code keyPrefix}, e.g. {@code "_layers_0/"}.
     */
    MaskedLayer layer(Tensor kernel, Tensor bias, String keyPrefix);

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
