package io.jarnn.nn;

import io.jarnn.kernels.Kernels;

/**
 * Caller-owned scratch for full forward passes of one model shape: three activation-sized
 * buffers per worker thread (input, output and the layer's own scratch), allocated on first use and reused by every later call, so that a steady-state
 * forward allocates nothing but its result. Not thread-safe: one workspace per calling thread.
 */
public final class Workspace {
    private final ARNN model;
    private final float[][] first;
    private final float[][] second;
    private final float[][] third;

    Workspace(ARNN model, int workers) {
        this.model = model;
        this.first = new float[workers][];
        this.second = new float[workers][];
        this.third = new float[workers][];
    }

    /** Whether this workspace fits forwards of {@code other} (same layer shapes and threads). */
    boolean fits(ARNN other) {
        return other.chunkFloats() == model.chunkFloats() && other.threads() <= first.length;
    }

    float[] first(int worker) {
        if (first[worker] == null) {
            first[worker] = new float[model.chunkFloats() + Kernels.OVERREAD_PADDING];
        }
        return first[worker];
    }

    float[] second(int worker) {
        if (second[worker] == null) {
            second[worker] = new float[model.chunkFloats() + Kernels.OVERREAD_PADDING];
        }
        return second[worker];
    }

    float[] third(int worker) {
        if (third[worker] == null) {
            third[worker] = new float[model.chunkFloats() + Kernels.OVERREAD_PADDING];
        }
        return third[worker];
    }
}
