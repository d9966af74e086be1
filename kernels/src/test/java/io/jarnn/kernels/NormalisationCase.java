package io.jarnn.kernels;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import static io.jarnn.kernels.KernelEquivalence.EPS;
import static io.jarnn.kernels.KernelEquivalence.assertClose;
import static io.jarnn.kernels.KernelEquivalence.randomArray;
import static io.jarnn.kernels.KernelEquivalence.runBoth;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One call of a normalisation kernel: {@link Kernels#logNormalizeRows},
 * {@link Kernels#probabilityColumns}, {@link Kernels#logNormalizeColumns} (rows {@code cols}
 * apart) on a (rows, cols) block
 * of logits at {@code xOff}, written at {@code outOff} with {@code slack} guard floats after it.
 * A distribution is a row ({@code k = cols} entries), or a column for the column kernels
 * ({@code k = rows}).
 *
 * <p>Tolerances of vector against scalar. Both compute the same float operations except the
 * exp (scalar: {@link Math#exp}; vector: VectorMath's, within 1 ulp of it over the whole range,
 * flushing results below {@link Float#MIN_NORMAL} to 0) and the log (scalar: {@link Math#log};
 * vector: within 2 ulps of it), and the vector multiplies by 1/p where the scalar divides by p.
 * The sum S of a distribution's k exps (the largest is exactly 1) is the one reduction: its
 * terms differ by an ulp each and each implementation rounds k - 1 additions, so the two sums
 * differ by at most {@code k eps S}. Hence:
 * <ul>
 *   <li>probabilities {@code e / S}: relative {@code (k + 4) eps} (the exp's ulp, the sums, 1/S
 *       and the product), plus {@code MIN_NORMAL} absolute for flushed exps;</li>
 *   <li>log form {@code (x - max) - log(S)/p}: {@code (k + 1) eps / p} from the sums,
 *       {@code 4 eps log(k) / p} from the two logs and the division, and {@code 2 eps |out|}
 *       for the final subtraction.</li>
 * </ul>
 * Against the definition in double, the scalar reference also carries the rounding of the
 * exponent {@code p (x - max)} (up to |p x| near 300 for logits of +-80): its relative error
 * multiplies by that magnitude, the tolerance grows with it.
 *
 * @param magnitude logits are uniform in +-magnitude, and every few distributions are extreme
 *                  (+-80 mixed, all +80, all -80 but one +80)
 */
public record NormalisationCase(Kernel kind, int rows, int cols, float machinePow, float magnitude, int xOff,
                                int outOff, int slack) implements KernelCase {

    /** The two normalisation kernels, by their {@link Kernels} method names. */
    public enum Kernel {
        LOG_NORMALIZE_ROWS("logNormalizeRows"), PROBABILITY_COLUMNS("probabilityColumns"),
        LOG_NORMALIZE_COLUMNS("logNormalizeColumns");

        private final String method;

        Kernel(String method) {
            this.method = method;
        }

        /** Whether a distribution is a column of the block (else a row). */
        public boolean byColumn() {
            return this != LOG_NORMALIZE_ROWS;
        }

        /** Whether the result is the log form {@code x - logsumexp} (else probabilities). */
        public boolean logForm() {
            return this != PROBABILITY_COLUMNS;
        }
    }

    @Override
    public String kernel() {
        return kind.method;
    }

    /** Entries of one distribution: a row, or a column for probabilityColumns. */
    public int size() {
        return kind.byColumn() ? rows : cols;
    }

    /** Number of distributions. */
    public int count() {
        return kind.byColumn() ? cols : rows;
    }

    /** Flat index, relative to the block, of entry e of distribution d. */
    public int index(int d, int e) {
        return kind.byColumn() ? e * cols + d : d * cols + e;
    }

    /**
     * The logits, distribution d's entries at {@code index(d, e)}, as a block of its own
     * (offset 0): uniform in +-magnitude, and every few distributions an extreme one.
     */
    public float[] logits(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = randomArray(random, rows * cols, magnitude);
        int size = size();
        for (int d = 0; d < count(); d++) {
            for (int e = 0; e < size; e++) {
                int i = index(d, e);
                x[i] = switch (d % 6) {
                    case 3 -> random.nextBoolean() ? 80f : -80f;
                    case 4 -> 80f;
                    case 5 -> e == size / 2 ? 80f : -80f;
                    default -> x[i];
                };
            }
        }
        return x;
    }

    /** The kernel's x argument: the logits at xOff, NaN before them (a read there shows up as NaN). */
    public float[] x(long seed) {
        float[] x = new float[xOff + rows * cols];
        Arrays.fill(x, Float.NaN);
        System.arraycopy(logits(seed), 0, x, xOff, rows * cols);
        return x;
    }

    public void call(Kernels kernels, float[] x, float[] out) {
        switch (kind) {
            case LOG_NORMALIZE_ROWS -> kernels.logNormalizeRows(x, xOff, out, outOff, rows, cols, machinePow);
            case PROBABILITY_COLUMNS -> kernels.probabilityColumns(x, xOff, out, outOff, rows, cols, machinePow);
            case LOG_NORMALIZE_COLUMNS -> kernels.logNormalizeColumns(x, xOff, cols, out, outOff, cols, rows, cols,
                    machinePow);
        }
    }

    @Override
    public void check(Kernels scalar, Kernels vector, long seed) {
        float[] logits = logits(seed);
        float[] x = x(seed);
        float[] out0 = randomArray(new SplittableRandom(~seed), outOff + rows * cols + slack, 1f);
        KernelEquivalence.Outputs o = runBoth(scalar, vector, out0, (k, out) -> call(k, x, out));
        int k = size();
        boolean logForm = kind.logForm();
        double p = machinePow;
        float[] definition = out0.clone();
        double[] definitionTolerance = new double[count()];
        for (int d = 0; d < count(); d++) {
            double max = Double.NEGATIVE_INFINITY;
            double maxAbs = 0;
            for (int e = 0; e < k; e++) {
                max = Math.max(max, logits[index(d, e)]);
                maxAbs = Math.max(maxAbs, Math.abs(logits[index(d, e)]));
            }
            double sum = 0;
            for (int e = 0; e < k; e++) {
                sum += Math.exp(p * (logits[index(d, e)] - max));
            }
            double logSum = Math.log(sum);
            for (int e = 0; e < k; e++) {
                double shifted = logits[index(d, e)] - max;
                definition[outOff + index(d, e)] = (float) (logForm ? shifted - logSum / p : Math.exp(p * shifted - logSum));
            }
            definitionTolerance[d] = logForm
                    ? (k + 4) * EPS * Math.max(1, maxAbs) * Math.max(1, 1 / p) + EPS
                    : (k + 4) * EPS * Math.max(1, p * maxAbs) + EPS;
        }
        String context = toString() + ", seed=" + seed;
        java.util.function.IntPredicate written = i -> i >= outOff && i < outOff + rows * cols;
        java.util.function.IntUnaryOperator distribution = i -> kind.byColumn()
                ? (i - outOff) % cols : (i - outOff) / cols;
        assertClose(() -> context + ", scalar against the definition in double", definition, o.scalar(), written,
                i -> definitionTolerance[distribution.applyAsInt(i)]);
        double logK = Math.log(k);
        assertClose(() -> context + ", vector against scalar", o.scalar(), o.vector(), written, logForm
                ? i -> (k + 1) * EPS / p + 4 * EPS * logK / p + 2 * EPS * Math.abs(o.scalar()[i])
                : i -> (k + 4) * EPS * Math.abs(o.scalar()[i]) + Float.MIN_NORMAL);
        for (float[] result : new float[][]{o.scalar(), o.vector()}) {
            String which = result == o.scalar() ? "scalar" : "vector";
            for (int d = 0; d < count(); d++) {
                double sum = 0;
                for (int e = 0; e < k; e++) {
                    float v = result[outOff + index(d, e)];
                    sum += logForm ? Math.exp(p * v) : v;
                }
                // Probabilities are divided by their own float sum: one rounding per term. The log
                // form carries the error of its log-sum-exp, scaled back by p.
                double tolerance = logForm ? p * definitionTolerance[d] + (k + 4) * EPS : (k + 4) * EPS;
                if (!(Math.abs(sum - 1) <= tolerance)) {
                    float[] entries = new float[k];
                    for (int e = 0; e < k; e++) {
                        entries[e] = result[outOff + index(d, e)];
                    }
                    fail(String.format(Locale.ROOT, "%s: %s distribution %d of %d sums to %.9f, expected 1 within "
                            + "%.3g; entries %s", context, which, d, count(), sum, tolerance, Arrays.toString(entries)));
                }
            }
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s(rows=%d, cols=%d, machinePow=%s, logits in +-%s, xOff=%d, outOff=%d, "
                + "slack=%d)", kernel(), rows, cols, machinePow, magnitude, xOff, outOff, slack);
    }
}
