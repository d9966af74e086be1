package io.jarnn.kernels;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link VectorMath64}'s exp, expm1 and log over the whole double range, through the vector
 * loop and through the scalar twin, which must agree bit for bit on every input (NaN as NaN).
 * Every binade of both signs is sampled densely ({@link #PER_BINADE} random fractions and both
 * ends of each of the 4096 sign-and-exponent patterns), the domains' bulk uniformly too, plus
 * the special values and both sides of every threshold. Inside each function's domain the
 * error is measured twice, in ulps of the correctly rounded double:
 * <ul>
 * <li>against the exact value, from {@link Exact} (about 100 bits; the rounding of the
 *     reference itself is left out), which is what the bounds in VectorMath64's javadoc state;</li>
 * <li>against {@link Math}, which the scalar reference kernels ({@link ScalarKernels64}) call:
 *     what the equivalence tolerances rest on.</li>
 * </ul>
 * Outside the domain (exp's and expm1's x > 0, exp's flushed subnormals and negative NaNs,
 * log's s < 1) the documented behaviour is asserted exactly.
 *
 * <p>Measured maxima on these inputs (the same bits on every species, tiered or C2-only), from
 * the exact value: exp 0.802 ulp at -556.24765680054, expm1 0.798 ulp at -0.37399817764435,
 * log 0.854 ulp at 1.2730210920824; from Math, one ulp for each (exp at -0.9999999999999999,
 * expm1 at -37.42994775023704, log at 709.7827128933836). The bounds are set just above.
 */
class VectorMath64RangeTest {
    /** Against the exact value. */
    static final double EXP_ULPS = 0.85;
    static final double EXPM1_ULPS = 0.85;
    static final double LOG_ULPS = 0.9;
    /** Against Math.exp, Math.expm1 and Math.log: never more than one ulp apart. */
    static final double ULPS_FROM_MATH = 1.0;

    /** Random fractions per sign-and-exponent pattern: 4096 * 1024 inputs per sweep. */
    static final int PER_BINADE = 1024;
    /** Inputs spread uniformly over the part of the domain where most of the values lie. */
    static final int UNIFORM = 1 << 20;
    private static final int CHUNK = 1 << 12;

    @Test
    void expWithinBoundOverTheWholeRange() {
        Worst[] worst = sweep("exp", VectorMath64::expInPlace, VectorMath64::exp, (x, got) -> {
            if (Double.isNaN(x)) {
                return Double.doubleToRawLongBits(x) < 0
                        ? expectExactly(0.0, x, got, "a NaN with the sign bit set is flushed like x < EXP_FLOOR")
                        : expectNaN(x, got);
            }
            if (x > 0) {
                return expectExactly(1.0, x, got, "exp(min(x, 0)) is 1 for x > 0");
            }
            if (x < VectorMath64.EXP_FLOOR) {
                return expectExactly(0.0, x, got, "results below Double.MIN_NORMAL flush to +0");
            }
            return Double.NaN;
        }, Exact::exp, Math::exp, VectorMath64.EXP_FLOOR, 0, EXP_ULPS, ULPS_FROM_MATH);
        assertTrue(worst[0].ulps > 0.5, "a sweep that compared nothing inside the domain would pass vacuously: "
                + worst[0]);
    }

    @Test
    void expNeverReturnsASubnormal() {
        double[] a = new double[CHUNK];
        double x = VectorMath64.EXP_FLOOR;
        for (int i = 0; i < CHUNK; i++) {
            a[i] = x;
            x = Math.nextDown(x);
        }
        double[] in = a.clone();
        VectorMath64.expInPlace(a, 0, CHUNK);
        assertTrue(a[0] >= Double.MIN_NORMAL, "exp(" + in[0] + ") = " + a[0] + ", the floor must not flush");
        for (int i = 1; i < CHUNK; i++) {
            assertEquals(0.0, a[i], "exp(" + in[i] + ") below the floor: true value " + StrictMath.exp(in[i]));
        }
        assertTrue(Math.scalb(Exact.exp(in[1])[0], (int) Exact.exp(in[1])[2]) < Double.MIN_NORMAL, "the floor is the last input whose exp is normal");
    }

    @Test
    void expm1WithinBoundOverTheWholeRange() {
        sweep("expm1", (a, off, n) -> VectorMath64.expm1(a, off, a, off, n), VectorMath64::expm1, (x, got) -> {
            if (Double.isNaN(x)) {
                return expectNaN(x, got);
            }
            if (x > 0 || x == 0) {
                // +0 for -0 too: the reduction's r = (x - n*LN2_HI) - n*LN2_LO turns -0 into +0.
                return expectExactly(0.0, x, got, "expm1(min(x, 0)) is +0 for x >= 0 and x = -0");
            }
            if (x == Double.NEGATIVE_INFINITY) {
                return expectExactly(-1.0, x, got, "expm1(-inf)");
            }
            return Double.NaN;
        }, Exact::expm1, Math::expm1, -40, 0, EXPM1_ULPS, ULPS_FROM_MATH);
    }

    /**
     * selu's select gives the bits of the sum it replaced, scale * (max(x, 0) + alpha expm1(x)),
     * on every input of the sweep and the specials (NaN as NaN), vector loop and scalar twin.
     */
    @Test
    void seluGivesTheBitsOfMaxPlusAlphaExpm1() {
        sweep("selu", (a, off, n) -> VectorMath64.selu(a, off, a, off, n), VectorMath64::selu, (x, got) -> {
            double sum = (Math.max(x, 0.0) + VectorMath64.expm1(x) * ScalarKernels64.SELU_ALPHA) * ScalarKernels64.SELU_SCALE;
            if (Double.doubleToLongBits(sum) != Double.doubleToLongBits(got)) {
                fail(String.format(Locale.ROOT, "selu(%s, bits 0x%016x) = %s (0x%016x), but the sum gives %s (0x%016x)",
                        x, Double.doubleToRawLongBits(x), got, Double.doubleToRawLongBits(got), sum,
                        Double.doubleToRawLongBits(sum)));
            }
            return 0;
        }, Exact::expm1, Math::expm1, -40, 40, 0, 0);
    }

    @Test
    void logWithinBoundFromOneToInfinity() {
        sweep("log", VectorMath64::logInPlace, VectorMath64::log, (x, got) -> {
            if (Double.isNaN(x)) {
                return expectNaN(x, got);
            }
            if (x == Double.POSITIVE_INFINITY) {
                return expectExactly(Double.POSITIVE_INFINITY, x, got, "log(+inf)");
            }
            if (x < 1) {
                return 0; // outside the documented domain: only vector = scalar twin is required
            }
            return Double.NaN;
        }, Exact::log, Math::log, 1, 4, LOG_ULPS, ULPS_FROM_MATH);
    }

    /**
     * Every special value at every lane position, in arrays of every length up to three
     * vectors and a bit, at offsets 0 and 1: the vector loop and the scalar tail give each
     * element the twin's bits wherever it sits.
     */
    @Test
    void everyLanePositionAndTheTailGiveTheTwinsBits() {
        double[] specials = specials();
        int lanes = VectorLanes.DOUBLES.length();
        for (int n = 1; n <= 3 * lanes + 1; n++) {
            for (int off = 0; off <= 1; off++) {
                for (int start = 0; start < specials.length; start++) {
                    double[] in = new double[off + n];
                    for (int i = 0; i < n; i++) {
                        in[off + i] = specials[(start + i) % specials.length];
                    }
                    assertTwinBits("exp", in, off, n, VectorMath64::expInPlace, VectorMath64::exp);
                    assertTwinBits("expm1", in, off, n, (a, o, k) -> VectorMath64.expm1(a, o, a, o, k),
                            VectorMath64::expm1);
                    assertTwinBits("selu", in, off, n, (a, o, k) -> VectorMath64.selu(a, o, a, o, k),
                            VectorMath64::selu);
                    assertTwinBits("log", in, off, n, VectorMath64::logInPlace, VectorMath64::log);
                }
            }
        }
    }

    private static void assertTwinBits(String name, double[] in, int off, int n, ArrayOp vector, DoubleUnaryOperator twin) {
        double[] out = in.clone();
        vector.apply(out, off, n);
        for (int i = 0; i < off; i++) {
            assertEquals(Double.doubleToRawLongBits(in[i]), Double.doubleToRawLongBits(out[i]),
                    name + " wrote before its offset " + off);
        }
        for (int i = off; i < off + n; i++) {
            double expected = twin.applyAsDouble(in[i]);
            if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(out[i])) {
                fail(String.format(Locale.ROOT, "%s(%s) at position %d of %d (offset %d, %d lanes): array %s "
                                + "(0x%016x) but scalar twin %s (0x%016x)", name, in[i], i - off, n, off,
                        VectorLanes.DOUBLES.length(), out[i], Double.doubleToRawLongBits(out[i]), expected,
                        Double.doubleToRawLongBits(expected)));
            }
        }
    }

    /** How an input is judged: NaN = against the references within the bounds; anything else = done. */
    interface Judge {
        double judge(double x, double got);
    }

    interface ArrayOp {
        void apply(double[] a, int off, int n);
    }

    /** The exact value of a function as {hi, lo, n}: (hi + lo) 2^n, hi + lo a double-double. */
    interface ExactOp {
        double[] apply(double x);
    }

    static final class Worst {
        final String against;
        double ulps = -1;
        double x;
        double got;
        double expected;

        Worst(String against) {
            this.against = against;
        }

        void offer(double u, double in, double out, double reference) {
            if (u > ulps) {
                ulps = u;
                x = in;
                got = out;
                expected = reference;
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.3f ulp from %s at x = %s (bits 0x%016x): got %s, expected %s",
                    ulps, against, x, Double.doubleToRawLongBits(x), got, expected);
        }
    }

    private static double expectNaN(double x, double got) {
        if (!Double.isNaN(got)) {
            fail(String.format(Locale.ROOT, "f(NaN 0x%016x) = %s, expected NaN", Double.doubleToRawLongBits(x), got));
        }
        return 0;
    }

    private static double expectExactly(double expected, double x, double got, String why) {
        if (Double.doubleToLongBits(expected) != Double.doubleToLongBits(got)) {
            fail("f(" + x + ") = " + got + ", expected exactly " + expected + ": " + why);
        }
        return 0;
    }

    /**
     * Runs every input through the vector loop (whole vectors only: CHUNK is a multiple of the
     * lane count) and the scalar twin, checks them bitwise equal and judges the results;
     * returns (and prints) the worst in-domain cases against the exact value and against Math.
     */
    private static Worst[] sweep(String name, ArrayOp vector, DoubleUnaryOperator scalar, Judge judge, ExactOp exact,
                                 DoubleUnaryOperator math, double uniformFrom, double uniformTo,
                                 double bound, double boundFromMath) {
        Worst fromExact = new Worst("the exact value");
        Worst fromMath = new Worst("Math." + name);
        double[] inputs = inputs(uniformFrom, uniformTo);
        double[] out = new double[CHUNK];
        for (int start = 0; start < inputs.length; start += CHUNK) {
            int filled = Math.min(CHUNK, inputs.length - start);
            System.arraycopy(inputs, start, out, 0, filled);
            vector.apply(out, 0, filled);
            for (int i = 0; i < filled; i++) {
                double x = inputs[start + i];
                double got = out[i];
                double twin = scalar.applyAsDouble(x);
                if (Double.doubleToLongBits(twin) != Double.doubleToLongBits(got)) {
                    fail(String.format(Locale.ROOT, "%s(%s, bits 0x%016x): vector %s but scalar twin %s",
                            name, x, Double.doubleToRawLongBits(x), got, twin));
                }
                if (Double.isNaN(judge.judge(x, got))) {
                    // Compared before the scaling by 2^n, which would round lo away near the
                    // bottom of the range; the ulp is that of the double nearest the exact value.
                    double[] e = exact.apply(x);
                    int n = (int) e[2];
                    double ulp = Math.scalb(Math.ulp(Math.scalb(e[0] + e[1], n)), -n);
                    fromExact.offer(Math.abs((Math.scalb(got, -n) - e[0]) - e[1]) / ulp, x, got,
                            Math.scalb(e[0] + e[1], n));
                    double m = math.applyAsDouble(x);
                    fromMath.offer(Math.abs(got - m) / Math.ulp(m), x, got, m);
                }
            }
        }
        System.out.println("VectorMath64." + name + " on " + VectorLanes.DOUBLES.length() + " lanes, worst cases: "
                + fromExact + "; " + fromMath);
        assertTrue(fromExact.ulps <= bound, name + " error above " + bound + " ulp: " + fromExact);
        assertTrue(fromMath.ulps <= boundFromMath, name + " further than " + boundFromMath + " ulp from Math: "
                + fromMath);
        return new Worst[]{fromExact, fromMath};
    }

    /**
     * The specials; then for each of the 4096 sign-and-exponent patterns its smallest and
     * largest fraction and PER_BINADE random ones; then UNIFORM values uniform in [from, to).
     * Fixed seeds: every run sees the same inputs. A multiple of CHUNK in all.
     */
    private static double[] inputs(double from, double to) {
        double[] specials = specials();
        int total = specials.length + 4096 * (PER_BINADE + 2) + UNIFORM;
        total = (total + CHUNK - 1) / CHUNK * CHUNK;
        double[] in = new double[total];
        System.arraycopy(specials, 0, in, 0, specials.length);
        int k = specials.length;
        SplittableRandom random = new SplittableRandom(0x64_64L);
        long fractionMask = (1L << 52) - 1;
        for (long signAndExponent = 0; signAndExponent < 4096; signAndExponent++) {
            long high = signAndExponent << 52;
            in[k++] = Double.longBitsToDouble(high);
            in[k++] = Double.longBitsToDouble(high | fractionMask);
            for (int i = 0; i < PER_BINADE; i++) {
                in[k++] = Double.longBitsToDouble(high | (random.nextLong() & fractionMask));
            }
        }
        while (k < total) {
            in[k++] = from + (to - from) * random.nextDouble();
        }
        return in;
    }

    /** Special values and a few ulps either side of every threshold of the three functions. */
    static double[] specials() {
        List<Double> s = new ArrayList<>(List.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE,
                Double.MIN_NORMAL, -Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
                Double.longBitsToDouble(0xFFF8000000000000L), Double.longBitsToDouble(0x7FF0000000000001L),
                Double.longBitsToDouble(0xFFFFFFFFFFFFFFFFL)));
        double ln2 = Math.log(2);
        double[] thresholds = {
                VectorMath64.EXP_FLOOR, Math.log(Double.MIN_NORMAL), Math.log(Double.MIN_VALUE),
                Math.log(Double.MAX_VALUE), -37.42994775023705, 1, -1, 2, 0.5, ln2 / 2, -ln2 / 2,
                -1.5 * ln2, -1021.5 * ln2, Math.sqrt(0.5), Math.sqrt(2), 2 * Math.sqrt(2), Double.MIN_NORMAL,
                -Double.MIN_NORMAL, 1e-17, -1e-17, Double.MAX_VALUE / 2, 1e300, 1e308};
        for (double t : thresholds) {
            double up = t;
            double down = t;
            s.add(t);
            for (int i = 0; i < 8; i++) {
                up = Math.nextUp(up);
                down = Math.nextDown(down);
                s.add(up);
                s.add(down);
            }
        }
        double[] a = new double[s.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = s.get(i);
        }
        return a;
    }

    /**
     * exp, expm1 and log as unevaluated double-double sums {hi, lo}, good to about 100 bits:
     * the reference the error bounds are measured against. exp reduces x = n ln2 + r with ln 2
     * in three parts (r then exact to some 150 bits), sums the Taylor series of expm1(r) to
     * r^27/27! (below 1e-34 for |r| <= ln2/2) in double-double and scales by 2^n; log refines
     * StrictMath.log by one Newton step on exp. Written for clarity, not speed, and only for the
     * domains swept here (exp and expm1 of x <= 0, log of s >= 1).
     */
    static final class Exact {
        private static final double[] MINUS_ONE = {-1, 0, 0};
        private static final int TERMS = 27;
        /** 1/k! as double-double, k = 0..TERMS. */
        private static final double[] INV_FACTORIAL_HI = new double[TERMS + 1];
        private static final double[] INV_FACTORIAL_LO = new double[TERMS + 1];
        private static final double LN2_1;
        private static final double LN2_2;
        private static final double LN2_3;

        static {
            MathContext mc = new MathContext(60);
            BigDecimal ln2 = new BigDecimal("0.69314718055994530941723212145817656807550013436025525412068000949339362196969");
            // The first part with 16 fraction bits cleared: n * LN2_1 is exact for |n| < 2^16.
            LN2_1 = Double.longBitsToDouble(Double.doubleToRawLongBits(ln2.doubleValue()) & ~0xFFFFL);
            BigDecimal rest = ln2.subtract(new BigDecimal(LN2_1));
            LN2_2 = Double.longBitsToDouble(Double.doubleToRawLongBits(rest.doubleValue()) & ~0xFFFFL);
            LN2_3 = rest.subtract(new BigDecimal(LN2_2)).doubleValue();
            BigDecimal factorial = BigDecimal.ONE;
            for (int k = 0; k <= TERMS; k++) {
                if (k > 0) {
                    factorial = factorial.multiply(BigDecimal.valueOf(k));
                }
                BigDecimal inv = BigDecimal.ONE.divide(factorial, mc);
                INV_FACTORIAL_HI[k] = inv.doubleValue();
                INV_FACTORIAL_LO[k] = inv.subtract(new BigDecimal(INV_FACTORIAL_HI[k])).doubleValue();
            }
        }

        private Exact() {
        }

        static double[] exp(double x) {
            double n = Math.rint(x / LN2_1);
            double[] r = reduce(x, n);
            double[] e = addOne(expm1Series(r[0], r[1]));
            return new double[]{e[0], e[1], n};
        }

        static double[] expm1(double x) {
            if (x < -40) {
                return MINUS_ONE; // exp(x) < 5e-18: below half an ulp of 1
            }
            double n = Math.rint(x / LN2_1);
            double[] r = reduce(x, n);
            double[] m = expm1Series(r[0], r[1]);
            if (n == 0) {
                return new double[]{m[0], m[1], 0};
            }
            double[] e = addOne(m);
            double[] d = add(Math.scalb(e[0], (int) n), Math.scalb(e[1], (int) n), -1, 0);
            return new double[]{d[0], d[1], 0};
        }

        /** log(s) = y + log(s exp(-y)) for y = StrictMath.log(s): s exp(-y) = 1 + t with |t| ~ 1e-16. */
        static double[] log(double s) {
            double y = StrictMath.log(s);
            double n = Math.rint(-y / LN2_1);
            double[] r = reduce(-y, n);
            double[] e = addOne(expm1Series(r[0], r[1]));
            double scaled = Math.scalb(s, (int) n); // exact: s >= 1 and s 2^n is near exp(r)
            double[] p = mul(e[0], e[1], scaled, 0);
            double[] t = add(p[0], p[1], -1, 0);
            double t1 = t[0] + t[1];
            return new double[]{y, t1 - t1 * t1 / 2, 0};
        }

        /** x - n ln2 as a double-double. */
        private static double[] reduce(double x, double n) {
            double[] r = add(x, 0, -n * LN2_1, 0);
            r = add(r[0], r[1], -n * LN2_2, 0);
            double[] p = twoProduct(-n, LN2_3);
            return add(r[0], r[1], p[0], p[1]);
        }

        /** sum_{k=1..TERMS} r^k / k! in double-double, by Horner. */
        private static double[] expm1Series(double rHi, double rLo) {
            double hi = INV_FACTORIAL_HI[TERMS];
            double lo = INV_FACTORIAL_LO[TERMS];
            for (int k = TERMS - 1; k >= 1; k--) {
                double[] p = mul(hi, lo, rHi, rLo);
                double[] s = add(p[0], p[1], INV_FACTORIAL_HI[k], INV_FACTORIAL_LO[k]);
                hi = s[0];
                lo = s[1];
            }
            return mul(hi, lo, rHi, rLo);
        }

        private static double[] addOne(double[] a) {
            return add(1, 0, a[0], a[1]);
        }

        private static double[] twoProduct(double a, double b) {
            double p = a * b;
            return new double[]{p, Math.fma(a, b, -p)};
        }

        private static double[] twoSum(double a, double b) {
            double s = a + b;
            double bb = s - a;
            return new double[]{s, (a - (s - bb)) + (b - bb)};
        }

        private static double[] add(double aHi, double aLo, double bHi, double bLo) {
            double[] s = twoSum(aHi, bHi);
            double[] t = twoSum(aLo, bLo);
            double lo = s[1] + t[0];
            double[] u = twoSum(s[0], lo);
            return twoSum(u[0], u[1] + t[1]);
        }

        private static double[] mul(double aHi, double aLo, double bHi, double bLo) {
            double[] p = twoProduct(aHi, bHi);
            double lo = p[1] + (aHi * bLo + aLo * bHi);
            return twoSum(p[0], lo);
        }
    }
}
