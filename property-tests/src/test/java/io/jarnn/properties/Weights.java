package io.jarnn.properties;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.MaskedConv2DSpec;
import io.jarnn.nn.MaskedDense1DSpec;
import io.jarnn.nn.ParameterKeys;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The {@link WeightStyle}s applied to a model of this file's precision (single here, double in
 * the generated twin): each adversarial style is adversarial in the model's own precision, so
 * the magnitudes differ between the twins.
 */
final class Weights {
    /** Gain of the hidden kernels under {@link WeightStyle#HUGE}: pushes selu far into both of its regimes. */
    private static final float HUGE_HIDDEN_GAIN = 4f;
    /**
     * Smallest logit magnitude {@link WeightStyle#HUGE} aims at: the "+-80" of the issue in single
     * precision; +-400 in double precision, so that a row's spread (800) is beyond what exp takes.
     */
    private static final double HUGE_LOGIT = 80; //f64: private static final double HUGE_LOGIT = 400;
    /**
     * {@code machinePow * logit} that must be reached so that exp overflows without the max
     * subtraction: exp(100) overflows single precision (max ~ e^88.7), exp(800) double precision (max ~ e^709.8).
     */
    private static final double HUGE_EXPONENT = 100; //f64: private static final double HUGE_EXPONENT = 800;
    /**
     * {@link WeightStyle#TINY}: four layers of products of weights this small reach the subnormal
     * range of the precision (1e-40 is below single's 1.2e-38; 1e-320 below double's 2.2e-308).
     */
    private static final float TINY_FACTOR = 1e-10f; //f64: private static final double TINY_FACTOR = 1e-80;

    private Weights() {
    }

    /** {@code model} with {@code style}'s weights; {@code seed} makes the transform reproducible. */
    static ARNN apply(WeightStyle style, ARNN model, long seed) {
        return switch (style) {
            case INIT -> model;
            case ZEROS -> model.withParameters(scaled(model.parameters(), 0f));
            case TINY -> model.withParameters(scaled(model.parameters(), TINY_FACTOR));
            case HUGE -> huge(model, seed);
            case MIXED_SIGNS -> model.withParameters(mixedSigns(model.parameters(), seed));
            case MASKED_NAN -> withMaskedEntries(model, () -> Float.NaN);
            case MASKED_GARBAGE -> {
                SplittableRandom random = new SplittableRandom(seed);
                yield withMaskedEntries(model, () -> (float) random.nextDouble(-1000, 1000));
            }
        };
    }

    private static Map<String, Tensor> scaled(Map<String, Tensor> params, float factor) {
        for (Tensor t : params.values()) {
            scale(t, factor);
        }
        return params;
    }

    private static void scale(Tensor t, double factor) {
        float[] a = t.array();
        for (int i = 0; i < t.size(); i++) {
            a[t.offset() + i] = (float) (a[t.offset() + i] * factor);
        }
    }

    /**
     * The logits are linear in the last layer's kernel and bias, so scaling both by s scales
     * every logit by s. The spread max_k x_k - min_k x_k of a row is visible from outside as the
     * spread of its logPsi row (normalisation subtracts one constant per row), so s is chosen to
     * bring the largest spread over a probe batch to twice the target magnitude.
     */
    private static ARNN huge(ARNN model, long seed) {
        Map<String, Tensor> params = model.parameters();
        int last = model.layers().size() - 1;
        for (int l = 0; l < last; l++) {
            scale(params.get(ParameterKeys.kernel(l)), HUGE_HIDDEN_GAIN);
        }
        ARNN amplified = model.withParameters(params);
        double target = 2 * Math.max(HUGE_LOGIT, HUGE_EXPONENT / model.machinePow());
        double spread = largestRowSpread(amplified, seed);
        boolean bias = model.layers().getFirst().useBias();
        if (spread > 0) {
            double s = Math.min(target / spread, 1e12);
            scale(params.get(ParameterKeys.kernel(last)), s);
            if (bias) {
                scale(params.get(ParameterKeys.bias(last)), s);
            }
        } else if (bias) {
            // The outputs see no input (e.g. a dense model with N = 1) and the biases are zero:
            // make the logits themselves +-target/2 through the last bias.
            Tensor b = params.get(ParameterKeys.bias(last));
            int ls = model.hilbert().localSize();
            for (int i = 0; i < b.size(); i++) {
                b.array()[b.offset() + i] = (float) ((i % ls) % 2 == 0 ? target / 2 : -target / 2);
            }
        }
        return model.withParameters(params);
    }

