package io.jarnn.spark;

import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNN64;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.vmc.NonFiniteParametersException;

/** A model's flat parameter vector in double, as the VMC update works on it. */
final class FlatParameters {
    private FlatParameters() {
    }

    /**
     * {@code model} with {@code increment} added to its flat parameters in double and rounded
     * once to the model's precision, as the local driver does; a parameter that would become
     * non-finite stops the step with a {@link NonFiniteParametersException} naming it.
     */
    static AutoregressiveModel plus(AutoregressiveModel model, double[] increment, long step) {
        return switch (model) {
            case ARNN m -> {
                float[] flat = m.flatParameters();
                for (int e = 0; e < flat.length; e++) {
                    double x = flat[e] + increment[e];
                    requireFinite(step, e, (float) x, increment[e]);
                    flat[e] = (float) x;
                }
                yield m.withParameters(flat);
            }
            case ARNN64 m -> {
                double[] flat = m.flatParameters();
                for (int e = 0; e < flat.length; e++) {
                    double x = flat[e] + increment[e];
                    requireFinite(step, e, x, increment[e]);
                    flat[e] = x;
                }
                yield m.withParameters(flat);
            }
        };
    }

    private static void requireFinite(long step, int e, double x, double increment) {
        if (!Double.isFinite(x)) {
            throw new NonFiniteParametersException(step, "step " + step + ": parameter " + e + " would become " + x
                    + " (update " + increment + "); stopping with the model of step " + step);
        }
    }

    /** The elements of {@code a} widened to a fresh double[]. */
    static double[] toDoubles(NdArray a) {
        return switch (a) {
            case Tensor t -> {
                double[] out = new double[t.size()];
                float[] src = t.array();
                for (int i = 0; i < out.length; i++) {
                    out[i] = src[t.offset() + i];
                }
                yield out;
            }
            case Tensor64 t -> java.util.Arrays.copyOfRange(t.array(), t.offset(), t.offset() + t.size());
        };
    }
}
