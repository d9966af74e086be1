package io.jarnn.nn;

import io.jarnn.kernels.Kernels;

/**
 * Per-site evaluation state of one layer for a fixed batch: it holds the inputs the layer has
 * been given so far (all of them for a dense layer, only the receptive window for a
 * convolution) and computes one output site at a time. Owned by one thread at a time.
 */
interface LayerCache {

    /** Forgets every pushed input, as if no site had been seen. */
    void reset();

    /**
     * Stores the input features of site {@code position} for every sample b:
     * {@code src[srcOff + b * srcStride + a]}, {@code a < in}. Positions are pushed in
     * increasing order starting from 0.
     */
    void push(int position, float[] src, int srcOff, int srcStride);

    /**
     * Writes the layer output at {@code site} for every sample b into
     * {@code y[yOff + b * yStride + c]}, {@code c < out}. Every input the site depends on
     * must already have been pushed.
     */
    void computeSite(Kernels kernels, int site, float[] y, int yOff, int yStride);
}
