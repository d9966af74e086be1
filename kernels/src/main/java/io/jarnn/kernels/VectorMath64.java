package io.jarnn.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, expm1 and log over double arrays, from fma, mul, add, div and bit operations only, for
 * the float64 vector kernels; each with a scalar twin that performs the very same roundings,
 * used for the elements past the last whole vector, so an element's bits never depend on its
 * position. The float64 counterpart of {@link VectorMath}, written by hand (the generated
 * float64 classes call it in place of VectorMath): the contracts and the structure are that
 * class's, and so are the reasons for them (the JDK's lane-wise EXP, EXPM1 and LOG give other
 * bits compiled than interpreted; vectors must not be passed to helpers C2 may not inline, so
 * exp, expm1 and selu share one loop, {@link #expFamily(double[], int, double[], int, int, int)},
 * picking the finishing step by a loop-invariant {@code kind}). What differs is the precision:
 *
 * <p>exp and expm1 reduce x = n ln2 + r, |r| <= ln2/2, with n rounded by adding 1.5 * 2^52 and
 * ln2 split Cody-Waite style, keep r's rounding error c (r + c is x - n ln2 to some 100 bits)
 * and take expm1(r + c) = r + (r^2 q(r) + c (1 + r)), q from the Taylor polynomial of expm1 to
 * r^13/13! (the first term left out, r^14/14!, is below 1.3e-17 |r|); then rescale by 2^n,
 * built in the exponent bits through long lanes. Without c, r's own rounding (up to 0.7 ulp
 * of expm1(r)) took expm1 to 1.11 ulp. log(s), s >= 1: s = 2^e m with m in
 * [sqrt(1/2), sqrt(2)) rather than [1, 2), so that f = m - 1 is exact and z = f / (2 + f)
 * stays below 0.172 in magnitude (11 terms of atanh reach double precision, where [1, 2) and
 * z < 1/3 would need 17), and log m = 2 atanh(z) = f - z (f - 2 z^2 P(z^2)): the exact f
 * carries the result, the rounded division only enters a correction at most a fifth of it.
 * Summed as e LN2_HI + (f + (e LN2_LO - z (f - 2 z^2 P))), the last addition is exact when
 * e = 1 and m is near sqrt(1/2), where a plain e ln2 + log m would cancel.
 *
 * <p>Errors measured by {@code VectorMath64RangeTest} over the whole double range (every
 * binade of both signs sampled densely, the domains' bulk uniformly, and the edges: +-0,
 * subnormals, both sides of EXP_FLOOR, -inf, NaNs, sums up to Double.MAX_VALUE for log),
 * against a double-double reference: at most 0.81 ulp for exp, 0.80 for expm1 and 0.86 for
 * log; and never more than 1 ulp from Math.exp, Math.expm1 and Math.log (themselves within
 * 1 ulp), which the scalar reference kernels call.
 */
final class VectorMath64 {
    private static final VectorSpecies<Double> S = VectorLanes.DOUBLES;
    private static final int L = S.length();

    /** 1.5 * 2^52: adding it rounds a double of magnitude < 2^51 to an integer held in the low mantissa bits. */
    private static final double ROUNDING_MAGIC = 0x1.8p52;
    private static final long ROUNDING_MAGIC_BITS = Double.doubleToRawLongBits(ROUNDING_MAGIC);
    private static final double LOG2_E = 1.4426950408889634;
    /**
     * ln 2 split Cody-Waite style: LN2_HI is ln 2 with the last 12 of its 52 fraction bits
     * cleared, so n * LN2_HI is exact for |n| < 2048 (exp's n >= -1022, log's e <= 1024);
     * LN2_LO is the rest, rounded: the pair is ln 2 within 2e-31.
     */
    private static final double LN2_HI = 0x1.62e42fefa3p-1;
    private static final double LN2_LO = 0x1.3de6af278ece6p-42;
    /**
     * ln(Double.MIN_NORMAL) = -1022 ln 2, rounded up. Inputs of exp and expm1 are clamped
     * here, so that n >= -1022 and 2^n stays normal (expm1 is -1 in double from -37.43 on, so
     * the clamp changes none of its results), and exp's results for inputs below it, subnormal,
     * are flushed to +0.
     */
    static final double EXP_FLOOR = -708.3964185322641;

    /** The bits of sqrt(1/2): log's reduction puts m in [sqrt(1/2), sqrt(2)). */
    private static final long SQRT_HALF_BITS = 0x3FE6A09E667F3BCDL;
    private static final long FRACTION_BITS = 0x000FFFFFFFFFFFFFL;

