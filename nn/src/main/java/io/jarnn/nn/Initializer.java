package io.jarnn.nn;

import io.jarnn.core.Tensor;

import java.util.SplittableRandom;

/**
 * NetKet's parameter initialisation: LeCun normal kernels (JAX's {@code lecun_normal}, a normal
 * truncated at two standard deviations and rescaled so that its variance is exactly
 * {@code 1 / fan_in}) and zero biases. Dense kernels are then multiplied by
 * {@code sqrt(maskSize / maskCount)} and by the mask. Reproducible from a seed, not bit-equal
 * to JAX's random streams.
 */
final class Initializer {
    /** Standard deviation of a unit normal truncated to [-2, 2] (JAX's correction constant). */
    private static final double TRUNCATED_STDDEV = 0.87962566103423978;

    private final SplittableRandom random;

    Initializer(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A truncated normal with variance 1/fanIn, times {@code scale}, into every element. */
    Tensor lecunNormal(int fanIn, double scale, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] a = t.array();
        double std = Math.sqrt(1.0 / fanIn) / TRUNCATED_STDDEV * scale;
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (truncatedUnitNormal() * std);
        }
        return t;
    }

    private double truncatedUnitNormal() {
        while (true) {
            double z = random.nextGaussian();
            if (Math.abs(z) <= 2.0) {
                return z;
            }
        }
    }

    /** Kernel and bias of layer l, in NetKet's shapes. */
    Tensor[] layerParameters(ARNNConfig config, int layer) {
        int n = config.hilbert().size();
        int in = config.inFeatures(layer);
        int out = config.feature(layer);
        boolean exclusive = layer == 0;
        Tensor kernel;
        Tensor bias;
        if (config.kind() == ARNNConfig.Kind.DENSE) {
            long maskCount = (long) in * out * n * (exclusive ? n - 1 : n + 1) / 2;
            double maskSize = (double) n * in * n * out;
            double correction = maskCount == 0 ? 0 : Math.sqrt(maskSize / maskCount);
            kernel = lecunNormal(n * in, correction, n * in, n * out);
            zeroMasked(kernel, n, in, out, exclusive);
            bias = Tensor.zeros(n, out);
        } else {
            int taps = config.kernelSize() - (exclusive ? 1 : 0);
            kernel = lecunNormal(taps * in, 1.0, taps, in, out);
            bias = Tensor.zeros(out);
        }
        return new Tensor[]{kernel, bias};
    }

    private static void zeroMasked(Tensor kernel, int n, int in, int out, boolean exclusive) {
        float[] k = kernel.array();
        int cols = n * out;
        for (int r = 0; r < n * in; r++) {
            int i = r / in;
            for (int c = 0; c < cols; c++) {
                int j = c / out;
                if (exclusive ? i >= j : i > j) {
                    k[r * cols + c] = 0f;
                }
            }
        }
    }
}
