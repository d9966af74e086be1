package io.jarnn.vmc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleStatisticsTest {

    @Test
    void meanVarianceWithDenominatorNMinusOneAndStandardErrorOfThePrefix() {
        // The fifth value lies outside n and must not count.
        SampleStatistics s = SampleStatistics.of(new double[] {1, 2, 3, 4, 1000}, 4);
        assertEquals(2.5, s.mean(), 0);
        assertEquals(5.0 / 3.0, s.variance(), 1e-15);
        assertEquals(Math.sqrt(5.0 / 12.0), s.standardError(), 1e-15);
    }

    @Test
    void oneValueHasNoSpread() {
        SampleStatistics s = SampleStatistics.of(new double[] {-7.25}, 1);
        assertEquals(-7.25, s.mean(), 0);
        assertEquals(0, s.variance(), 0);
        assertEquals(0, s.standardError(), 0);
    }

    @Test
    void aCountOutsideTheArrayIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleStatistics.of(new double[3], 4));
        assertTrue(e.getMessage().contains("n in 1..3") && e.getMessage().contains("got 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SampleStatistics.of(new double[3], 0));
        assertThrows(IllegalArgumentException.class, () -> SampleStatistics.of(null, 1));
    }
}
