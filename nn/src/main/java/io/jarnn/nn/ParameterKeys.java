package io.jarnn.nn;

import io.jarnn.core.Tensor;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * NetKet's flattened parameter names: the layers live in a list attribute {@code _layers}, so
 * flax flattens them (with '/') to {@code _layers_0/kernel}, {@code _layers_0/bias}, ...
 */
public final class ParameterKeys {
    private ParameterKeys() {
    }

    public static String prefix(int layer) {
        return "_layers_" + layer + "/";
    }

    public static String kernel(int layer) {
        return prefix(layer) + "kernel";
    }

    public static String bias(int layer) {
        return prefix(layer) + "bias";
    }

    /** Throws naming the key unless {@code parameters} holds exactly the expected keys. */
    static void requireExactly(Map<String, Tensor> parameters, List<LayerSpec> layers) {
        if (parameters == null) {
            throw new IllegalArgumentException("parameters: expected a map of NetKet parameter names but got null");
        }
        TreeSet<String> expected = new TreeSet<>();
        for (int l = 0; l < layers.size(); l++) {
            expected.add(kernel(l));
            if (layers.get(l).useBias()) {
                expected.add(bias(l));
            }
        }
        for (String key : expected) {
            if (parameters.get(key) == null) {
                throw new IllegalArgumentException(key + ": expected this parameter but it is missing (expected keys "
                        + expected + ")");
            }
        }
        for (String key : parameters.keySet()) {
            if (key == null || !expected.contains(key)) {
                throw new IllegalArgumentException(key + ": unexpected parameter for this model (expected keys "
                        + expected + ")");
            }
        }
    }
}
