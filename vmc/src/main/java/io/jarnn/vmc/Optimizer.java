package io.jarnn.vmc;

import java.util.Map;

/**
 * A first-order update rule, as optax's: from a gradient (or an SR-preconditioned gradient)
 * {@code g} of the energy, the increment {@code d} that the driver adds to the parameters,
 * {@code theta <- theta + d}. Knows nothing of sampling or of SR. Mutable: it carries its step
 * counter and any moments ({@link #state()}), which a checkpoint saves and {@link #restore}
 * puts back so that a resumed run continues the same trajectory. All arithmetic in double.
 */
public interface Optimizer {

    /** A short name, also the checkpoint's record of which optimiser wrote the state: "sgd", "adam". */
    String name();

    /** The learning rate. */
    double learningRate();

    /**
     * Writes the increment for gradient {@code g} into {@code d} (both of length P, may not be
     * the same array) and advances the step counter.
     */
    void update(double[] g, double[] d);

    /** Updates made so far (the t of Adam's bias correction is {@code steps() + 1} in the next update). */
    long steps();

    /** The moments, by name (fresh copies; empty for SGD). */
    Map<String, double[]> state();

    /** Puts back a step counter and the moments of {@link #state()}, as a checkpoint holds them. */
    void restore(long steps, Map<String, double[]> state);

    /** One line for logs, e.g. {@code adam(lr=0.01, b1=0.9, b2=0.999, eps=1e-08)}. */
    String describe();
}
