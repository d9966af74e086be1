package io.jarnn.nn;

import io.jarnn.kernels.Kernels;

import java.util.List;
import java.util.Locale;

/**
 * Finds where one configuration's forward pass stopped being finite, for the message of a
 * {@link NonFiniteResultException}. Runs only after a non-finite result was seen, on that one
 * sample, with the model's own kernels: the layers one at a time, checking each output and the
 * selu after it, then the normalisation.
 */
final class NonFiniteDiagnosis {
    private NonFiniteDiagnosis() {
    }

    /**
     * The exception for {@code problem} (e.g. "logPsi of sample 3 at site 5 is NaN") of the
     * configuration at {@code sigma[off .. off + N)}, with where its forward stopped being finite.
     */
    static NonFiniteResultException of(ARNN model, String problem, float[] sigma, int off) {
        return new NonFiniteResultException(problem + ": " + cause(model, sigma, off));
    }

    private static String cause(ARNN model, float[] sigma, int off) {
        int n = model.hilbert().size();
        List<MaskedLayer> layers = model.layers();
        int width = 1;
        for (MaskedLayer l : layers) {
            width = Math.max(width, l.outFeatures());
        }
        float[] x = new float[n * width + Kernels.OVERREAD_PADDING];
        float[] y = new float[x.length];
        float[] scratch = new float[x.length];
        System.arraycopy(sigma, off, x, 0, n);
        for (int l = 0; l < layers.size(); l++) {
            MaskedLayer layer = layers.get(l);
            layer.forward(model.kernels(), x, 0, 1, y, 0, scratch);
            String bad = firstNonFinite(y, n, layer.outFeatures());
            if (bad != null) {
                return ParameterKeys.prefix(l).replace("/", "") + " (" + layer.typeName() + ") gives " + bad
                        + " from finite inputs: its weights or the activations overflow float32";
            }
            if (l + 1 < layers.size()) {
                model.kernels().selu(y, 0, y, 0, n * layer.outFeatures());
                bad = firstNonFinite(y, n, layer.outFeatures());
                if (bad != null) {
                    return "selu after " + ParameterKeys.prefix(l).replace("/", "") + " gives " + bad
                            + ": the activations overflow float32";
                }
            }
            float[] t = x;
            x = y;
            y = t;
        }
        int ls = model.hilbert().localSize();
        for (int i = 0; i < n; i++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < ls; k++) {
                min = Math.min(min, x[i * ls + k]);
                max = Math.max(max, x[i * ls + k]);
            }
            if (!Float.isFinite(model.machinePow() * (max - min))) {
                return String.format(Locale.ROOT, "every layer's output is finite, but the logits at site %d span "
                        + "%.3g, more than float32 can normalise (a probability rounds to zero)", i, (double) max - min);
            }
        }
        return "every layer's output and every site's logits are finite; the normalisation overflowed";
    }

    /** "+Infinity at site i, feature c" for the first non-finite entry of a (N, width) row, or null. */
    private static String firstNonFinite(float[] y, int n, int width) {
        for (int e = 0; e < n * width; e++) {
            if (!Float.isFinite(y[e])) {
                return y[e] + " at site " + e / width + ", feature " + e % width;
            }
        }
        return null;
    }
}
