package io.jarnn.core;

/**
 * SplitMix64, the generator behind {@code java.util.SplittableRandom}: a state advanced by the
 * golden gamma and Stafford's variant-13 finaliser. The one place jarnn derives seeds of
 * independent streams (a sampler chunk's, a VMC step's) and runs a stream in a local long.
 */
public final class SplitMix64 {
    /** The state's increment per draw: {@code new SplittableRandom(seed)}'s gamma. */
    public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private SplitMix64() {
    }

    /** SplittableRandom's mix64: Stafford's variant 13 of MurmurHash3's finaliser. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
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
        return (mix(state) >>> 11) * 0x1.0p-53;
    }
}
