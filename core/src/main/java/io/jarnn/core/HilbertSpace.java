package io.jarnn.core;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A homogeneous, unconstrained Hilbert space: {@link #size()} sites, each holding one of
 * {@link #localSize()} local state VALUES, in NetKet's order.
 *
 * <ul>
 *   <li>{@link #spin(double, int) Spin(s, N)}: values +2s, +2s-2, ..., -2s (s = 1/2 gives
 *       [1, -1]; value 1 is local index 0).</li>
 *   <li>{@link #fock(int, int) Fock(nMax, N)}: values 0, 1, ..., nMax.</li>
 *   <li>{@link #ofLocalValues(int, float...)}: any list of distinct finite values.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class HilbertSpace {
    /** Default guard for {@link #allConfigurations()}: 2^20 configurations. */
    public static final long DEFAULT_ENUMERATION_LIMIT = 1L << 20;

    private final String kind;
    private final String description;
    private final int size;
    private final float[] localValues;

    private HilbertSpace(String kind, String description, int size, float[] localValues) {
        this.kind = kind;
        this.description = description;
        this.size = size;
        this.localValues = localValues;
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
        for (int k = 0; k < localValues.length; k++) {
            if (localValues[k] == value) {
                return k;
            }
        }
        return -1;
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
     * Checks that {@code configurations} has shape (batch, N) and holds only local values;
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
        int n = configurations.size();
        for (int i = 0; i < n; i++) {
            if (localIndexOrNegative(a[off + i]) < 0) {
                throw new IllegalArgumentException(argument + ": element [" + (i / size) + ", " + (i % size)
                        + "] is " + a[off + i] + ", expected one of " + Arrays.toString(localValues)
                        + " (" + description + ")");
            }
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

    /** {@code batch} configurations drawn uniformly from the local values, reproducible from {@code seed}. */
    public Tensor randomConfigurations(int batch, long seed) {
        Shapes.requireAtLeast("batch", batch, 1);
        SplittableRandom random = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(batch, size);
        float[] a = t.array();
        for (int i = 0; i < a.length; i++) {
            a[i] = localValues[random.nextInt(localValues.length)];
        }
        return t;
    }

    /** localSize^N, or {@link Long#MAX_VALUE} when that does not fit in a long. */
    public long numberOfStates() {
        long n = 1;
        for (int i = 0; i < size; i++) {
            if (n > Long.MAX_VALUE / localValues.length) {
                return Long.MAX_VALUE;
            }
            n *= localValues.length;
        }
        return n;
    }

    /** Every configuration, under the default guard of {@value #DEFAULT_ENUMERATION_LIMIT}. */
    public Tensor allConfigurations() {
        return allConfigurations(DEFAULT_ENUMERATION_LIMIT);
    }

    /**
     * Every configuration as a (localSize^N, N) tensor, in NetKet's order: row k holds the
     * digits of k in base localSize with site 0 the most significant, mapped to local values.
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

    @Override
    public boolean equals(Object o) {
        return o instanceof HilbertSpace h && h.size == size && Arrays.equals(h.localValues, localValues);
    }

    @Override
    public int hashCode() {
        return 31 * size + Arrays.hashCode(localValues);
    }

    @Override
    public String toString() {
        return description;
    }
}
