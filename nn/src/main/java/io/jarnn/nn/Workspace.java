package io.jarnn.nn;

import io.jarnn.kernels.Kernels;

/**
 * Caller-owned scratch for full forward passes of one model shape: three activation-sized
 * buffers per worker thread (input, output and the layer's own scratch), allocated on first
 * use and reused by every later call, so that a steady-state forward allocates nothing but its
 * result. Not thread-safe: one workspace per calling thread.
 */
public final class Workspace {
    /** The three buffers of a worker: layer input, layer output, layer scratch. */
    static final int INPUT = 0;
    static final int OUTPUT = 1;
    static final int SCRATCH = 2;

    private final ARNN model;
    /** buffers[worker][role], allocated on first use. */
    private final float[][][] buffers;

    Workspace(ARNN model, int workers) {
        this.model = model;
        this.buffers = new float[workers][3][];
    }

    /** Whether this workspace fits forwards of {@code other} (same layer shapes and threads). */
    boolean fits(ARNN other) {
        return other.chunkFloats() == model.chunkFloats() && other.threads() <= buffers.length;
    }

    /** Worker {@code worker}'s buffer for {@code role}: chunk-sized plus the kernels' over-read padding. */
    float[] buffer(int worker, int role) {
        float[][] mine = buffers[worker];
        if (mine[role] == null) {
            mine[role] = new float[model.chunkFloats() + Kernels.OVERREAD_PADDING];
        }
        return mine[role];
    }
}
