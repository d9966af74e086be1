package io.jarnn.properties;

/**
 * How the weights of a generated model are chosen: the seeded initialiser as is, or an
 * adversarial transform of it built with {@code m.parameters()} and {@code m.withParameters(map)}.
 * The style is shared by both precisions; {@link Weights} (and its float64 twin) applies it, with
 * magnitudes chosen for the precision (e.g. HUGE overflows exp in the model's own precision).
 */
public enum WeightStyle {
    /** NetKet's initialisation (LeCun normal kernels, zero biases): generic, non-zero weights. */
    INIT,
    /** Every parameter zero: every conditional is uniform. */
    ZEROS,
    /**
     * The last layer scaled so that its outputs (the logits) spread over about +-80 (more when
     * machinePow < 1.25), so that {@code exp(machinePow * logit)} overflows a float unless the
     * row maximum is subtracted first; hidden kernels amplified so that selu sees large arguments.
     */
    HUGE,
    /** Every parameter times 1e-10: activations reach the subnormal range in deep models. */
    TINY,
    /** Random signs and magnitudes spread over four decades, random non-zero biases. */
    MIXED_SIGNS,
    /**
     * The initialiser's weights with NaN in every masked entry of the dense kernels (NetKet's own
     * initialiser leaves NaN there when N = 1): masked entries must never reach an output.
     * Conv kernels have no masked entries, so a conv model is unchanged.
     */
    MASKED_NAN,
    /**
     * The initialiser's weights with random finite values up to +-1000 in every masked dense
     * entry, as a trained kernel may hold there: a mask that lets one through changes an output
     * visibly (NaN would only make the import fail). Conv models are unchanged.
     */
    MASKED_GARBAGE;

    /** Whether every weight is generically non-zero, so that any structural dependence is real. */
    public boolean generic() {
        return this == INIT || this == MASKED_NAN || this == MASKED_GARBAGE;
    }
}
