package io.jarnn.nn;

import io.jarnn.kernels.Kernels;

import java.util.Arrays;
import java.util.List;

/**
 * Caller-owned scratch for gradients, Jacobians and vector-Jacobian products of one model shape
 * (see {@link ARNN#newGradientWorkspace()}): per worker, the inputs of every layer of one chunk
 * (of one sample for planar convolutions, whose chunks run sample by sample)
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
    /**
     * Samples per chunk of a gradient, fixed by the model's shape (never by threads): the
     * model's {@link ARNN#chunkRows()}, or for a dense model
     * {@link Tuning#DENSE_GRADIENT_BLOCKS} times that, as its parameter gradient is one partial sum of
     * P floats per chunk, zeroed and added to the result from memory; the chunk's blocks of
     * {@link #blockRows} continue its sums in sample order.
     */
    final int chunkRows;
    /** Samples per block a worker's buffers hold: the model's {@link ARNN#chunkRows()}. */
    final int blockRows;
    /**
     * Samples the activation and gradient buffers hold: a block's, or one for the planar
     * layout, whose chunks run sample by sample ({@link Backprop}).
     */
    private final int bufferRows;
    /** Floats of the widest activation or gradient of a block (or of a sample, planar). */
    private final int chunkFloats;
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
    /**
     * A planar model of short reach: every layer's activations at a position by its context
     * ({@link ContextTable}; row layout {@link #forwardTableOffsets}), which a Jacobian's samples
     * copy instead of running the forward; null for other models.
     */
    final ContextTable forwardTable;
    /** Where layer l's outputs start in a {@link #forwardTable} row: the widths of the layers before it summed. */
    final int[] forwardTableOffsets;
    /** The model whose activations {@link #forwardTable} holds (null before it is first filled). */
    ARNN forwardTableModel;

    GradientWorkspace(ARNN model) {
        this(model, false);
    }

    /**
     * With {@code rowMajor}, the row-major layout whatever the layers, in chunks of the size the
     * model's own layout takes: its results must be bitwise those of that layout (the tests
     * hold every layout to it).
     */
    GradientWorkspace(ARNN model, boolean rowMajor) {
        this.model = model;
        this.specs = model.config().layerSpecs();
        int n = model.hilbert().size();
        List<MaskedLayer> layers = model.layers();
        int width = 1;
        for (MaskedLayer l : layers) {
            width = Math.max(width, l.outFeatures());
        }
        if (rowMajor) {
            layout = Layout.ROW_MAJOR;
            stride = n;
            chunkRows = layers.stream().allMatch(l -> l instanceof MaskedDense1D)
                    ? Math.multiplyExact(model.chunkRows(), Tuning.DENSE_GRADIENT_BLOCKS) : model.chunkRows();
        } else if (layers.stream().allMatch(l -> l instanceof MaskedConv1D)) {
            layout = Layout.PLANAR;
            stride = n < Tuning.PLANAR_ROW_GAP_MIN_SITES ? n : n + Tuning.PLANAR_ROW_GAP;
            chunkRows = model.chunkRows();
        } else if (layers.stream().allMatch(l -> l instanceof MaskedDense1D)) {
            layout = Layout.FEATURE_MAJOR;
            stride = n;
            chunkRows = Math.multiplyExact(model.chunkRows(), Tuning.DENSE_GRADIENT_BLOCKS);
        } else {
            layout = Layout.ROW_MAJOR;
            stride = n;
            chunkRows = model.chunkRows();
        }
        // A row-major chunk is one block.
        blockRows = layout == Layout.ROW_MAJOR ? chunkRows : model.chunkRows();
        bufferRows = layout == Layout.PLANAR ? 1 : blockRows;
        chunkFloats = Math.multiplyExact(bufferRows, Math.multiplyExact(stride, width));
        int depth = layers.size();
        inputStash = new int[depth + 1];
        gradientStash = new int[depth];
        inputStride = new int[depth];
        if (layout == Layout.FEATURE_MAJOR) {
            int blocks = chunkRows / blockRows;
            for (int l = 0; l < depth; l++) {
                MaskedLayer layer = layers.get(l);
                inputStride[l] = Math.addExact(n * layer.inFeatures(), Tuning.PLANAR_ROW_GAP);
                int slabs = (n * layer.inFeatures() + Tuning.DENSE_GRADIENT_SLAB - 1) / Tuning.DENSE_GRADIENT_SLAB;
                int blockInput = Math.max(Math.multiplyExact(blockRows, inputStride[l]),
                        Math.multiplyExact(slabs, slabStride()));
                gradientStash[l] = Math.addExact(inputStash[l], Math.multiplyExact(blocks, blockInput));
                inputStash[l + 1] = Math.addExact(gradientStash[l], Math.multiplyExact(blocks,
                        Math.multiplyExact(blockRows, n * layer.outFeatures())));
            }
        }
        stashFloats = inputStash[depth];
        activationOffsets = new int[layers.size() + 1];
        for (int l = 0; l < layers.size(); l++) {
            activationOffsets[l + 1] = Math.addExact(activationOffsets[l],
                    Math.multiplyExact(bufferRows, Math.multiplyExact(stride, layers.get(l).inFeatures())));
        }
        forwardTableOffsets = new int[depth + 1];
        long reach = 0;
        for (int l = 0; l < depth; l++) {
            forwardTableOffsets[l + 1] = forwardTableOffsets[l] + layers.get(l).outFeatures();
            if (layers.get(l) instanceof MaskedConv1D c) {
                reach += (long) (c.kernelSize() - 1) * c.dilation();
            }
        }
        forwardTable = layout == Layout.PLANAR
                ? ContextTable.forModel(model, (int) Math.min(n, reach), forwardTableOffsets[depth]) : null;
    }

    /**
     * Where a dense chunk's blocks keep what its parameter gradient needs, per layer and block:
     * the layer's input (in column slabs, {@link #slabStride}, or for a Jacobian as sample rows,
     * {@link #inputStride} apart) and the gradient of its output, (N*out, blockRows); empty for
     * other layouts.
     */
    private final int[] inputStash;
    private final int[] gradientStash;
    private final int[] inputStride;
    private final int stashFloats;

    /** Start of layer l's input rows of block {@code block} in {@link Worker#stash}. */
    int inputStash(int l, int block) {
        return inputStash[l] + block * (gradientStash[l] - inputStash[l]) / blocksPerChunk();
    }

    /** Start of the gradient of layer l's output of block {@code block} in {@link Worker#stash}. */
    int gradientStash(int l, int block) {
        return gradientStash[l] + block * (inputStash[l + 1] - gradientStash[l]) / blocksPerChunk();
    }

    /**
     * Floats from one sample row of layer l's stashed input to the next: N*in and a gap, so
     * that the rows a product walks through do not all fall in one cache set (rows of 4 KiB
     * multiples would; see {@link Tuning#PLANAR_ROW_GAP}).
     */
    int inputStride(int l) {
        return inputStride[l];
    }

    /**
     * Floats from one column slab of a block's stashed layer input to the next, when the chunk
     * stashes it in slabs for its parameter gradient ({@link Tuning#DENSE_GRADIENT_SLAB} columns
     * of each of the block's samples, contiguous); a Jacobian stashes sample rows instead
     * ({@link #inputStride}). Either fits a block's room.
     */
    int slabStride() {
        return blockRows * Tuning.DENSE_GRADIENT_SLAB;
    }

    private int blocksPerChunk() {
        return chunkRows / blockRows;
    }

    /** Whether this workspace fits {@code other}: the same layers' shapes and chunk size (any parameters, threads). */
    boolean fits(ARNN other) {
        return other.chunkRows() == model.chunkRows() && other.config().layerSpecs().equals(specs);
    }

    /** Makes room for workers {@code 0 .. count - 1}; on the calling thread, before the workers start. */
    void ensureWorkers(int count) {
        int had = workers.length;
        if (count > had) {
            workers = Arrays.copyOf(workers, count);
        }
    }

    /** Forgets the non-finite Jacobian rows the workers found (a worker made later starts clear). */
    void clearNonFiniteRows() {
        for (Worker w : workers) {
            if (w != null) {
                w.firstNonFiniteRow = Integer.MAX_VALUE;
            }
        }
    }

    /** The first non-finite Jacobian row any worker found since {@link #clearNonFiniteRows}, or Integer.MAX_VALUE. */
    int firstNonFiniteRow() {
        int first = Integer.MAX_VALUE;
        for (Worker w : workers) {
            if (w != null) {
                first = Math.min(first, w.firstNonFiniteRow);
            }
        }
        return first;
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
        /** The chosen local indices as floats, for the seed kernel that reads them as vectors. */
        final float[] chosenIndices;
        /** A dense chunk's layer inputs and output gradients, block by block (see {@link #inputStash}). */
        final float[] stash;
        /**
         * A convolution's output gradient shifted by each tap, and its parameter-gradient tile
         * ({@link MaskedConv1D#backwardParametersPlanarTapColumns}), for the layers that take
         * it; empty otherwise.
         */
        final float[] shifted;
        final float[] tile;
        /** Ones, at least a chunk's rows and padding: the feature-major bias gradient's sums as products. */
        final float[] ones;
        private float[] partial;
        private float[] panel;
        /** The first sample of a Jacobian whose row is not finite, as this worker found them (planar chunks). */
        int firstNonFiniteRow = Integer.MAX_VALUE;

        Worker() {
            int n = model.hilbert().size();
            int ls = model.hilbert().localSize();
            int logits = activationOffsets[activationOffsets.length - 1];
            activations = new float[Math.addExact(Math.addExact(logits, bufferRows * stride * ls), Kernels.OVERREAD_PADDING)];
            int wide = Math.addExact(chunkFloats, Kernels.OVERREAD_PADDING);
            ones = new float[blockRows + Kernels.OVERREAD_PADDING];
            Arrays.fill(ones, 1f);
            gradient = new float[wide];
            other = new float[wide];
            // The dense parameter gradient's sample rows have a gap after each.
            scratch = new float[Math.addExact(wide, bufferRows * Tuning.PLANAR_ROW_GAP)];
            chosen = new int[bufferRows * n];
            chosenIndices = new float[bufferRows * n];
            stash = new float[Math.addExact(stashFloats, Kernels.OVERREAD_PADDING)];
            int shiftedFloats = 0;
            int tileFloats = 0;
            for (MaskedLayer l : model.layers()) {
                if (layout == Layout.PLANAR && l instanceof MaskedConv1D c && c.tapColumnsPay(Tuning.VECTOR_FLOATS)) {
                    shiftedFloats = Math.max(shiftedFloats, Math.multiplyExact(n, c.tapColumnsWidth()));
                    tileFloats = Math.max(tileFloats, Math.multiplyExact(c.inFeatures(), c.taps() * c.outFeatures()));
                }
            }
            shifted = new float[Math.addExact(shiftedFloats, Kernels.OVERREAD_PADDING)];
            tile = new float[Math.addExact(tileFloats, Kernels.OVERREAD_PADDING)];
        }

        /**
         * One dense site's parameter-gradient panel (or a layer's bias gradient), summed from
         * zero and added to the gradient while in cache (one thread); allocated on first use.
         */
        float[] panel() {
            if (panel == null) {
                int floats = 0;
                for (MaskedLayer l : model.layers()) {
                    if (l instanceof MaskedDense1D d) {
                        int sites = d.spec().sites();
                        floats = Math.max(floats, Math.max(d.panelOffset(sites) - d.panelOffset(sites - 1),
                                sites * d.outFeatures()));
                    }
                }
                // At least a tile of a narrow layer's site group (six rows of a slab).
                floats = Math.max(floats, 6 * Tuning.DENSE_GRADIENT_SLAB);
                panel = new float[Math.addExact(floats, Kernels.OVERREAD_PADDING)];
            }
            return panel;
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
