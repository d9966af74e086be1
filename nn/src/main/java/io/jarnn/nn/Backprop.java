package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.kernels.BackwardKernels;
import io.jarnn.kernels.Kernels;

import java.util.Arrays;
import java.util.List;

/**
 * Reverse-mode differentiation of an {@link ARNN}, chunk by chunk: a forward pass that keeps
 * every layer's input (bitwise the model's own forward), the backward of the normalisation
 * (with the sector rule on constrained spaces) and of the gather of the chosen states, then each
 * layer's backward in reverse order with selu' between layers. Each chunk runs in the layout of
 * the model's own forward ({@link GradientWorkspace.Layout}): convolutional models planar
 * ({@link MaskedConv1D#backwardInputPlanar}, {@link MaskedConv1D#backwardParametersPlanar}),
 * dense models feature-major ({@link MaskedDense1D#backwardInputFeatureMajor},
 * {@link MaskedDense1D#backwardParametersFeatureMajor}), others (conv2d) row-major (the layers'
 * {@code backwardInput} / {@code backwardParameters}); only the small per-layer switches of
 * layout are transposes ({@link io.jarnn.kernels.BackwardKernels#transpose}).
 *
 * <p>The order of every sum is fixed per output element, whatever the blocking: an input
 * gradient takes its fused multiply-adds in ascending (tap, channel) for a convolution and
 * ascending (output site, channel) for a dense layer, from 0; a parameter gradient sums its
 * chunk's samples in ascending order (and, for a convolution, each sample's positions in
 * ascending order); both are the orders of the row-major path, so the three layouts give the
 * same bits for the same chunks ({@code BackwardLayoutTest}).
 *
 * <p>Parameter gradients summed over a batch are per-chunk partial sums over the fixed chunks of
 * {@link GradientWorkspace#chunkRows} samples (set by the model's shape), each from zero, added to
 * the result in chunk order
 * ({@link ChunkOrder}); Jacobian rows and layer-output gradients belong to one sample each. So
 * every result has the same bits on any number of threads.
 */
final class Backprop {
    /** The weight of every configuration of a Jacobian row: 1, shared by all rows. */
    private static final float[] ONE = {1f};

    private Backprop() {
    }

    /**
     * {@code grad[gradOff ..] = sum_b w_b d logPsi(sigma_b) / d theta} (flat, the model's order),
     * or with {@code cotangent} non-null the VJP of the conditionals' logPsi, also writing the
     * layer-output gradients into {@code layerOutputs} when that is non-null.
     */
    static void reduce(ARNN m, Tensor inputs, float[] weights, int weightsOff, Tensor cotangent,
                       Tensor[] layerOutputs, float[] grad, int gradOff, GradientWorkspace ws) {
        int batch = inputs.dim(0);
        int chunkRows = ws.chunkRows;
        int chunks = (batch + chunkRows - 1) / chunkRows;
        int count = m.parameterCount();
        Arrays.fill(grad, gradOff, gradOff + count, 0f);
        int workers = ParallelChunks.workers(chunks, m.threads());
        ws.ensureWorkers(workers);
        if (workers <= 1) {
            // No lambda, no turn-taking: a single-threaded call allocates nothing.
            GradientWorkspace.Worker worker = ws.worker(0);
            for (int c = 0; c < chunks; c++) {
                if (ws.layout == GradientWorkspace.Layout.FEATURE_MAJOR) {
                    // Chunks in order on this thread: each panel's partial sum goes to grad at
                    // once, from a buffer that stays in cache (featureMajorParameters).
                    chunk(m, inputs, weights, weightsOff, cotangent, layerOutputs, null, 0, c, batch, ws, worker, null,
                            grad, gradOff);
                } else {
                    float[] partial = worker.partial();
                    chunk(m, inputs, weights, weightsOff, cotangent, layerOutputs, null, 0, c, batch, ws, worker,
                            partial, null, 0);
                    add(partial, grad, gradOff, count);
                }
            }
        } else {
            ChunkOrder order = new ChunkOrder();
            ParallelChunks.run(chunks, m.threads(), (w, c) -> {
                GradientWorkspace.Worker worker = ws.worker(w);
                float[] partial = worker.partial();
                boolean done = false;
                try {
                    chunk(m, inputs, weights, weightsOff, cotangent, layerOutputs, null, 0, c, batch, ws, worker,
                            partial, null, 0);
                    done = true;
                } finally {
                    order.awaitTurn(c);
                    try {
                        if (done) {
                            add(partial, grad, gradOff, count);
                        }
                    } finally {
                        order.advance();
                    }
                }
            });
        }
    }

