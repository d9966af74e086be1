package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.NdArray;
import io.jarnn.core.Shapes;
import io.jarnn.core.Tensor64;

import java.util.Arrays;

/**
 * The float64 twin of {@link LocalStates}, written by hand: {@link HilbertSpace} keeps its local
 * values in float32, and a double is a local state when it equals one of them widened (exactly,
 * as a float64 NetKet configuration holding -1.0 or 1.0 does).
 */
final class LocalStates64 {
    private LocalStates64() {
    }

    /** The local values widened to double (exactly), in local-index order. */
    static double[] values(HilbertSpace h) {
        float[] values = h.localValues();
        double[] wide = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            wide[k] = values[k];
        }
        return wide;
    }

    /** Local index of {@code value}, or -1 when it is not a local state (NaN never is). */
    static int indexOrNegative(HilbertSpace h, double value) {
        float narrow = (float) value;
        return narrow == value ? h.localIndexOrNegative(narrow) : -1;
    }

    /**
     * Checks that {@code configurations} has shape (batch, N) and holds only local values, as
     * {@link HilbertSpace#requireConfigurations} does for float32; returns the batch size.
     */
    static int requireConfigurations(HilbertSpace h, String argument, Tensor64 configurations) {
        int size = h.size();
        if (configurations == null) {
            throw new IllegalArgumentException(argument + ": expected a (batch, " + size + ") tensor but got null");
        }
        if (configurations.rank() != 2 || configurations.dim(1) != size) {
            throw new IllegalArgumentException(argument + ": expected shape (batch, " + size + ") for " + h
                    + " but got " + Shapes.format(configurations.shape()));
        }
        double[] a = configurations.array();
        int off = configurations.offset();
        int i = h.firstNonLocalValue(a, off, configurations.size());
        if (i >= 0) {
            throw new IllegalArgumentException(argument + ": element [" + (i / size) + ", " + (i % size)
                    + "] is " + a[off + i] + ", expected one of " + Arrays.toString(h.localValues())
                    + " (" + h + ")");
        }
        return configurations.dim(0);
    }

    /** Configurations of either precision as a float64 tensor: itself, or an exact widened copy. */
    static Tensor64 configurations(String argument, NdArray configurations) {
        if (configurations == null) {
            throw new IllegalArgumentException(argument + ": expected a (batch, N) array but got null");
        }
        return configurations.toDoublePrecision();
    }
}
