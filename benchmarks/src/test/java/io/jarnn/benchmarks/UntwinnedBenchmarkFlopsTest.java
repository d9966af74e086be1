package io.jarnn.benchmarks;

import static io.jarnn.benchmarks.MultiplyAddsTest.bruteForceConv;
import static io.jarnn.benchmarks.MultiplyAddsTest.bruteForceDense;
import static io.jarnn.benchmarks.MultiplyAddsTest.netKetSamplingModel;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Flop counts of the benchmarks that exist in float32 only (the baselines, the sampling
 * variants, the thread sweep): 2 x batch x the brute-force count of {@link MultiplyAddsTest}. The
 * benchmarks twinned to float64 are checked in {@code MultiplyAddsTest} and its twin.
 */
class UntwinnedBenchmarkFlopsTest {

    @Test
    void benchmarkFlopCountsFollowTheirParameters() {
        assertEquals(2L * 64 * bruteForceDense(64, 4, 4, false),
                MaskedDenseForwardBaselines.usefulFlopsPerOp(Map.of("shape", "N64-f4-b64")), "MaskedDenseForwardBaselines");
        long netKetModel = netKetSamplingModel(300);
        for (String sector : new String[]{"none", "sz0"}) {
            assertEquals(2L * 64 * netKetModel, ConstrainedSampling.usefulFlopsPerOp(Map.of("sites", "300", "batch", "64",
                    "sector", sector)), "ConstrainedSampling " + sector);
        }
        assertEquals(2L * 64 * netKetModel,
                CachedVsNaiveSampling.usefulFlopsPerOp(Map.of("sites", "300", "batch", "64")), "CachedVsNaiveSampling");
        assertEquals(2L * 1024 * (bruteForceConv(1024, 1, 16, 3, 1, true) + bruteForceConv(1024, 16, 16, 3, 1, false)
                        + bruteForceConv(1024, 16, 2, 3, 1, false)),
                ThreadScaling.usefulFlopsPerOp(Map.of("model", "conv1d-N1024-f16-k3-d1", "batch", "1024",
                        "threads", "2")), "ThreadScaling conv1d");
        assertEquals(2L * 16 * (bruteForceDense(20, 1, 3, true) + bruteForceDense(20, 3, 3, false)
                        + bruteForceDense(20, 3, 2, false)),
                ThreadScaling.usefulFlopsPerOp(Map.of("model", "dense-N20-f3", "batch", "16", "threads", "1")),
                "ThreadScaling dense");
    }
}
