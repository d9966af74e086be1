package io.jarnn.vmc;

import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNN64;
import io.jarnn.nn.AutoregressiveModel;

/**
 * The last move of a VMC step, theta + d: each parameter summed in double with its increment and
 * rounded once to the model's precision. One source for the local driver ({@link VmcDriver}) and
 * the distributed one, so both take bitwise the same step.
 */
public final class ParameterUpdate {
    private ParameterUpdate() {
    }

    /**
     * {@code model} with {@code increment} (one entry per flat parameter, {@link ARNN#flatParameters()}
     * order) added. A parameter that would become non-finite in the model's precision throws
     * {@link NonFiniteParametersException} naming it and {@code step}, with {@code stopNote} (e.g.
     * where the last good checkpoint is) at the end of the message; {@code model} is left as it was.
     */
    public static AutoregressiveModel plus(AutoregressiveModel model, double[] increment, long step, String stopNote) {
        if (increment.length != model.parameterCount()) {
            throw new IllegalArgumentException("increment: expected " + model.parameterCount()
                    + " entries (the model's parameters) but got " + increment.length);
        }
        return switch (model) {
            case ARNN m -> {
                float[] flat = m.flatParameters();
                for (int e = 0; e < flat.length; e++) {
                    float x = (float) (flat[e] + increment[e]);
                    requireFinite(x, e, increment[e], step, stopNote);
                    flat[e] = x;
                }
                yield m.withParameters(flat);
            }
            case ARNN64 m -> {
                double[] flat = m.flatParameters();
                for (int e = 0; e < flat.length; e++) {
                    double x = flat[e] + increment[e];
                    requireFinite(x, e, increment[e], step, stopNote);
                    flat[e] = x;
                }
                yield m.withParameters(flat);
            }
        };
    }

    private static void requireFinite(double x, int e, double increment, long step, String stopNote) {
        if (!Double.isFinite(x)) {
            throw new NonFiniteParametersException(step, "step " + step + ": parameter " + e + " would become "
                    + x + " (update " + increment + "); stopping with the model of step " + step + stopNote);
        }
    }
}
