package io.jarnn.nn;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs independent chunks of a batch on up to {@code threads} workers: the calling thread plus
 * tasks on the common fork-join pool, each pulling chunk indices from a shared counter.
 *
 * <p>Chunk boundaries are fixed by the caller, never by the thread count, and each chunk's
 * arithmetic is independent of the others, so results are bitwise the same for any number of
 * threads. Worker {@code w} only ever touches scratch slot {@code w}, and the slots used are
 * {@code 0 .. workers(chunks, threads) - 1}: callers size their per-worker scratch by that, not
 * by the thread count they were given (which may be any int, e.g. {@code Integer.MAX_VALUE}).
 */
final class ParallelChunks {
    /** Work on one chunk, given the worker's index (0 = calling thread) for its scratch. */
    @FunctionalInterface
    interface ChunkTask {
        void run(int worker, int chunk);
    }

    private ParallelChunks() {
    }

    /**
     * The workers {@link #run} uses for {@code chunks} chunks on up to {@code threads} threads:
     * no more than there are chunks, and no more than the common pool can run at once plus the
     * calling thread: a helper returns only when every chunk has been handed out, so a helper
     * queued behind the pool's running ones could never get a chunk.
     */
    static int workers(int chunks, int threads) {
        int runnable = Math.max(1, ForkJoinPool.getCommonPoolParallelism()) + 1;
        return Math.max(1, Math.min(Math.min(threads, chunks), runnable));
    }

    /**
     * Runs every chunk, or stops at a failure and rethrows the failure of the lowest chunk that
     * failed: chunks are handed out in increasing order, so every lower chunk was started and
     * finishes, and the exception is the one a single thread would have thrown.
     */
    static void run(int chunks, int threads, ChunkTask task) {
        int workers = workers(chunks, threads);
        if (workers <= 1) {
            for (int c = 0; c < chunks; c++) {
                task.run(0, c);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        FirstFailure failure = new FirstFailure();
        ForkJoinTask<?>[] helpers = new ForkJoinTask<?>[workers - 1];
        for (int w = 1; w < workers; w++) {
            int worker = w;
            helpers[w - 1] = ForkJoinPool.commonPool().submit(() -> drain(next, chunks, worker, task, failure));
        }
        drain(next, chunks, 0, task, failure);
        for (ForkJoinTask<?> h : helpers) {
            h.join();
        }
        failure.rethrow();
    }

    private static void drain(AtomicInteger next, int chunks, int worker, ChunkTask task, FirstFailure failure) {
        for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
            try {
                task.run(worker, c);
            } catch (RuntimeException | Error e) {
                failure.record(c, e);
                next.set(chunks); // start no further chunks
                return;
            }
        }
    }

    /** The failure of the lowest failing chunk. */
    private static final class FirstFailure {
        private int chunk = Integer.MAX_VALUE;
        private Throwable failure;

        synchronized void record(int c, Throwable e) {
            if (c < chunk) {
                chunk = c;
                failure = e;
            }
        }

        synchronized void rethrow() {
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
        }
    }
}
