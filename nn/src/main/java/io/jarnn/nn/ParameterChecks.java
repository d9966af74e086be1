package io.jarnn.nn;

import io.jarnn.core.Shapes;
import io.jarnn.core.Tensor;

import java.util.Arrays;

/** Validation shared by the layers' parameter imports; messages name the parameter key. */
final class ParameterChecks {
    private ParameterChecks() {
    }

    static void requireShape(String key, Tensor t, int... expected) {
        if (t == null) {
            throw new IllegalArgumentException(key + ": expected a tensor of shape " + Shapes.format(expected)
                    + " but got null");
        }
        t.requireShape(key, expected);
    }

    /** Throws naming {@code key} and the element unless the value at flat index {@code i} is finite. */
    static void requireFinite(String key, Tensor t, int i) {
        float v = t.array()[t.offset() + i];
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException(key + ": expected finite values in used entries but element "
                    + Arrays.toString(unravel(i, t.shape())) + " is " + v);
        }
    }

    static void requireAllFinite(String key, Tensor t) {
        for (int i = 0; i < t.size(); i++) {
            requireFinite(key, t, i);
        }
    }

    /**
     * Throws unless {@code src[off .. off + n)} are all finite, naming the element's index in the
     * flat parameter vector ({@code flatBase} + its position).
     */
    static void requireFiniteFlat(float[] src, int off, int n, int flatBase) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(src[off + i])) {
                throw new IllegalArgumentException("parameters: expected finite values but flat element "
                        + (flatBase + i) + " is " + src[off + i]);
            }
        }
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = flat % shape[a];
            flat /= shape[a];
        }
        return idx;
    }
}