    /**
     * Rows of d logPsi(sigma_b) / d theta, (batch, P) at {@code jacobianOff}; returns the first
     * row with an entry that is not finite, or -1. A convolutional (planar) chunk zeroes and
     * checks each sample's row right around its products, while the row is in cache, rather
     * than in a pass of its own over the whole Jacobian before and after.
     */
    static int jacobian(ARNN m, Tensor inputs, float[] jacobian, int jacobianOff, GradientWorkspace ws) {
        int batch = inputs.dim(0);
        int chunkRows = ws.chunkRows;
        int chunks = (batch + chunkRows - 1) / chunkRows;
        int workers = ParallelChunks.workers(chunks, m.threads());
        ws.ensureWorkers(workers);
        ws.clearNonFiniteRows();
        ContextTable table = ws.forwardTable;
        // The table costs R + 1 positions of the forward per context; it replaces N per sample.
        if (table != null && ws.forwardTableModel != m
                && (long) table.contexts() * (table.reach() + 1) < (long) batch * m.hilbert().size()) {
            fillForwardTable(m, ws);
        }
        if (workers <= 1) {
            for (int c = 0; c < chunks; c++) {
                chunk(m, inputs, ONE, 0, null, null, jacobian, jacobianOff, c, batch, ws, ws.worker(0), null, null, 0);
            }
        } else {
            ParallelChunks.run(chunks, m.threads(), (w, c) -> chunk(m, inputs, ONE, 0, null, null, jacobian, jacobianOff, c,
                    batch, ws, ws.worker(w), null, null, 0));
        }
        int count = m.parameterCount();
        int first = Integer.MAX_VALUE;
        if (ws.layout == GradientWorkspace.Layout.PLANAR) {
            first = ws.firstNonFiniteRow();
        } else {
            for (int b = 0; b < batch && first == Integer.MAX_VALUE; b++) {
                if (!ARNN.allFinite(jacobian, jacobianOff + b * count, count)) {
                    first = b;
                }
            }
        }
        return first == Integer.MAX_VALUE ? -1 : first;
    }

    /**
     * Fills {@code ws.forwardTable} with {@code m}'s activations: each context, as a sample whose
     * first R sites hold it, through {@link #planarForward} over positions 0 .. R (all a site up
     * to R reads), and every layer's outputs at position j recorded for the prefix of length j
     * (position R: the whole context), in worker 0's planes (on the calling thread, before any
     * worker starts).
     */
    private static void fillForwardTable(ARNN m, GradientWorkspace ws) {
        ContextTable t = ws.forwardTable;
        int n = m.hilbert().size();
        int r = t.reach();
        int stride = ws.stride;
        int[] act = ws.activationOffsets;
        int[] offsets = ws.forwardTableOffsets;
        float[] a = ws.worker(0).activations;
        float[] values = t.values();
        float[] localValues = LocalStates.values(m.hilbert());
        List<MaskedLayer> layers = m.layers();
        for (int c = 0; c < t.contexts(); c++) {
            t.writeSample(c, localValues, a, act[0], n);
            planarForward(m, a, act, stride, r + 1);
            for (int j = 0; j <= r; j++) {
                int row = t.recordRow(c, j);
                if (row >= 0) {
                    for (int l = 0; l < layers.size(); l++) {
                        int out = layers.get(l).outFeatures();
                        for (int f = 0; f < out; f++) {
                            values[row + offsets[l] + f] = a[act[l + 1] + f * stride + j];
                        }
                    }
                }
            }
        }
        ws.forwardTableModel = m;
    }

    /**
     * The planar forward of the sample in {@code a}'s input plane over positions
     * {@code [0, end)}: the wavefront of the model's own ({@link ARNN#planarBlock}: every layer
     * and its selu on a block of positions before the next block), every layer's input kept.
     */
    private static void planarForward(ARNN m, float[] a, int[] act, int stride, int end) {
        int n = m.hilbert().size();
        Kernels kernels = m.kernels();
        List<MaskedLayer> layers = m.layers();
        int depth = layers.size();
        int block = m.planarBlock();
        for (int from = 0; from < end; from += block) {
            int to = Math.min(end, from + block);
            for (int l = 0; l < depth; l++) {
                MaskedConv1D layer = (MaskedConv1D) layers.get(l);
                layer.forwardPlanarPositions(kernels, a, act[l], a, act[l + 1], stride, from, to);
                if (l + 1 < depth) {
                    if (to - from == n) {
                        // One block: the whole plane in one call (gaps too: never read for a
                        // result), rather than a short call per row at a small N.
                        kernels.selu(a, act[l + 1], a, act[l + 1], layer.outFeatures() * stride);
                    } else {
                        for (int c = 0; c < layer.outFeatures(); c++) {
                            int row = act[l + 1] + c * stride + from;
                            kernels.selu(a, row, a, row, to - from);
                        }
                    }
                }
            }
        }
    }

