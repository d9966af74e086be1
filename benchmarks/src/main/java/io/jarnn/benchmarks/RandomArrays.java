package io.jarnn.benchmarks;

import io.jarnn.core.Tensor;

import java.util.SplittableRandom;

/** Reproducible random operands for benchmarks. */
final class RandomArrays {
    private RandomArrays() {
    }

    /** A tensor of the given shape with entries uniform in [-scale, scale). */
    static Tensor uniform(long seed, float scale, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] a = t.array();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) ((2 * random.nextDouble() - 1) * scale);
        }
        return t;
    }
}
