package io.jarnn.kernels;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import static io.jarnn.kernels.KernelEquivalence.EPS;
import static io.jarnn.kernels.KernelEquivalence.assertBitwiseEqual;
import static io.jarnn.kernels.KernelEquivalence.assertClose;
import static io.jarnn.kernels.KernelEquivalence.randomArray;
import static io.jarnn.kernels.KernelEquivalence.runBoth;

/**
 * One {@link Kernels#selu} call over {@code n} values placed at {@code srcOff}, written at
 * {@code dstOff} (or in place), with {@code slack} guard floats after the output.
 *
 * <p>Tolerances, element-wise (no sum is involved):
 * <ul>
 *   <li>vector against the lane's scalar twin ({@code VectorMath.selu(float)}): bitwise, so an
 *       element's bits do not depend on whether it sits in a whole vector or in the tail;</li>
 *   <li>vector against {@link ScalarKernels}: 3 ulps of the scalar result, bitwise equal for
 *       x > 0. Both multiply expm1 by alpha, round, multiply by scale and round; their expm1s
 *       are at most 1 ulp apart (VectorMath's range test asserts it against {@link Math#expm1}),
 *       and two expm1s 1 ulp apart end at most 3 ulps apart: 1.67 ulps after alpha, at most 2
 *       once rounded, 2.1 after scale, at most 3 once rounded. Reached in both precisions (in
 *       single precision at -6.18058e-5, one of the SPECIAL inputs);</li>
 *   <li>scalar against selu in double: {@code 2.5 eps |selu(x)|}: expm1 rounded to float, two
 *       rounded products and the float constants (half an ulp each), plus two subnormal ulps
 *       where the result is subnormal and relative precision ends.</li>
 * </ul>
 *
 * @param magnitude random inputs are uniform in +-magnitude; every third is a special value
 */
public record SeluCase(int n, int srcOff, int dstOff, int slack, boolean inPlace, float magnitude)
        implements KernelCase {
    static final double SCALE = 1.0507009873554805;
    static final double ALPHA = 1.6732632423543772;
    /** Vector (through VectorMath's expm1) against the scalar reference (through Math.expm1). */
    public static final int VECTOR_ULPS = 3;

    /**
     * Inputs that exercise both branches and their edges: signed zeros, tiny and huge values,
     * and positive lanes whose expm1 overflows (the vector kernel computes it and must discard it).
     * Not +Float.MAX_VALUE: its selu overflows float by definition.
     */
    private static final float[] SPECIAL = {0f, -0f, 1e-30f, -1e-30f, -1e-7f, 1e-7f, -80f, 80f, 100f, 1e30f,
            -1e30f, -20f, -0.5f, Float.MIN_VALUE, -Float.MIN_VALUE, -Float.MAX_VALUE, -6.18058E-5f};

    @Override
    public String kernel() {
        return "selu";
    }

    static double seluDouble(float x) {
        return SCALE * (x > 0 ? x : ALPHA * Math.expm1(x));
    }

    /** The n inputs: uniform in +-magnitude, and every third one a special value. */
    float[] inputs(long seed) {
        float[] values = randomArray(new SplittableRandom(seed), n, magnitude);
        for (int i = 0; i < n; i += 3) {
            values[i] = SPECIAL[(i / 3 + (int) (seed & 0xF)) % SPECIAL.length];
        }
        return values;
    }

    @Override
    public void check(Kernels scalar, Kernels vector, long seed) {
        float[] values = inputs(seed);
        int off = inPlace ? srcOff : dstOff;
        float[] out0;
        float[] src;
        float[] srcCopy;
        KernelEquivalence.Outputs o;
        if (inPlace) {
            out0 = randomArray(new SplittableRandom(~seed), srcOff + n + slack, 1f);
            System.arraycopy(values, 0, out0, srcOff, n);
            src = null;
            srcCopy = null;
            o = runBoth(scalar, vector, out0, (k, buffer) -> k.selu(buffer, srcOff, buffer, srcOff, n));
        } else {
            src = new float[srcOff + n];
            Arrays.fill(src, Float.NaN); // a kernel reading before srcOff would turn NaN into the output
            System.arraycopy(values, 0, src, srcOff, n);
            srcCopy = src.clone();
            out0 = randomArray(new SplittableRandom(~seed), dstOff + n + slack, 1f);
            o = runBoth(scalar, vector, out0, (k, dst) -> k.selu(src, srcOff, dst, dstOff, n));
        }
        float[] definition = out0.clone();
        float[] twin = out0.clone();
        for (int i = 0; i < n; i++) {
            definition[off + i] = (float) seluDouble(values[i]);
            twin[off + i] = VectorMath.selu(values[i]);
        }
        String context = toString() + ", seed=" + seed;
        assertClose(() -> context + ", scalar against selu in double", definition, o.scalar(),
                i -> i >= off && i < off + n, i -> 2.5 * EPS * Math.abs(definition[i]) + 2 * Float.MIN_VALUE);
        assertClose(() -> context + ", vector against scalar (" + VECTOR_ULPS + " ulps)", o.scalar(), o.vector(),
                i -> i >= off && i < off + n, i -> VECTOR_ULPS * Math.ulp(o.scalar()[i]));
        assertBitwiseEqual(() -> context + ", vector against the scalar twin of its lanes", twin, o.vector());
        if (src != null) {
            assertBitwiseEqual(() -> context + ": src must not be modified", srcCopy, src);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "selu(n=%d, srcOff=%d, dstOff=%s, slack=%d, values in +-%s)", n, srcOff,
                inPlace ? srcOff + " (in place)" : Integer.toString(dstOff), slack, magnitude);
    }
}
