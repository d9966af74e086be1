package io.jarnn.cli;

import io.jarnn.core.DType;
import io.jarnn.core.NdArray;
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
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promise of {@link ChunkedSampling}: the blocks, put together, are exactly the samples of
 * one DirectSampler call, and no block is larger than asked. This also guards its reliance on
 * DirectSampler's per-chunk stream derivation. And its writer thread: blocks are written while
 * the next is sampled, a block is never sampled into while it is written, and a failure on
 * either side or an interrupt ends the run with no block written after it returns.
 */
class ChunkedSamplingTest {

    private static void assertSameAsOneCall(ARNN model, DirectSampler sampler, int n, long seed, int chunksPerBlock)
            throws IOException {
        assertSameAsOneCall(model, sampler, n, seed, chunksPerBlock, CompilerActivity.ofThisJvm());
    }

    private static void assertSameAsOneCall(ARNN model, DirectSampler sampler, int n, long seed, int chunksPerBlock,
                                            CompilerActivity compilers) throws IOException {
        Samples expected = sampler.sample(n, seed, true);
        int sites = model.hilbert().size();
        Tensor configurations = Tensor.zeros(n, sites);
        Tensor logProbabilities = Tensor.zeros(n);
        List<Long> firstRows = new ArrayList<>();
        ChunkedSampling.sample(sampler, seed, n, true, chunksPerBlock, compilers, (first, block, blockLp) -> {
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

    /**
     * Blocks sampled on one thread fewer while the compilers are busy (here: the first three,
     * by a clock of 10 ms per block against 9 ms of compiling each) and the rest on every
     * thread still put together the samples of one call.
     */
    @Test
    void warmUpOnFewerThreadsGivesTheSamplesOfOneCall() throws IOException {
        ARNN dense = ModelFixtures.denseSpinOne();
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        DirectSampler sampler = DirectSampler.of(dense).withChunkSize(5).withThreads(threads);
        assertEquals(threads - 1, ChunkedSampling.warmUpSampler(sampler, threads).threads());
        long[] calls = {0};
        CompilerActivity compilers = new CompilerActivity(() -> 9 * Math.min(calls[0], 3), () -> 10_000_000 * calls[0]++);
        assertSameAsOneCall(dense, sampler, 160, 4, 2, compilers);
        assertTrue(calls[0] >= 16, "the compilers were asked before every block: " + calls[0]);
    }

    /** One thread fewer only when the threads would take every processor, and never none. */
    @Test
    void warmUpLeavesTheCompilersACoreOnlyWhenTheThreadsTakeThemAll() {
        ARNN dense = ModelFixtures.denseSpinOne();
        DirectSampler sampler = DirectSampler.of(dense);
        assertEquals(1, ChunkedSampling.warmUpSampler(sampler.withThreads(2), 2).threads());
        assertEquals(7, ChunkedSampling.warmUpSampler(sampler.withThreads(8), 4).threads());
        DirectSampler spareCores = sampler.withThreads(2);
        assertSame(spareCores, ChunkedSampling.warmUpSampler(spareCores, 4));
        DirectSampler one = sampler.withThreads(1);
        assertSame(one, ChunkedSampling.warmUpSampler(one, 1));
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

    /** Rows of block {@code k}: its first element is k, so each block is recognisable. */
    private static void fillBlock(long first, NdArray c, int blockRows) {
        Arrays.fill(((Tensor) c).array(), ((Tensor) c).offset(), ((Tensor) c).offset() + c.size(),
                first / blockRows);
    }

    /** No thread of ChunkedSampling is left running (it must have been joined before sample returned). */
    private static void assertNoWriterThread() {
        List<String> alive = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(name -> name.equals("jarnn-block-writer")).toList();
        assertEquals(List.of(), alive, "writer threads still running");
    }

    /**
     * The write of block 0 waits for the sampling of block 1 to start: with serial sampling
     * and writing it would wait forever (here: fail after 10 s).
     */
    @Test
    void theNextBlockIsSampledWhileABlockIsWritten() throws IOException {
        CountDownLatch secondBlockSampled = new CountDownLatch(1);
        Thread caller = Thread.currentThread();
        List<Boolean> writtenOnCaller = Collections.synchronizedList(new ArrayList<>());
        ChunkedSampling.sample(DType.FLOAT32, 3, 40, 10, 2, false, (first, c, lp) -> {
            fillBlock(first, c, 10);
            if (first == 10) {
                secondBlockSampled.countDown();
            }
        }, (first, c, lp) -> {
            writtenOnCaller.add(Thread.currentThread() == caller);
            if (first == 0) {
                try {
                    assertTrue(secondBlockSampled.await(10, TimeUnit.SECONDS),
                            "block 1 was not sampled while block 0 was being written");
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        });
        assertEquals(List.of(false, false, false, false), writtenOnCaller, "blocks written on the calling thread");
        assertNoWriterThread();
    }

    /**
     * A slow writer sees each block unchanged from the start of its write to its end, and the
     * blocks together are still one call's samples: the sampler fills the other buffer meanwhile.
     */
    @Test
    void aBlockIsNotSampledIntoWhileItIsWritten() throws IOException {
        ARNN model = ModelFixtures.conv();
        DirectSampler sampler = DirectSampler.of(model).withChunkSize(16).withThreads(1);
        int n = 16 * 20 + 5;
        int sites = model.hilbert().size();
        Samples expected = sampler.sample(n, 77, true);
        Tensor configurations = Tensor.zeros(n, sites);
        ChunkedSampling.sample(sampler, 77, n, true, 1, (first, block, blockLp) -> {
            Tensor c = (Tensor) block;
            float[] before = c.toArray();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertArrayEquals(before, c.toArray(), "block at row " + first + " changed while it was written");
            System.arraycopy(c.array(), c.offset(), configurations.array(), (int) first * sites, c.size());
        });
        assertTrue(expected.configurations().contentEquals(configurations), "configurations differ from one call");
    }

    /**
     * The writer fails on block 2 (a full disk): the run throws that very exception, samples at
     * most one block beyond it, and writes nothing after it.
     */
    @Test
    void aFailureOfTheWriterEndsTheRunWithItsException() {
        IOException full = new IOException("No space left on device");
        AtomicInteger sampled = new AtomicInteger();
        List<Long> written = Collections.synchronizedList(new ArrayList<>());
        // Preemptively: a writer failure that never reached the sampler would leave it waiting forever.
        IOException thrown = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(IOException.class,
                () -> ChunkedSampling.sample(DType.FLOAT32, 3, 1000, 10, 2, true, (first, c, lp) -> sampled.incrementAndGet(),
                        (first, c, lp) -> {
                            written.add(first);
                            if (first == 20) {
                                throw full;
                            }
                        })));
        assertSame(full, thrown);
        assertNoWriterThread();
        assertEquals(List.of(0L, 10L, 20L), written);
        assertTrue(sampled.get() <= 4, sampled + " blocks sampled: the sampler went on after the writer failed");
    }

    /**
     * The sampler fails on block 3 (a non-finite probability, say): the exception comes out only
     * once the writer has stopped, and no block is written from then on, so the caller can
     * delete the temporary files without racing a write.
     */
    @Test
    void aFailureOfTheSamplerStopsTheWriterBeforeItIsThrown() throws InterruptedException {
        IllegalStateException bad = new IllegalStateException("not finite");
        AtomicBoolean writing = new AtomicBoolean();
        List<Long> written = Collections.synchronizedList(new ArrayList<>());
        IllegalStateException thrown = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(
                IllegalStateException.class, () -> ChunkedSampling.sample(DType.FLOAT32, 3, 1000, 10, 2, false, (first, c, lp) -> {
                    if (first == 30) {
                        throw bad;
                    }
                }, (first, c, lp) -> {
                    writing.set(true);
                    try {
                        Thread.sleep(30);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    written.add(first);
                    writing.set(false);
                })));
        assertSame(bad, thrown);
        assertTrue(!writing.get(), "a block was still being written when the failure was thrown");
        List<Long> atReturn = List.copyOf(written);
        Thread.sleep(100);
        assertEquals(atReturn, List.copyOf(written), "blocks written after the run had failed");
        assertTrue(atReturn.size() <= 3, "written " + atReturn);
        assertNoWriterThread();
    }

    /**
     * An interrupt of the calling thread ends the run between blocks with an
     * InterruptedIOException (the status stays set), as the serial writes did (an interrupted
     * FileChannel write throws ClosedByInterruptException).
     */
    @Test
    void anInterruptEndsTheRunBetweenBlocks() {
        List<Long> written = Collections.synchronizedList(new ArrayList<>());
        try {
            assertThrows(InterruptedIOException.class, () -> ChunkedSampling.sample(DType.FLOAT32, 3, 1000, 10, 2, false,
                    (first, c, lp) -> {
                        if (first == 20) {
                            Thread.currentThread().interrupt();
                        }
                    }, (first, c, lp) -> written.add(first)));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status was cleared");
        } finally {
            Thread.interrupted();
        }
        assertNoWriterThread();
        assertTrue(written.size() <= 3, "written after the interrupt: " + written);
        assertNotEquals(100, written.size());
    }

    /**
     * With four buffers the source runs up to three blocks ahead of a consumer that stalls (as
     * it does for a force to the device): block 0's write waits for block 3 to be sampled, which
     * two buffers would never allow (here: fail after 10 s); and block 4 is sampled only once
     * block 0 is written, into block 0's buffer.
     */
    @Test
    void theSourceRunsAheadOfAStalledConsumerByAllButOneBuffer() {
        CountDownLatch fourthBlockSampled = new CountDownLatch(1);
        List<Long> written = Collections.synchronizedList(new ArrayList<>());
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ChunkedSampling.sample(DType.FLOAT32, 3, 100, 10, 4, false,
                (first, c, lp) -> {
                    if (first == 30) {
                        fourthBlockSampled.countDown();
                    }
                    if (first == 40) {
                        assertTrue(written.contains(0L), "block 4 sampled into block 0's buffer before block 0 was written");
                    }
                }, (first, c, lp) -> {
                    if (first == 0) {
                        try {
                            assertTrue(fourthBlockSampled.await(10, TimeUnit.SECONDS),
                                    "block 3 was not sampled while block 0 was being written");
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    }
                    written.add(first);
                }));
        assertEquals(10, written.size());
        assertNoWriterThread();
    }

    /**
     * Buffers fill their budget (32 MiB, or an eighth of the heap): many for blocks of 100 sites,
     * two for blocks of 10^4 sites (seconds of sampling each), and in a 20 MB heap (2.5 MB) three
     * blocks of 0.8 MB.
     */
    @Test
    void bufferCountFollowsTheBlockSizeAndTheBudget() {
        long budget = ChunkedSampling.BUFFER_BYTES;
        assertEquals(16, ChunkedSampling.buffers(DType.FLOAT32, 2048, 100, budget));
        assertEquals(2, ChunkedSampling.buffers(DType.FLOAT32, 2048, 10_000, budget));
        assertEquals(4, ChunkedSampling.buffers(DType.FLOAT64, 16 * 1024, 63, budget));
        assertEquals(3, ChunkedSampling.buffers(DType.FLOAT32, 2048, 100, (20L << 20) / 8));
        assertEquals(2, ChunkedSampling.buffers(DType.FLOAT64, 2048, 100, (20L << 20) / 8));
    }
}