    /**
     * {@link #planarForward} from {@code ws.forwardTable}: position p's activations of every
     * layer copied from the row of its context (the sample's local indices before p).
     */
    private static void tableForward(ARNN m, GradientWorkspace ws, float[] x, int xOff, float[] a) {
        ContextTable t = ws.forwardTable;
        float[] values = t.values();
        int[] offsets = ws.forwardTableOffsets;
        int[] act = ws.activationOffsets;
        int stride = ws.stride;
        int n = m.hilbert().size();
        List<MaskedLayer> layers = m.layers();
        int code = 0;
        for (int p = 0; p < n; p++) {
            int row = t.row(p, code);
            for (int l = 0; l < layers.size(); l++) {
                int out = layers.get(l).outFeatures();
                int at = act[l + 1] + p;
                for (int f = 0; f < out; f++) {
                    a[at + f * stride] = values[row + offsets[l] + f];
                }
            }
            code = t.next(code, LocalStates.indexOrNegative(m.hilbert(), x[xOff + p]));
        }
    }

    private static void add(float[] partial, float[] grad, int gradOff, int count) {
        for (int e = 0; e < count; e++) {
            grad[gradOff + e] += partial[e];
        }
    }

    /**
     * One chunk: forward with the layers' inputs kept, the seed, then every layer backward, in
     * the layout of the model's own forward ({@link GradientWorkspace.Layout}). The parameter
     * gradient goes to {@code partial} (zeroed first), or, for a Jacobian, to each sample's row,
     * or (a dense chunk with {@code sum} non-null, on one thread) is added to {@code sum} panel by
     * panel: the same bits as the partial added whole, in less memory traffic.
     */
    private static void chunk(ARNN m, Tensor inputs, float[] weights, int weightsOff, Tensor cot,
                              Tensor[] layerOutputs, float[] jac, int jacOff, int chunk, int batch,
                              GradientWorkspace ws, GradientWorkspace.Worker w, float[] partial,
                              float[] sum, int sumOff) {
        int first = chunk * ws.chunkRows;
        int rows = Math.min(ws.chunkRows, batch - first);
        int count = m.parameterCount();
        if (partial != null) {
            Arrays.fill(partial, 0, count, 0f);
        } else if (jac != null && ws.layout != GradientWorkspace.Layout.PLANAR) {
            // A planar chunk zeroes each sample's row itself (planarSample).
            Arrays.fill(jac, jacOff + first * count, jacOff + (first + rows) * count, 0f);
        }
        switch (ws.layout) {
            case PLANAR -> planarChunk(m, inputs, weights, weightsOff, cot, layerOutputs, jac, jacOff, first, rows,
                    ws, w, partial);
            case FEATURE_MAJOR -> {
                int blocks = 0;
                for (int b0 = 0; b0 < rows; b0 += ws.blockRows, blocks++) {
                    featureMajorBlock(m, inputs, weights, weightsOff, cot, layerOutputs, jac, jacOff,
                            first + b0, Math.min(ws.blockRows, rows - b0), blocks, ws, w);
                }
                if (partial != null) {
                    featureMajorParameters(m, rows, blocks, ws, w, partial, 0, false);
                } else if (jac == null) {
                    featureMajorParameters(m, rows, blocks, ws, w, sum, sumOff, true);
                }
            }
            case ROW_MAJOR -> rowMajorChunk(m, inputs, weights, weightsOff, cot, layerOutputs, jac, jacOff, first, rows,
                    ws, w, partial);
        }
    }

    /**
     * A convolutional chunk in the planar layout of {@link MaskedConv1D#forwardPlanar}, one
     * sample after the other ({@link #planarSample}): a sample's planes (about 70 KiB per layer
     * at N = 1024, 16 features) stay in L2 from its forward to its last parameter product, where
     * the whole chunk's (64 samples, megabytes per layer) went through memory once per pass. The
     * parameter gradient continues each element's sum sample by sample, in ascending order: the
     * sums of one product over the chunk, the same bits.
     */
    private static void planarChunk(ARNN m, Tensor inputs, float[] weights, int weightsOff, Tensor cot,
                                    Tensor[] layerOutputs, float[] jac, int jacOff, int first, int rows,
                                    GradientWorkspace ws, GradientWorkspace.Worker w, float[] partial) {
        for (int r = 0; r < rows; r++) {
            planarSample(m, inputs, weights, weightsOff, cot, layerOutputs, jac, jacOff, first + r, ws, w, partial);
        }
    }

