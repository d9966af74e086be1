package io.jarnn.nn;

import io.jarnn.core.NdArray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
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

    /** The NetKet name and shape of every parameter of {@code config}, layer by layer, kernel before bias. */
    public static SequencedMap<String, int[]> shapes(ARNNConfig config) {
        SequencedMap<String, int[]> shapes = new LinkedHashMap<>();
        List<LayerSpec> layers = config.layerSpecs();
        for (int l = 0; l < layers.size(); l++) {
            shapes.put(kernel(l), layers.get(l).kernelShape());
            if (layers.get(l).useBias()) {
                shapes.put(bias(l), layers.get(l).biasShape());
            }
        }
        return shapes;
    }

    /** Throws naming the key unless {@code parameters} holds exactly the expected keys. */
    static void requireExactly(Map<String, ? extends NdArray> parameters, ARNNConfig config) {
        if (parameters == null) {
            throw new IllegalArgumentException("parameters: expected a map of NetKet parameter names but got null");
        }
        TreeSet<String> expected = new TreeSet<>(shapes(config).keySet());
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
