package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;

/**
 * A Hilbert space's local values as float32 model code sees them: the values, the local index
 * of a value and the check of a tensor of configurations. {@link HilbertSpace} speaks float32,
 * so here this is delegation; the float64 twin {@link LocalStates64} is written by hand because
 * it compares doubles with the widened local values.
 */
final class LocalStates {
    private LocalStates() {
    }

    /** A copy of the local values in local-index order. */
    static float[] values(HilbertSpace h) {
        return h.localValues();
    }

    /** Local index of {@code value}, or -1 when it is not a local state. */
    static int indexOrNegative(HilbertSpace h, float value) {
        return h.localIndexOrNegative(value);
    }

    /** See {@link HilbertSpace#requireConfigurations}; returns the batch size. */
    static int requireConfigurations(HilbertSpace h, String argument, Tensor configurations) {
        return h.requireConfigurations(argument, configurations);
    }

    /**
     * Configurations of either precision as a float32 tensor: itself, or a float32 copy of a
     * float64 one. Local values are float32 numbers, so the copy is exact for valid
     * configurations; an element that would round is refused rather than rounded onto a local
     * value, naming {@code argument} and the element.
     */
    static Tensor configurations(String argument, NdArray configurations) {
        if (configurations == null) {
            throw new IllegalArgumentException(argument + ": expected a (batch, N) array but got null");
        }
        if (configurations instanceof Tensor t) {
            return t;
        }
        Tensor narrowed = configurations.toSinglePrecision();
        for (int i = 0; i < narrowed.size(); i++) {
            if (narrowed.getFlat(i) != configurations.getDouble(i)) {
                throw new IllegalArgumentException(argument + ": expected local values but flat element " + i
                        + " is " + configurations.getDouble(i) + ", which is not a float32 number");
            }
        }
        return narrowed;
    }
}
