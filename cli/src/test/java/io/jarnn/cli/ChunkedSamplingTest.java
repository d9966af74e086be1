package io.jarnn.cli;

import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNN64;
import io.jarnn.nn.DirectSampler;
import io.jarnn.nn.DirectSampler64;
import io.jarnn.nn.Samples;
import io.jarnn.nn.Samples64;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promise of {@link ChunkedSampling}: the blocks, put together, are exactly the samples of
 * one DirectSampler call, and no block is larger than asked. This also guards its reliance on
 * DirectSampler's per-chunk stream derivation.
 */
class ChunkedSamplingTest {

    private static void assertSameAsOneCall(ARNN model, DirectSampler sampler, int n, long seed, int chunksPerBlock)
            throws IOException {
        Samples expected = sampler.sample(n, seed, true);
        int sites = model.hilbert().size();
        Tensor configurations = Tensor.zeros(n, sites);
        Tensor logProbabilities = Tensor.zeros(n);
        List<Long> firstRows = new ArrayList<>();
        ChunkedSampling.sample(sampler, seed, n, true, chunksPerBlock, (first, block, blockLp) -> {
            Tensor c = (Tensor) block;
            Tensor lp = (Tensor) blockLp;
            assertTrue(c.dim(0) <= chunksPerBlock * sampler.chunkSize(), "block of " + c.dim(0) + " rows");
            firstRows.add(first);
            System.arraycopy(c.array(), c.offset(), configurations.array(), (int) first * sites, c.size());
            System.arraycopy(lp.array(), lp.offset(), logProbabilities.array(), (int) first, lp.size());
        });
        String where = "n=" + n + ", seed=" + seed + ", chunk size " + sampler.chunkSize() + ", chunks per block "
                + chunksPerBlock;
        assertTrue(expected.configurations().contentEquals(configurations), () -> where + ": configurations differ "
                + "from one call: " + firstDifference(expected.configurations(), configurations));
        assertTrue(expected.logProbabilities().contentEquals(logProbabilities), () -> where
                + ": log-probabilities differ from one call");
        long blockRows = Math.min(n, (long) chunksPerBlock * sampler.chunkSize());
        for (int i = 0; i < firstRows.size(); i++) {
            assertEquals(i * blockRows, firstRows.get(i), where + ": blocks must follow each other: " + firstRows);
        }
        assertEquals((n + blockRows - 1) / blockRows, firstRows.size(), where + ": blocks " + firstRows);
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
    void chunkedCallsGiveTheSamplesOfOneCall() throws IOException {
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
    void holdsForOtherChunkSizesThreadsAndModels() throws IOException {
        ARNN dense = ModelFixtures.denseSpinOne();
        assertSameAsOneCall(dense, DirectSampler.of(dense).withChunkSize(5).withThreads(1), 101, 9, 4);
        assertSameAsOneCall(dense, DirectSampler.of(dense).withChunkSize(7).withThreads(2), 150, 9, 2);
    }

    /** A float64 sampler's blocks are float64 views, and together its one call's samples bit for bit. */
    @Test
    void float64BlocksGiveTheSamplesOfOneFloat64Call() throws IOException {
        ARNN64 model = ModelFixtures.conv().toDoublePrecision();
        DirectSampler64 sampler = DirectSampler64.of(model).withChunkSize(7);
        int n = 150;
        int sites = model.hilbert().size();
        Samples64 expected = sampler.sample(n, 5, true);
        Tensor64 configurations = Tensor64.zeros(n, sites);
        Tensor64 logProbabilities = Tensor64.zeros(n);
        ChunkedSampling.sample(sampler, 5, n, true, 3, (first, block, blockLp) -> {
            Tensor64 c = assertInstanceOf(Tensor64.class, block);
            Tensor64 lp = assertInstanceOf(Tensor64.class, blockLp);
            assertTrue(c.dim(0) <= 21, "block of " + c.dim(0) + " rows");
            System.arraycopy(c.array(), c.offset(), configurations.array(), (int) first * sites, c.size());
            System.arraycopy(lp.array(), lp.offset(), logProbabilities.array(), (int) first, lp.size());
        });
        assertTrue(expected.configurations().contentEquals(configurations), "float64 configurations differ");
        assertTrue(expected.logProbabilities().contentEquals(logProbabilities), "float64 log-probabilities differ");
    }

    @Test
    void withoutLogProbabilitiesTheBlocksHaveNone() throws IOException {
        DirectSampler sampler = DirectSampler.of(ModelFixtures.conv());
        List<Long> firstRows = new ArrayList<>();
        ChunkedSampling.sample(sampler.withChunkSize(64), 3, 130, false, 1, (first, c, lp) -> {
            assertNull(lp);
            firstRows.add(first);
        });
        assertEquals(List.of(0L, 64L, 128L), firstRows);
    }

    @Test
    void differentSeedsGiveDifferentSamples() {
        ARNN model = ModelFixtures.conv();
        DirectSampler sampler = DirectSampler.of(model);
        assertFalse(sampler.sample(200, 1, false).configurations()
                .contentEquals(sampler.sample(200, 2, false).configurations()));
    }
}
