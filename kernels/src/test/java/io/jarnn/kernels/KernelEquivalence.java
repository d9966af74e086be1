package io.jarnn.kernels;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The one harness every kernel equivalence check goes through, in the kernel unit tests and in
 * the property suite alike (this module publishes its test classes as a test-jar): it runs the
 * same call through {@link ScalarKernels} (the reference) and {@link VectorKernels} on identical
 * copies of the output array, and compares the two results either bitwise or within a tolerance.
 * The cases themselves ({@link TapsCase}, {@link SeluCase}, {@link NormalisationCase}) hold the
 * tolerances, each derived in its class comment; {@link KernelCompleteness} checks that every
 * kernel of the interface has one. Failure messages name the case (shape, offsets, strides),
 * the index, the expected and the actual value.
 *
 * <p>What the tolerances rest on: accumulateTaps performs the same fused multiply-adds in the
 * same order in both implementations, so it is bitwise. VectorMath's exp, expm1 and log are
 * built from correctly rounded operations and are bit-identical to their scalar twins, but the
 * scalar reference uses {@link Math#exp}, {@link Math#expm1} and {@link Math#log}: measured over
 * the whole range (see VectorMath's javadoc), the twins are within 1 ulp (exp), 3 ulps (selu)
 * and 2 ulps (log) of them.
 * Element-wise results are therefore held to those ulps; only results that pass through a sum
 * get a tolerance that grows with the number of terms.
 */
public final class KernelEquivalence {
    /** Machine epsilon of float: the unit of every tolerance here. */
    public static final double EPS = Math.ulp(1f);

    /**
     * Sizes that straddle the lane counts of every species we run (up to 16 lanes), plus one
     * large size that is not a multiple of any of them.
     */
    public static final int[] SIZES = {1, 2, 3, 7, 15, 16, 17, 31, 33, 1021};

    private KernelEquivalence() {
    }

    /** One kernel call writing into {@code out}; every other array it reads is captured. */
    @FunctionalInterface
    public interface KernelCall {
        void run(Kernels kernels, float[] out);
    }

    /** The outputs of one call through both implementations. */
    public record Outputs(float[] scalar, float[] vector) {
    }

    /**
     * Runs {@code call} on a copy of {@code initialOut} with {@code scalar} and with
     * {@code vector} (normally {@link ScalarKernels#INSTANCE} and {@link VectorKernels#INSTANCE};
     * {@link KernelCompleteness} passes recording wrappers of them).
     */
    public static Outputs runBoth(Kernels scalar, Kernels vector, float[] initialOut, KernelCall call) {
        float[] scalarOut = initialOut.clone();
        call.run(scalar, scalarOut);
        float[] vectorOut = initialOut.clone();
        call.run(vector, vectorOut);
        return new Outputs(scalarOut, vectorOut);
    }

    /** Asserts identical bit patterns at every index (NaNs included). */
    public static void assertBitwiseEqual(Supplier<String> context, float[] expected, float[] actual) {
        assertSameLength(context, expected, actual);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(String.format(Locale.ROOT, "%s (%s): not bitwise equal at index %d: expected %s (0x%08x) "
                                + "but got %s (0x%08x)", context.get(), VectorKernels.INSTANCE.name(), i,
                        expected[i], Float.floatToRawIntBits(expected[i]),
                        actual[i], Float.floatToRawIntBits(actual[i])));
            }
        }
    }

    /**
     * Asserts {@code |expected[i] - actual[i]| <= tolerance(i)} at every index where
     * {@code compared(i)} holds, and bitwise equality everywhere else (the elements a kernel
     * must not touch). Both values must be finite where they are compared.
     */
    public static void assertClose(Supplier<String> context, float[] expected, float[] actual,
                            IntPredicate compared, IntToDoubleFunction tolerance) {
        assertSameLength(context, expected, actual);
        for (int i = 0; i < expected.length; i++) {
            if (!compared.test(i)) {
                if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                    fail(String.format(Locale.ROOT, "%s (%s): element %d is outside the written range and must "
                                    + "be left alone: expected %s but got %s", context.get(),
                            VectorKernels.INSTANCE.name(), i, expected[i], actual[i]));
                }
                continue;
            }
            double tol = tolerance.applyAsDouble(i);
            double diff = Math.abs((double) expected[i] - actual[i]);
            if (!Float.isFinite(expected[i]) || !Float.isFinite(actual[i]) || !(diff <= tol)) {
                fail(String.format(Locale.ROOT, "%s (%s): index %d: expected %s but got %s (|diff| = %.3g, "
                                + "tolerance %.3g)", context.get(), VectorKernels.INSTANCE.name(), i,
                        expected[i], actual[i], diff, tol));
            }
        }
    }

    /** Asserts that every element outside the written range still holds its original value. */
    public static void assertUntouched(Supplier<String> context, float[] original, float[] actual, IntPredicate written) {
        for (int i = 0; i < original.length; i++) {
            if (!written.test(i) && Float.floatToRawIntBits(original[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(String.format(Locale.ROOT, "%s: element %d is outside the written range and must be left "
                        + "alone: expected %s but got %s", context.get(), i, original[i], actual[i]));
            }
        }
    }

    private static void assertSameLength(Supplier<String> context, float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            fail(context.get() + ": arrays of different lengths " + expected.length + " and " + actual.length);
        }
    }

    /** {@code n} floats uniform in [-range, range), never exactly zero (so nothing is trivially skipped). */
    public static float[] randomArray(SplittableRandom random, int n, float range) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            float v;
            do {
                v = (float) ((random.nextDouble() * 2 - 1) * range);
            } while (v == 0f);
            a[i] = v;
        }
        return a;
    }
}
