package io.jarnn.nn;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;

/**
 * Models and configurations of this test's precision from NetKet-style builders, so that one
 * test source serves both precisions: float32 here, float64 in the generated {@code Build64}.
 */
final class Build {
    private Build() {
    }

    /** The builder's configuration in this precision. */
    static ARNNConfig config(ARNNConfig.Builder<?> builder) {
        return builder.dtype(DType.FLOAT32).config();
    }

    /** A model of the builder's configuration in this precision, initialised from {@code seed}. */
    static ARNN model(ARNNConfig.Builder<?> builder, long seed) {
        return ARNN.initialise(config(builder), seed);
    }

    /** {@link HilbertSpace#randomConfigurations} in this precision (local values convert exactly). */
    static Tensor randomConfigurations(HilbertSpace h, int batch, long seed) {
        return h.randomConfigurations(batch, seed); //f64: return h.randomConfigurations(batch, seed).toDoublePrecision();
    }

    /**
     * The local index of {@code value}, which must equal a local value exactly (in float64: not
     * merely round to one in float32).
     */
    static int localIndex(HilbertSpace h, float value) {
        float single = value; //f64: float single = (float) value;
        if (single != value) {
            throw new IllegalArgumentException("value: expected a local value of " + h + " but got " + value);
        }
        return h.localIndex(single);
    }

    /** {@link HilbertSpace#allConfigurations()} in this precision. */
    static Tensor allConfigurations(HilbertSpace h) {
        return h.allConfigurations(); //f64: return h.allConfigurations().toDoublePrecision();
    }
}
