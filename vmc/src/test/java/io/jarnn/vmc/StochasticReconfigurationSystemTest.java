package io.jarnn.vmc;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link StochasticReconfiguration#solveSystem}, the entry for an S and F reduced elsewhere (a
 * Spark job's partitions), gives the direction the DENSE form computes from the Jacobian.
 */
class StochasticReconfigurationSystemTest {

    @Test
    void anExternallyFormedSystemGivesTheDenseDirection() {
        int n = 40;
        int p = 7;
        SplittableRandom random = new SplittableRandom(3);
        double[] o = new double[n * p];
        double[] energies = new double[n];
        for (int i = 0; i < o.length; i++) {
            o[i] = random.nextDouble(-1, 1);
        }
        for (int b = 0; b < n; b++) {
            energies[b] = random.nextDouble(-5, 5);
        }
        // S and F formed here: centred Jacobian and energies, S = Obar^T Obar / n, F = 2 Obar^T eps / n.
        double[] centred = o.clone();
        StochasticReconfiguration.centreColumns(centred, n, p);
        double mean = 0;
        for (double e : energies) {
            mean += e / n;
        }
        double[] s = new double[p * p];
        StochasticReconfiguration.gram(centred, n, p, s);
        double[] f = new double[p];
        for (int b = 0; b < n; b++) {
            for (int e = 0; e < p; e++) {
                f[e] += 2 * (energies[b] - mean) * centred[b * p + e] / n;
            }
        }
        for (int i = 0; i < s.length; i++) {
            s[i] /= n;
        }
        double[] sCopy = s.clone();

        StochasticReconfiguration dense = new StochasticReconfiguration(0.01, StochasticReconfiguration.Form.DENSE);
        double[] expected = new double[p];
        dense.solve(o.clone(), n, p, energies, expected);
        StochasticReconfiguration external = new StochasticReconfiguration(0.01, StochasticReconfiguration.Form.AUTO);
        double[] actual = new double[p];
        external.solveSystem(s, f, p, actual);

        for (int e = 0; e < p; e++) {
            assertEquals(expected[e], actual[e], 1e-12 * Math.max(1, Math.abs(expected[e])), "entry " + e);
        }
        assertArrayEquals(sCopy, s, "s is not modified");
        assertEquals(StochasticReconfiguration.Form.DENSE, external.lastForm());
    }

    @Test
    void wrongLengthsAreNamed() {
        StochasticReconfiguration sr = new StochasticReconfiguration();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sr.solveSystem(new double[8], new double[3], 3, new double[3]));
        assertEquals("s, f, delta: expected lengths P*P = 9, P = 3, P but got 8, 3, 3", e.getMessage());
    }
}
