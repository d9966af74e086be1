package io.jarnn.kernels;

/**
 * The sampler's choice of a local state from a uniform, for two states (spin 1/2): the one
 * source of its numerics, which {@link Kernels#drawOfTwo} applies to a site's rows (the vector
 * kernel lane-wise, by the same operations) and the sampler to single rows.
 */
public final class DrawRule {
    private DrawRule() {
    }

    /**
     * NetKet's inverse-CDF choice between two local states whose probabilities are
     * {@code p[off]} and {@code p[off + stride]}, for a uniform {@code u} in [0, 1): 1 when the
     * first is 0 or below {@code u * total}, the threshold scaled by the pair's own sum so that
     * rounding in p cannot select past the second state, and a state of probability zero is
     * never chosen; -1 when they hold a NaN or sum to zero or infinity. (The sampler's general
     * draw over the states gives the same choice for every u; its test checks it.)
     */
    public static int chooseOfTwo(float[] p, int off, int stride, double u) {
        double first = p[off];
        double total = first + p[off + stride];
        if (!(total > 0 && total < Double.POSITIVE_INFINITY)) {
            return -1;
        }
        // Without a branch (its outcome is the random draw itself, mispredicted half the time):
        // first < threshold is the sign of their difference, both being finite and
        // non-negative. The product is rounded before the subtraction, never fused.
        long below = Double.doubleToRawLongBits(first - u * total) >>> 63;
        return first == 0 ? 1 : (int) below;
    }
}
