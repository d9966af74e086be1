package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.kernels.ScalarKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code withThreads(n)} sets an upper bound, not a number of buffers: a call keeps scratch for
 * the workers it can really run (at most one per chunk), so a huge thread count costs nothing.
 * Measured as the bytes the calling thread allocates for a whole call (the model or sampler
 * included), against the same call on as many threads as it has chunks. The scalar kernels keep
 * the figures steady: interpreted Vector API code allocates its vectors until C2 compiles it,
 * and which thread runs how many chunks is up to the scheduler.
 */
class HugeThreadCountTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /**
     * Allowed difference: one worker's buffers (the calling thread may run between none and all
     * of the chunks, so it may or may not allocate its own), far below one slot per requested thread.
     */
    private static final long SLACK = 256 << 10;

    private static final ARNN MODEL = ARNNConv1D.builder(HilbertSpace.spin(0.5, 10)).layers(3).features(8)
            .kernelSize(3).build(5).withKernels(ScalarKernels.INSTANCE);

    /** Bytes the calling thread allocates for {@code action}, after one unmeasured run (class loading, lambdas). */
    private static long allocated(Runnable action) {
        action.run();
        long before = THREADS.getCurrentThreadAllocatedBytes();
        action.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    @ParameterizedTest(name = "withThreads({0})")
    @ValueSource(ints = {10_000_000, Integer.MAX_VALUE})
    void aFiveRowLogPsiAllocatesAsOnOneThread(int threads) {
        Tensor sigma = MODEL.hilbert().randomConfigurations(5, 1);
        long one = allocated(() -> MODEL.withThreads(1).logPsi(sigma));
        long huge = allocated(() -> MODEL.withThreads(threads).logPsi(sigma));
        assertTrue(huge <= one + SLACK, "5-row logPsi: " + huge + " bytes on withThreads(" + threads + "), "
                + one + " on withThreads(1)");
    }

    @ParameterizedTest(name = "withThreads({0})")
    @ValueSource(ints = {10_000_000, Integer.MAX_VALUE})
    void aThreeChunkForwardAllocatesAsOnThreeThreads(int threads) {
        int batch = 3 * MODEL.chunkRows();
        Tensor sigma = MODEL.hilbert().randomConfigurations(batch, 2);
        long three = allocated(() -> MODEL.withThreads(3).conditionalsLogPsi(sigma));
        long huge = allocated(() -> MODEL.withThreads(threads).conditionalsLogPsi(sigma));
        assertTrue(huge <= three + SLACK, batch + "-row forward in 3 chunks: " + huge + " bytes on withThreads("
                + threads + "), " + three + " on withThreads(3)");
    }

    @ParameterizedTest(name = "withThreads({0})")
    @ValueSource(ints = {10_000_000, Integer.MAX_VALUE})
    void aSamplerOnHugeThreadsAllocatesAsOnOne(int threads) {
        long one = allocated(() -> DirectSampler.of(MODEL).withThreads(1).sample(5, 7, true));
        long huge = allocated(() -> DirectSampler.of(MODEL).withThreads(threads).sample(5, 7, true));
        assertTrue(huge <= one + SLACK, "5 samples: " + huge + " bytes on withThreads(" + threads + "), "
                + one + " on withThreads(1)");
        int n = 3 * DirectSampler.DEFAULT_CHUNK_SIZE;
        long three = allocated(() -> DirectSampler.of(MODEL).withThreads(3).sample(n, 7, false));
        long hugeThree = allocated(() -> DirectSampler.of(MODEL).withThreads(threads).sample(n, 7, false));
        assertTrue(hugeThree <= three + SLACK, n + " samples in 3 chunks: " + hugeThree + " bytes on withThreads("
                + threads + "), " + three + " on withThreads(3)");
    }
}
