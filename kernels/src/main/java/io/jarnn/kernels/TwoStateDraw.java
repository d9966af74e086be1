package io.jarnn.kernels;

/**
 * The sampler's inverse-CDF choice between two local states (spin 1/2), one row at a time: the
 * one scalar source of the rule that {@link Kernels#drawOfTwo} applies to a block of rows (its
 * vector lanes perform the same double operations) and that the sampler's scalar loop calls.
 */
public final class TwoStateDraw {
    private TwoStateDraw() {
    }

    /**
     * NetKet's rule for two states with probabilities {@code first} and {@code second}: the
     * number of k with {@code cumsum(p)[k] < u * total}, which for u in [0, 1) is the first
     * state's term alone (the second's cumulative sum is the total, never below
     * {@code u * total}): 1 when {@code first < u * total}, read as the sign bit of their
     * difference (no branch on the random draw; both non-negative and finite, so the difference
     * is -0 never), or when first is 0 (a state of probability zero is never chosen, even for
     * u = 0); else 0. -1 when the total is NaN, zero or infinite: nothing to draw from.
     */
    public static int choose(double first, double second, double u) {
        double total = first + second;
        if (!(total > 0 && total < Double.POSITIVE_INFINITY)) {
            return -1;
        }
        long below = Double.doubleToRawLongBits(first - u * total) >>> 63;
        return first == 0 ? 1 : (int) below;
    }
}
