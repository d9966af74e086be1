package io.jarnn.nn;

import io.jarnn.kernels.Kernels;

import java.util.Arrays;
import java.util.List;

/**
 * Caller-owned scratch for gradients, Jacobians and vector-Jacobian products of one model shape
 * (see {@link ARNN#newGradientWorkspace()}): per worker, the inputs of every layer of one chunk
 * (what the backward pass needs of the forward), two gradient buffers, the layers' scratch, the
 * chunk's partial parameter gradient and the local indices of its configurations. Allocated on
 * first use and reused by every later call, so a steady-state call allocates nothing on one
 * thread. Only workers a call really runs get buffers. Not thread-safe: one workspace per
 * calling thread.
 */
public final class GradientWorkspace {
    private final ARNN model;
    private final List<LayerSpec> specs;
    private final int chunkRows;
    /** Start of layer l's input in {@link Worker#activations}; entry L is the logits. */
    final int[] activationOffsets;
    private Worker[] workers = new Worker[0];

    GradientWorkspace(ARNN model) {
        this.model = model;
        this.specs = model.config().layerSpecs();
        this.chunkRows = model.chunkRows();
        int n = model.hilbert().size();
        List<MaskedLayer> layers = model.layers();
        activationOffsets = new int[layers.size() + 1];
        for (int l = 0; l < layers.size(); l++) {
            activationOffsets[l + 1] = Math.addExact(activationOffsets[l],
                    Math.multiplyExact(chunkRows, Math.multiplyExact(n, layers.get(l).inFeatures())));
        }
    }

    /** Whether this workspace fits {@code other}: the same layers' shapes and chunk size (any parameters, threads). */
    boolean fits(ARNN other) {
        return other.chunkRows() == chunkRows && other.config().layerSpecs().equals(specs);
    }

    /** Makes room for workers {@code 0 .. count - 1}; on the calling thread, before the workers start. */
    void ensureWorkers(int count) {
        int had = workers.length;
        if (count > had) {
            workers = Arrays.copyOf(workers, count);
        }
    }

    /** Worker {@code w}'s buffers, allocated by that worker on first use. */
    Worker worker(int w) {
        Worker mine = workers[w];
        if (mine == null) {
            mine = new Worker();
            workers[w] = mine;
        }
        return mine;
    }

    /** One worker's buffers, each with the kernels' over-read padding. */
    final class Worker {
        final float[] activations;
        final float[] gradient;
        final float[] other;
        final float[] scratch;
        final int[] chosen;
        private float[] partial;

        Worker() {
            int n = model.hilbert().size();
            int ls = model.hilbert().localSize();
            int logits = activationOffsets[activationOffsets.length - 1];
            activations = new float[Math.addExact(Math.addExact(logits, chunkRows * n * ls), Kernels.OVERREAD_PADDING)];
            int wide = Math.addExact(model.chunkFloats(), Kernels.OVERREAD_PADDING);
            gradient = new float[wide];
            other = new float[wide];
            scratch = new float[wide];
            chosen = new int[chunkRows * n];
        }

        /** The chunk's partial parameter gradient (not needed for Jacobians, so allocated on first use). */
        float[] partial() {
            if (partial == null) {
                partial = new float[model.parameterCount()];
            }
            return partial;
        }
    }
}
