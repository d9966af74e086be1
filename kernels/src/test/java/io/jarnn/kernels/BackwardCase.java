package io.jarnn.kernels;

import java.util.Locale;
import java.util.SplittableRandom;

import static io.jarnn.kernels.KernelEquivalence.EPS;
import static io.jarnn.kernels.KernelEquivalence.assertBitwiseEqual;
import static io.jarnn.kernels.KernelEquivalence.assertClose;
import static io.jarnn.kernels.KernelEquivalence.randomArray;
import static io.jarnn.kernels.KernelEquivalence.runBoth;

/**
 * One call of one {@link BackwardKernels} method on {@code rows} x {@code cols} values, inputs at
 * {@code inOff}, the output at {@code outOff} with {@code slack} guard floats after it (row stride
 * {@code cols + stridePad} for the column sums).
 *
 * <p>Tolerances:
 * <ul>
 *   <li>seluBackward and accumulateColumnSums: vector bitwise equal to scalar (lane-wise the same
 *       operations in the same order); the scalar within a few eps of the definition in double
 *       ({@code 2 eps |dy| (|a| + 2)} for selu', whose float constant scale*alpha is itself
 *       rounded; {@code rows eps sum |x|} for the sums);</li>
 *   <li>the two normalisation backwards: vector bitwise equal to the scalar twin of its lanes
 *       (the same formula with {@code VectorMath.exp}); vector against the scalar reference (whose
 *       exp is {@link Math#exp}, 1 ulp away) and scalar against double within
 *       {@code (cols + 6) eps (sum_j |c_j| + |c_k|)}: every exp is within an ulp, the row sum s of
 *       cols positive terms within cols eps relative, C = sum_j c_j within cols eps sum_j |c_j|
 *       (it may cancel), so e q = e C / s (e <= s) within (cols + 4) eps sum_j |c_j|, plus the
 *       rounding of the difference.</li>
 * </ul>
 */
