package io.jarnn.core;

import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * A homogeneous Hilbert space: {@link #size()} sites, each holding one of
 * {@link #localSize()} local state VALUES, in NetKet's order, optionally restricted to a
 * sector of fixed total (NetKet's {@code total_sz} or {@code n_particles}).
 *
 * <ul>
 *   <li>{@link #spin(double, int) Spin(s, N)}: values +2s, +2s-2, ..., -2s (s = 1/2 gives
 *       [1, -1]; value 1 is local index 0).</li>
 *   <li>{@link #fock(int, int) Fock(nMax, N)}: values 0, 1, ..., nMax.</li>
 *   <li>{@link #ofLocalValues(int, float...)}: any list of distinct finite values.</li>
 *   <li>{@link #spin(double, int, double) Spin(s, N, total_sz)}: only the configurations whose
 *       m = value/2 sum to {@code totalSz}, i.e. whose values sum to {@code 2 totalSz}.</li>
 *   <li>{@link #fock(int, int, int) Fock(nMax, N, n_particles)}: only the configurations whose
 *       values sum to {@code nParticles}.</li>
 * </ul>
 * In both constrained spaces the local values are evenly spaced in local-index order, so the
 * constraint is one on the sum of local INDICES ({@link #localIndexTotal()}): spin value
 * {@code 2s - 2k}, Fock value {@code k}. Immutable and thread-safe.
 */
public final class HilbertSpace {
    /** Default guard for {@link #allConfigurations()}: 2^20 configurations. */
    public static final long DEFAULT_ENUMERATION_LIMIT = 1L << 20;

    private final String kind;
    private final String description;
    private final int size;
    private final float[] localValues;
    /** Sum of local indices every configuration has, or -1 for an unconstrained space. */
    private final int localIndexTotal;
    /** The constrained total in NetKet's terms (total_sz or n_particles); NaN when unconstrained. */
    private final double total;

    private HilbertSpace(String kind, String description, int size, float[] localValues) {
        this(kind, description, size, localValues, -1, Double.NaN);
    }

    private HilbertSpace(String kind, String description, int size, float[] localValues, int localIndexTotal,
                         double total) {
        this.kind = kind;
        this.description = description;
        this.size = size;
        this.localValues = localValues;
        this.localIndexTotal = localIndexTotal;
        this.total = total;
    }

    /** NetKet's {@code Spin(s, N)}; {@code s} must be a positive multiple of 1/2. */
    public static HilbertSpace spin(double s, int n) {
        double twoS = 2 * s;
        if (!(s > 0) || twoS != Math.rint(twoS) || twoS > 1000) {
            throw new IllegalArgumentException("s: expected a positive multiple of 1/2 (at most 500) but got " + s);
        }
        requireSites(n);
        int ts = (int) twoS;
        float[] values = new float[ts + 1];
        for (int k = 0; k <= ts; k++) {
            values[k] = ts - 2 * k;
        }
        String sText = ts % 2 == 0 ? Integer.toString(ts / 2) : ts + "/2";
        return new HilbertSpace("spin", "Spin(s=" + sText + ", N=" + n + ")", n, values);
    }

    /**
     * NetKet's {@code Spin(s, N, total_sz=totalSz)}: the configurations of {@code spin(s, n)}
     * whose spin projections m = value/2 sum to {@code totalSz}. {@code totalSz} must be one of
     * {@code -N s, -N s + 1, ..., N s}.
     */
    public static HilbertSpace spin(double s, int n, double totalSz) {
        HilbertSpace free = spin(s, n);
        int twoS = free.localSize() - 1;
        // sum of indices k with value 2s - 2k: sum(values) = N 2s - 2 sum(k) = 2 totalSz.
        double indexTotal = n * (twoS / 2.0) - totalSz;
        if (!(indexTotal >= 0 && indexTotal <= (double) n * twoS && indexTotal == Math.rint(indexTotal))) {
            throw new IllegalArgumentException("totalSz: expected one of " + half(-(long) n * twoS) + ", "
                    + half(-(long) n * twoS + 2) + ", ..., " + half((long) n * twoS) + " for " + free
                    + " but got " + totalSz);
        }
        if (indexTotal > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("totalSz: expected N s - totalSz to be at most " + Integer.MAX_VALUE
                    + " for " + free + " but got " + totalSz);
        }
        return new HilbertSpace("spin", "Spin(s=" + half(twoS) + ", total_sz=" + half(Math.round(2 * totalSz))
                + ", N=" + n + ")", n, free.localValues, (int) indexTotal, totalSz);
    }

    /** {@code twice / 2} as NetKet prints spins: 1, 1/2, -3/2. */
    private static String half(long twice) {
        return twice % 2 == 0 ? Long.toString(twice / 2) : twice + "/2";
    }

    /** NetKet's {@code Fock(n_max, N)}: local values 0..nMax. */
    public static HilbertSpace fock(int nMax, int n) {
        if (nMax < 1 || nMax > 100_000) {
            throw new IllegalArgumentException("nMax: expected 1..100000 but got " + nMax);
        }
        requireSites(n);
        float[] values = new float[nMax + 1];
        for (int k = 0; k <= nMax; k++) {
            values[k] = k;
        }
        return new HilbertSpace("fock", "Fock(n_max=" + nMax + ", N=" + n + ")", n, values);
    }

    /**
     * NetKet's {@code Fock(n_max, N, n_particles)}: the configurations of {@code fock(nMax, n)}
     * whose occupations sum to {@code nParticles}, one of {@code 0 .. N nMax}.
     */
    public static HilbertSpace fock(int nMax, int n, int nParticles) {
        HilbertSpace free = fock(nMax, n);
        if (nParticles < 0 || nParticles > (long) n * nMax) {
            throw new IllegalArgumentException("nParticles: expected 0.." + (long) n * nMax + " (N * nMax) for " + free
                    + " but got " + nParticles);
        }
        return new HilbertSpace("fock", "Fock(n_max=" + nMax + ", n_particles=" + nParticles + ", N=" + n + ")", n,
                free.localValues, nParticles, nParticles);
    }

    /** A homogeneous space whose local values are given explicitly, in local-index order. */
    public static HilbertSpace ofLocalValues(int n, float... values) {
        requireSites(n);
        if (values == null || values.length < 2) {
            throw new IllegalArgumentException("values: expected at least 2 local values but got "
                    + (values == null ? "null" : Arrays.toString(values)));
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("values: expected finite local values but got "
                        + Arrays.toString(values));
            }
            for (int j = 0; j < i; j++) {
                if (Float.compare(values[i], values[j]) == 0 || values[i] == values[j]) {
                    throw new IllegalArgumentException("values: expected distinct local values but "
                            + values[i] + " appears twice in " + Arrays.toString(values));
                }
            }
        }
        return new HilbertSpace("values", "Homogeneous(values=" + Arrays.toString(values) + ", N=" + n + ")",
                n, values.clone());
    }

    private static void requireSites(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("N: expected at least 1 site but got " + n);
        }
    }

    /** "spin", "fock" or "values". */
    public String kind() {
        return kind;
    }

    /** Whether only the configurations of one fixed total belong to the space. */
    public boolean isConstrained() {
        return localIndexTotal >= 0;
    }

    /**
     * The fixed total in NetKet's terms, {@code total_sz} for a spin space and
     * {@code n_particles} for a Fock space; empty for an unconstrained space.
     */
    public OptionalDouble constrainedTotal() {
        return isConstrained() ? OptionalDouble.of(total) : OptionalDouble.empty();
    }

    /**
     * The sum of local indices that every configuration of a constrained space has (spin:
     * {@code N s - totalSz}; Fock: {@code nParticles}), or -1 when unconstrained. With {@code r}
     * sites left to choose, the sums they can still add are exactly {@code 0 .. r (localSize-1)}.
     */
    public int localIndexTotal() {
        return localIndexTotal;
    }

    /** Number of sites N. */
    public int size() {
        return size;
    }

    /** Number of local states per site. */
    public int localSize() {
        return localValues.length;
    }

    /** A copy of the local values in local-index order. */
    public float[] localValues() {
        return localValues.clone();
    }

    /** Local value with local index {@code index}. */
    public float localValue(int index) {
        if (index < 0 || index >= localValues.length) {
            throw new IllegalArgumentException("index: expected 0.." + (localValues.length - 1) + " but got " + index);
        }
        return localValues[index];
    }

    /** Local index of {@code value}, or -1 when it is not a local state (NaN never is). */
    public int localIndexOrNegative(float value) {
        // No early exit: the sampler's per-site index sums of a constrained space call this once
        // per row and site on random states, where an early exit mispredicts every other time.
        int index = -1;
        for (int k = localValues.length - 1; k >= 0; k--) {
            index = localValues[k] == value ? k : index;
        }
        return index;
    }

    /**
     * Elements of a configuration array whose check runs as one branch-free pass before any
     * element is looked at alone: 16 KiB of floats, in L1 when the element is then located.
     */
    private static final int SCAN_BLOCK = 4096;

    /**
     * Index (counted from {@code off}) of the first of {@code a[off .. off + n)} that is not a
     * local state, or -1 when all are. Why not a test per element: the check precedes every
     * forward on the calling thread alone, and element by element it cost 1.6 ms per 10^6 spins,
     * 3.7% of the conv1d model's forward (JFR), a limit on its speed-up from a second thread.
     * Blocks are scanned instead for the largest distance from an element to its nearest local
     * value, a max-min reduction that C2 vectorises (6x faster on 10^6 spins): it is 0 exactly
     * when every element is a local value, as a difference of two floats is 0 only when they are
     * equal (underflow is gradual), while NaN and the infinities give NaN or infinity. Only a
     * block that fails is searched element by element.
     */
    public int firstNonLocalValue(float[] a, int off, int n) {
        for (int start = 0; start < n; start += SCAN_BLOCK) {
            int end = Math.min(n, start + SCAN_BLOCK);
            if (!(largestDistance(a, off + start, off + end) == 0d)) {
                for (int i = start; i < end; i++) {
                    if (!(distanceToLocalValues(a[off + i]) == 0d)) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    /** {@link #firstNonLocalValue(float[], int, int)} of float64 elements (a local value exactly, as a double). */
    public int firstNonLocalValue(double[] a, int off, int n) {
        for (int start = 0; start < n; start += SCAN_BLOCK) {
            int end = Math.min(n, start + SCAN_BLOCK);
            if (!(largestDistance(a, off + start, off + end) == 0d)) {
                for (int i = start; i < end; i++) {
                    if (!(distanceToLocalValues(a[off + i]) == 0d)) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    /**
     * Largest {@link #distanceToLocalValues} of {@code a[from .. to)}; NaN if one is NaN. Two
     * local values (spin 1/2, most inputs) are written out in float, which C2 vectorises: a
     * difference of two floats is 0 in float exactly when it is 0 in double (floats are
     * multiples of the smallest subnormal, which a nonzero difference cannot round below).
     */
    private double largestDistance(float[] a, int from, int to) {
        if (localValues.length == 2) {
            float v0 = localValues[0];
            float v1 = localValues[1];
            float largest = 0f;
            for (int i = from; i < to; i++) {
                largest = Math.max(largest, Math.min(Math.abs(a[i] - v0), Math.abs(a[i] - v1)));
            }
            return largest;
        }
        double largest = 0d;
        for (int i = from; i < to; i++) {
            largest = Math.max(largest, distanceToLocalValues(a[i]));
        }
        return largest;
    }

    private double largestDistance(double[] a, int from, int to) {
        double largest = 0d;
        if (localValues.length == 2) {
            double v0 = localValues[0];
            double v1 = localValues[1];
            for (int i = from; i < to; i++) {
                largest = Math.max(largest, Math.min(Math.abs(a[i] - v0), Math.abs(a[i] - v1)));
            }
            return largest;
        }
        for (int i = from; i < to; i++) {
            largest = Math.max(largest, distanceToLocalValues(a[i]));
        }
        return largest;
    }

    /**
     * |value - v| for the nearest local value v: 0 exactly for a local value (a float one
     * widened, or a double equal to one), NaN for NaN.
     */
    private double distanceToLocalValues(double value) {
        double nearest = Double.POSITIVE_INFINITY;
        for (float v : localValues) {
            nearest = Math.min(nearest, Math.abs(value - v));
        }
        return nearest;
    }

    /** Local index of {@code value}; an {@link IllegalArgumentException} if it is not a local state. */
    public int localIndex(float value) {
        int k = localIndexOrNegative(value);
        if (k < 0) {
            throw new IllegalArgumentException("value: expected one of " + Arrays.toString(localValues)
                    + " (" + description + ") but got " + value);
        }
        return k;
    }

    /**
     * Checks that {@code configurations} has shape (batch, N) and holds only local values (not
     * that they lie in a constrained space's sector: a model gives those logPsi -infinity);
     * otherwise an {@link IllegalArgumentException} naming {@code argument}, the position and
     * the value. Returns the batch size.
     */
    public int requireConfigurations(String argument, Tensor configurations) {
        if (configurations == null) {
            throw new IllegalArgumentException(argument + ": expected a (batch, " + size + ") tensor but got null");
        }
        if (configurations.rank() != 2 || configurations.dim(1) != size) {
            throw new IllegalArgumentException(argument + ": expected shape (batch, " + size + ") for "
                    + description + " but got " + Shapes.format(configurations.shape()));
        }
        float[] a = configurations.array();
        int off = configurations.offset();
        int i = firstNonLocalValue(a, off, configurations.size());
        if (i >= 0) {
            throw new IllegalArgumentException(argument + ": element [" + (i / size) + ", " + (i % size)
                    + "] is " + a[off + i] + ", expected one of " + Arrays.toString(localValues)
                    + " (" + description + ")");
        }
        return configurations.dim(0);
    }

    /** Local indices of every element of a (batch, N) tensor of local values, validated. */
    public int[] toLocalIndices(Tensor configurations) {
        requireConfigurations("configurations", configurations);
        int[] out = new int[configurations.size()];
        float[] a = configurations.array();
        int off = configurations.offset();
        for (int i = 0; i < out.length; i++) {
            out[i] = localIndexOrNegative(a[off + i]);
        }
        return out;
    }

    /**
     * {@code batch} configurations, reproducible from {@code seed}: each site uniform over the
     * local values when unconstrained; uniform over the sector when constrained (site by site,
     * each local index weighted by the number of completions of the remaining sites, counted in
     * doubles scaled per row, so "uniform" up to double rounding). The constrained case keeps a
     * table of (N+1) x (localIndexTotal+1) doubles while it draws.
     */
    public Tensor randomConfigurations(int batch, long seed) {
        Shapes.requireAtLeast("batch", batch, 1);
        SplittableRandom random = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(batch, size);
        float[] a = t.array();
        if (!isConstrained()) {
            for (int i = 0; i < a.length; i++) {
                a[i] = localValues[random.nextInt(localValues.length)];
            }
            return t;
        }
        int top = localValues.length - 1;
        int total = localIndexTotal;
        // ways[r][m]: completions of r sites adding m, scaled by a per-row constant (only
        // ratios within a row are used), so that no count overflows a double.
        double[][] ways = new double[size + 1][total + 1];
        ways[0][0] = 1;
        for (int r = 1; r <= size; r++) {
            double max = 0;
            for (int m = 0; m <= total; m++) {
                double w = 0;
                for (int k = 0; k <= top && k <= m; k++) {
                    w += ways[r - 1][m - k];
                }
                ways[r][m] = w;
                max = Math.max(max, w);
            }
            for (int m = 0; m <= total; m++) {
                ways[r][m] /= max;
            }
        }
        for (int b = 0; b < batch; b++) {
            int left = total;
            for (int i = 0; i < size; i++) {
                double[] next = ways[size - i - 1];
                double sum = 0;
                for (int k = 0; k <= top && k <= left; k++) {
                    sum += next[left - k];
                }
                double u = random.nextDouble() * sum;
                int chosen = -1;
                for (int k = 0; k <= top && k <= left; k++) {
                    if (next[left - k] > 0) {
                        chosen = k;
                        u -= next[left - k];
                        if (u < 0) {
                            break;
                        }
                    }
                }
                a[b * size + i] = localValues[chosen];
                left -= chosen;
            }
        }
        return t;
    }

    /**
     * The number of configurations: localSize^N, or for a constrained space the number of
     * sequences of N local indices adding to {@link #localIndexTotal()} (O(N total) to count);
     * {@link Long#MAX_VALUE} when that does not fit in a long.
     */
    public long numberOfStates() {
        if (isConstrained()) {
            return sectorSize();
        }
        long n = 1;
        for (int i = 0; i < size; i++) {
            if (n > Long.MAX_VALUE / localValues.length) {
                return Long.MAX_VALUE;
            }
            n *= localValues.length;
        }
        return n;
    }

    /**
     * Counts sector configurations site by site: count[t] = ways for the first i sites to add t,
     * kept only for the t that the other sites can still complete, so that every stored count
     * (and every prefix sum of them) is at most the final one and an overflow means the answer
     * does not fit in a long.
     */
    private long sectorSize() {
        int top = localValues.length - 1;
        int total = localIndexTotal;
        long[] count = new long[total + 1];
        long[] prefix = new long[total + 1];
        count[0] = 1;
        try {
            for (int i = 1; i <= size; i++) {
                long running = 0;
                for (int t = 0; t <= total; t++) {
                    running = Math.addExact(running, count[t]);
                    prefix[t] = running;
                }
                long low = Math.max(0, total - (long) (size - i) * top);
                for (int t = 0; t <= total; t++) {
                    count[t] = t < low ? 0 : prefix[t] - (t - top - 1 >= 0 ? prefix[t - top - 1] : 0);
                }
            }
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
        return count[total];
    }

    /** Every configuration, under the default guard of {@value #DEFAULT_ENUMERATION_LIMIT}. */
    public Tensor allConfigurations() {
        return allConfigurations(DEFAULT_ENUMERATION_LIMIT);
    }

    /**
     * Every configuration as a ({@link #numberOfStates()}, N) tensor, in NetKet's order: row k
     * of an unconstrained space holds the digits of k in base localSize with site 0 the most
     * significant, mapped to local values; a constrained space lists its configurations in the
     * same relative order, skipping the others.
     *
     * @throws IllegalArgumentException if there are more than {@code limit} configurations
     */
    public Tensor allConfigurations(long limit) {
        long count = numberOfStates();
        // A (count, N) tensor must also fit in one Java array, whatever limit is asked for.
        long cap = Math.min(limit, (Integer.MAX_VALUE - 16L) / size);
        if (count > cap) {
            throw new IllegalArgumentException("hilbert: expected at most " + cap + " configurations to enumerate but "
                    + description + " has " + (count == Long.MAX_VALUE ? "more than 2^63" : Long.toString(count)) + " configurations");
        }
        int rows = (int) count;
        Tensor t = Tensor.zeros(rows, size);
        float[] a = t.array();
        int[] digits = new int[size];
        if (isConstrained()) {
            enumerateSector(rows, digits, a);
            return t;
        }
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < size; i++) {
                a[r * size + i] = localValues[digits[i]];
            }
            for (int i = size - 1; i >= 0; i--) {
                if (++digits[i] < localValues.length) {
                    break;
                }
                digits[i] = 0;
            }
        }
        return t;
    }

    /**
     * The sector in lexicographic order of local indices: start from the smallest completion,
     * then repeatedly raise the last site that can still grow and refill the sites after it
     * with their smallest completion.
     */
    private void enumerateSector(int rows, int[] digits, float[] a) {
        int top = localValues.length - 1;
        int[] before = new int[size + 1]; // before[i]: index sum of sites 0..i-1
        fillSmallest(digits, before, 0, top);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < size; i++) {
                a[r * size + i] = localValues[digits[i]];
            }
            for (int i = size - 1; i >= 0; i--) {
                if (digits[i] < Math.min(top, localIndexTotal - before[i])) {
                    digits[i]++;
                    before[i + 1] = before[i] + digits[i];
                    fillSmallest(digits, before, i + 1, top);
                    break;
                }
            }
        }
    }

    private void fillSmallest(int[] digits, int[] before, int from, int top) {
        for (int i = from; i < size; i++) {
            long rest = (long) (size - i - 1) * top;
            digits[i] = (int) Math.max(0, localIndexTotal - before[i] - rest);
            before[i + 1] = before[i] + digits[i];
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HilbertSpace h && h.size == size && Arrays.equals(h.localValues, localValues)
                && h.localIndexTotal == localIndexTotal;
    }

    @Override
    public int hashCode() {
        return 31 * size + Arrays.hashCode(localValues) + (isConstrained() ? 961 * (localIndexTotal + 1) : 0);
    }

    @Override
    public String toString() {
        return description;
    }
}
