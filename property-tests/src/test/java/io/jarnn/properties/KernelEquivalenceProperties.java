package io.jarnn.properties;

import io.jarnn.kernels.Kernels;
import io.jarnn.kernels.ScalarKernels;
import io.jarnn.kernels.VectorKernels;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 4, property 7: every Vector API kernel equals its scalar reference on generated shapes,
 * tails included, and writes nothing outside its output range.
 *
 * <p>{@code accumulateTaps} must be bitwise equal (each lane performs the reference's fused
 * multiply-adds in the reference's order). selu and the row normalisations use the Vector API's
 * exp/expm1, which may differ from {@code Math.exp} by an ulp or so, so they are held to
 * {@code k * eps * scale} with k growing with the reduction length, as XNNPACK's tests do.
 * Run with {@code -Djarnn.vectorBits=128|256} to exercise the narrower species' tails.
 */
class KernelEquivalenceProperties {
    private static final Kernels SCALAR = ScalarKernels.INSTANCE;
    private static final Kernels VECTOR = VectorKernels.INSTANCE;
    private static final double EPS = Math.ulp(1f);
    /** selu: expm1 (about one ulp) followed by two rounded multiplications. */
    private static final int SELU_ULPS = 4;
    /** The kernels of {@link Kernels} this class holds to their references; see the completeness example. */
    static final Set<String> CHECKED = Set.of("accumulateTaps", "selu", "logNormalizeRows", "probabilityRows",
            "probabilityColumns");

    @Provide
    Arbitrary<KernelCases.Taps> tapCases() {
        return KernelCases.taps();
    }

    @Provide
    Arbitrary<KernelCases.Elementwise> seluCases() {
        return KernelCases.elementwise();
    }

    @Provide
    Arbitrary<KernelCases.RowBlock> rowBlocks() {
        return KernelCases.rowBlocks();
    }

    @Property(tries = 1000)
    void accumulateTapsIsBitwiseEqualToTheScalarReference(@ForAll("tapCases") KernelCases.Taps c) {
        KernelCases.Layout l = c.layout();
        float[] x = KernelCases.values(c.xLength(), 1f, c.seed());
        float[] w = KernelCases.values(c.wLength(), 1f, c.seed() + 1);
        float[] initial = KernelCases.values(c.yLength(), 1f, c.seed() + 2);
        float[] expected = initial.clone();
        float[] actual = initial.clone();
        SCALAR.accumulateTaps(x, l.xOff(), l.xRowStride(), l.tapStride(), c.taps(), c.in(), w, l.wOff(), c.wTapStride(),
                c.wRowStride(), expected, l.yOff(), c.yRowStride(), c.rows(), c.out());
        VECTOR.accumulateTaps(x, l.xOff(), l.xRowStride(), l.tapStride(), c.taps(), c.in(), w, l.wOff(), c.wTapStride(),
                c.wRowStride(), actual, l.yOff(), c.yRowStride(), c.rows(), c.out());
        for (int i = 0; i < actual.length; i++) {
            int rel = i - l.yOff();
            int r = Math.floorDiv(rel, c.yRowStride());
            int col = Math.floorMod(rel, c.yRowStride());
            boolean inside = rel >= 0 && r < c.rows() && col < c.out();
            if (!inside && Float.floatToIntBits(actual[i]) != Float.floatToIntBits(initial[i])) {
                fail(VECTOR.name() + " wrote y[" + i + "] = " + actual[i] + " (was " + initial[i]
                        + "), outside the (" + c.rows() + ", " + c.out() + ") output; " + c);
            }
            if (Float.floatToIntBits(actual[i]) != Float.floatToIntBits(expected[i])) {
                fail(VECTOR.name() + " y[" + r + ", " + col + "] (flat " + i + ") of (" + c.rows() + ", " + c.out()
                        + ") = " + actual[i] + ", scalar reference " + expected[i] + " (bitwise equality required); " + c);
            }
        }
    }

    @Property(tries = 1000)
    void seluEqualsTheScalarReferenceWithinAFewUlps(@ForAll("seluCases") KernelCases.Elementwise c) {
        int length = Math.max(c.srcOff(), c.dstOff()) + c.n() + 8;
        float[] src = KernelCases.values(length, c.magnitude(), c.seed());
        float[] scalarDst = c.inPlace() ? src.clone() : KernelCases.values(length, 1f, c.seed() + 1);
        float[] vectorDst = scalarDst.clone();
        float[] untouched = scalarDst.clone();
        int dstOff = c.inPlace() ? c.srcOff() : c.dstOff();
        SCALAR.selu(c.inPlace() ? scalarDst : src, c.srcOff(), scalarDst, dstOff, c.n());
        VECTOR.selu(c.inPlace() ? vectorDst : src, c.srcOff(), vectorDst, dstOff, c.n());
        for (int i = 0; i < length; i++) {
            boolean inside = i >= dstOff && i < dstOff + c.n();
            if (!inside) {
                if (Float.floatToIntBits(vectorDst[i]) != Float.floatToIntBits(untouched[i])) {
                    fail(VECTOR.name() + " wrote dst[" + i + "] outside [" + dstOff + ", " + (dstOff + c.n()) + "); " + c);
                }
                continue;
            }
            float e = scalarDst[i];
            float a = vectorDst[i];
            double tolerance = SELU_ULPS * EPS * Math.max(Math.abs(e), Math.abs(a)) + Float.MIN_NORMAL;
            if (!(Math.abs((double) a - e) <= tolerance)) {
                fail(VECTOR.name() + " selu at element " + (i - dstOff) + " of " + c.n() + " (x = "
                        + src[c.srcOff() + i - dstOff] + ") = " + a + ", scalar " + e + ", beyond " + tolerance + "; " + c);
            }
        }
    }

    @Property(tries = 1000)
    void logNormalizeRowsEqualsTheScalarReference(@ForAll("rowBlocks") KernelCases.RowBlock c) {
        float[][] results = normalise(c, true);
        float[] x = logits(c);
        for (int r = 0; r < c.rows(); r++) {
            double maxAbs = 0;
            for (int k = 0; k < c.cols(); k++) {
                maxAbs = Math.max(maxAbs, Math.abs(x[c.xOff() + r * c.cols() + k]));
            }
            // out = x - lse/p with |lse/p| <= max|x| + ln(cols)/p: the scale of every rounding here.
            double scale = 1 + maxAbs + Math.log(c.cols()) / c.machinePow();
            double tolerance = (c.cols() + 4) * EPS * scale;
            compareRow("logNormalizeRows", c, results, r, (e, a) -> tolerance);
        }
    }

    @Property(tries = 1000)
    void probabilityRowsEqualsTheScalarReference(@ForAll("rowBlocks") KernelCases.RowBlock c) {
        float[][] results = normalise(c, false);
        for (int r = 0; r < c.rows(); r++) {
            // Relative: each exp is within an ulp or so and the sum has cols terms; the absolute
            // floor covers results in the subnormal range, where relative precision ends.
            compareRow("probabilityRows", c, results, r,
                    (e, a) -> (c.cols() + 4) * EPS * Math.max(Math.abs(e), Math.abs(a)) + Float.MIN_NORMAL);
        }
    }

    /**
     * The transposed layout the per-site path uses: a (rows, cols) block of logits is given as
     * (cols, rows), local states by samples, and must give the transposed probabilities.
     */
    @Property(tries = 1000)
    void probabilityColumnsEqualsTheScalarReference(@ForAll("rowBlocks") KernelCases.RowBlock c) {
        float[] rowMajor = logits(c);
        int samples = c.rows();
        int states = c.cols();
        float[] x = new float[c.xOff() + samples * states];
        for (int b = 0; b < samples; b++) {
            for (int k = 0; k < states; k++) {
                x[c.xOff() + k * samples + b] = rowMajor[c.xOff() + b * states + k];
            }
        }
        int outLength = c.outOff() + samples * states + 4;
        float[] untouched = KernelCases.values(outLength, 1f, c.seed() + 1);
        float[] scalar = untouched.clone();
        float[] vector = untouched.clone();
        SCALAR.probabilityColumns(x, c.xOff(), scalar, c.outOff(), states, samples, c.machinePow());
        VECTOR.probabilityColumns(x, c.xOff(), vector, c.outOff(), states, samples, c.machinePow());
        for (int i = 0; i < outLength; i++) {
            float e = scalar[i];
            float a = vector[i];
            boolean inside = i >= c.outOff() && i < c.outOff() + samples * states;
            double tolerance = inside ? (states + 4) * EPS * Math.max(Math.abs(e), Math.abs(a)) + Float.MIN_NORMAL : 0;
            if (!Float.isFinite(a) || !(Math.abs((double) a - e) <= tolerance)) {
                fail(VECTOR.name() + " probabilityColumns out[" + i + "] = " + a + ", scalar " + e
                        + (inside ? ", beyond " + tolerance : " (outside the output block)") + "; " + c);
            }
        }
    }

    /** Every abstract kernel of {@link Kernels} but {@code name} is paired with a property here. */
    @Example
    void everyKernelHasAnEquivalenceProperty() {
        Set<String> kernels = new TreeSet<>();
        for (Method method : Kernels.class.getDeclaredMethods()) {
            if (Modifier.isAbstract(method.getModifiers()) && !method.getName().equals("name")) {
                kernels.add(method.getName());
            }
        }
        assertEquals(new TreeSet<>(CHECKED), kernels, "kernels of " + Kernels.class.getName()
                + " vs those with a scalar-equivalence property");
    }

    @FunctionalInterface
    private interface Tolerance {
        double of(float expected, float actual);
    }

    private static float[] logits(KernelCases.RowBlock c) {
        return KernelCases.values(c.xOff() + c.rows() * c.cols() + 4, c.magnitude(), c.seed());
    }

    /** {scalar output, vector output, output before the call}. */
    private static float[][] normalise(KernelCases.RowBlock c, boolean log) {
        float[] x = logits(c);
        int outLength = c.outOff() + c.rows() * c.cols() + 4;
        float[] untouched = KernelCases.values(outLength, 1f, c.seed() + 1);
        float[] scalar = untouched.clone();
        float[] vector = untouched.clone();
        if (log) {
            SCALAR.logNormalizeRows(x, c.xOff(), scalar, c.outOff(), c.rows(), c.cols(), c.machinePow());
            VECTOR.logNormalizeRows(x, c.xOff(), vector, c.outOff(), c.rows(), c.cols(), c.machinePow());
        } else {
            SCALAR.probabilityRows(x, c.xOff(), scalar, c.outOff(), c.rows(), c.cols(), c.machinePow());
            VECTOR.probabilityRows(x, c.xOff(), vector, c.outOff(), c.rows(), c.cols(), c.machinePow());
        }
        for (int i = 0; i < outLength; i++) {
            boolean inside = i >= c.outOff() && i < c.outOff() + c.rows() * c.cols();
            if (!inside && Float.floatToIntBits(vector[i]) != Float.floatToIntBits(untouched[i])) {
                fail(VECTOR.name() + " wrote out[" + i + "] outside its (" + c.rows() + ", " + c.cols()
                        + ") block at offset " + c.outOff() + "; " + c);
            }
        }
        return new float[][]{scalar, vector, untouched};
    }

    private static void compareRow(String kernel, KernelCases.RowBlock c, float[][] results, int r, Tolerance tolerance) {
        int from = c.outOff() + r * c.cols();
        for (int k = 0; k < c.cols(); k++) {
            float e = results[0][from + k];
            float a = results[1][from + k];
            double tol = tolerance.of(e, a);
            if (!Float.isFinite(a) || !(Math.abs((double) a - e) <= tol)) {
                float[] x = logits(c);
                fail(VECTOR.name() + " " + kernel + " out[" + r + ", " + k + "] of (" + c.rows() + ", " + c.cols()
                        + ") = " + a + ", scalar " + e + ", beyond " + tol + "; row logits "
                        + Arrays.toString(Arrays.copyOfRange(x, c.xOff() + r * c.cols(), c.xOff() + (r + 1) * c.cols()))
                        + "; " + c);
            }
        }
    }
}