public record BackwardCase(Kernel which, int rows, int cols, float machinePow, float magnitude,
                           int inOff, int outOff, int stridePad, int slack) implements KernelCase {

    /** The backward kernels. */
    public enum Kernel {
        SELU_BACKWARD("seluBackward"),
        LOG_NORMALIZE_ROWS_BACKWARD("logNormalizeRowsBackward"),
        LOG_NORMALIZE_ROWS_BACKWARD_CHOSEN("logNormalizeRowsBackwardChosen"),
        LOG_NORMALIZE_COLUMNS_BACKWARD_CHOSEN("logNormalizeColumnsBackwardChosen"),
        ACCUMULATE_COLUMN_SUMS("accumulateColumnSums"),
        TRANSPOSE("transpose");

        final String method;

        Kernel(String method) {
            this.method = method;
        }
    }

    static final double SCALE = 1.0507009873554805;
    static final double ALPHA = 1.6732632423543772;

    @Override
    public String kernel() {
        return which.method;
    }

    private static BackwardKernels backward(Kernels k) {
        return k instanceof BackwardKernels b ? b : k.backward();
    }

    @Override
    public void check(Kernels scalar, Kernels vector, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = rows * cols;
        String context = this + ", seed=" + seed;
        switch (which) {
            case SELU_BACKWARD -> {
                // Activations: selu outputs, so negative ones lie in (-scale*alpha, 0]; exact 0s too.
                float[] a = randomArray(random, inOff + n, magnitude);
                for (int i = inOff; i < inOff + n; i++) {
                    if (a[i] < 0) {
                        a[i] = (float) (SCALE * ALPHA * Math.expm1(a[i]));
                    }
                    if (i % 7 == 0) {
                        a[i] = 0f;
                    }
                }
                float[] dy = randomArray(random, inOff + n, 2f);
                float[] out0 = randomArray(random, outOff + n + slack, 1f);
                KernelEquivalence.Outputs o = runBoth(scalar, vector, out0,
                        (k, dz) -> backward(k).seluBackward(a, inOff, dy, inOff, dz, outOff, n));
                float[] definition = out0.clone();
                for (int i = 0; i < n; i++) {
                    double av = a[inOff + i];
                    definition[outOff + i] = (float) (dy[inOff + i] * (av > 0 ? SCALE : av + SCALE * ALPHA));
                }
                assertClose(() -> context + ", scalar against selu' in double", definition, o.scalar(),
                        i -> i >= outOff && i < outOff + n,
                        i -> 2 * EPS * Math.abs(dy[inOff + i - outOff]) * (Math.abs(a[inOff + i - outOff]) + 2));
                assertBitwiseEqual(() -> context + ", vector against scalar", o.scalar(), o.vector());
                // In place (dz = dy), as the backward pass calls it.
                float[] inPlace = dy.clone();
                backward(vector).seluBackward(a, inOff, inPlace, inOff, inPlace, inOff, n);
                for (int i = 0; i < n; i++) {
                    if (Float.floatToRawIntBits(inPlace[inOff + i]) != Float.floatToRawIntBits(o.scalar()[outOff + i])) {
                        throw new AssertionError(context + ", in place: element " + i + " expected "
                                + o.scalar()[outOff + i] + " but got " + inPlace[inOff + i]);
                    }
                }
            }
            case LOG_NORMALIZE_ROWS_BACKWARD, LOG_NORMALIZE_ROWS_BACKWARD_CHOSEN -> checkNormalisation(scalar, vector,
                    random, context);
            case LOG_NORMALIZE_COLUMNS_BACKWARD_CHOSEN -> checkColumns(scalar, vector, random, context);
            case TRANSPOSE -> {
                // rows x cols from inOff, rows cols + stridePad apart, to cols x rows from outOff,
                // rows rows + stridePad + 1 apart: every element copied, nothing else touched.
                int srcStride = cols + stridePad;
                int dstStride = rows + stridePad + 1;
                float[] src = randomArray(random, inOff + rows * srcStride, magnitude);
                float[] out0 = randomArray(random, outOff + cols * dstStride + slack, 1f);
                KernelEquivalence.Outputs o = runBoth(scalar, vector, out0,
                        (k, dst) -> backward(k).transpose(src, inOff, srcStride, rows, cols, dst, outOff, dstStride));
                float[] definition = out0.clone();
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        definition[outOff + c * dstStride + r] = src[inOff + r * srcStride + c];
                    }
                }
                assertBitwiseEqual(() -> context + ", scalar against the definition", definition, o.scalar());
                assertBitwiseEqual(() -> context + ", vector against scalar", o.scalar(), o.vector());
            }
            case ACCUMULATE_COLUMN_SUMS -> {
                int stride = cols + stridePad;
                float[] x = randomArray(random, inOff + (rows - 1) * stride + cols, magnitude);
                float[] out0 = randomArray(random, outOff + cols + slack, 1f);
                KernelEquivalence.Outputs o = runBoth(scalar, vector, out0,
                        (k, out) -> backward(k).accumulateColumnSums(x, inOff, stride, rows, cols, out, outOff));
                float[] definition = out0.clone();
                double[] bound = new double[out0.length];
                for (int c = 0; c < cols; c++) {
                    double sum = out0[outOff + c];
                    double abs = Math.abs(sum);
                    for (int r = 0; r < rows; r++) {
                        sum += x[inOff + r * stride + c];
                        abs += Math.abs(x[inOff + r * stride + c]);
                    }
                    definition[outOff + c] = (float) sum;
                    bound[outOff + c] = (rows + 1) * EPS * abs;
                }
                assertClose(() -> context + ", scalar against the sum in double", definition, o.scalar(),
                        i -> i >= outOff && i < outOff + cols, i -> bound[i]);
                assertBitwiseEqual(() -> context + ", vector against scalar", o.scalar(), o.vector());
            }
        }
    }

    private void checkNormalisation(Kernels scalar, Kernels vector, SplittableRandom random, String context) {
        int n = rows * cols;
        boolean chosen = which == Kernel.LOG_NORMALIZE_ROWS_BACKWARD_CHOSEN;
        float[] x = randomArray(random, inOff + n, magnitude);
        float[] c = randomArray(random, inOff + n, 1f);
        int perWeight = 1 + rows / 3;
        float[] weights = randomArray(random, inOff + rows / perWeight + 1, 2f);
        int[] picks = new int[inOff + rows];
        for (int r = 0; r < rows; r++) {
            picks[inOff + r] = random.nextInt(cols);
        }
        float[] out0 = randomArray(random, outOff + n + slack, 1f);
        KernelEquivalence.Outputs o = runBoth(scalar, vector, out0, (k, dx) -> {
            if (chosen) {
                backward(k).logNormalizeRowsBackwardChosen(x, inOff, picks, inOff, weights, inOff, perWeight,
                        dx, outOff, rows, cols, machinePow);
            } else {
                backward(k).logNormalizeRowsBackward(x, inOff, c, inOff, dx, outOff, rows, cols, machinePow);
            }
        });
        float[] definition = out0.clone();
        float[] twin = out0.clone();
        double[] bound = new double[out0.length];
        for (int r = 0; r < rows; r++) {
            int xr = inOff + r * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < cols; k++) {
                max = Math.max(max, x[xr + k]);
            }
            double s = 0;
            float sTwin = 0;
            double sumC = 0;
            double sumAbsC = 0;
            float sumCTwin = 0;
            double w = weights[inOff + r / perWeight];
            for (int k = 0; k < cols; k++) {
                s += Math.exp(machinePow * (x[xr + k] - max));
                sTwin += VectorMath.exp(machinePow * (x[xr + k] - (float) max));
                double ck = chosen ? (k == picks[inOff + r] ? w : 0) : c[xr + k];
                sumC += ck;
                sumAbsC += Math.abs(ck);
                sumCTwin += (float) ck;
            }
            float qTwin = sumCTwin / sTwin;
            for (int k = 0; k < cols; k++) {
                double ck = chosen ? (k == picks[inOff + r] ? w : 0) : c[xr + k];
                double e = Math.exp(machinePow * (x[xr + k] - max));
                int oi = outOff + r * cols + k;
                definition[oi] = (float) (ck - e / s * sumC);
                float eTwin = VectorMath.exp(machinePow * (x[xr + k] - (float) max));
                twin[oi] = (float) ck - eTwin * qTwin;
                bound[oi] = (cols + 6) * EPS * (sumAbsC + Math.abs(ck));
            }
        }
        assertClose(() -> context + ", scalar against the definition in double", definition, o.scalar(),
                i -> i >= outOff && i < outOff + n, i -> bound[i]);
        assertClose(() -> context + ", vector against scalar", o.scalar(), o.vector(),
                i -> i >= outOff && i < outOff + n, i -> bound[i]);
        assertBitwiseEqual(() -> context + ", vector against the scalar twin of its lanes", twin, o.vector());
    }

    /**
     * The column kernel on the transposed block (cols local states by rows distributions, rows
     * {@code rows + stridePad} apart, weights one per column or, for odd {@code inOff}, one for
     * all): bitwise the row kernel of the same implementation (written out here, with the exp
     * of that implementation), whose own tolerances {@link #checkNormalisation} holds; nothing
     * outside the written block changes.
     */
    private void checkColumns(Kernels scalar, Kernels vector, SplittableRandom random, String context) {
        int states = cols;
        int columns = rows;
        int xStride = columns + stridePad;
        int dxStride = columns + stridePad + 1;
        float[] rowX = randomArray(random, rows * cols, magnitude);
        float[] x = randomArray(random, inOff + states * xStride, 1f);
        float[] picks = new float[inOff + columns];
        int[] rowPicks = new int[columns];
        for (int j = 0; j < columns; j++) {
            rowPicks[j] = random.nextInt(states);
            picks[inOff + j] = rowPicks[j];
            for (int k = 0; k < states; k++) {
                x[inOff + k * xStride + j] = rowX[j * states + k];
            }
        }
        boolean shared = inOff % 2 == 1;
        float[] weights = randomArray(random, inOff + columns, 2f);
        for (Kernels k : new Kernels[] {scalar, vector}) {
            float[] dx = randomArray(random, outOff + states * dxStride + slack, 1f);
            float[] before = dx.clone();
            backward(k).logNormalizeColumnsBackwardChosen(x, inOff, xStride, picks, inOff, weights, inOff,
                    shared ? 0 : 1, dx, outOff, dxStride, states, columns, machinePow);
            // The row kernel of this implementation, written out (the scalar's exp is Math.exp,
            // the vector's VectorMath.exp): a case calls only the kernel it names.
            boolean lanes = k == vector;
            float[] rowDx = new float[rows * cols];
            for (int r = 0; r < rows; r++) {
                float xMax = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < cols; c++) {
                    xMax = Math.max(xMax, rowX[r * cols + c]);
                }
                float[] e = new float[cols];
                float sum = 0;
                for (int c = 0; c < cols; c++) {
                    float z = machinePow * (rowX[r * cols + c] - xMax);
                    e[c] = lanes ? VectorMath.exp(z) : (float) Math.exp(z); //f64: e[c] = lanes ? VectorMath64.exp(z) : Math.exp(z);
                    sum += e[c];
                }
                float w = weights[inOff + (shared ? 0 : r)];
                float q = w / sum;
                for (int c = 0; c < cols; c++) {
                    rowDx[r * cols + c] = (c == rowPicks[r] ? w : 0f) - e[c] * q;
                }
            }
            for (int i = 0; i < dx.length; i++) {
                int rel = i - outOff;
                boolean written = rel >= 0 && rel / dxStride < states && rel % dxStride < columns;
                float expected = written ? rowDx[(rel % dxStride) * states + rel / dxStride] : before[i];
                if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(dx[i])) {
                    throw new AssertionError(context + ", " + k.name() + ": element " + i + " expected " + expected
                            + (written ? " (the row kernel's)" : " (untouched)") + " but got " + dx[i]);
                }
            }
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s(rows=%d, cols=%d, p=%s, values in +-%s, inOff=%d, outOff=%d, "
                + "stridePad=%d, slack=%d)", which.method, rows, cols, machinePow, magnitude, inOff, outOff, stridePad, slack);
    }
}
