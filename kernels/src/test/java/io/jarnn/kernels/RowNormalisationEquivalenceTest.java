package io.jarnn.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;

import static io.jarnn.kernels.KernelEquivalence.EPS;
import static io.jarnn.kernels.KernelEquivalence.assertClose;
import static io.jarnn.kernels.KernelEquivalence.randomArray;
import static io.jarnn.kernels.KernelEquivalence.runBoth;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Kernels#logNormalizeRows}, {@link Kernels#probabilityRows} and {@link Kernels#probabilityColumns}: vector against scalar,
 * and both against the definition in double precision, with a tolerance that grows with the
 * reduction length k = cols: {@code (k + 4) * eps * max + eps}, where max is the largest
 * magnitude the result carries (|x|, scaled by 1/p for the log form; |p x| for probabilities,
 * whose exponent is rounded once in float by both kernels). Rows include logits of +-80 with
 * machine powers up to 3.7 (|p x| near 300): the maximum must be subtracted before exp, and
 * every row must still sum to one.
 */
class RowNormalisationEquivalenceTest {
    private static final int[] COLS = {1, 2, 3, 4, 5, 7, 16, 17, 33};
    private static final float[] MACHINE_POWS = {1f, 2f, 0.5f, 3.7f};

    static List<Arguments> shapes() {
        List<Arguments> list = new ArrayList<>();
        for (int cols : COLS) {
            for (float p : MACHINE_POWS) {
                list.add(Arguments.of(cols, p));
            }
        }
        return list;
    }

