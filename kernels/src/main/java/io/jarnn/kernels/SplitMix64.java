package io.jarnn.kernels;

/**
 * The SplitMix64 generator of {@link java.util.SplittableRandom}, as a state the caller holds:
 * a stream at state s returns, for its i-th double (i = 1, 2, ...), {@code uniform(s + i * GAMMA)},
 * exactly what {@code new SplittableRandom(s).nextDouble()} returns in turn. Written out here,
 * not called through SplittableRandom, so that a kernel can compute a whole block of a stream's
 * doubles lane-wise ({@link Kernels#drawOfTwo}) and give the very values the sampler's scalar
 * loop would (SplitMix64Test holds both to SplittableRandom).
 */
public final class SplitMix64 {
    /** The increment of the state per value: SplittableRandom's golden gamma (its seeded constructor's). */
    public static final long GAMMA = 0x9e3779b97f4a7c15L;
    static final long MIX1 = 0xbf58476d1ce4e5b9L;
    static final long MIX2 = 0x94d049bb133111ebL;
    /** 2^-53: a 53-bit integer times it is a double in [0, 1), exactly. */
    static final double DOUBLE_UNIT = 0x1.0p-53;

    private SplitMix64() {
    }

    /** The 64-bit mix of a state (Stafford's variant 13, SplittableRandom's mix64). */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * MIX1;
        z = (z ^ (z >>> 27)) * MIX2;
        return z ^ (z >>> 31);
    }

    /** The double in [0, 1) of a state already advanced: the top 53 bits of its mix. */
    public static double uniform(long state) {
        return (mix(state) >>> 11) * DOUBLE_UNIT;
    }
}
