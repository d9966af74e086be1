package io.jarnn.nn;

import io.jarnn.core.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds NetKet-style parameter maps ({@code _layers_l/kernel}, {@code _layers_l/bias}) in tests. */
final class Parameters {
    private Parameters() {
    }

    /** {@code kernelsAndBiases} = kernel 0, bias 0, kernel 1, bias 1, ... */
    static Map<String, Tensor> withBias(Tensor... kernelsAndBiases) {
        Map<String, Tensor> map = new LinkedHashMap<>();
        for (int i = 0; i < kernelsAndBiases.length; i += 2) {
            map.put(ParameterKeys.kernel(i / 2), kernelsAndBiases[i]);
            map.put(ParameterKeys.bias(i / 2), kernelsAndBiases[i + 1]);
        }
        return map;
    }

    /** A tensor of the given shape holding {@code values} in row-major order. */
    static Tensor tensor(int[] shape, float... values) {
        return Tensor.copyOf(values, shape);
    }

    static int[] shape(int... dims) {
        return dims;
    }
}
