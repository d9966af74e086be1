package io.jarnn.vmc;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** SGD and Adam steps against values worked out by hand. */
class OptimizersTest {

    @Test
    void sgdStepsAgainstTheGradient() {
        Sgd sgd = new Sgd(0.1);
        double[] d = new double[3];
        sgd.update(new double[] {1, -2, 0.5}, d);
        assertArrayEquals(new double[] {-0.1, 0.2, -0.05}, d, 0);
        assertEquals(1, sgd.steps());
    }

    /**
     * lr 0.1, b1 0.9, b2 0.999, eps 1e-8. Step 1, g = (1, -2, 0): m = (0.1, -0.2, 0),
     * v = (0.001, 0.004, 0), m^ = g, v^ = g^2, d = -0.1 g / (|g| + 1e-8) = (-0.1 / (1 + 1e-8),
     * 0.2 / (2 + 1e-8), 0). Step 2, g = (3, -2, 4): m = 0.9 m + 0.1 g = (0.39, -0.38, 0.4),
     * v = 0.999 v + 0.001 g^2 = (0.009999, 0.007996, 0.016), bias corrections 1 - 0.81 = 0.19 and
     * 1 - 0.998001 = 0.001999.
     */
    @Test
    void adamMatchesTwoStepsByHand() {
        Adam adam = new Adam(0.1);
        double[] d = new double[3];
        adam.update(new double[] {1, -2, 0}, d);
        assertEquals(-0.1 / (1 + 1e-8), d[0], 1e-15);
        assertEquals(0.2 / (2 + 1e-8), d[1], 1e-15);
        assertEquals(0, d[2], 0);
        adam.update(new double[] {3, -2, 4}, d);
        double[] m = {0.39, -0.38, 0.4};
        double[] v = {0.009999, 0.007996, 0.016};
        for (int e = 0; e < 3; e++) {
            double expected = -0.1 * (m[e] / 0.19) / (Math.sqrt(v[e] / 0.001999) + 1e-8);
            assertEquals(expected, d[e], 1e-12, "d[" + e + "] at step 2");
        }
        // by hand: 0.39 / 0.19 = 2.05263, sqrt(0.009999 / 0.001999) = sqrt(5.00200) = 2.23651, 0.1 * 2.05263 / 2.23651
        assertEquals(-0.091778, d[0], 1e-6);
        assertEquals(2, adam.steps());
        assertArrayEquals(m, adam.state().get("m"), 1e-15);
        assertArrayEquals(v, adam.state().get("v"), 1e-15);
    }

    @Test
    void adamRestoredFromItsStateContinuesBitForBit() {
        Adam a = new Adam(0.01);
        double[] d = new double[2];
        a.update(new double[] {0.3, -1}, d);
        a.update(new double[] {0.1, 2}, d);
        Adam b = new Adam(0.01);
        b.restore(a.steps(), a.state());
        double[] da = new double[2];
        double[] db = new double[2];
        a.update(new double[] {-0.7, 0.2}, da);
        b.update(new double[] {-0.7, 0.2}, db);
        assertArrayEquals(da, db, 0);
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.01).restore(3, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new Adam(0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.1, 1.0, 0.999, 1e-8));
    }
}
