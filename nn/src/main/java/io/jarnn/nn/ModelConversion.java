package io.jarnn.nn;

import io.jarnn.core.DType;
import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Models and parameter maps from one precision to the other: the one place in nn where the
 * precisions meet, as {@link io.jarnn.core.PrecisionConversion} is for arrays. Widening is
 * exact; narrowing rounds to nearest and refuses a finite value beyond float32, naming the key.
 */
final class ModelConversion {
    private ModelConversion() {
    }

    /** {@code model} in float32, with its threads; every parameter rounded to nearest. */
    static ARNN narrow(ARNN64 model) {
        return ARNN.fromParameters(model.config().withDType(DType.FLOAT32), toSinglePrecision(model.parameters()))
                .withThreads(model.threads());
    }

    /** {@code model} in float64, with its threads; every parameter widened exactly. */
    static ARNN64 widen(ARNN model) {
        return ARNN64.fromParameters(model.config().withDType(DType.FLOAT64), toDoublePrecision(model.parameters()))
                .withThreads(model.threads());
    }

    /** The same map (same key order) with every array in float32. */
    static Map<String, Tensor> toSinglePrecision(Map<String, ? extends NdArray> parameters) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        parameters.forEach((key, array) -> {
            try {
                out.put(key, array == null ? null : array.toSinglePrecision());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
            }
        });
        return out;
    }

    /** The same map (same key order) with every array in float64. */
    static Map<String, Tensor64> toDoublePrecision(Map<String, ? extends NdArray> parameters) {
        Map<String, Tensor64> out = new LinkedHashMap<>();
        parameters.forEach((key, array) -> out.put(key, array == null ? null : array.toDoublePrecision()));
        return out;
    }
}