    private static double largestRowSpread(ARNN model, long seed) {
        HilbertSpace h = model.hilbert();
        Tensor logPsi = model.conditionalsLogPsi(Build.randomConfigurations(h, 32, seed ^ 0x5DEECE66DL));
        int ls = h.localSize();
        float[] a = logPsi.array();
        double spread = 0;
        for (int row = 0; row < logPsi.size() / ls; row++) {
            float max = Float.NEGATIVE_INFINITY;
            float min = Float.POSITIVE_INFINITY;
            for (int k = 0; k < ls; k++) {
                max = Math.max(max, a[row * ls + k]);
                min = Math.min(min, a[row * ls + k]);
            }
            spread = Math.max(spread, (double) max - min);
        }
        return spread;
    }

    private static Map<String, Tensor> mixedSigns(Map<String, Tensor> params, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor t = e.getValue();
            float[] a = t.array();
            boolean isBias = e.getKey().endsWith("/bias");
            for (int i = 0; i < t.size(); i++) {
                double sign = random.nextBoolean() ? 1 : -1;
                double magnitude = isBias ? Math.abs(random.nextGaussian()) + 0.01
                        : Math.abs(a[t.offset() + i]) * Math.pow(10, random.nextDouble(-2, 1));
                a[t.offset() + i] = (float) (sign * magnitude);
            }
        }
        return params;
    }

    /** The model with {@code value} in every masked kernel entry (dense and conv2d; conv1d has none). */
    private static ARNN withMaskedEntries(ARNN model, Supplier<Float> value) {
        return switch (model.layers().getFirst().spec()) {
            case MaskedDense1DSpec dense -> model.withParameters(fillMaskedEntries(model.parameters(),
                    model.hilbert().size(), value));
            case MaskedConv2DSpec conv -> model.withParameters(fillMaskedConv2dEntries(model.parameters(), value));
            default -> model;
        };
    }

    /** Conv2d kernels (kh, kw, in, out): the last kernel row from column kw/2 (+1 when inclusive) on. */
    private static Map<String, Tensor> fillMaskedConv2dEntries(Map<String, Tensor> params, Supplier<Float> value) {
        for (int l = 0; params.containsKey(ParameterKeys.kernel(l)); l++) {
            Tensor k = params.get(ParameterKeys.kernel(l));
            int kh = k.dim(0);
            int kw = k.dim(1);
            for (int j = kw / 2 + (l == 0 ? 0 : 1); j < kw; j++) {
                for (int a = 0; a < k.dim(2); a++) {
                    for (int c = 0; c < k.dim(3); c++) {
                        k.set(value.get(), kh - 1, j, a, c);
                    }
                }
            }
        }
        return params;
    }

    private static Map<String, Tensor> fillMaskedEntries(Map<String, Tensor> params, int sites, Supplier<Float> value) {
        for (int l = 0; params.containsKey(ParameterKeys.kernel(l)); l++) {
            Tensor k = params.get(ParameterKeys.kernel(l));
            int in = k.dim(0) / sites;
            int out = k.dim(1) / sites;
            for (int r = 0; r < k.dim(0); r++) {
                for (int c = 0; c < k.dim(1); c++) {
                    if (!DenseMask.used(l, r / in, c / out)) {
                        k.set(value.get(), r, c);
                    }
                }
            }
        }
        return params;
    }
}
