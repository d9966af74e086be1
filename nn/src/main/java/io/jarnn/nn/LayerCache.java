package io.jarnn.nn;

import io.jarnn.kernels.Kernels;

/**
 * Per-site evaluation state of one layer for a fixed batch: it holds the inputs the layer has
 * been given so far (all of them for a dense layer, only the receptive window for a
 * convolution) and computes one output site at a time. Owned by one thread at a time.
 *
 * <p>Per-site data is feature-major, (features, batch): the batch, not the few features of a
 * site, is the contiguous dimension, so every product runs on full vectors whatever the layer
 * widths (the last layer has only localSize outputs), and a layer's outputs are pushed into the
 * next layer's cache as one block.
 */
interface LayerCache {

    /** Forgets every pushed input, as if no site had been seen. */
    void reset();

    /**
     * Stores the inputs of site {@code position} for every sample: feature a of sample b is
     * {@code src[srcOff + a * featureStride + b * sampleStride]}. Positions are pushed in
     * increasing order starting from 0.
     */
    void push(int position, float[] src, int srcOff, int featureStride, int sampleStride);

    /**
     * Pushes {@code selu} of the block at {@code src}, (features, batch) contiguous from
     * {@code srcOff} (the previous layer's outputs at site {@code position}), which is scratch
     * afterwards: this default applies selu there in place and pushes the block; a cache that
     * stores a push contiguously overrides it to write selu straight into its own storage,
     * one pass over the block fewer per site.
     */
    default void pushSelu(Kernels kernels, int position, float[] src, int srcOff, int features, int batch) {
        kernels.selu(src, srcOff, src, srcOff, features * batch);
        push(position, src, srcOff, batch, 1);
    }

    /**
     * Writes the layer's outputs at {@code site}, feature-major: output c of sample b goes to
     * {@code y[yOff + c * batch + b]}. Every input the site depends on must have been pushed.
     */
    void computeSite(Kernels kernels, int site, float[] y, int yOff);

    /**
     * Computes from now on with {@code layer}'s parameters: a layer of the same spec (a model
     * after a parameter update), so that a cache outlives the immutable model it was made for.
     * The pushed inputs stay.
     *
     * @throws IllegalArgumentException for a layer of another spec
     */
    void bind(MaskedLayer layer);

    /**
     * History caches ({@link MaskedLayer#newHistoryCache}) only: keeps a copy of every position
     * pushed so far, the baseline that {@link #restoreBaseline} returns positions to.
     *
     * @throws IllegalStateException for a per-site cache
     */
    void saveBaseline();

    /** Rewrites position {@code position}'s inputs with the baseline's ({@link #saveBaseline}). */
    void restoreBaseline(int position);
}