    /**
     * Logits in [-6, 6), and every few rows an extreme one: +-80 mixed, all +80 (a row of equal
     * maxima), all -80 but one +80.
     */
    static float[] logits(int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = randomArray(random, rows * cols, 6f);
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) {
                float v = switch (r % 6) {
                    case 3 -> random.nextBoolean() ? 80f : -80f;
                    case 4 -> 80f;
                    case 5 -> k == cols / 2 ? 80f : -80f;
                    default -> x[r * cols + k];
                };
                x[r * cols + k] = v;
            }
        }
        return x;
    }

    private static double maxAbs(float[] x, int from, int n) {
        double m = 0;
        for (int k = 0; k < n; k++) {
            m = Math.max(m, Math.abs(x[from + k]));
        }
        return m;
    }

    /** log sum_k exp(p x_k) in double, max subtracted first. */
    private static double logSumExp(float[] x, int from, int n, double p) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, p * x[from + k]);
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += Math.exp(p * x[from + k] - max);
        }
        return max + Math.log(sum);
    }

    /** Where the rows live: x at xOff, out at outOff with guard values before it and {@code slack} after. */
    record Layout(int rows, int cols, float p, int xOff, int outOff, int slack) {
        int n() {
            return rows * cols;
        }

        boolean written(int i) {
            return i >= outOff && i < outOff + n();
        }

        int row(int i) {
            return (i - outOff) / cols;
        }

        float[] x(float[] logits) {
            float[] x = new float[xOff + n()];
            Arrays.fill(x, Float.NaN); // read before xOff and the NaN shows up in the output
            System.arraycopy(logits, 0, x, xOff, n());
            return x;
        }

        float[] initialOut() {
            return randomArray(new SplittableRandom(rows * 31L + cols), outOff + n() + slack, 1f);
        }

        String describe(String kernel) {
            return String.format(Locale.ROOT, "%s(rows=%d, cols=%d, p=%s, xOff=%d, outOff=%d, out.length=%d)",
                    kernel, rows, cols, p, xOff, outOff, outOff + n() + slack);
        }
    }

    @ParameterizedTest(name = "cols={0}, p={1}")
    @MethodSource("shapes")
    void logNormalizeRowsMatchesScalarAndDouble(int cols, float p) {
        for (int rows : KernelEquivalence.SIZES) {
            int slack = (rows + cols) % 2 == 0 ? 0 : 3;
            checkLogNormalizeRows(new Layout(rows, cols, p, 3, 5, slack), rows * 7919L + cols);
        }
    }

    @ParameterizedTest(name = "cols={0}, p={1}")
    @MethodSource("shapes")
    void probabilityRowsMatchesScalarAndDouble(int cols, float p) {
        for (int rows : KernelEquivalence.SIZES) {
            int slack = (rows + cols) % 2 == 0 ? 3 : 0;
            checkProbabilityRows(new Layout(rows, cols, p, 4, 2, slack), rows * 104729L + cols);
        }
    }

    /**
     * {@link Kernels#probabilityColumns}: the same probabilities in the transposed layout the
     * per-site path uses, (localSize, batch), with columns straddling the lane count.
     */
    @ParameterizedTest(name = "localSize={0}, p={1}")
    @MethodSource("shapes")
    void probabilityColumnsMatchesScalarAndDouble(int localSize, float p) {
        for (int batch : KernelEquivalence.SIZES) {
            checkProbabilityColumns(localSize, batch, p, 3, 6, batch * 15485863L + localSize);
        }
    }

    static void checkProbabilityColumns(int localSize, int batch, float p, int xOff, int outOff, long seed) {
        float[] logits = logits(batch, localSize, seed); // row b holds sample b's logits
        int n = localSize * batch;
        float[] x = new float[xOff + n];
        Arrays.fill(x, Float.NaN);
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < localSize; k++) {
                x[xOff + k * batch + b] = logits[b * localSize + k];
            }
        }
        float[] out0 = randomArray(new SplittableRandom(seed), outOff + n + 2, 1f);
        KernelEquivalence.Outputs o = runBoth(out0,
                (k, out) -> k.probabilityColumns(x, xOff, out, outOff, localSize, batch, p));
        float[] expected = out0.clone();
        double[] tolerance = new double[batch];
        for (int b = 0; b < batch; b++) {
            double lse = logSumExp(logits, b * localSize, localSize, p);
            for (int k = 0; k < localSize; k++) {
                expected[outOff + k * batch + b] = (float) Math.exp(p * (double) logits[b * localSize + k] - lse);
            }
            tolerance[b] = (localSize + 4) * EPS * Math.max(1, p * maxAbs(logits, b * localSize, localSize)) + EPS;
        }
        String context = String.format(Locale.ROOT, "probabilityColumns(rows=%d, cols=%d, p=%s, xOff=%d, outOff=%d)",
                localSize, batch, p, xOff, outOff);
        java.util.function.IntPredicate written = i -> i >= outOff && i < outOff + n;
        IntToDoubleFunction tol = i -> tolerance[(i - outOff) % batch];
        assertClose(() -> context + " scalar against double", expected, o.scalar(), written, tol);
        assertClose(() -> context + " vector against scalar", o.scalar(), o.vector(), written, tol);
        for (float[] result : List.of(o.scalar(), o.vector())) {
            for (int b = 0; b < batch; b++) {
                double sum = 0;
                for (int k = 0; k < localSize; k++) {
                    sum += result[outOff + k * batch + b];
                }
                if (!(Math.abs(sum - 1) <= (localSize + 4) * EPS)) {
                    fail(context + ": column " + b + " sums to " + sum + ", expected 1");
                }
            }
        }
    }

    static void checkLogNormalizeRows(Layout layout, long seed) {
        int rows = layout.rows();
        int cols = layout.cols();
        float p = layout.p();
        float[] logits = logits(rows, cols, seed);
        float[] x = layout.x(logits);
        float[] out0 = layout.initialOut();
        KernelEquivalence.Outputs o = runBoth(out0,
                (k, out) -> k.logNormalizeRows(x, layout.xOff(), out, layout.outOff(), rows, cols, p));
        double[] rowTolerance = new double[rows];
        float[] expected = out0.clone();
        for (int r = 0; r < rows; r++) {
            int from = r * cols;
            double lse = logSumExp(logits, from, cols, p);
            for (int k = 0; k < cols; k++) {
                expected[layout.outOff() + from + k] = (float) (logits[from + k] - lse / p);
            }
            rowTolerance[r] = (cols + 4) * EPS * Math.max(1, maxAbs(logits, from, cols)) * Math.max(1, 1 / p) + EPS;
        }
        String context = layout.describe("logNormalizeRows");
        assertClose(() -> context + " scalar against double", expected, o.scalar(), layout::written,
                i -> rowTolerance[layout.row(i)]);
        assertClose(() -> context + " vector against scalar", o.scalar(), o.vector(), layout::written,
                i -> rowTolerance[layout.row(i)]);
        for (float[] result : List.of(o.scalar(), o.vector())) {
            assertRowsSumToOne(context, result, layout, true, r -> p * rowTolerance[r] + (cols + 4) * EPS);
        }
    }

    static void checkProbabilityRows(Layout layout, long seed) {
        int rows = layout.rows();
        int cols = layout.cols();
        float p = layout.p();
        float[] logits = logits(rows, cols, seed);
        float[] x = layout.x(logits);
        float[] out0 = layout.initialOut();
        KernelEquivalence.Outputs o = runBoth(out0,
                (k, out) -> k.probabilityRows(x, layout.xOff(), out, layout.outOff(), rows, cols, p));
        double[] rowTolerance = new double[rows];
        float[] expected = out0.clone();
        for (int r = 0; r < rows; r++) {
            int from = r * cols;
            double lse = logSumExp(logits, from, cols, p);
            for (int k = 0; k < cols; k++) {
                expected[layout.outOff() + from + k] = (float) Math.exp(p * (double) logits[from + k] - lse);
            }
            rowTolerance[r] = (cols + 4) * EPS * Math.max(1, p * maxAbs(logits, from, cols)) + EPS;
        }
        String context = layout.describe("probabilityRows");
        assertClose(() -> context + " scalar against double", expected, o.scalar(), layout::written,
                i -> rowTolerance[layout.row(i)]);
        assertClose(() -> context + " vector against scalar", o.scalar(), o.vector(), layout::written,
                i -> rowTolerance[layout.row(i)]);
        for (float[] result : List.of(o.scalar(), o.vector())) {
            // The kernel divides by its own float sum, so rows sum to one up to that rounding alone.
            assertRowsSumToOne(context, result, layout, false, r -> (cols + 4) * EPS);
        }
    }

    /** Each row's probabilities sum to one: exp(p * out[r, k]) for the log form, out[r, k] itself otherwise. */
    private static void assertRowsSumToOne(String context, float[] out, Layout layout, boolean logForm,
                                           IntToDoubleFunction tolerance) {
        for (int r = 0; r < layout.rows(); r++) {
            double sum = 0;
            for (int k = 0; k < layout.cols(); k++) {
                float v = out[layout.outOff() + r * layout.cols() + k];
                sum += logForm ? Math.exp(layout.p() * (double) v) : v;
            }
            if (!(Math.abs(sum - 1) <= tolerance.applyAsDouble(r))) {
                fail(String.format(Locale.ROOT, "%s: row %d of %d sums to %.9f, expected 1 within %.3g; row = %s",
                        context, r, layout.rows(), sum, tolerance.applyAsDouble(r), Arrays.toString(
                                Arrays.copyOfRange(out, layout.outOff() + r * layout.cols(),
                                        layout.outOff() + (r + 1) * layout.cols()))));
            }
        }
    }
}
