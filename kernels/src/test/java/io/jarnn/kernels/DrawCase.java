package io.jarnn.kernels;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * One {@link Kernels#drawColumns} call: {@code cols} distributions of {@code rows} local states,
 * stored as the columns of a (rows, cols) block at {@code pOff}, with their uniforms at
 * {@code uOff} and the choices written at {@code choicesOff}, {@code slack} guard entries after
 * every array.
 *
 * <p>No tolerance: the choice is an integer, and both implementations perform the same double
 * operations in the same order, so vector and scalar must agree exactly. The scalar reference
 * is held to the draw written plainly, with a branch ({@code cumulative < threshold ||
 * cumulative == 0}), which its branch-free sign test must reproduce.
 *
 * <p>The inputs are made to land on the rule's edges: besides random probabilities (unnormalised,
 * as the sampler's never are exactly), every few columns are special: states of probability 0
 * (leading, inner, trailing), a uniform of exactly 0 or just below 1, a uniform placed exactly
 * on a cumulative sum, a column of zeros, a NaN or an infinity (choice -1), tiny and huge
 * probabilities.
 */
public record DrawCase(int rows, int cols, int pOff, int uOff, int choicesOff, int slack) implements KernelCase {

    @Override
    public String kernel() {
        return "drawColumns";
    }

    /** The draw as NetKet states it, with a branch: the definition the kernels are held to. */
    static int definition(float[] p, int off, int stride, int rows, double u) {
        double total = 0;
        for (int k = 0; k < rows; k++) {
            total += p[off + k * stride];
        }
        if (Double.isNaN(total) || total <= 0 || total == Double.POSITIVE_INFINITY) {
            return -1;
        }
        double threshold = u * total;
        double cumulative = 0;
        int count = 0;
        for (int k = 0; k < rows; k++) {
            cumulative += p[off + k * stride];
            if (cumulative < threshold || cumulative == 0) {
                count++;
            }
        }
        return Math.min(count, rows - 1);
    }

    @Override
    public void check(Kernels scalar, Kernels vector, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] p = new float[pOff + rows * cols + slack];
        Arrays.fill(p, Float.NaN); // entries outside the block would make a column that read them -1
        double[] u = new double[uOff + cols + slack];
        Arrays.fill(u, Double.NaN);
        for (int j = 0; j < cols; j++) {
            fillColumn(random, p, pOff + j, cols, u, uOff + j, j);
        }
        double[] initial = new double[choicesOff + cols + slack];
        for (int i = 0; i < initial.length; i++) {
            initial[i] = 100 + i;
        }
        float[] pCopy = p.clone();
        double[] uCopy = u.clone();
        double[] byScalar = initial.clone();
        scalar.drawColumns(p, pOff, rows, cols, u, uOff, byScalar, choicesOff);
        double[] byVector = initial.clone();
        vector.drawColumns(p, pOff, rows, cols, u, uOff, byVector, choicesOff);
        String context = this + ", seed=" + seed;
        for (int i = 0; i < initial.length; i++) {
            int j = i - choicesOff;
            double expected = j >= 0 && j < cols ? definition(p, pOff + j, cols, rows, u[uOff + j]) : initial[i];
            if (Double.compare(expected, byScalar[i]) != 0) {
                fail(String.format(Locale.ROOT, "%s: scalar choice at index %d (column %d): expected %s but got %s",
                        context, i, j, expected, byScalar[i]));
            }
            if (Double.compare(byScalar[i], byVector[i]) != 0) {
                fail(String.format(Locale.ROOT, "%s (%s): vector choice at index %d (column %d): expected %s but got %s",
                        context, VectorKernels.INSTANCE.name(), i, j, byScalar[i], byVector[i]));
            }
        }
        if (!Arrays.equals(pCopy, p) || !Arrays.equals(uCopy, u)) {
            fail(context + ": p and u must not be modified");
        }
    }

    /** Column j's probabilities (rows of stride apart from off) and uniform: random, or one of the edges. */
    private void fillColumn(SplittableRandom random, float[] p, int off, int stride, double[] u, int uAt, int j) {
        for (int k = 0; k < rows; k++) {
            p[off + k * stride] = (float) random.nextDouble();
        }
        u[uAt] = random.nextDouble();
        int special = j % 11;
        int zeroAt = random.nextInt(rows);
        switch (special) {
            case 1 -> u[uAt] = 0; // the first state of positive probability
            case 2 -> u[uAt] = Math.nextDown(1.0); // never past the last state
            case 3 -> { // leading zeros, drawn with u = 0: a zero-probability state must not be chosen
                for (int k = 0; k < rows - 1; k++) {
                    p[off + k * stride] = k % 2 == 0 ? 0f : -0f;
                }
                u[uAt] = 0;
            }
            case 4 -> p[off + zeroAt * stride] = 0f;
            case 5 -> { // u exactly on the first cumulative sum: threshold == cumulative
                double total = 0;
                for (int k = 0; k < rows; k++) {
                    total += p[off + k * stride];
                }
                u[uAt] = p[off] / total;
            }
            case 6 -> { // nothing to draw from
                for (int k = 0; k < rows; k++) {
                    p[off + k * stride] = k % 2 == 0 ? 0f : -0f;
                }
            }
            case 7 -> p[off + zeroAt * stride] = Float.NaN;
            case 8 -> p[off + zeroAt * stride] = Float.POSITIVE_INFINITY;
            case 9 -> p[off + zeroAt * stride] = Float.MIN_VALUE;
            case 10 -> p[off + zeroAt * stride] = Float.MAX_VALUE;
            default -> {
            }
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "drawColumns(rows=%d, cols=%d, pOff=%d, uOff=%d, choicesOff=%d, slack=%d)",
                rows, cols, pOff, uOff, choicesOff, slack);
    }
}