    /**
     * One sample of a convolutional chunk, planar: (features, positions) rows {@code ws.stride}
     * apart, every product vectorised along the positions. The forward runs the wavefront of the
     * model's own ({@link ARNN#planarBlock}: every layer and its selu on a block of positions
     * before the next block), keeping every layer's input. The logits go to rows of localSize
     * for the seed and its gradient back (constrained spaces and cotangents); each layer's
     * output gradient goes to rows once, for its parameter gradient (and the VJP's layer
     * outputs). Forward, input gradients and parameter gradients take the operations of the
     * row-major path in the same order: the same bits.
     */
    private static void planarSample(ARNN m, Tensor inputs, float[] weights, int weightsOff, Tensor cot,
                                     Tensor[] layerOutputs, float[] jac, int jacOff, int sample,
                                     GradientWorkspace ws, GradientWorkspace.Worker w, float[] partial) {
        int n = m.hilbert().size();
        int ls = m.hilbert().localSize();
        int stride = ws.stride;
        Kernels kernels = m.kernels();
        BackwardKernels backward = kernels.backward();
        List<MaskedLayer> layers = m.layers();
        int depth = layers.size();
        int[] act = ws.activationOffsets;
        float[] a = w.activations;
        float[] scratch = w.scratch;

        float[] x = inputs.array();
        System.arraycopy(x, inputs.offset() + sample * n, a, act[0], n);
        if (ws.forwardTableModel == m) {
            tableForward(m, ws, x, inputs.offset() + sample * n, a);
        } else {
            planarForward(m, a, act, stride, n);
        }

        float[] g = w.gradient;
        float[] other = w.other;
        if (cot == null && !m.hilbert().isConstrained()) {
            // The seed along the positions, in place in the planar layout.
            float[] chosen = w.chosenIndices;
            for (int e = 0; e < n; e++) {
                chosen[e] = LocalStates.indexOrNegative(m.hilbert(), x[inputs.offset() + sample * n + e]);
            }
            boolean one = jac != null;
            backward.logNormalizeColumnsBackwardChosen(a, act[depth], stride, chosen, 0,
                    one ? ONE : weights, one ? 0 : weightsOff + sample, 0, g, 0, stride, ls, n, m.machinePow());
        } else {
            toRows(backward, a, act[depth], stride, n, 1, ls, scratch, 0);
            seed(m, inputs, weights, weightsOff, cot, jac != null, sample, 1, scratch, 0, w.chosen, other);
            toPlanar(backward, other, 0, n, 1, ls, g, 0, stride);
        }

        int count = m.parameterCount();
        int[] params = m.parameterOffsets();
        if (jac != null) {
            Arrays.fill(jac, jacOff + sample * count, jacOff + (sample + 1) * count, 0f);
        }
        for (int l = depth - 1; l >= 0; l--) {
            MaskedConv1D layer = (MaskedConv1D) layers.get(l);
            int in = layer.inFeatures();
            int out = layer.outFeatures();
            boolean tapColumns = layer.tapColumnsPay(Tuning.VECTOR_FLOATS);
            if (layerOutputs != null || !tapColumns) {
                toRows(backward, g, 0, stride, n, 1, out, scratch, 0);
            }
            if (layerOutputs != null) {
                Tensor t = layerOutputs[l];
                System.arraycopy(scratch, 0, t.array(), t.offset() + sample * n * out, n * out);
            }
            float[] into = partial != null ? partial : jac;
            int at = partial != null ? params[l] : jacOff + sample * count + params[l];
            if (tapColumns) {
                layer.backwardParametersPlanarTapColumns(kernels, backward, a, act[l], stride, g, 0, w.shifted, w.tile,
                        into, at);
            } else {
                layer.backwardParametersPlanar(kernels, backward, a, act[l], stride, scratch, 0, 1, into, at);
            }
            if (l > 0) {
                layer.backwardInputPlanar(kernels, g, 0, 1, other, 0, stride);
                backward.seluBackward(a, act[l], other, 0, other, 0, in * stride);
                float[] t = g;
                g = other;
                other = t;
            }
        }
        if (jac != null && sample < w.firstNonFiniteRow && !ARNN.allFinite(jac, jacOff + sample * count, count)) {
            w.firstNonFiniteRow = sample;
        }
    }

