package io.jarnn.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link VectorMath}'s exp, expm1 and log against java.lang.Math over the whole float range:
 * every 256th bit pattern (with varying low bits, so the last mantissa bits are exercised too)
 * plus the special values and both sides of every threshold, through the vector loop and
 * through the scalar twin. Inside each function's domain the error, in ulps of the correctly
 * rounded float, stays under a bound set just above the measured maximum; outside it (exp's
 * and expm1's x > 0, exp's flushed subnormals and negative NaNs, log's s < 1) the documented behaviour is asserted
 * exactly. Vector and scalar twin must agree bit for bit on every input (NaN as NaN).
 *
 * <p>Measured maxima on these inputs (the same bits on every species, tiered or C2-only):
 * exp 1.009 ulp at -5.8873816, expm1 0.840 ulp at -0.34694985, log 1.890 ulp at 1.0147082.
 */
class VectorMathRangeTest {
    static final double EXP_ULPS = 1.1;
    static final double EXPM1_ULPS = 0.9;
    static final double LOG_ULPS = 2.0;

    private static final int CHUNK = 1 << 12;

    @Test
    void expWithinBoundOverTheWholeRange() {
        Worst worst = sweep("exp", VectorMath::expInPlace, VectorMath::exp, (x, got) -> {
            if (Float.isNaN(x)) {
                return Float.floatToRawIntBits(x) < 0
                        ? expectExactly(0f, x, got, "a NaN with the sign bit set is flushed like x < EXP_FLOOR")
                        : expectNaN(x, got);
            }
            if (x > 0f) {
                return expectExactly(1f, x, got, "exp(min(x, 0)) is 1 for x > 0");
            }
            if (x < VectorMath.EXP_FLOOR) {
                return expectExactly(0f, x, got, "results below Float.MIN_NORMAL flush to +0");
            }
            return Double.NaN;
        }, Math::exp, EXP_ULPS);
        assertTrue(worst.ulps > 0.5, "a sweep that compared nothing inside the domain would pass vacuously: " + worst);
    }

    @Test
    void expNeverReturnsASubnormal() {
        float[] a = new float[CHUNK];
        float x = VectorMath.EXP_FLOOR;
        for (int i = 0; i < CHUNK; i++) {
            a[i] = x;
            x = Math.nextDown(x);
        }
        float[] in = a.clone();
        VectorMath.expInPlace(a, 0, CHUNK);
        assertTrue(a[0] >= Float.MIN_NORMAL, "exp(" + in[0] + ") = " + a[0] + ", the floor must not flush");
        for (int i = 1; i < CHUNK; i++) {
            assertEquals(0f, a[i], "exp(" + in[i] + ") below the floor: true value " + Math.exp(in[i]));
        }
        assertTrue(Math.exp(in[1]) < Float.MIN_NORMAL, "the floor is the last input whose exp is normal");
    }

    @Test
    void expm1WithinBoundOverTheWholeRange() {
        sweep("expm1", (a, off, n) -> VectorMath.expm1(a, off, a, off, n), VectorMath::expm1, (x, got) -> {
            if (Float.isNaN(x)) {
                return expectNaN(x, got);
            }
            if (x > 0f || x == 0f) {
                // +0 for -0 too: the reduction's r = (x - n*LN2_HI) - n*LN2_LO turns -0 into +0.
                return expectExactly(0f, x, got, "expm1(min(x, 0)) is +0 for x >= 0 and x = -0");
            }
            if (x == Float.NEGATIVE_INFINITY) {
                return expectExactly(-1f, x, got, "expm1(-inf)");
            }
            return Double.NaN;
        }, Math::expm1, EXPM1_ULPS);
    }

    /**
     * selu's select (x <= 0 ? alpha expm1 : x, scaled) gives the bits of the sum it replaced,
     * scale * (max(x, 0) + alpha expm1(x)), over the whole sweep: mixed signs in every vector,
     * +-0, +-inf, subnormals and NaNs (NaN as NaN), through the vector loop and the scalar twin.
     */
    @Test
    void seluGivesTheBitsOfMaxPlusAlphaExpm1() {
        sweep("selu", (a, off, n) -> VectorMath.selu(a, off, a, off, n), VectorMath::selu, (x, got) -> {
            float sum = (Math.max(x, 0f) + VectorMath.expm1(x) * ScalarKernels.SELU_ALPHA) * ScalarKernels.SELU_SCALE;
            if (Float.floatToIntBits(sum) != Float.floatToIntBits(got)) {
                fail(String.format("selu(%s, bits 0x%08x) = %s (0x%08x), but the sum gives %s (0x%08x)", x,
                        Float.floatToRawIntBits(x), got, Float.floatToRawIntBits(got), sum, Float.floatToRawIntBits(sum)));
            }
            return 0;
        }, x -> 0, 0);
    }

    @Test
    void logWithinBoundFromOneToInfinity() {
        sweep("log", VectorMath::logInPlace, VectorMath::log, (x, got) -> {
            if (Float.isNaN(x)) {
                return expectNaN(x, got);
            }
            if (x == Float.POSITIVE_INFINITY) {
                return expectExactly(Float.POSITIVE_INFINITY, x, got, "log(+inf)");
            }
            if (x < 1f) {
                return 0; // outside the documented domain: only vector = scalar twin is required
            }
            return Double.NaN;
        }, Math::log, LOG_ULPS);
    }

    /** How an input is judged: NaN = against Math within the bound; anything else = done (the ulps to count). */
    interface Judge {
        double judge(float x, float got);
    }

    interface ArrayOp {
        void apply(float[] a, int off, int n);
    }

    interface ScalarOp {
        float apply(float x);
    }

    static final class Worst {
        double ulps = -1;
        float x;
        float got;
        double expected;

        void offer(double u, float in, float out, double exact) {
            if (u > ulps) {
                ulps = u;
                x = in;
                got = out;
                expected = exact;
            }
        }

        @Override
        public String toString() {
            return String.format("%.3f ulp at x = %s (bits 0x%08x): got %s, expected %s (float %s)",
                    ulps, x, Float.floatToRawIntBits(x), got, expected, (float) expected);
        }
    }

    private static double expectNaN(float x, float got) {
        if (!Float.isNaN(got)) {
            fail(String.format("f(NaN 0x%08x) = %s, expected NaN", Float.floatToRawIntBits(x), got));
        }
        return 0;
    }

    private static double expectExactly(float expected, float x, float got, String why) {
        if (Float.floatToIntBits(expected) != Float.floatToIntBits(got)) {
            fail("f(" + x + ") = " + got + ", expected exactly " + expected + ": " + why);
        }
        return 0;
    }

    /**
     * Runs every input through the vector loop (whole vectors only: CHUNK is a multiple of the
     * lane count) and the scalar twin, checks them bitwise equal and judges the results;
     * returns the worst in-domain case, which it prints.
     */
    private static Worst sweep(String name, ArrayOp vector, ScalarOp scalar, Judge judge,
                               DoubleUnaryOperator reference, double bound) {
        Worst worst = new Worst();
        float[] in = new float[CHUNK];
        float[] out = new float[CHUNK];
        int filled = 0;
        float[] specials = specials();
        long total = (1L << 24) + specials.length;
        for (long k = 0; k < total; k++) {
            in[filled++] = k < specials.length ? specials[(int) k] : sample(k - specials.length);
            if (filled == CHUNK || k == total - 1) {
                System.arraycopy(in, 0, out, 0, filled);
                vector.apply(out, 0, filled);
                for (int i = 0; i < filled; i++) {
                    float x = in[i];
                    float got = out[i];
                    float twin = scalar.apply(x);
                    if (Float.floatToIntBits(twin) != Float.floatToIntBits(got)) {
                        fail(String.format("%s(%s, bits 0x%08x): vector %s but scalar twin %s",
                                name, x, Float.floatToRawIntBits(x), got, twin));
                    }
                    double verdict = judge.judge(x, got);
                    if (Double.isNaN(verdict)) {
                        double exact = reference.applyAsDouble(x);
                        double ulps = Math.abs(got - exact) / Math.ulp((float) exact);
                        worst.offer(ulps, x, got, exact);
                    }
                }
                filled = 0;
            }
        }
        System.out.println("VectorMath." + name + " on " + VectorLanes.FLOATS.length() + " lanes, worst case: " + worst);
        assertTrue(worst.ulps <= bound, name + " error above " + bound + " ulp: " + worst);
        return worst;
    }

    /** The k-th of 2^24 bit patterns spread over all 2^32: high 24 bits k, low 8 bits scrambled. */
    private static float sample(long k) {
        int low = (int) ((k * 0x9E3779B1L) >>> 24) & 0xFF;
        return Float.intBitsToFloat((int) (k << 8) | low);
    }

    /** Special values and a few ulps either side of every threshold of the three functions. */
    private static float[] specials() {
        List<Float> s = new ArrayList<>(List.of(0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE,
                Float.MIN_NORMAL, -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
                Float.intBitsToFloat(0xFFC00000), Float.intBitsToFloat(0x7F800001), Float.intBitsToFloat(0xFFFFFFFF)));
        float ln2 = (float) Math.log(2);
        float[] thresholds = {
                VectorMath.EXP_FLOOR, (float) Math.log(Float.MIN_NORMAL), (float) Math.log(Float.MIN_VALUE),
                (float) Math.log(Float.MAX_VALUE), -17.32868f, 1f, -1f, 2f, 0.5f, ln2 / 2, -ln2 / 2,
                -1.5f * ln2, -125.5f * ln2, Float.MIN_NORMAL, -Float.MIN_NORMAL, 1e-8f, -1e-8f};
        for (float t : thresholds) {
            float up = t;
            float down = t;
            s.add(t);
            for (int i = 0; i < 8; i++) {
                up = Math.nextUp(up);
                down = Math.nextDown(down);
                s.add(up);
                s.add(down);
            }
        }
        float[] a = new float[s.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = s.get(i);
        }
        return a;
    }
}
