package io.jarnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, expm1 and log over arrays, from fma, mul, add, div and bit operations only, for the
 * vector kernels; each with a scalar twin that performs the very same roundings, used for the
 * elements past the last whole vector, so an element's bits never depend on its position.
 *
 * <p>Why not the JDK's EXP, EXPM1 and LOG lane-wise operators: compiled by C2 they call a
 * short-vector math library whose results differ in the last bit from the per-lane Math.exp
 * the same code runs before it is compiled (results changed during warm-up; found by the
 * property suite), and the call cost about a third of the sampler's time (JFR, L = 10000).
 * These give the same bits interpreted and compiled.
 *
 * <p>Why arrays, with the math written out inside each loop rather than in helpers taking and
 * returning vectors: C2 refuses to inline a helper once it has been compiled on its own and is
 * large ("too big"), and a vector passed to a method that is not inlined is boxed: the
 * model's forward allocated megabytes per call that way. Methods taking arrays are safe to
 * call whether or not they are inlined. So exp, expm1 and selu share one loop,
 * {@link #expFamily(float[], int, float[], int, int, int)}, which holds the only vector copy
 * of the range reduction and picks the finishing step by a loop-invariant {@code kind} (a
 * constant once inlined; otherwise a perfectly predicted branch), and one scalar twin,
 * {@link #expFamily(float, int)}.
 *
 * <p>exp and expm1 reduce x = n ln2 + r with |r| <= ln2/2, take expm1(r) from its degree-7
 * Taylor polynomial (error < 2e-8 relative) and rescale by 2^n built in the exponent bits.
 * log(s), s >= 1: s = 2^e m with m in [1, 2), log m = 2 atanh(z), z = (m - 1)/(m + 1) in
 * [0, 1/3), summed to z^15/15. Errors measured over the whole float range against
 * java.lang.Math (VectorMathRangeTest asserts them): at most 1.01 ulp for exp, 0.84 for expm1
 * and 1.89 for log.
 */
final class VectorMath {
    private static final VectorSpecies<Float> S = VectorLanes.FLOATS;
    private static final int L = S.length();

    /** 1.5 * 2^23: adding it rounds a float of magnitude < 2^22 to an integer held in the low mantissa bits. */
    private static final float ROUNDING_MAGIC = 12582912f;
    private static final int ROUNDING_MAGIC_BITS = Float.floatToRawIntBits(ROUNDING_MAGIC);
    private static final float LOG2_E = 1.44269504f;
    /** ln 2 split Cody-Waite style: n * LN2_HI is exact for the |n| <= 126 used here. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /**
     * ln(Float.MIN_NORMAL), rounded up. Inputs of exp and expm1 are clamped here, so that
     * n >= -126 and 2^n stays normal (expm1 is -1 in float from -17.33 on, so the clamp changes
     * none of its results), and exp's results for inputs below it, subnormal, are flushed to +0.
     */
    static final float EXP_FLOOR = -87.33654f;
    private static final int EXP_FLOOR_BITS = Float.floatToRawIntBits(EXP_FLOOR);

    /** The {@code kind}s of {@link #expFamily}: what is made of 2^n and expm1(r). */
    private static final int EXP = 0;
    private static final int EXPM1 = 1;
    private static final int SELU = 2;

    private VectorMath() {
    }

    /**
     * a[i] = exp(min(a[i], 0)) for i in [off, off + n), with results below Float.MIN_NORMAL
     * (inputs below {@link #EXP_FLOOR}, and -inf) flushed to +0. A NaN stays NaN if its sign
     * bit is clear and becomes +0 if it is set (x86 makes such NaNs, e.g. inf - inf); either
     * way the normalisation kernels return NaN for its row (a NaN row maximum makes every
     * exponent NaN, so the row sum is NaN or 0, and 0 * (1/0) is NaN).
     */
    static void expInPlace(float[] a, int off, int n) {
        expFamily(a, off, a, off, n, EXP);
    }

    /** The scalar twin of one lane of {@link #expInPlace}. */
    static float exp(float x) {
        return expFamily(x, EXP);
    }

    /**
     * dst[dstOff + i] = expm1(min(src[srcOff + i], 0)) for i < n; -0 gives +0, -inf gives -1,
     * NaN stays NaN. Only selu needs expm1, and fused into its own loop; this one exists so that
     * the shared reduction can be tested on its own.
     */
    static void expm1(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        expFamily(src, srcOff, dst, dstOff, n, EXPM1);
    }

    /** The scalar twin of one lane of {@link #expm1(float[], int, float[], int, int)}. */
    static float expm1(float x) {
        return expFamily(x, EXPM1);
    }

    /**
     * dst[dstOff + i] = selu(src[srcOff + i]) for i < n, as
     * scale * (max(x, 0) + alpha * expm1(min(x, 0))): the two branches added, each zero where
     * the other applies (one flow of vectors, no branch-dependent result).
     * src and dst may be the same range.
     */
    static void selu(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        expFamily(src, srcOff, dst, dstOff, n, SELU);
    }

    /** The scalar twin of one lane of {@link #selu(float[], int, float[], int, int)}. */
    static float selu(float x) {
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
    private static void expFamily(float[] src, int srcOff, float[] dst, int dstOff, int n, int kind) {
        int i = 0;
        // Math.max and Math.min as a compare and a blend each: lane-wise the same results
        // (NaN kept, -0 and +0 as Math.min/max order them; see the comments below) in fewer
        // instructions than the general max/min, whose NaN and signed-zero fix-ups cost about
        // a third of the selu loop.
        FloatVector floor = FloatVector.broadcast(S, EXP_FLOOR);
        FloatVector zero = FloatVector.zero(S);
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector x = FloatVector.fromArray(S, src, srcOff + i);
            FloatVector xc;
            if (kind == SELU) {
                // selu keeps x itself where x > 0 or NaN, so only lanes with x <= 0 need
                // min(max(x, FLOOR), 0), and there it is max(x, FLOOR) (x = -0 and +0 stay):
                // one unsigned minimum of the bits, which leaves +0 and the positive floats below
                // every negative one and orders the negative ones by magnitude. The same values
                // as the two compares and blends below wherever selu reads them, in one
                // instruction instead of four (about a seventh of the loop's).
                xc = x.reinterpretAsInts().lanewise(VectorOperators.UMIN, EXP_FLOOR_BITS).reinterpretAsFloats();
            } else {
                // max(x, FLOOR): FLOOR where x < FLOOR (false for NaN, which stays); FLOOR is not 0.
                FloatVector xf = x.blend(floor, x.compare(VectorOperators.LT, EXP_FLOOR));
                // min(xf, 0): +0 where xf > 0; -0, +0 and NaN stay as Math.min leaves them.
                xc = xf.blend(zero, xf.compare(VectorOperators.GT, 0f));
            }
            FloatVector shifted = xc.fma(LOG2_E, ROUNDING_MAGIC);
            FloatVector nn = shifted.sub(ROUNDING_MAGIC);
            FloatVector r = nn.fma(FloatVector.broadcast(S, -LN2_HI), xc);
            r = nn.fma(FloatVector.broadcast(S, -LN2_LO), r);
            FloatVector q = r.fma(1f / 5040f, 1f / 720f);
            q = q.fma(r, FloatVector.broadcast(S, 1f / 120f));
            q = q.fma(r, FloatVector.broadcast(S, 1f / 24f));
            q = q.fma(r, FloatVector.broadcast(S, 1f / 6f));
            q = q.fma(r, FloatVector.broadcast(S, 0.5f));
            FloatVector expm1R = r.mul(r).fma(q, r);
            FloatVector twoToN = shifted.reinterpretAsInts()
                    .sub(ROUNDING_MAGIC_BITS - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            if (kind == EXP) {
                FloatVector e = twoToN.fma(expm1R, twoToN);
                // The sign of x - EXP_FLOOR, spread over the lane, clears flushed lanes (and
                // NaNs with the sign bit set: restoring them, with a max or an add, cost 5-20%
                // of this loop, and a row holding a NaN comes out NaN from the kernels anyway).
                IntVector below = x.sub(EXP_FLOOR).reinterpretAsInts()
                        .lanewise(VectorOperators.ASHR, 31);
                e.reinterpretAsInts().and(below.not()).reinterpretAsFloats().intoArray(dst, dstOff + i);
            } else {
                FloatVector expm1 = twoToN.fma(expm1R, twoToN.sub(1f));
                if (kind == EXPM1) {
                    expm1.intoArray(dst, dstOff + i);
                } else {
                    // max(x, 0) + alpha * expm1 as a select, one add fewer: where x > 0,
                    // xc = +0 makes expm1 = +0, so the sum is x; where x <= 0, max(x, 0) = +0 and
                    // alpha * expm1 is never -0 (+0 for x = -0 or +0, else negative and, alpha
                    // being > 1, not underflowing), so the sum is alpha * expm1; a NaN keeps x,
                    // as the sum's first operand did. The same bits either way.
                    FloatVector negative = expm1.mul(ScalarKernels.SELU_ALPHA);
                    x.blend(negative, x.compare(VectorOperators.LE, 0f)).mul(ScalarKernels.SELU_SCALE)
                            .intoArray(dst, dstOff + i);
                }
            }
        }
        for (; i < n; i++) {
            dst[dstOff + i] = expFamily(src[srcOff + i], kind);
        }
    }

    /** The scalar twin of one lane of {@link #expFamily(float[], int, float[], int, int, int)}. */
    private static float expFamily(float x, int kind) {
        float xc = Math.min(Math.max(x, EXP_FLOOR), 0f);
        float shifted = Math.fma(xc, LOG2_E, ROUNDING_MAGIC);
        float nn = shifted - ROUNDING_MAGIC;
        float r = Math.fma(nn, -LN2_HI, xc);
        r = Math.fma(nn, -LN2_LO, r);
        float q = Math.fma(r, 1f / 5040f, 1f / 720f);
        q = Math.fma(q, r, 1f / 120f);
        q = Math.fma(q, r, 1f / 24f);
        q = Math.fma(q, r, 1f / 6f);
        q = Math.fma(q, r, 0.5f);
        float expm1R = Math.fma(r * r, q, r);
        float twoToN = Float.intBitsToFloat((Float.floatToRawIntBits(shifted) - (ROUNDING_MAGIC_BITS - 127)) << 23);
        if (kind == EXP) {
            float e = Math.fma(twoToN, expm1R, twoToN);
            int below = Float.floatToRawIntBits(x - EXP_FLOOR) >> 31;
            return Float.intBitsToFloat(Float.floatToRawIntBits(e) & ~below);
        }
        float expm1 = Math.fma(twoToN, expm1R, twoToN - 1f);
        if (kind == EXPM1) {
            return expm1;
        }
        return (x <= 0f ? expm1 * ScalarKernels.SELU_ALPHA : x) * ScalarKernels.SELU_SCALE;
    }

    /**
     * a[i] = log(a[i]) for i in [off, off + n). Meant for s = a[i] >= 1 (a sum whose largest
     * term is 1): there, and for +inf (+inf) and NaN (NaN), it agrees with Math.log; for s < 1
     * the result is meaningless (log m cancels against e ln2).
     */
    static void logInPlace(float[] a, int off, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector s = FloatVector.fromArray(S, a, off + i);
            IntVector bits = s.reinterpretAsInts();
            FloatVector e = (FloatVector) bits.lanewise(VectorOperators.LSHR, 23).sub(127)
                    .convert(VectorOperators.I2F, 0);
            FloatVector m = bits.and(0x007FFFFF).or(0x3F800000).reinterpretAsFloats();
            FloatVector z = m.sub(1f).div(m.add(1f));
            FloatVector z2 = z.mul(z);
            FloatVector q = z2.fma(1f / 15f, 1f / 13f);
            q = q.fma(z2, FloatVector.broadcast(S, 1f / 11f));
            q = q.fma(z2, FloatVector.broadcast(S, 1f / 9f));
            q = q.fma(z2, FloatVector.broadcast(S, 1f / 7f));
            q = q.fma(z2, FloatVector.broadcast(S, 1f / 5f));
            q = q.fma(z2, FloatVector.broadcast(S, 1f / 3f));
            FloatVector logM = z.mul(z2).fma(q, z).mul(2f);
            FloatVector log = e.fma(FloatVector.broadcast(S, LN2_HI), e.fma(FloatVector.broadcast(S, LN2_LO), logM));
            // s - MAX_VALUE is <= 0 <= log for finite s >= 1, +inf for +inf, NaN for NaN: the
            // max leaves every finite result alone and gives Math.log's +inf and NaN.
            log.max(s.sub(Float.MAX_VALUE)).intoArray(a, off + i);
        }
        for (; i < n; i++) {
            a[off + i] = log(a[off + i]);
        }
    }

    /** The scalar twin of one lane of {@link #logInPlace}. */
    static float log(float s) {
        int bits = Float.floatToRawIntBits(s);
        float e = (float) ((bits >>> 23) - 127);
        float m = Float.intBitsToFloat((bits & 0x007FFFFF) | 0x3F800000);
        float z = (m - 1f) / (m + 1f);
        float z2 = z * z;
        float q = Math.fma(z2, 1f / 15f, 1f / 13f);
        q = Math.fma(q, z2, 1f / 11f);
        q = Math.fma(q, z2, 1f / 9f);
        q = Math.fma(q, z2, 1f / 7f);
        q = Math.fma(q, z2, 1f / 5f);
        q = Math.fma(q, z2, 1f / 3f);
        float logM = Math.fma(z * z2, q, z) * 2f;
        float log = Math.fma(e, LN2_HI, Math.fma(e, LN2_LO, logM));
        return Math.max(log, s - Float.MAX_VALUE);
    }
}
