package io.jarnn.nn;

import io.jarnn.kernels.Kernels;

import java.util.Arrays;

/**
 * Caller-owned scratch for full forward passes of one model shape: three activation-sized
 * buffers per worker (input, output and the layer's own scratch), allocated on first use and
 * reused by every later call, so that a steady-state forward allocates nothing but its result.
 * Only workers that a call really runs get buffers (see {@link ParallelChunks#workers}): a model
 * on {@code withThreads(10_000_000)} forwarding 5 rows holds one worker's buffers, not ten
 * million. Not thread-safe: one workspace per calling thread.
 */
public final class Workspace {
    /** The three buffers of a worker: layer input, layer output, layer scratch. */
    static final int INPUT = 0;
    static final int OUTPUT = 1;
    static final int SCRATCH = 2;

    private final ARNN model;
    /** buffers[worker][role]; workers added by {@link #ensureWorkers}, buffers on first use. */
    private float[][][] buffers = new float[0][][];

    Workspace(ARNN model) {
        this.model = model;
    }

    /** Whether this workspace fits forwards of {@code other} (the same chunk size; any threads). */
    boolean fits(ARNN other) {
        return other.forwardBufferFloats() == model.forwardBufferFloats();
    }

    /**
     * Makes room for workers {@code 0 .. workers - 1}. Called on the calling thread before the
     * workers start, so that they only read the array and each fills its own row.
     */
    void ensureWorkers(int workers) {
        int had = buffers.length;
        if (workers > had) {
            buffers = Arrays.copyOf(buffers, workers);
            for (int w = had; w < workers; w++) {
                buffers[w] = new float[3][];
            }
        }
    }

    /** Worker {@code worker}'s buffer for {@code role}: chunk-sized plus the kernels' over-read padding. */
    float[] buffer(int worker, int role) {
        float[][] mine = buffers[worker];
        if (mine[role] == null) {
            mine[role] = new float[model.forwardBufferFloats() + Kernels.OVERREAD_PADDING];
        }
        return mine[role];
    }
}
