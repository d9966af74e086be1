package io.jarnn.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.jarnn.kernels.KernelEquivalence.EPS;
import static io.jarnn.kernels.KernelEquivalence.assertClose;
import static io.jarnn.kernels.KernelEquivalence.randomArray;
import static io.jarnn.kernels.KernelEquivalence.runBoth;

/**
 * {@link Kernels#selu}: vector against scalar and both against selu in double precision. The
 * vector EXPM1 may round differently from {@link Math#expm1}, so the tolerance is one
 * element's worth: {@code eps * |selu(x)| + eps} (the reduction length k is 1).
 */
class SeluEquivalenceTest {
    private static final double SCALE = 1.0507009873554805;
    private static final double ALPHA = 1.6732632423543772;

    /**
     * Inputs that exercise both branches and their edges: signed zeros, tiny and huge values,
     * and positive lanes whose expm1 overflows (the vector kernel computes it and must discard it).
     * Not +Float.MAX_VALUE: its selu overflows float by definition.
     */
    private static final float[] SPECIAL = {0f, -0f, 1e-30f, -1e-30f, -1e-7f, 1e-7f, -80f, 80f, 100f, 1e30f,
            -1e30f, -20f, -0.5f, Float.MIN_VALUE, -Float.MIN_VALUE, -Float.MAX_VALUE};

    static List<Arguments> sizesAndPlacements() {
        List<Arguments> list = new ArrayList<>();
        for (int n : KernelEquivalence.SIZES) {
            list.add(Arguments.of(n, 3, 5, 0));
            list.add(Arguments.of(n, 1, 6, 4));
        }
        return list;
    }

    static double seluDouble(float x) {
        return SCALE * (x > 0 ? x : ALPHA * Math.expm1(x));
    }

    private static float[] inputs(int n, long seed) {
        float[] values = randomArray(new SplittableRandom(seed), n, 6f);
        for (int i = 0; i < n; i += 3) {
            values[i] = SPECIAL[(i / 3) % SPECIAL.length];
        }
        return values;
    }

    private static double tolerance(double expected) {
        return EPS * Math.abs(expected) + EPS;
    }

    @ParameterizedTest(name = "n={0}, srcOff={1}, dstOff={2}, slack after={3}")
    @MethodSource("sizesAndPlacements")
    void vectorMatchesScalarAndDouble(int n, int srcOff, int dstOff, int slack) {
        check(n, srcOff, dstOff, slack, 17L * n + srcOff);
    }

    static void check(int n, int srcOff, int dstOff, int slack, long seed) {
        float[] values = inputs(n, seed);
        float[] src = new float[srcOff + n];
        Arrays.fill(src, Float.NaN); // a kernel reading before srcOff would turn NaN into the output
        System.arraycopy(values, 0, src, srcOff, n);
        float[] srcCopy = src.clone();
        float[] dst0 = randomArray(new SplittableRandom(seed + 1), dstOff + n + slack, 1f);
        KernelEquivalence.Outputs o = runBoth(dst0, (k, dst) -> k.selu(src, srcOff, dst, dstOff, n));
        String context = "selu(n=" + n + ", srcOff=" + srcOff + ", dstOff=" + dstOff + ", dst.length="
                + dst0.length + ")";
        assertClose(() -> context + " scalar against double", doubleReference(values, dst0, dstOff), o.scalar(),
                i -> i >= dstOff && i < dstOff + n, i -> tolerance(o.scalar()[i]));
        assertClose(() -> context + " vector against scalar", o.scalar(), o.vector(),
                i -> i >= dstOff && i < dstOff + n, i -> tolerance(o.scalar()[i]));
        KernelEquivalence.assertBitwiseEqual(() -> context + ": src must not be modified", srcCopy, src);
    }

    @ParameterizedTest(name = "in place, n={0}, offset={1}, slack after={3}")
    @MethodSource("sizesAndPlacements")
    void inPlaceMatchesScalarAndDouble(int n, int offset, int unusedDstOff, int slack) {
        float[] values = inputs(n, 31L * n);
        float[] buffer0 = randomArray(new SplittableRandom(-n), offset + n + slack, 1f);
        System.arraycopy(values, 0, buffer0, offset, n);
        KernelEquivalence.Outputs o = runBoth(buffer0, (k, buffer) -> k.selu(buffer, offset, buffer, offset, n));
        String context = "selu in place(n=" + n + ", offset=" + offset + ", length=" + buffer0.length + ")";
        assertClose(() -> context + " scalar against double", doubleReference(values, buffer0, offset), o.scalar(),
                i -> i >= offset && i < offset + n, i -> tolerance(o.scalar()[i]));
        assertClose(() -> context + " vector against scalar", o.scalar(), o.vector(),
                i -> i >= offset && i < offset + n, i -> tolerance(o.scalar()[i]));
    }

    /** {@code around} with selu(values) in double, rounded to float, written at {@code off}. */
    private static float[] doubleReference(float[] values, float[] around, int off) {
        float[] expected = around.clone();
        for (int i = 0; i < values.length; i++) {
            expected[off + i] = (float) seluDouble(values[i]);
        }
        return expected;
    }
}
