package io.jarnn.properties;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConfig;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The generated models and their inputs in this suite's precision, so that one property source
 * serves both precisions: float32 here, float64 in the generated {@code Build64} (the twins of
 * the properties call it). {@link HilbertSpace} keeps its local values in float32; a float64
 * configuration holds them widened, exactly.
 */
final class Build {
    private Build() {
    }

    /** The specification's configuration in this precision. */
    static ARNNConfig config(ModelSpec spec) {
        return spec.config().withDType(DType.FLOAT32);
    }

    /** The model: seeded initialisation in this precision, then the weight style's transform. */
    static ARNN model(ModelSpec spec) {
        return Weights.apply(spec.weights(), ARNN.initialise(config(spec), spec.seed()), spec.seed());
    }

    /** {@link HilbertSpace#randomConfigurations} in this precision. */
    static Tensor randomConfigurations(HilbertSpace h, int batch, long seed) {
        return h.randomConfigurations(batch, seed); //f64: return h.randomConfigurations(batch, seed).toDoublePrecision();
    }

    /** {@link HilbertSpace#allConfigurations(long)} in this precision. */
    static Tensor allConfigurations(HilbertSpace h, long limit) {
        return h.allConfigurations(limit); //f64: return h.allConfigurations(limit).toDoublePrecision();
    }

    /** A copy of the local values in this precision, in local-index order. */
    static float[] localValues(HilbertSpace h) {
        float[] values = h.localValues(); //f64: float[] values = h.localValues();
        float[] copy = new float[values.length];
        for (int k = 0; k < values.length; k++) {
            copy[k] = values[k];
        }
        return copy;
    }

    /**
     * The local index of {@code value}, or -1 when it is no local state. In float64 a value is a
     * local state only when it equals one exactly, not when it merely rounds to one in float32.
     */
    static int localIndexOrNegative(HilbertSpace h, float value) {
        return h.localIndexOrNegative(value); //f64: return (float) value == value ? h.localIndexOrNegative((float) value) : -1;
    }

    /** The local index of a value the test knows to be a local state. */
    static int localIndex(HilbertSpace h, float value) {
        int k = localIndexOrNegative(h, value);
        if (k < 0) {
            throw new IllegalArgumentException("value: expected a local value of " + h + " but got " + value);
        }
        return k;
    }

    /** Fails unless {@code t} is a (batch, N) tensor of local values of {@code h}. */
    static void requireConfigurations(HilbertSpace h, String what, Tensor t) {
        if (t.rank() != 2 || t.dim(1) != h.size()) {
            fail(what + ": expected shape (batch, " + h.size() + ") but got rank " + t.rank());
        }
        for (int e = 0; e < t.size(); e++) {
            if (localIndexOrNegative(h, t.getFlat(e)) < 0) {
                fail(what + ": element [" + e / h.size() + ", " + e % h.size() + "] = " + t.getFlat(e)
                        + " is no local value of " + h);
            }
        }
    }
}
