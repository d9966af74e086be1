package io.jarnn.cli;

import io.jarnn.core.NdArray;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * One thread that hands blocks to a {@link ChunkedSampling.Blocks} consumer (which writes them
 * to disk) in order, while the thread that submits them samples the next: the write of block k
 * overlaps the sampling of block k + 1. The submitter owns {@code capacity} block buffers and
 * cycles through them, so at most that many blocks are in flight: one being written, the rest
 * queued. Before it fills a buffer again it {@linkplain #awaitWritten waits} until the block
 * that last used it is written. More than two let sampling run on while the consumer stalls
 * for a while (forcing the file to the device every 64 MiB, a tenth of a second, when a block
 * of 100 sites takes a hundredth).
 *
 * <p>A failure of the consumer (a full disk) stops the thread and is thrown, the same exception
 * object, by the submitter's next {@link #awaitWritten}; a failure of the submitter, or an
 * interrupt, makes {@link #close} stop the thread after the block it is writing (never a later
 * one) and wait for it. Either way, once {@code close} returns no block is being written any
 * more, so the caller may discard its output (an {@code AtomicFileSet} deletes its temporaries)
 * without racing a write.
 *
 * <p>The hand-off is a monitor with two counters and a ring of slots: it allocates nothing per block.
 */
final class BlockWriterThread implements AutoCloseable {
    /** Blocks queued for the writer, by submission number modulo the capacity (the submitter's buffer cycle). */
    private final long[] firstRows;
    private final NdArray[] configurations;
    private final NdArray[] logProbabilities;
    private final ChunkedSampling.Blocks blocks;
    private final Thread thread;
    // Guarded by this.
    private long submitted;
    private long written;
    private boolean closing;
    private Throwable failure;

    private BlockWriterThread(ChunkedSampling.Blocks blocks, int capacity) {
        this.blocks = blocks;
        this.firstRows = new long[capacity];
        this.configurations = new NdArray[capacity];
        this.logProbabilities = new NdArray[capacity];
        this.thread = new Thread(this::writeAll, "jarnn-block-writer");
        // A stuck device must not keep the JVM alive after the command is over (Ctrl-C included).
        thread.setDaemon(true);
    }

    /**
     * Starts a writer thread handing each submitted block to {@code blocks}, with up to
     * {@code capacity} (at least 1) blocks submitted and not yet written.
     */
    static BlockWriterThread start(ChunkedSampling.Blocks blocks, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: expected >= 1 but got " + capacity);
        }
        BlockWriterThread writer = new BlockWriterThread(blocks, capacity);
        writer.thread.start();
        return writer;
    }

    /**
     * Queues a block; its arrays must stay untouched until {@link #awaitWritten} says it is
     * written. At most the capacity may be unwritten at a time.
     */
    synchronized void submit(long firstRow, NdArray blockConfigurations, NdArray blockLogProbabilities) {
        if (closing) {
            throw new IllegalStateException("the block writer is closed");
        }
        if (submitted - written >= firstRows.length) {
            throw new IllegalStateException(firstRows.length + " blocks are already waiting to be written; awaitWritten first");
        }
        int slot = (int) (submitted % firstRows.length);
        firstRows[slot] = firstRow;
        configurations[slot] = blockConfigurations;
        logProbabilities[slot] = blockLogProbabilities;
        submitted++;
        notifyAll();
    }

    /**
     * Waits until the first {@code count} submitted blocks are written.
     *
     * @throws IOException             the consumer's failure, as it threw it
     * @throws InterruptedIOException  if the calling thread is or gets interrupted (its
     *                                 interrupt status stays set)
     */
    synchronized void awaitWritten(long count) throws IOException {
        if (count > submitted) {
            throw new IllegalArgumentException("count: expected at most the " + submitted
                    + " blocks submitted but got " + count);
        }
        while (true) {
            rethrowFailure();
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted: " + written + " of " + submitted + " blocks written");
            }
            if (written >= count) {
                return;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops the thread once it has written the blocks it has already started, never starting
     * another, and waits for it, uninterruptibly (an interrupt stays pending). After a normal
     * run {@link #awaitWritten} has already seen every block written.
     */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void rethrowFailure() throws IOException {
        switch (failure) {
            case null -> {
            }
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IOException("the block writer failed", failure);
        }
    }

    private void writeAll() {
        try {
            while (true) {
                long firstRow;
                NdArray c;
                NdArray lp;
                synchronized (this) {
                    while (written == submitted && !closing) {
                        wait();
                    }
                    if (closing) {
                        // A normal close comes after every block was written; any other is a
                        // failure or an interrupt of the submitter, whose queued blocks must not
                        // be written after close returns.
                        return;
                    }
                    int slot = (int) (written % firstRows.length);
                    firstRow = firstRows[slot];
                    c = configurations[slot];
                    lp = logProbabilities[slot];
                }
                blocks.accept(firstRow, c, lp);
                synchronized (this) {
                    written++;
                    notifyAll();
                }
            }
        } catch (Throwable e) {
            synchronized (this) {
                failure = e;
                notifyAll();
            }
        }
    }
}
