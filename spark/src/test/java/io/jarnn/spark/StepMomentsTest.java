package io.jarnn.spark;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A partition's share of the SR sums, and the full S the driver solves with. */
class StepMomentsTest {
    /** P across two mirror tiles and a partial third: 64 + 64 + 9. */
    private static final int P = 137;

    /** A share's Gram scratch, so that its s is computed. */
    private static double[] gramScratch(int rows) {
        return new double[io.jarnn.vmc.StochasticReconfiguration.gramScratchLength(rows, P)];
    }

    private static double[] random(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextDouble(-1, 1);
        }
        return a;
    }

    /** S[i][j] = sum_b (O[b,i] - Obar_i)(O[b,j] - Obar_j) / n, straight from the definition. */
    private static double[] reference(double[] o, int rows) {
        double[] mean = new double[P];
        for (int b = 0; b < rows; b++) {
            for (int e = 0; e < P; e++) {
                mean[e] += o[b * P + e] / rows;
            }
        }
        double[] s = new double[P * P];
        for (int i = 0; i < P; i++) {
            for (int j = 0; j < P; j++) {
                double sum = 0;
                for (int b = 0; b < rows; b++) {
                    sum += (o[b * P + i] - mean[i]) * (o[b * P + j] - mean[j]);
                }
                s[i * P + j] = sum / rows;
            }
        }
        return s;
    }

    @Test
    void theFullMatrixOfMergedSharesIsSymmetricAndTheDefinitionsS() {
        int rows = 50;
        double[] o = random(rows * P, 3);
        double[] energies = random(rows, 4);
        double[] expected = reference(o, rows);
        double[] first = java.util.Arrays.copyOfRange(o, 0, 20 * P);
        double[] second = java.util.Arrays.copyOfRange(o, 20 * P, rows * P);
        StepMoments merged = StepMoments.reduce(List.of(
                StepMoments.of(0, 20, P, java.util.Arrays.copyOfRange(energies, 0, 20), first, gramScratch(20)),
                StepMoments.of(20, rows - 20, P, java.util.Arrays.copyOfRange(energies, 20, rows), second, gramScratch(rows - 20))));
        double[] s = merged.fullS(rows);
        for (int i = 0; i < P; i++) {
            for (int j = 0; j < P; j++) {
                assertEquals(s[i * P + j], s[j * P + i], 0, "S must be exactly symmetric at (" + i + ", " + j + ")");
                assertEquals(expected[i * P + j], s[i * P + j], 1e-12, "S at (" + i + ", " + j + ")");
            }
        }
    }

    /**
     * The driver's fused root merge (S written straight into a reused matrix) against the merged
     * triangle mirrored afterwards: the same bits, for 1, 2 and 3 shares, whatever the matrix
     * held before; the other sums are those of the plain merge.
     */
    @Test
    void theRootMergeIntoAReusedMatrixGivesTheBitsOfTheMergedTriangle() {
        int rows = 60;
        double[] o = random(rows * P, 5);
        double[] energies = random(rows, 6);
        for (int parts = 1; parts <= 3; parts++) {
            RowRanges ranges = RowRanges.of(rows, 16, parts);
            List<StepMoments> shares = new java.util.ArrayList<>();
            for (int k = 0; k < ranges.parts(); k++) {
                int first = (int) ranges.firstRow(k);
                int count = ranges.rowCount(k);
                shares.add(StepMoments.of(first, count, P, java.util.Arrays.copyOfRange(energies, first, first + count),
                        java.util.Arrays.copyOfRange(o, first * P, (first + count) * P), gramScratch(count)));
            }
            StepMoments merged = StepMoments.reduce(shares);
            double[] expected = merged.fullS(rows);
            double[] reused = random(P * P, 7 + parts);
            StepMoments root = StepMoments.reduceToFullS(shares, rows, reused);
            assertArrayEquals(expected, reused, ranges.parts() + " shares: S");
            assertEquals(merged.meanEnergy, root.meanEnergy, 0, ranges.parts() + " shares: mean energy");
            assertEquals(merged.m2, root.m2, 0, ranges.parts() + " shares: m2");
            assertArrayEquals(merged.meanO, root.meanO, ranges.parts() + " shares: mean O");
            assertArrayEquals(merged.c, root.c, ranges.parts() + " shares: c");
            assertEquals(ranges.parts(), parts, "a share per part");
        }
    }
}
