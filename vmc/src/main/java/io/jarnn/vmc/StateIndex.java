package io.jarnn.vmc;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;

/**
 * The configurations of a {@link HilbertSpace} numbered 0 .. dim-1 in NetKet's order (the order
 * of {@link HilbertSpace#allConfigurations()}: lexicographic in the local indices, site 0 most
 * significant; a constrained space numbers its sector only), with the inverse map from a
 * configuration to its number. Holds every configuration as local indices, one byte per site:
 * {@code dim * N} bytes (92 MB for 2^22 states of 22 sites). Immutable.
 */
public final class StateIndex {
    private final HilbertSpace hilbert;
    private final int dim;
    private final int n;
    private final int ls;
    private final byte[] digits;
    private final float[] values;
    /** Unconstrained: place[i] = ls^(N-1-i). */
    private final long[] place;
    /** Constrained: ways[r][m] = number of ways r sites add local indices to m. */
    private final long[][] ways;

    /** Enumerates {@code hilbert}; refused above {@code limit} states or 2^31 - 1. */
    public StateIndex(HilbertSpace hilbert, long limit) {
        OperatorChecks.requireNonNull("hilbert", hilbert, "a Hilbert space");
        this.hilbert = hilbert;
        this.n = hilbert.size();
        this.ls = hilbert.localSize();
        if (ls > 127) {
            throw new IllegalArgumentException("hilbert: expected at most 127 local states to enumerate but got " + hilbert);
        }
        long states = hilbert.numberOfStates();
        long cap = Math.min(limit, Integer.MAX_VALUE - 8L);
        if (states > cap || (long) n * states > Integer.MAX_VALUE - 8L) {
            throw new IllegalArgumentException("hilbert: expected at most " + cap + " states (and N * states < 2^31) to "
                    + "enumerate but " + hilbert + " has " + (states == Long.MAX_VALUE ? "more than 2^63" : states));
        }
        this.dim = (int) states;
        this.values = hilbert.localValues();
        this.digits = new byte[dim * n];
        if (hilbert.isConstrained()) {
            int total = hilbert.localIndexTotal();
            ways = new long[n + 1][total + 1];
            ways[0][0] = 1;
            for (int r = 1; r <= n; r++) {
                for (int m = 0; m <= total; m++) {
                    long w = 0;
                    for (int k = 0; k < ls && k <= m; k++) {
                        w = Math.min(Long.MAX_VALUE / 2, w + ways[r - 1][m - k]);
                    }
                    ways[r][m] = w;
                }
            }
            place = null;
            Tensor all = hilbert.allConfigurations(dim);
            float[] a = all.array();
            for (int e = 0; e < digits.length; e++) {
                digits[e] = (byte) hilbert.localIndexOrNegative(a[e]);
            }
        } else {
            ways = null;
            place = new long[n];
            long p = 1;
            for (int i = n - 1; i >= 0; i--) {
                place[i] = p;
                p *= ls;
            }
            for (int s = 0; s < dim; s++) {
                long rest = s;
                for (int i = n - 1; i >= 0; i--) {
                    digits[s * n + i] = (byte) (rest % ls);
                    rest /= ls;
                }
            }
        }
    }

    public HilbertSpace hilbert() {
        return hilbert;
    }

    /** Number of states. */
    public int dim() {
        return dim;
    }

    /** Writes the local values of state {@code s} to {@code out[off .. off + N)}. */
    public void configuration(int s, double[] out, int off) {
        int base = s * n;
        for (int i = 0; i < n; i++) {
            out[off + i] = values[digits[base + i]];
        }
    }

    /**
     * The number of the configuration {@code conf[off .. off + N)}, or -1 when it is not one of
     * the space's (a value that is no local state, or outside a constrained sector).
     */
    public int indexOf(double[] conf, int off) {
        if (ways == null) {
            long idx = 0;
            for (int i = 0; i < n; i++) {
                int k = localIndex(conf[off + i]);
                if (k < 0) {
                    return -1;
                }
                idx += k * place[i];
            }
            return (int) idx;
        }
        int left = hilbert.localIndexTotal();
        long rank = 0;
        for (int i = 0; i < n; i++) {
            int k = localIndex(conf[off + i]);
            if (k < 0 || k > left) {
                return -1;
            }
            long[] rest = ways[n - i - 1];
            for (int smaller = 0; smaller < k; smaller++) {
                rank += rest[left - smaller];
            }
            left -= k;
        }
        return left == 0 ? (int) rank : -1;
    }

    private int localIndex(double v) {
        for (int k = 0; k < ls; k++) {
            if (values[k] == v) {
                return k;
            }
        }
        return -1;
    }
}
