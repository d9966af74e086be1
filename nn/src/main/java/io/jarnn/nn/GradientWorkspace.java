package io.jarnn.nn;

import io.jarnn.kernels.Kernels;

import java.util.Arrays;
import java.util.List;

/**
 * Caller-owned scratch for gradients, Jacobians and vector-Jacobian products of one model shape
 * (see {@link ARNN#newGradientWorkspace()}): per worker, the inputs of every layer of one chunk
 * (what the backward pass needs of the forward, in the layout of the model's own forward: see
 * {@link Layout}), two gradient buffers, the layers' scratch, the
 * chunk's partial parameter gradient and the local indices of its configurations. Allocated on
 * first use and reused by every later call, so a steady-state call allocates nothing on one
 * thread. Only workers a call really runs get buffers. Not thread-safe: one workspace per
 * calling thread.
 */
public final class GradientWorkspace {
    private final ARNN model;
    private final List<LayerSpec> specs;
    private final int chunkRows;
    /** How {@link Backprop} lays a chunk out: the layout of the model's own full forward. */
    enum Layout {
        /** Every layer a {@link MaskedConv1D}: per sample (features, positions), rows {@link #stride} apart. */
        PLANAR,
        /** Every layer a {@link MaskedDense1D}: the chunk (features x sites, samples). */
        FEATURE_MAJOR,
        /** Any other model (conv2d): (samples, sites, features). */
        ROW_MAJOR
    }

    final Layout layout;
    /** Floats between a planar row and the next ({@link Layout#PLANAR}); N otherwise. */
    final int stride;
    /** Start of layer l's input in {@link Worker#activations}; entry L is the logits. */
    final int[] activationOffsets;
    private Worker[] workers = new Worker[0];

    GradientWorkspace(ARNN model) {
        this.model = model;
        this.specs = model.config().layerSpecs();
        this.chunkRows = model.chunkRows();
        int n = model.hilbert().size();
        List<MaskedLayer> layers = model.layers();
        if (layers.stream().allMatch(l -> l instanceof MaskedConv1D)) {
            layout = Layout.PLANAR;
            stride = n + Tuning.PLANAR_ROW_GAP;
        } else if (layers.stream().allMatch(l -> l instanceof MaskedDense1D)) {
            layout = Layout.FEATURE_MAJOR;
            stride = n;
        } else {
            layout = Layout.ROW_MAJOR;
            stride = n;
        }
        activationOffsets = new int[layers.size() + 1];
        for (int l = 0; l < layers.size(); l++) {
            activationOffsets[l + 1] = Math.addExact(activationOffsets[l],
                    Math.multiplyExact(chunkRows, Math.multiplyExact(stride, layers.get(l).inFeatures())));
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
        /** Ones, at least a chunk's rows and padding: the feature-major bias gradient's sums as products. */
        final float[] ones;
        private float[] partial;

        Worker() {
            int n = model.hilbert().size();
            int ls = model.hilbert().localSize();
            int logits = activationOffsets[activationOffsets.length - 1];
            activations = new float[Math.addExact(Math.addExact(logits, chunkRows * stride * ls), Kernels.OVERREAD_PADDING)];
            int wide = Math.addExact(model.chunkFloats(), Kernels.OVERREAD_PADDING);
            ones = new float[chunkRows + Kernels.OVERREAD_PADDING];
            Arrays.fill(ones, 1f);
            gradient = new float[wide];
            other = new float[wide];
            // The dense parameter gradient's sample rows have a gap after each.
            scratch = new float[Math.addExact(wide, chunkRows * Tuning.PLANAR_ROW_GAP)];
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
