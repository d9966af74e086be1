package io.jarnn.core;

/**
 * SplitMix64, the generator behind {@code java.util.SplittableRandom}: a state advanced by the
 * golden gamma and Stafford's variant-13 finaliser. The one place jarnn derives seeds of
 * independent streams (a sampler chunk's, a VMC step's) and runs a stream in a local long.
 */
public final class SplitMix64 {
    /** The state's increment per draw: {@code new SplittableRandom(seed)}'s gamma. */
    public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    /**
     * The finaliser's shifts and multipliers, {@link #mix}'s steps in order: public so that a
     * vector kernel drawing several states at once (lane-wise the same steps) reads them here.
     */
    public static final int MIX_SHIFT_1 = 30;
    public static final long MIX_MULTIPLIER_1 = 0xBF58476D1CE4E5B9L;
    public static final int MIX_SHIFT_2 = 27;
    public static final long MIX_MULTIPLIER_2 = 0x94D049BB133111EBL;
    public static final int MIX_SHIFT_3 = 31;
    /** {@link #unit}: the top 53 bits of the mixed state (a shift by 11), times 2^-53. */
    public static final int UNIT_SHIFT = 11;
    public static final double UNIT_SCALE = 0x1.0p-53;

    private SplitMix64() {
    }

    /** SplittableRandom's mix64: Stafford's variant 13 of MurmurHash3's finaliser. */
    public static long mix(long z) {
        z = (z ^ (z >>> MIX_SHIFT_1)) * MIX_MULTIPLIER_1;
        z = (z ^ (z >>> MIX_SHIFT_2)) * MIX_MULTIPLIER_2;
        return z ^ (z >>> MIX_SHIFT_3);
    }

    /**
     * The seed of stream {@code index} under {@code seed}: {@code mix(seed + (index + 1) * GOLDEN_GAMMA)},
     * so that neighbouring indices and seeds give unrelated streams, each a function of
     * (seed, index) only.
     */
    public static long streamSeed(long seed, long index) {
        return mix(seed + (index + 1) * GOLDEN_GAMMA);
    }

    /**
     * The double in [0, 1) of the draw that left a stream in {@code state}: the top 53 bits of
     * {@code mix(state)} times 2^-53, what {@code SplittableRandom.nextDouble()} returns.
     */
    public static double unit(long state) {
        return (mix(state) >>> UNIT_SHIFT) * UNIT_SCALE;
    }
}
