package io.jarnn.cli;

import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.DirectSampler;
import io.jarnn.nn.Samples;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promise of {@link ChunkedSampling}: the samples are exactly those of one DirectSampler
 * call. This also guards its reliance on DirectSampler's per-chunk stream derivation.
 */
class ChunkedSamplingTest {

    private static void assertSameAsOneCall(ARNN model, DirectSampler sampler, int n, long seed, int chunksPerCall) {
        Samples expected = sampler.sample(n, seed, true);
        Tensor configurations = Tensor.zeros(n, model.hilbert().size());
        Tensor logProbabilities = Tensor.zeros(n);
        List<Long> progress = new ArrayList<>();
        ChunkedSampling.sample(sampler, seed, configurations, logProbabilities, chunksPerCall, progress::add);
        String where = "n=" + n + ", seed=" + seed + ", chunk size " + sampler.chunkSize() + ", chunks per call "
                + chunksPerCall;
        assertTrue(expected.configurations().contentEquals(configurations), () -> where + ": configurations differ "
                + "from one call: " + firstDifference(expected.configurations(), configurations));
        assertTrue(expected.logProbabilities().contentEquals(logProbabilities), () -> where
                + ": log-probabilities differ from one call");
        assertEquals(n, progress.getLast(), where + ": last progress report");
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i) > progress.get(i - 1), where + ": progress must increase: " + progress);
        }
    }

    private static String firstDifference(Tensor a, Tensor b) {
        for (int i = 0; i < a.size(); i++) {
            if (Float.compare(a.getFlat(i), b.getFlat(i)) != 0) {
                return "flat index " + i + ": expected " + a.getFlat(i) + " but got " + b.getFlat(i);
            }
        }
        return "none";
    }

    @Test
    void chunkedCallsGiveTheSamplesOfOneCall() {
        ARNN model = ModelFixtures.conv();
        DirectSampler sampler = DirectSampler.of(model);
        for (int n : new int[]{1, 63, 64, 65, 200, 1000}) {
            for (int chunksPerCall : new int[]{1, 3, 100}) {
                assertSameAsOneCall(model, sampler, n, 12345L, chunksPerCall);
            }
        }
        assertSameAsOneCall(model, sampler, 500, -1L, 2);
        assertSameAsOneCall(model, sampler, 500, Long.MAX_VALUE, 2);
    }

    @Test
    void holdsForOtherChunkSizesThreadsAndModels() {
        ARNN dense = ModelFixtures.denseSpinOne();
        assertSameAsOneCall(dense, DirectSampler.of(dense).withChunkSize(5).withThreads(1), 101, 9, 4);
        assertSameAsOneCall(dense, DirectSampler.of(dense).withChunkSize(7).withThreads(2), 150, 9, 2);
    }

    @Test
    void differentSeedsGiveDifferentSamples() {
        ARNN model = ModelFixtures.conv();
        DirectSampler sampler = DirectSampler.of(model);
        assertFalse(sampler.sample(200, 1, false).configurations()
                .contentEquals(sampler.sample(200, 2, false).configurations()));
    }
}
