package io.jarnn.nn;

import io.jarnn.core.Tensor;

import java.util.random.RandomGenerator;

/**
 * NetKet's kernel distribution: LeCun normal (JAX's {@code lecun_normal}, a normal truncated at
 * two standard deviations and rescaled so that its variance is exactly {@code 1 / fan_in}).
 * Each {@link LayerSpec} chooses its fan-in and correction; biases start at zero. The draws are
 * doubles in either precision, rounded once to the model's element type. Reproducible
 * from a seed, not bit-equal to JAX's random streams.
 */
final class Initializer {
    /** Standard deviation of a unit normal truncated to [-2, 2] (JAX's correction constant). */
    private static final double TRUNCATED_STDDEV = 0.87962566103423978;

    private Initializer() {
    }

    /**
     * A NetKet-shaped kernel for {@code spec}, drawn as NetKet initialises it (LeCun normal
     * with the spec's fan-in and scale), consuming {@code random} in row-major order.
     */
    static Tensor initialKernel(LayerSpec spec, RandomGenerator random) {
        return lecunNormal(random, spec.kernelFanIn(), spec.kernelInitScale(), spec.kernelShape());
    }

    /** A truncated normal with variance {@code scale^2 / fanIn} into every element, in row-major order. */
    static Tensor lecunNormal(RandomGenerator random, int fanIn, double scale, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] a = t.array();
        double std = Math.sqrt(1.0 / fanIn) / TRUNCATED_STDDEV * scale;
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (truncatedUnitNormal(random) * std);
        }
        return t;
    }

    private static double truncatedUnitNormal(RandomGenerator random) {
        while (true) {
            double z = random.nextGaussian();
            if (Math.abs(z) <= 2.0) {
                return z;
            }
        }
    }
}