    /** The {@code kind}s of {@link #expFamily}: what is made of 2^n and expm1(r). */
    private static final int EXP = 0;
    private static final int EXPM1 = 1;
    private static final int SELU = 2;

    private VectorMath64() {
    }

    /**
     * a[i] = exp(min(a[i], 0)) for i in [off, off + n), with results below Double.MIN_NORMAL
     * (inputs below {@link #EXP_FLOOR}, and -inf) flushed to +0. A NaN stays NaN if its sign
     * bit is clear and becomes +0 if it is set, as in {@link VectorMath#expInPlace}.
     */
    static void expInPlace(double[] a, int off, int n) {
        expFamily(a, off, a, off, n, EXP);
    }

    /** The scalar twin of one lane of {@link #expInPlace}. */
    static double exp(double x) {
        return expFamily(x, EXP);
    }

    /** dst[dstOff + i] = expm1(min(src[srcOff + i], 0)) for i < n; -0 gives +0, -inf gives -1, NaN stays NaN. */
    static void expm1(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        expFamily(src, srcOff, dst, dstOff, n, EXPM1);
    }

    /** The scalar twin of one lane of {@link #expm1(double[], int, double[], int, int)}. */
    static double expm1(double x) {
        return expFamily(x, EXPM1);
    }

    /**
     * dst[dstOff + i] = selu(src[srcOff + i]) for i < n, as
     * scale * (max(x, 0) + alpha * expm1(min(x, 0))). src and dst may be the same range.
     */
    static void selu(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        expFamily(src, srcOff, dst, dstOff, n, SELU);
    }

    /** The scalar twin of one lane of {@link #selu(double[], int, double[], int, int)}. */
    static double selu(double x) {
        return expFamily(x, SELU);
    }

