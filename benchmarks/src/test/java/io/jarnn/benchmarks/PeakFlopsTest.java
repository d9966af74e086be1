package io.jarnn.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The peak probe's flop count is what its op actually computes. */
class PeakFlopsTest {

    /**
     * With every lane starting at 0, {@code m = 1} and {@code a = 1}, each lane-fma adds exactly
     * one, so one op returns the number of lane-fmas it performed (an integer far below 2^24,
     * exact in float). Each is a multiply and an add: the probe's flops per op must be twice that.
     * A chain dropped from the loop, an extra one, or a loop bound other than STEPS changes it.
     */
    @Test
    void flopsPerOpAreTwiceTheLaneFmasOneOpPerforms() {
        float[] zeros = new float[PeakFlops.CHAINS * FloatVector.SPECIES_PREFERRED.length()];
        long laneFmas = (long) PeakFlops.chains(zeros, 1f, 1f);
        assertEquals(2 * laneFmas, PeakFlops.usefulFlopsPerOp(Map.of()),
                "flops per op vs 2 x lane-fmas counted by running the probe on " + FloatVector.SPECIES_PREFERRED);
    }
}
