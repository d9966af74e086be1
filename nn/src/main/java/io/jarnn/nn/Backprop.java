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
 * layer's backward in reverse order with selu' between layers (see the layers'
 * {@code backwardInput} / {@code backwardParameters}).
 *
 * <p>Parameter gradients summed over a batch are per-chunk partial sums over the model's fixed
 * {@link ARNN#chunkRows()} chunks, each from zero, added to the result in chunk order
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
        int chunkRows = m.chunkRows();
        int chunks = (batch + chunkRows - 1) / chunkRows;
        int count = m.parameterCount();
        Arrays.fill(grad, gradOff, gradOff + count, 0f);
        int workers = ParallelChunks.workers(chunks, m.threads());
        ws.ensureWorkers(workers);
        if (workers <= 1) {
            // No lambda, no turn-taking: a single-threaded call allocates nothing.
            GradientWorkspace.Worker worker = ws.worker(0);
            for (int c = 0; c < chunks; c++) {
                float[] partial = worker.partial();
                chunk(m, inputs, weights, weightsOff, cotangent, layerOutputs, null, 0, c, batch, ws, worker, partial);
                add(partial, grad, gradOff, count);
            }
        } else {
            ChunkOrder order = new ChunkOrder();
            ParallelChunks.run(chunks, m.threads(), (w, c) -> {
                GradientWorkspace.Worker worker = ws.worker(w);
                float[] partial = worker.partial();
                boolean done = false;
                try {
                    chunk(m, inputs, weights, weightsOff, cotangent, layerOutputs, null, 0, c, batch, ws, worker, partial);
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

    /** Rows of d logPsi(sigma_b) / d theta, (batch, P) at {@code jacobianOff}. */
    static void jacobian(ARNN m, Tensor inputs, float[] jacobian, int jacobianOff, GradientWorkspace ws) {
        int batch = inputs.dim(0);
        int chunkRows = m.chunkRows();
        int chunks = (batch + chunkRows - 1) / chunkRows;
        int workers = ParallelChunks.workers(chunks, m.threads());
        ws.ensureWorkers(workers);
        if (workers <= 1) {
            for (int c = 0; c < chunks; c++) {
                chunk(m, inputs, ONE, 0, null, null, jacobian, jacobianOff, c, batch, ws, ws.worker(0), null);
            }
        } else {
            ParallelChunks.run(chunks, m.threads(), (w, c) -> chunk(m, inputs, ONE, 0, null, null, jacobian, jacobianOff, c,
                    batch, ws, ws.worker(w), null));
        }
    }

    private static void add(float[] partial, float[] grad, int gradOff, int count) {
        for (int e = 0; e < count; e++) {
            grad[gradOff + e] += partial[e];
        }
    }

    /**
     * One chunk: forward with the layers' inputs kept, the seed, then every layer backward. The
     * parameter gradient goes to {@code partial} (zeroed first), or, for a Jacobian, to each
     * sample's row.
     */
    private static void chunk(ARNN m, Tensor inputs, float[] weights, int weightsOff, Tensor cot,
                              Tensor[] layerOutputs, float[] jac, int jacOff, int chunk, int batch,
                              GradientWorkspace ws, GradientWorkspace.Worker w, float[] partial) {
        HilbertSpace h = m.hilbert();
        int n = h.size();
        int ls = h.localSize();
        int first = chunk * m.chunkRows();
        int rows = Math.min(m.chunkRows(), batch - first);
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

        // Seed: the gradient with respect to the logits.
        float[] g = w.gradient;
        float[] other = w.other;
        int[] chosen = w.chosen;
        float[] x = inputs.array();
        int xo = inputs.offset() + first * n;
        for (int e = 0; e < rows * n; e++) {
            chosen[e] = LocalStates.indexOrNegative(h, x[xo + e]);
        }
        float p = m.machinePow();
        boolean jacobian = jac != null;
        if (cot == null) {
            backward.logNormalizeRowsBackwardChosen(a, act[depth], chosen, 0, weights,
                    jacobian ? 0 : weightsOff + first, jacobian ? Integer.MAX_VALUE : n, g, 0, rows * n, ls, p);
        } else {
            backward.logNormalizeRowsBackward(a, act[depth], cot.array(), cot.offset() + first * n * ls, g, 0,
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
                        SectorNormalization.maskedLogNormalizeBackward(a, act[depth] + e * ls,
                                cot == null ? null : cot.array(), cot == null ? 0 : cot.offset() + (first * n + e) * ls,
                                chosen[e], weight, g, e * ls, ls, lo, hi, p);
                    }
                    before += chosen[e];
                }
            }
        }

        // Backward through the layers.
        int count = m.parameterCount();
        int[] params = m.parameterOffsets();
        if (partial != null) {
            Arrays.fill(partial, 0, count, 0f);
        } else {
            Arrays.fill(jac, jacOff + first * count, jacOff + (first + rows) * count, 0f);
        }
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
}