    /**
     * The one vector copy of the exp range reduction: for i < n, with x = src[srcOff + i],
     * xc = min(max(x, EXP_FLOOR), 0) = n ln2 + r, writes dst[dstOff + i] =
     * <ul>
     * <li>EXP: 2^n + 2^n expm1(r), zeroed where x < EXP_FLOOR;</li>
     * <li>EXPM1: (2^n - 1) + 2^n expm1(r), accurate near 0, where exp(x) - 1 would cancel;</li>
     * <li>SELU: scale * (max(x, 0) + alpha * expm1), computed as scale * (x <= 0 ? alpha * expm1 : x).</li>
     * </ul>
     * Each branch stores its own result, so no vector flows through a phi of the branches.
     */
    private static void expFamily(double[] src, int srcOff, double[] dst, int dstOff, int n, int kind) {
        int i = 0;
        DoubleVector floor = DoubleVector.broadcast(S, EXP_FLOOR);
        DoubleVector zero = DoubleVector.zero(S);
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, src, srcOff + i);
            // max(x, FLOOR) and min(., 0) as compare+blend, lane-wise Math.max/min's results (see VectorMath).
            DoubleVector xf = x.blend(floor, x.compare(VectorOperators.LT, EXP_FLOOR));
            DoubleVector xc = xf.blend(zero, xf.compare(VectorOperators.GT, 0.0));
            DoubleVector shifted = xc.fma(LOG2_E, ROUNDING_MAGIC);
            DoubleVector nn = shifted.sub(ROUNDING_MAGIC);
            DoubleVector r1 = nn.fma(DoubleVector.broadcast(S, -LN2_HI), xc);
            DoubleVector r = nn.fma(DoubleVector.broadcast(S, -LN2_LO), r1);
            // c = r1 - n LN2_LO - r, the rounding error of r (r1 - r is exact wherever c matters).
            DoubleVector c = nn.fma(DoubleVector.broadcast(S, -LN2_LO), r1.sub(r));
            // q = sum_{k=2..13} r^(k-2) / k!, by Horner from the top.
            DoubleVector q = r.fma(1.0 / 6227020800.0, 1.0 / 479001600.0);
            q = q.fma(r, DoubleVector.broadcast(S, 1.0 / 39916800.0));
            q = q.fma(r, DoubleVector.broadcast(S, 1.0 / 3628800.0));
            q = q.fma(r, DoubleVector.broadcast(S, 1.0 / 362880.0));
            q = q.fma(r, DoubleVector.broadcast(S, 1.0 / 40320.0));
            q = q.fma(r, DoubleVector.broadcast(S, 1.0 / 5040.0));
            q = q.fma(r, DoubleVector.broadcast(S, 1.0 / 720.0));
            q = q.fma(r, DoubleVector.broadcast(S, 1.0 / 120.0));
            q = q.fma(r, DoubleVector.broadcast(S, 1.0 / 24.0));
            q = q.fma(r, DoubleVector.broadcast(S, 1.0 / 6.0));
            q = q.fma(r, DoubleVector.broadcast(S, 0.5));
            // expm1(r + c) = r + (r^2 q + c (1 + r)), to within c^2.
            DoubleVector expm1R = r.add(r.mul(r).fma(q, c.fma(r, c)));
            DoubleVector twoToN = shifted.reinterpretAsLongs()
                    .sub(ROUNDING_MAGIC_BITS - 1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            if (kind == EXP) {
                DoubleVector e = twoToN.fma(expm1R, twoToN);
                // The sign of x - EXP_FLOOR, spread over the lane, clears flushed lanes (and
                // NaNs with the sign bit set), as in VectorMath.
                LongVector below = x.sub(EXP_FLOOR).reinterpretAsLongs().lanewise(VectorOperators.ASHR, 63);
                e.reinterpretAsLongs().and(below.not()).reinterpretAsDoubles().intoArray(dst, dstOff + i);
            } else {
                DoubleVector expm1 = twoToN.fma(expm1R, twoToN.sub(1.0));
                if (kind == EXPM1) {
                    expm1.intoArray(dst, dstOff + i);
                } else {
                    // max(x, 0) + alpha * expm1 as a select, one add fewer (the same bits; see VectorMath).
                    x.blend(expm1.mul(ScalarKernels64.SELU_ALPHA), x.compare(VectorOperators.LE, 0.0))
                            .mul(ScalarKernels64.SELU_SCALE).intoArray(dst, dstOff + i);
                }
            }
        }
        for (; i < n; i++) {
            dst[dstOff + i] = expFamily(src[srcOff + i], kind);
        }
    }

    /** The scalar twin of one lane of {@link #expFamily(double[], int, double[], int, int, int)}. */
    private static double expFamily(double x, int kind) {
        double xc = Math.min(Math.max(x, EXP_FLOOR), 0.0);
        double shifted = Math.fma(xc, LOG2_E, ROUNDING_MAGIC);
        double nn = shifted - ROUNDING_MAGIC;
        double r1 = Math.fma(nn, -LN2_HI, xc);
        double r = Math.fma(nn, -LN2_LO, r1);
        double c = Math.fma(nn, -LN2_LO, r1 - r);
        double q = Math.fma(r, 1.0 / 6227020800.0, 1.0 / 479001600.0);
        q = Math.fma(q, r, 1.0 / 39916800.0);
        q = Math.fma(q, r, 1.0 / 3628800.0);
        q = Math.fma(q, r, 1.0 / 362880.0);
        q = Math.fma(q, r, 1.0 / 40320.0);
        q = Math.fma(q, r, 1.0 / 5040.0);
        q = Math.fma(q, r, 1.0 / 720.0);
        q = Math.fma(q, r, 1.0 / 120.0);
        q = Math.fma(q, r, 1.0 / 24.0);
        q = Math.fma(q, r, 1.0 / 6.0);
        q = Math.fma(q, r, 0.5);
        double expm1R = r + Math.fma(r * r, q, Math.fma(c, r, c));
        double twoToN = Double.longBitsToDouble((Double.doubleToRawLongBits(shifted) - (ROUNDING_MAGIC_BITS - 1023)) << 52);
        if (kind == EXP) {
            double e = Math.fma(twoToN, expm1R, twoToN);
            long below = Double.doubleToRawLongBits(x - EXP_FLOOR) >> 63;
            return Double.longBitsToDouble(Double.doubleToRawLongBits(e) & ~below);
        }
        double expm1 = Math.fma(twoToN, expm1R, twoToN - 1.0);
        if (kind == EXPM1) {
            return expm1;
        }
        return (x <= 0.0 ? expm1 * ScalarKernels64.SELU_ALPHA : x) * ScalarKernels64.SELU_SCALE;
    }

    /**
     * a[i] = log(a[i]) for i in [off, off + n). Meant for s = a[i] >= 1 (a sum whose largest
     * term is 1): there, and for +inf (+inf) and NaN (NaN), it agrees with Math.log within the
     * bound {@code VectorMath64RangeTest} asserts; for s < 1 the result is only defined to be
     * the same in the vector loop and the scalar twin.
     */
    static void logInPlace(double[] a, int off, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector s = DoubleVector.fromArray(S, a, off + i);
            // s = 2^e m, m in [sqrt(1/2), sqrt(2)): subtracting the bits of sqrt(1/2) carries
            // into the exponent field exactly when m's fraction reaches sqrt(2)'s.
            LongVector shiftedBits = s.reinterpretAsLongs().sub(SQRT_HALF_BITS);
            LongVector exponent = shiftedBits.lanewise(VectorOperators.ASHR, 52);
            // e as a double without a long-to-double conversion (AVX-512DQ only): e added to the
            // bits of 1.5 * 2^52 is the double 1.5 * 2^52 + e.
            DoubleVector e = exponent.add(ROUNDING_MAGIC_BITS).reinterpretAsDoubles().sub(ROUNDING_MAGIC);
            DoubleVector m = shiftedBits.and(FRACTION_BITS).add(SQRT_HALF_BITS).reinterpretAsDoubles();
            DoubleVector f = m.sub(1.0);
            DoubleVector z = f.div(f.add(2.0));
            DoubleVector z2 = z.mul(z);
            // p2 = 2 P(z^2) = sum_{k=1..10} 2 z^(2k-2) / (2k + 1), by Horner from the top.
            DoubleVector p2 = z2.fma(2.0 / 21.0, 2.0 / 19.0);
            p2 = p2.fma(z2, DoubleVector.broadcast(S, 2.0 / 17.0));
            p2 = p2.fma(z2, DoubleVector.broadcast(S, 2.0 / 15.0));
            p2 = p2.fma(z2, DoubleVector.broadcast(S, 2.0 / 13.0));
            p2 = p2.fma(z2, DoubleVector.broadcast(S, 2.0 / 11.0));
            p2 = p2.fma(z2, DoubleVector.broadcast(S, 2.0 / 9.0));
            p2 = p2.fma(z2, DoubleVector.broadcast(S, 2.0 / 7.0));
            p2 = p2.fma(z2, DoubleVector.broadcast(S, 2.0 / 5.0));
            p2 = p2.fma(z2, DoubleVector.broadcast(S, 2.0 / 3.0));
            // small = e LN2_LO - z (f - z^2 p2); log = e LN2_HI + (f + small).
            DoubleVector small = z.fma(z2.fma(p2, f.neg()), e.mul(LN2_LO));
            DoubleVector log = e.fma(DoubleVector.broadcast(S, LN2_HI), f.add(small));
            // s - MAX_VALUE is <= 0 <= log for finite s >= 1, +inf for +inf, NaN for NaN: the
            // max leaves every finite result alone and gives Math.log's +inf and NaN.
            log.max(s.sub(Double.MAX_VALUE)).intoArray(a, off + i);
        }
        for (; i < n; i++) {
            a[off + i] = log(a[off + i]);
        }
    }

    /** The scalar twin of one lane of {@link #logInPlace}. */
    static double log(double s) {
        long shiftedBits = Double.doubleToRawLongBits(s) - SQRT_HALF_BITS;
        long exponent = shiftedBits >> 52;
        double e = Double.longBitsToDouble(exponent + ROUNDING_MAGIC_BITS) - ROUNDING_MAGIC;
        double m = Double.longBitsToDouble((shiftedBits & FRACTION_BITS) + SQRT_HALF_BITS);
        double f = m - 1.0;
        double z = f / (f + 2.0);
        double z2 = z * z;
        double p2 = Math.fma(z2, 2.0 / 21.0, 2.0 / 19.0);
        p2 = Math.fma(p2, z2, 2.0 / 17.0);
        p2 = Math.fma(p2, z2, 2.0 / 15.0);
        p2 = Math.fma(p2, z2, 2.0 / 13.0);
        p2 = Math.fma(p2, z2, 2.0 / 11.0);
        p2 = Math.fma(p2, z2, 2.0 / 9.0);
        p2 = Math.fma(p2, z2, 2.0 / 7.0);
        p2 = Math.fma(p2, z2, 2.0 / 5.0);
        p2 = Math.fma(p2, z2, 2.0 / 3.0);
        double small = Math.fma(z, Math.fma(z2, p2, -f), e * LN2_LO);
        double log = Math.fma(e, LN2_HI, f + small);
        return Math.max(log, s - Double.MAX_VALUE);
    }
}
