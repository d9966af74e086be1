package io.jarnn.kernels;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import static io.jarnn.kernels.KernelEquivalence.assertBitwiseEqual;
import static io.jarnn.kernels.KernelEquivalence.randomArray;
import static io.jarnn.kernels.KernelEquivalence.runBoth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One {@link Kernels#drawOfTwo} call: {@code rows} pairs of probabilities at {@code pOff}
 * (feature-major: the first states' {@code rows} values, then the second states'), the stream's
 * state before the site, and the drawn values written at {@code outOff} with {@code slack} guard
 * floats after them. Bitwise in every respect (a draw is a choice, not a rounding): vector
 * against scalar, and the scalar against the definition, which takes its uniforms from a
 * {@link SplittableRandom} seeded with the state (the stream the sampler's draws must equal)
 * and chooses the second state when {@code p0 == 0} or {@code p0 < u * (p0 + p1)} in double.
 * Both must return the same row, and write nothing at or after a row they could not draw.
 *
 * <p>Every third row holds a special pair (zeros of either sign, subnormals, tiny, equal and
 * huge values, a negative one), the others a normalised random pair. {@link Edge} places a
 * row whose uniform is exactly 0 or the largest below 1 (found by inverting the stream's
 * finaliser), and {@code badRow >= 0} a pair that cannot be drawn there (a NaN, an infinity,
 * or a zero total, by the seed).
 */
public record DrawOfTwoCase(int rows, int pOff, int outOff, int slack, Edge edge, int badRow) implements KernelCase {
    /** Draws whose uniform is an end of [0, 1). */
    public enum Edge {
        NONE, ZERO, LARGEST
    }

    private static final float[][] SPECIAL = {{0f, 1f}, {1f, 0f}, {-0f, 1f}, {0f, Float.MIN_VALUE},
            {Float.MIN_VALUE, 0f}, {Float.MIN_VALUE, Float.MIN_VALUE}, {1e-30f, 1e-30f}, {0.5f, 0.5f}, {1e30f, 3e30f},
            {Float.MAX_VALUE / 4, Float.MAX_VALUE / 4}, {-0.5f, 1.5f}, {2f, -1f}, {3f, 1e-40f}, {1e-40f, 3f}};
    private static final float[][] BAD = {{Float.NaN, 1f}, {1f, Float.NaN}, {Float.POSITIVE_INFINITY, 1f},
            {1f, Float.POSITIVE_INFINITY}, {0f, 0f}, {-0f, 0f}, {1f, -1f}, {Float.NEGATIVE_INFINITY, 1f}};
    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    @Override
    public String kernel() {
        return "drawOfTwo";
    }

    /** The probabilities (NaN outside the pairs, so a kernel reading there would draw differently). */
    float[] probabilities(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] p = new float[pOff + 2 * rows + slack];
        Arrays.fill(p, Float.NaN);
        for (int r = 0; r < rows; r++) {
            float first = (float) random.nextDouble();
            float second = 1f - first;
            if (r % 3 == 1) {
                float[] pair = SPECIAL[(int) ((r / 3 + (seed & 0xF)) % SPECIAL.length)];
                first = pair[0];
                second = pair[1];
            }
            if (r == badRow) {
                float[] pair = BAD[(int) ((seed >>> 4 & 0xFF) % BAD.length)];
                first = pair[0];
                second = pair[1];
            }
            p[pOff + r] = first;
            p[pOff + rows + r] = second;
        }
        return p;
    }

    /** The state before the site: random, or such that one row's draw is an end of [0, 1). */
    long state(long seed) {
        long state = new SplittableRandom(~seed).nextLong();
        if (edge == Edge.NONE) {
            return state;
        }
        int row = (int) Math.floorMod(seed, rows);
        // unmix(0) = 0 gives u = 0; unmix of 2^53 - 1 in the top bits gives the largest u below 1.
        long mixed = edge == Edge.ZERO ? 0 : -1L;
        return unmix(mixed) - (row + 1) * GAMMA;
    }

    @Override
    public void check(Kernels scalar, Kernels vector, long seed) {
        float[] p = probabilities(seed);
        float[] pCopy = p.clone();
        long state = state(seed);
        float value0 = -1f;
        float value1 = 1f;
        if ((seed & 1) == 1) {
            value0 = 0.5f;
            value1 = -0.5f;
        }
        float v0 = value0;
        float v1 = value1;
        float[] out0 = randomArray(new SplittableRandom(seed * 31 + 7), outOff + rows + slack, 4f);
        int[] returned = new int[2];
        KernelEquivalence.Outputs o = runBoth(scalar, vector, out0, (k, out) -> {
            int drawn = k.drawOfTwo(p, pOff, rows, state, v0, v1, out, outOff);
            returned[k == scalar ? 0 : 1] = drawn;
        });
        float[] definition = out0.clone();
        SplittableRandom stream = new SplittableRandom(state);
        int expectedReturn = rows;
        for (int r = 0; r < rows; r++) {
            double u = stream.nextDouble();
            double first = p[pOff + r];
            double total = first + p[pOff + rows + r];
            if (!(total > 0 && total < Double.POSITIVE_INFINITY)) {
                expectedReturn = r;
                break;
            }
            double threshold = u * total;
            definition[outOff + r] = first == 0 || first < threshold ? value1 : value0;
        }
        String context = toString() + ", seed=" + seed + ", state=" + state;
        assertEquals(expectedReturn, returned[0], () -> context + ": the scalar kernel's row");
        assertEquals(expectedReturn, returned[1], () -> context + ": the vector kernel's row");
        assertBitwiseEqual(() -> context + ", scalar against the definition", definition, o.scalar());
        assertBitwiseEqual(() -> context + ", vector against scalar", o.scalar(), o.vector());
        assertBitwiseEqual(() -> context + ": p must not be modified", pCopy, p);
        if (edge != Edge.NONE) {
            int row = (int) Math.floorMod(seed, rows);
            SplittableRandom check = new SplittableRandom(state);
            double u = 0;
            for (int r = 0; r <= row; r++) {
                u = check.nextDouble();
            }
            double expected = edge == Edge.ZERO ? 0.0 : Math.nextDown(1.0);
            if (u != expected) {
                fail(context + ": the edge row's uniform is " + u + ", not " + expected);
            }
        }
    }

    /** The inverse of SplittableRandom's mix64 (each of its steps is a bijection of longs). */
    static long unmix(long z) {
        z = unxorShift(z, 31);
        z *= inverse(0x94D049BB133111EBL);
        z = unxorShift(z, 27);
        z *= inverse(0xBF58476D1CE4E5B9L);
        return unxorShift(z, 30);
    }

    /** x with {@code y = x ^ (x >>> shift)}: each pass recovers {@code shift} more top bits. */
    private static long unxorShift(long y, int shift) {
        long x = y;
        for (int i = 0; i < 64 / shift + 1; i++) {
            x = y ^ (x >>> shift);
        }
        return x;
    }

    /** The multiplicative inverse of an odd long modulo 2^64 (Newton's iteration). */
    private static long inverse(long a) {
        long x = a;
        for (int i = 0; i < 6; i++) {
            x *= 2 - a * x;
        }
        return x;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "drawOfTwo(rows=%d, pOff=%d, outOff=%d, slack=%d, edge=%s, badRow=%d)",
                rows, pOff, outOff, slack, edge, badRow);
    }
}
