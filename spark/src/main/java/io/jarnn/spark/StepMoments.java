package io.jarnn.spark;

import io.jarnn.vmc.StochasticReconfiguration;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * One partition's share of a VMC step's sums, kept as means and centred co-moments so that two
 * shares merge without cancellation (the pairwise update of Chan, Golub and LeVeque):
 * <pre>
 *   n,  Ebar = mean E_loc,  m2 = sum (E_loc - Ebar)^2,
 *   Obar = mean O (P),  c = sum (O - Obar)(E_loc - Ebar) (P),  s = sum (O - Obar)(O - Obar)^T (P x P, with SR)
 * </pre>
 * O being the rows of the logPsi Jacobian. The whole step's energy is Ebar, its variance
 * m2 / (n - 1), the gradient F = 2 c / n and the SR matrix S = s / n: exactly the quantities
 * the local driver forms from the centred Jacobian ({@link StochasticReconfiguration}), summed
 * in another order. {@link #reduce} merges the partitions' shares in a fixed binary tree over the
 * partition index, so the result depends on the partition count but not on which task finished
 * first.
 *
 * <p>s is symmetric: a share holds and sends its upper triangle only, row by row
 * ({@code P (P + 1) / 2} values, half the message and half the merge of the full matrix), and
 * {@link #fullS} mirrors it once, on the driver.
 */
final class StepMoments implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    final long n;
    final double meanEnergy;
    final double m2;
    final double[] meanO;
    final double[] c;
    /** The upper triangle of s, row by row (i &lt;= j); null without SR. */
    final double[] s;
    /** First row (global index) whose local energy is not finite, or -1; its value. */
    final long nonFiniteRow;
    final double nonFiniteValue;

    StepMoments(long n, double meanEnergy, double m2, double[] meanO, double[] c, double[] s, long nonFiniteRow,
                double nonFiniteValue) {
        this.n = n;
        this.meanEnergy = meanEnergy;
        this.m2 = m2;
        this.meanO = meanO;
        this.c = c;
        this.s = s;
        this.nonFiniteRow = nonFiniteRow;
        this.nonFiniteValue = nonFiniteValue;
    }

    /**
     * The share of {@code rows} samples (global rows from {@code firstRow}) with local energies
     * {@code energies} and Jacobian {@code o} ((rows, P) row-major; centred in place); with s
     * when {@code gramScratch} ({@link StochasticReconfiguration#gramScratchLength}{@code (rows, p)}
     * doubles, overwritten) is given, without when it is null.
     */
    static StepMoments of(long firstRow, int rows, int p, double[] energies, double[] o, double[] gramScratch) {
        long bad = -1;
        double badValue = 0;
        double mean = 0;
        for (int b = 0; b < rows; b++) {
            if (!Double.isFinite(energies[b]) && bad < 0) {
                bad = firstRow + b;
                badValue = energies[b];
            }
            mean += energies[b];
        }
        mean /= rows;
        double m2 = 0;
        for (int b = 0; b < rows; b++) {
            double d = energies[b] - mean;
            m2 += d * d;
        }
        double[] meanO = new double[p];
        for (int b = 0; b < rows; b++) {
            for (int e = 0; e < p; e++) {
                meanO[e] += o[b * p + e];
            }
        }
        for (int e = 0; e < p; e++) {
            meanO[e] /= rows;
        }
        StochasticReconfiguration.centreColumns(o, rows, p);
        double[] c = new double[p];
        for (int b = 0; b < rows; b++) {
            double d = energies[b] - mean;
            for (int e = 0; e < p; e++) {
                c[e] += o[b * p + e] * d;
            }
        }
        double[] s = null;
        if (gramScratch != null) {
            s = new double[triangle(p)];
            StochasticReconfiguration.gramUpper(o, rows, p, gramScratch, s);
        }
        return new StepMoments(rows, mean, m2, meanO, c, s, bad, badValue);
    }

    /** Values in the upper triangle of a P x P matrix, diagonal included. */
    static int triangle(int p) {
        return Math.toIntExact((long) p * (p + 1) / 2);
    }

    /** Side of the tiles in which {@link #fullS} mirrors the upper triangle. */
    private static final int MIRROR_TILE = 64;

    /**
     * s / {@code divisor} as a full P x P row-major matrix (S = s / n): the upper triangle row by
     * row, then mirrored ({@link #mirrorUpper}). P = 626 is 3 MB; this runs on the driver between
     * the job and the solve, every step.
     */
    double[] fullS(double divisor) {
        double[] full = new double[Math.multiplyExact(meanO.length, meanO.length)];
        writeFullS(divisor, full);
        return full;
    }

    /** s / {@code divisor} into the P x P {@code full}, both triangles (see {@link #fullS}). */
    private void writeFullS(double divisor, double[] full) {
        int p = meanO.length;
        int k = 0;
        for (int i = 0; i < p; i++) {
            for (int j = i; j < p; j++, k++) {
                full[i * p + j] = s[k] / divisor;
            }
        }
        mirrorUpper(full, p);
    }

    /**
     * Copies the upper triangle of the P x P row-major {@code full} onto its lower triangle tile
     * by tile, so that the column-wise writes of the lower triangle stay within a few cache lines
     * per tile instead of striding over the whole matrix.
     */
    private static void mirrorUpper(double[] full, int p) {
        for (int i0 = 0; i0 < p; i0 += MIRROR_TILE) {
            int i1 = Math.min(p, i0 + MIRROR_TILE);
            for (int j0 = i0; j0 < p; j0 += MIRROR_TILE) {
                int j1 = Math.min(p, j0 + MIRROR_TILE);
                for (int i = i0; i < i1; i++) {
                    for (int j = Math.max(j0, i + 1); j < j1; j++) {
                        full[j * p + i] = full[i * p + j];
                    }
                }
            }
        }
    }

    /** The merge of two shares (this one's rows first). */
    StepMoments merge(StepMoments other) {
        return merge(other, 0, null);
    }

    /**
     * The merge of two shares (this one's rows first); with {@code full} (P x P, overwritten) the
     * merged s is not kept as a triangle but written as S = s / {@code divisor} into full, both
     * triangles, and the result has no s: the root of {@link #reduceToFullS}. Either way each
     * entry of s is {@code s[k] + other.s[k] + dO[i] cross dO[j]}, so the two give the same bits.
     */
    private StepMoments merge(StepMoments other, double divisor, double[] full) {
        long total = n + other.n;
        double wb = (double) other.n / total;
        double cross = (double) n * other.n / total;
        double dE = other.meanEnergy - meanEnergy;
        int p = meanO.length;
        double[] dO = new double[p];
        double[] mO = new double[p];
        double[] mc = new double[p];
        for (int e = 0; e < p; e++) {
            dO[e] = other.meanO[e] - meanO[e];
            mO[e] = meanO[e] + dO[e] * wb;
            mc[e] = c[e] + other.c[e] + dO[e] * dE * cross;
        }
        double[] ms = s != null && full == null ? new double[s.length] : null;
        if (s != null) {
            int k = 0;
            for (int i = 0; i < p; i++) {
                double di = dO[i] * cross;
                for (int j = i; j < p; j++, k++) {
                    double merged = s[k] + other.s[k] + di * dO[j];
                    if (ms != null) {
                        ms[k] = merged;
                    } else {
                        full[i * p + j] = merged / divisor;
                    }
                }
            }
            if (ms == null) {
                mirrorUpper(full, p);
            }
        }
        long bad = nonFiniteRow >= 0 ? nonFiniteRow : other.nonFiniteRow;
        double badValue = nonFiniteRow >= 0 ? nonFiniteValue : other.nonFiniteValue;
        return new StepMoments(total, meanEnergy + dE * wb, m2 + other.m2 + dE * dE * cross, mO, mc, ms, bad,
                badValue);
    }

    /**
     * {@link #reduce}{@code (shares)} with its S = s / {@code divisor} written into {@code full}
     * (P x P, both triangles, overwritten) and returned without s: the same bits as
     * {@code reduce(shares).fullS(divisor)}, but the root merge writes S directly, so the driver
     * neither builds the merged triangle nor a new P x P matrix every step (it passes the same
     * {@code full} each time). The shares must carry s.
     */
    static StepMoments reduceToFullS(List<StepMoments> shares, double divisor, double[] full) {
        if (shares.isEmpty()) {
            throw new IllegalArgumentException("shares: expected at least one partition's sums but got none");
        }
        int p = shares.getFirst().meanO.length;
        if (full == null || full.length != (long) p * p) {
            throw new IllegalArgumentException("full: expected a P x P = " + ((long) p * p) + " array but got "
                    + (full == null ? "null" : "an array of " + full.length));
        }
        if (shares.size() == 1) {
            StepMoments one = shares.getFirst();
            one.writeFullS(divisor, full);
            return new StepMoments(one.n, one.meanEnergy, one.m2, one.meanO, one.c, null, one.nonFiniteRow,
                    one.nonFiniteValue);
        }
        int mid = shares.size() >>> 1;
        return reduce(shares, 0, mid).merge(reduce(shares, mid, shares.size()), divisor, full);
    }

    /** The shares of partitions 0..k-1 merged in a fixed binary tree: halves merged recursively, left before right. */
    static StepMoments reduce(List<StepMoments> shares) {
        if (shares.isEmpty()) {
            throw new IllegalArgumentException("shares: expected at least one partition's sums but got none");
        }
        return reduce(shares, 0, shares.size());
    }

    private static StepMoments reduce(List<StepMoments> shares, int from, int to) {
        if (to - from == 1) {
            return shares.get(from);
        }
        int mid = (from + to) >>> 1;
        return reduce(shares, from, mid).merge(reduce(shares, mid, to));
    }
}