    /**
     * One block of a dense chunk feature-major, as {@link MaskedDense1D#forwardFeatureMajor}:
     * the block's samples are the columns of every array ((N*features, rows)), the products
     * vectorised along them. The seed runs along the samples site by site; each layer's
     * input goes to sample rows and its output gradient stays, both in the worker's stash under
     * {@code block}, for {@link #featureMajorParameters} (or at once, for Jacobian rows). The
     * same operations per element, in the same order, as the row-major path: the same bits.
     */
    private static void featureMajorBlock(ARNN m, Tensor inputs, float[] weights, int weightsOff, Tensor cot,
                                          Tensor[] layerOutputs, float[] jac, int jacOff, int first, int rows,
                                          int block, GradientWorkspace ws, GradientWorkspace.Worker w) {
        int n = m.hilbert().size();
        int ls = m.hilbert().localSize();
        Kernels kernels = m.kernels();
        BackwardKernels backward = kernels.backward();
        List<MaskedLayer> layers = m.layers();
        int depth = layers.size();
        int[] act = ws.activationOffsets;
        float[] a = w.activations;
        float[] scratch = w.scratch;
        float[] stash = w.stash;
        int cols = rows;

        Transpose.of(backward, inputs.array(), inputs.offset() + first * n, rows, n, a, act[0]);
        for (int l = 0; l < depth; l++) {
            MaskedDense1D layer = (MaskedDense1D) layers.get(l);
            layer.forwardFeatureMajor(kernels, a, act[l], cols, a, act[l + 1]);
            if (l + 1 < depth) {
                kernels.selu(a, act[l + 1], a, act[l + 1], rows * n * layer.outFeatures());
            }
        }

        int g = ws.gradientStash(depth - 1, block);
        if (cot == null && !m.hilbert().isConstrained()) {
            float[] chosen = w.chosenIndices;
            float[] x = inputs.array();
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < n; i++) {
                    chosen[i * cols + r] = LocalStates.indexOrNegative(m.hilbert(), x[inputs.offset() + (first + r) * n + i]);
                }
            }
            boolean one = jac != null;
            for (int i = 0; i < n; i++) {
                backward.logNormalizeColumnsBackwardChosen(a, act[depth] + i * ls * cols, cols, chosen, i * cols,
                        one ? ONE : weights, one ? 0 : weightsOff + first, one ? 0 : 1, stash, g + i * ls * cols, cols,
                        ls, cols, m.machinePow());
            }
        } else {
            Transpose.of(backward, a, act[depth], n * ls, cols, scratch, 0);
            seed(m, inputs, weights, weightsOff, cot, jac != null, first, rows, scratch, 0, w.chosen, w.other);
            Transpose.of(backward, w.other, 0, rows, n * ls, stash, g);
        }

        int count = m.parameterCount();
        int[] params = m.parameterOffsets();
        for (int l = depth - 1; l >= 0; l--) {
            MaskedDense1D layer = (MaskedDense1D) layers.get(l);
            int in = layer.inFeatures();
            int out = layer.outFeatures();
            g = ws.gradientStash(l, block);
            if (layerOutputs != null) {
                Tensor t = layerOutputs[l];
                Transpose.of(backward, stash, g, n * out, cols, t.array(), t.offset() + first * n * out);
            }
            int xRows = ws.inputStash(l, block);
            int xStride = ws.inputStride(l);
            if (jac != null) {
                // Sample rows a gap apart: rows of 4 KiB multiples would all fall in one cache set.
                backward.transpose(a, act[l], cols, n * in, cols, stash, xRows, xStride);
                for (int r = 0; r < rows; r++) {
                    layer.backwardParametersFeatureMajor(kernels, stash, xRows + r * xStride, xStride, 0, stash, g + r,
                            cols, 0, 1, 1, w.ones, jac, jacOff + (first + r) * count + params[l]);
                }
            } else {
                // Column slabs, each holding its columns of the block's samples contiguously.
                int slab = Tuning.DENSE_GRADIENT_SLAB;
                for (int k0 = 0, s = 0; k0 < n * in; k0 += slab, s++) {
                    backward.transpose(a, act[l] + k0 * cols, cols, Math.min(slab, n * in - k0), cols, stash,
                            xRows + s * ws.slabStride(), slab);
                }
            }
            if (l > 0) {
                int dx = ws.gradientStash(l - 1, block);
                // With the selu's backward site by site, while each site's rows are in L1.
                layer.backwardInputFeatureMajor(kernels, stash, g, cols, stash, dx, a, act[l]);
            }
        }
    }

    /**
     * The parameter gradient of a dense chunk from its blocks' stashed layer inputs and output
     * gradients: per layer one product over all the chunk's samples, block after block (its
     * taps) in ascending order, so each parameter's sum runs over the chunk's samples in order
     * and its partial sum is loaded and stored once per chunk rather than once per block.
     * {@code panelByPanel}: each site's panel (and the bias) summed from zero in the worker's
     * {@link GradientWorkspace.Worker#panel} and added to {@code into} at once, while in cache;
     * else the whole partial sum is accumulated in {@code into} (zeroed by the caller).
     */
    private static void featureMajorParameters(ARNN m, int rows, int blocks, GradientWorkspace ws,
                                               GradientWorkspace.Worker w, float[] into, int intoOff,
                                               boolean panelByPanel) {
        Kernels kernels = m.kernels();
        List<MaskedLayer> layers = m.layers();
        int[] params = m.parameterOffsets();
        int full = rows / ws.blockRows;
        for (int l = 0; l < layers.size(); l++) {
            MaskedDense1D layer = (MaskedDense1D) layers.get(l);
            int slab = Tuning.DENSE_GRADIENT_SLAB;
            if (layer.panelGroup() > 1) {
                // A narrow layer in tiles of several sites, each summed apart and added: in
                // either mode the same bits as its sums accumulated in place from zero.
                featureMajorPanelGroups(kernels, layer, rows, full, blocks, l, ws, w, into, intoOff + params[l]);
                featureMajorPanels(kernels, layer, layer.spec().sites(), rows, full, blocks, l, ws, w, into,
                        intoOff + params[l]);
                continue;
            }
            if (panelByPanel) {
                featureMajorPanels(kernels, layer, 0, rows, full, blocks, l, ws, w, into, intoOff + params[l]);
                continue;
            }
            float[] partial = into;
            if (full > 0) {
                layer.backwardParametersFeatureMajor(kernels, w.stash, ws.inputStash(l, 0), slab,
                        ws.inputStash(l, 1) - ws.inputStash(l, 0), slab, ws.slabStride(), w.stash,
                        ws.gradientStash(l, 0), ws.blockRows, ws.gradientStash(l, 1) - ws.gradientStash(l, 0), full,
                        ws.blockRows, w.ones, partial, params[l]);
            }
            if (full < blocks) {
                int cols = rows - full * ws.blockRows;
                layer.backwardParametersFeatureMajor(kernels, w.stash, ws.inputStash(l, full), slab, 0, slab,
                        ws.slabStride(), w.stash, ws.gradientStash(l, full), cols, 0, 1, cols, w.ones, partial,
                        intoOff + params[l]);
            }
        }
    }

    /**
     * Layer l's part of {@link #featureMajorParameters} panel by panel: per site from
     * {@code firstSite} on (then the bias) the same products as the whole-partial path into a
     * zeroed buffer, then added to {@code into} at {@code layerOff}: each element is the same
     * partial sum, added once.
     */
    private static void featureMajorPanels(Kernels kernels, MaskedDense1D layer, int firstSite, int rows, int full,
                                           int blocks, int l, GradientWorkspace ws, GradientWorkspace.Worker w,
                                           float[] into, int layerOff) {
        int slab = Tuning.DENSE_GRADIENT_SLAB;
        float[] panel = w.panel();
        int sites = layer.spec().sites();
        int tail = rows - full * ws.blockRows;
        for (int j = firstSite; j <= sites; j++) {
            boolean bias = j == sites;
            if (bias && !layer.spec().useBias()) {
                break;
            }
            int size = bias ? sites * layer.outFeatures() : layer.panelOffset(j + 1) - layer.panelOffset(j);
            if (size == 0) {
                continue;
            }
            Arrays.fill(panel, 0, size, 0f);
            if (full > 0) {
                int xBlock = ws.inputStash(l, 1) - ws.inputStash(l, 0);
                int dyBlock = ws.gradientStash(l, 1) - ws.gradientStash(l, 0);
                if (bias) {
                    layer.backwardBiasFeatureMajor(kernels, w.stash, ws.gradientStash(l, 0), ws.blockRows, dyBlock,
                            full, ws.blockRows, w.ones, panel, 0);
                } else {
                    layer.backwardPanelFeatureMajor(kernels, j, w.stash, ws.inputStash(l, 0), slab, xBlock, slab,
                            ws.slabStride(), w.stash, ws.gradientStash(l, 0), ws.blockRows, dyBlock, full,
                            ws.blockRows, panel, 0);
                }
            }
            if (full < blocks) {
                if (bias) {
                    layer.backwardBiasFeatureMajor(kernels, w.stash, ws.gradientStash(l, full), tail, 0, 1, tail,
                            w.ones, panel, 0);
                } else {
                    layer.backwardPanelFeatureMajor(kernels, j, w.stash, ws.inputStash(l, full), slab, 0, slab,
                            ws.slabStride(), w.stash, ws.gradientStash(l, full), tail, 0, 1, tail, panel, 0);
                }
            }
            // One rounded addition per element, vectorised: the panel is one row of its sums.
            kernels.backward().accumulateColumnSums(panel, 0, size, 1, size, into, layerOff + layer.panelOffset(j));
        }
    }

    /**
     * The panels of a narrow layer ({@link MaskedDense1D#panelGroup} sites per group) for
     * {@link #featureMajorParameters}: each group's shared columns (its first site's panel
     * columns, which every later site of the group also has) as tiles of all the group's rows
     * of dY^T times one slab's columns, then each later site's remaining columns alone. Every
     * tile is summed from zero over the chunk's blocks in order ({@link #panelTile}) and added
     * to {@code into} at once, as {@link #featureMajorPanels} adds a site's panel: the same bits.
     */
    private static void featureMajorPanelGroups(Kernels kernels, MaskedDense1D layer, int rows, int full, int blocks,
                                                int l, GradientWorkspace ws, GradientWorkspace.Worker w, float[] into,
                                                int layerOff) {
        int slab = Tuning.DENSE_GRADIENT_SLAB;
        int sites = layer.spec().sites();
        int group = layer.panelGroup();
        for (int j0 = 0; j0 < sites; j0 += group) {
            int g = Math.min(group, sites - j0);
            int shared = layer.panelRows(j0);
            for (int c0 = 0; c0 < shared; c0 += slab) {
                panelTile(kernels, layer, j0, g, c0, Math.min(slab, shared - c0), rows, full, blocks, l, ws, w, into,
                        layerOff);
            }
            for (int j = j0 + 1; j < j0 + g; j++) {
                int k = layer.panelRows(j);
                for (int c0 = shared; c0 < k; c0 = (c0 / slab + 1) * slab) {
                    panelTile(kernels, layer, j, 1, c0, Math.min((c0 / slab + 1) * slab, k) - c0, rows, full, blocks,
                            l, ws, w, into, layerOff);
                }
            }
        }
    }

    /**
     * Columns {@code [c0, c0 + width)} (within one slab) of the panels of sites
     * {@code j0 .. j0 + g - 1}: summed from zero over the chunk's full blocks, then its partial
     * one, in the worker's panel buffer (g x out rows of {@code width}), then added to each
     * site's panel in {@code into}.
     */
    private static void panelTile(Kernels kernels, MaskedDense1D layer, int j0, int g, int c0, int width, int rows,
                                  int full, int blocks, int l, GradientWorkspace ws, GradientWorkspace.Worker w,
                                  float[] into, int layerOff) {
        int slab = Tuning.DENSE_GRADIENT_SLAB;
        int out = layer.outFeatures();
        int tileRows = g * out;
        float[] tile = w.panel();
        Arrays.fill(tile, 0, tileRows * width, 0f);
        if (full > 0) {
            int xBlock = ws.inputStash(l, 1) - ws.inputStash(l, 0);
            int dyBlock = ws.gradientStash(l, 1) - ws.gradientStash(l, 0);
            layer.accumulateColumnsFeatureMajor(kernels, j0 * out, tileRows, c0, width, w.stash, ws.inputStash(l, 0),
                    slab, xBlock, slab, ws.slabStride(), w.stash, ws.gradientStash(l, 0), ws.blockRows, dyBlock, full,
                    ws.blockRows, tile, 0, width);
        }
        if (full < blocks) {
            int tail = rows - full * ws.blockRows;
            layer.accumulateColumnsFeatureMajor(kernels, j0 * out, tileRows, c0, width, w.stash,
                    ws.inputStash(l, full), slab, 0, slab, ws.slabStride(), w.stash, ws.gradientStash(l, full), tail,
                    0, 1, tail, tile, 0, width);
        }
        BackwardKernels backward = kernels.backward();
        for (int j = j0; j < j0 + g; j++) {
            int k = layer.panelRows(j);
            for (int c = 0; c < out; c++) {
                backward.accumulateColumnSums(tile, ((j - j0) * out + c) * width, width, 1, width, into,
                        layerOff + layer.panelOffset(j) + c * k + c0);
            }
        }
    }

    /** Any other model (conv2d) row-major: each layer's {@code forward}, {@code backwardInput}, {@code backwardParameters}. */
    private static void rowMajorChunk(ARNN m, Tensor inputs, float[] weights, int weightsOff, Tensor cot,
                                      Tensor[] layerOutputs, float[] jac, int jacOff, int first, int rows,
                                      GradientWorkspace ws, GradientWorkspace.Worker w, float[] partial) {
        int n = m.hilbert().size();
        Kernels kernels = m.kernels();
        BackwardKernels backward = kernels.backward();
        List<MaskedLayer> layers = m.layers();
        int depth = layers.size();
        int[] act = ws.activationOffsets;
        float[] a = w.activations;
        float[] scratch = w.scratch;

        // Forward, keeping each layer's input: the same calls as ARNN.forwardChunk.
        System.arraycopy(inputs.array(), inputs.offset() + first * n, a, act[0], rows * n);
        for (int l = 0; l < depth; l++) {
            MaskedLayer layer = layers.get(l);
            layer.forward(kernels, a, act[l], rows, a, act[l + 1], scratch);
            if (l + 1 < depth) {
                kernels.selu(a, act[l + 1], a, act[l + 1], rows * n * layer.outFeatures());
            }
        }

        float[] g = w.gradient;
        float[] other = w.other;
        seed(m, inputs, weights, weightsOff, cot, jac != null, first, rows, a, act[depth], w.chosen, g);

        int count = m.parameterCount();
        int[] params = m.parameterOffsets();
        for (int l = depth - 1; l >= 0; l--) {
            MaskedLayer layer = layers.get(l);
            int in = layer.inFeatures();
            int out = layer.outFeatures();
            if (layerOutputs != null) {
                Tensor t = layerOutputs[l];
                System.arraycopy(g, 0, t.array(), t.offset() + first * n * out, rows * n * out);
            }
            if (partial != null) {
                layer.backwardParameters(kernels, backward, a, act[l], g, 0, rows, partial, params[l], scratch);
            } else {
                for (int r = 0; r < rows; r++) {
                    layer.backwardParameters(kernels, backward, a, act[l] + r * n * in, g, r * n * out, 1,
                            jac, jacOff + (first + r) * count + params[l], scratch);
                }
            }
            if (l > 0) {
                layer.backwardInput(kernels, g, 0, rows, other, 0);
                backward.seluBackward(a, act[l], other, 0, other, 0, rows * n * in);
                float[] t = g;
                g = other;
                other = t;
            }
        }
    }

    /**
     * The seed, the gradient with respect to the logits, row-major (rows*N, localSize) into
     * {@code g} from the row-major logits at {@code logitsOff}: the backward of the normalisation
     * and of the gather of the chosen states (or of the cotangent), then the sector rule's.
     */
    private static void seed(ARNN m, Tensor inputs, float[] weights, int weightsOff, Tensor cot, boolean jacobian,
                             int first, int rows, float[] logits, int logitsOff, int[] chosen, float[] g) {
        HilbertSpace h = m.hilbert();
        int n = h.size();
        int ls = h.localSize();
        BackwardKernels backward = m.kernels().backward();
        float[] x = inputs.array();
        int xo = inputs.offset() + first * n;
        for (int e = 0; e < rows * n; e++) {
            chosen[e] = LocalStates.indexOrNegative(h, x[xo + e]);
        }
        float p = m.machinePow();
        if (cot == null) {
            backward.logNormalizeRowsBackwardChosen(logits, logitsOff, chosen, 0, weights,
                    jacobian ? 0 : weightsOff + first, jacobian ? Integer.MAX_VALUE : n, g, 0, rows * n, ls, p);
        } else {
            backward.logNormalizeRowsBackward(logits, logitsOff, cot.array(), cot.offset() + first * n * ls, g, 0,
                    rows * n, ls, p);
        }
        if (h.isConstrained()) {
            for (int r = 0; r < rows; r++) {
                float weight = jacobian || weights == null ? 1f : weights[weightsOff + first + r];
                int before = 0;
                for (int i = 0; i < n; i++) {
                    int lo = SectorRule.lowest(h, i, before);
                    int hi = SectorRule.highest(h, i, before);
                    int e = r * n + i;
                    if (!SectorRule.allAllowed(lo, hi, ls)) {
                        SectorNormalization.maskedLogNormalizeBackward(logits, logitsOff + e * ls,
                                cot == null ? null : cot.array(), cot == null ? 0 : cot.offset() + (first * n + e) * ls,
                                chosen[e], weight, g, e * ls, ls, lo, hi, p);
                    }
                    before += chosen[e];
                }
            }
        }
    }

    /** Planar (rows, width, positions), rows {@code stride} apart, to row-major (rows, N, width) at {@code dstOff}. */
    private static void toRows(BackwardKernels backward, float[] src, int srcOff, int stride, int n, int rows,
                               int width, float[] dst, int dstOff) {
        for (int r = 0; r < rows; r++) {
            backward.transpose(src, srcOff + r * width * stride, stride, width, n, dst, dstOff + r * n * width, width);
        }
    }

    /** Row-major (rows, N, width) to planar (rows, width, positions), rows {@code stride} apart. */
    private static void toPlanar(BackwardKernels backward, float[] src, int srcOff, int n, int rows, int width,
                                 float[] dst, int dstOff, int stride) {
        for (int r = 0; r < rows; r++) {
            backward.transpose(src, srcOff + r * n * width, width, n, width, dst, dstOff + r * width * stride, stride);
        }
    }
}
