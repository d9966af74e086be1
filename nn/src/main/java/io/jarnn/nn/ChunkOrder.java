package io.jarnn.nn;

/**
 * Turns for reducing per-chunk partial sums in chunk order, whatever order the workers finish
 * in: chunk c's partial is added only after those of chunks 0..c-1, so a parameter gradient has
 * the same bits on any number of threads. Chunks are handed out in increasing order
 * ({@link ParallelChunks}), so a worker waiting for its turn waits only for chunks that running
 * workers hold; each of them takes its turn even when its chunk failed (see {@link #advance}),
 * so no wait outlives the call.
 */
final class ChunkOrder {
    private int next;

    /** Blocks until every chunk before {@code chunk} has advanced. Not interruptible (the turn must come). */
    synchronized void awaitTurn(int chunk) {
        boolean interrupted = false;
        while (next != chunk) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the current chunk's turn. */
    synchronized void advance() {
        next++;
        notifyAll();
    }
}
