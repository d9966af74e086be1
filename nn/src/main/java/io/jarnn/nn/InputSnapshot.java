package io.jarnn.nn;

/**
 * A layer cache's saved inputs ({@link LayerCache#saveBaseline}): a copy of its whole input
 * buffer, made on the first save and reused, from which {@link LayerCache#restoreBaseline}
 * rewrites one position's range. The one implementation the dense, conv1d and conv2d caches
 * share; owned by one cache, so not thread-safe.
 */
final class InputSnapshot {
    private float[] copy;

    /** Copies all of {@code inputs}. */
    void save(float[] inputs) {
        if (copy == null) {
            copy = new float[inputs.length];
        }
        System.arraycopy(inputs, 0, copy, 0, inputs.length);
    }

    /** Rewrites {@code inputs[from .. from + length)} with the saved values. */
    void restore(float[] inputs, int from, int length) {
        if (copy == null) {
            throw new IllegalStateException("no baseline: call saveBaseline first");
        }
        System.arraycopy(copy, from, inputs, from, length);
    }
}
