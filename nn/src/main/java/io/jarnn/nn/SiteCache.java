package io.jarnn.nn;

import io.jarnn.kernels.Kernels;

import java.util.Arrays;

/**
 * Per-site evaluation state for one batch of configurations: each layer's cached inputs and
 * one activation buffer. Obtained from {@link ARNN#newCache(int)}, owned by the caller (one
 * thread at a time), reusable after {@link #reset()}. The model itself stays immutable.
 */
public final class SiteCache {
    private ARNN model;
    private final int batch;
    private final LayerCache[] layerCaches;
    private final float[] activations;
    private final float[] probabilities;
    /** Per row, the sum of the local indices pushed so far (kept for constrained spaces only). */
    private final int[] indexSums;
    private int nextIndex;

    SiteCache(ARNN model, int batch, LayerCache[] layerCaches, int maxWidth) {
        this.model = model;
        this.batch = batch;
        this.layerCaches = layerCaches;
        this.activations = new float[Math.addExact(Math.multiplyExact(batch, maxWidth), Kernels.OVERREAD_PADDING)];
        this.probabilities = new float[Math.multiplyExact(batch, model.hilbert().localSize())];
        this.indexSums = new int[model.hilbert().isConstrained() ? batch : 0];
    }

    /** Number of configurations this cache evaluates together. */
    public int batch() {
        return batch;
    }

    /** The site the next {@code conditional} call must ask for. */
    public int nextIndex() {
        return nextIndex;
    }

    /** Forgets every site seen, so that the next call is for site 0 again. */
    public void reset() {
        for (LayerCache c : layerCaches) {
            c.reset();
        }
        Arrays.fill(indexSums, 0);
        nextIndex = 0;
    }

    ARNN model() {
        return model;
    }

    /**
     * Evaluates with {@code model}'s parameters from now on: a model of the same configuration
     * (the next step's, after a parameter update), so that the cache's buffers serve every
     * model of a run. The pushed inputs stay; the model itself is not changed.
     *
     * @throws IllegalArgumentException for a model of another configuration
     */
    void bind(ARNN model) {
        if (model == null || !model.config().equals(this.model.config())) {
            throw new IllegalArgumentException("model: expected a model of configuration " + this.model.config()
                    + " but got " + (model == null ? "null" : model.config()));
        }
        for (int l = 0; l < layerCaches.length; l++) {
            layerCaches[l].bind(model.layers().get(l));
        }
        this.model = model;
    }

    LayerCache[] layerCaches() {
        return layerCaches;
    }

    /** One site's activations of the current layer, feature-major (width, batch). */
    float[] activations() {
        return activations;
    }

    /** The last computed site's probabilities, feature-major (localSize, batch). */
    float[] probabilities() {
        return probabilities;
    }

    /** Per row, the local-index sum of the sites already pushed (constrained spaces; empty otherwise). */
    int[] indexSums() {
        return indexSums;
    }

    void requireNext(int index) {
        if (index != nextIndex || nextIndex == model.hilbert().size()) {
            throw new IllegalStateException("index: expected site " + nextIndex
                    + (nextIndex == model.hilbert().size() ? " (all sites done; call reset() first)" : "")
                    + " but got " + index + "; sites must be evaluated 0, 1, ..., N-1 in order");
        }
    }

    void advance() {
        nextIndex++;
    }

    /**
     * Makes {@code index} the next site, for a cache of {@link ARNN#newHistoryCache} whose
     * layers hold every earlier position (see {@link MaskedLayer#newHistoryCache}); on a
     * constrained space the caller sets {@link #indexSums()} to the prefix before
     * {@code index - 1}.
     */
    void seek(int index) {
        nextIndex = index;
    }
}
