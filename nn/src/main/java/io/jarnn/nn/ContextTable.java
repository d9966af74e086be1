package io.jarnn.nn;

import java.util.List;

/**
 * What a convolutional model of short reach R computes at a site, tabulated by context: site
 * j's activations and conditionals depend only on the local indices of the sites
 * {@code max(0, j - R) .. j - 1} (its context), and for j &gt;= R on them alone, not on j (every
 * layer applies the same weights at every site, and the window of a site past R never reaches
 * the zeros before site 0). So {@code localSize^R} contexts of the interior and the shorter
 * prefixes of the first R sites give every site of every configuration. Each (level, code) row
 * holds {@code width} values: {@link ConnectedLogPsi} keeps the log-conditionals (localSize),
 * evaluated through its per-site path, and a planar Jacobian ({@link Backprop}) every layer's
 * activations, evaluated through its own forward; each fills its table with the very
 * operations it would run for a configuration, so an entry is bitwise what that path gives at
 * any site with that context.
 *
 * <p>Level {@code j < R} holds the {@code localSize^j} prefixes of site j (the sites 0 .. j - 1),
 * level R the {@code localSize^R} contexts of every site from R on. A context's code reads its
 * local indices oldest first, the oldest the most significant digit: the code of site j + 1 is
 * {@link #next}(code of site j, index at j). Owned by one {@link ConnectedLogPsi}.
 */
final class ContextTable {
    /**
     * At most this many contexts of reach R ({@code localSize^R}): the table costs R + 1
     * site evaluations of {@code localSize^R / batch} blocks per model, and the windows it
     * replaces about R per connected configuration (thousands per VMC step).
     */
    static final int MAX_CONTEXTS = 4096;

    private final int localSize;
    private final int reach;
    /** Values per (level, code) row. */
    private final int width;
    /** {@code localSize^reach}: the contexts of the interior, the modulus of {@link #next}. */
    private final int contexts;
    /** Per level, the index of its first code in {@link #values}' rows. */
    private final int[] levelStart;
    /** Per (level, code) row, its {@link #width} values: (rows, width). */
    private final float[] values;

    private ContextTable(int localSize, int reach, int width) {
        this.localSize = localSize;
        this.reach = reach;
        this.width = width;
        this.levelStart = new int[reach + 2];
        int power = 1;
        for (int j = 0; j <= reach; j++) {
            levelStart[j + 1] = levelStart[j] + power;
            power *= localSize;
        }
        this.contexts = power / localSize;
        this.values = new float[Math.multiplyExact(levelStart[reach + 1], width)];
    }

    /**
     * A table of {@code width} values per context for {@code model} when one applies: every
     * layer a {@link MaskedConv1D}, a reach shorter than the chain and at most
     * {@link #MAX_CONTEXTS} contexts; else null. (A sector rule reads every earlier site: the
     * conditionals of a constrained space are not a function of the context, its activations are.)
     */
    static ContextTable forModel(ARNN model, int reach, int width) {
        List<MaskedLayer> layers = model.layers();
        for (MaskedLayer layer : layers) {
            if (!(layer instanceof MaskedConv1D)) {
                return null;
            }
        }
        if (reach >= model.hilbert().size()) {
            return null;
        }
        int localSize = model.hilbert().localSize();
        long contexts = 1;
        for (int j = 0; j < reach; j++) {
            contexts *= localSize;
            if (contexts > MAX_CONTEXTS) {
                return null;
            }
        }
        return new ContextTable(localSize, reach, width);
    }

    int reach() {
        return reach;
    }

    /** {@code localSize^reach}: the contexts of level R, which the table's evaluation enumerates. */
    int contexts() {
        return contexts;
    }

    /** Local index of position {@code i < R} in context {@code code} of level R (oldest first). */
    int digit(int code, int i) {
        int c = code;
        for (int k = reach - 1; k > i; k--) {
            c /= localSize;
        }
        return c % localSize;
    }

    /** The code of the prefix of length {@code j <= R} of context {@code code} of level R. */
    int prefix(int code, int j) {
        int c = code;
        for (int k = j; k < reach; k++) {
            c /= localSize;
        }
        return c;
    }

    /** Whether {@code code} of level R is the first context with its prefix of length j (its later digits all 0). */
    boolean firstWithPrefix(int code, int j) {
        int c = code;
        for (int k = j; k < reach; k++) {
            if (c % localSize != 0) {
                return false;
            }
            c /= localSize;
        }
        return true;
    }

    /**
     * Writes context {@code code} of level R as a sample of {@code sites} values at {@code off}:
     * its local values at positions 0 .. R - 1, the first local value after them (never read
     * for a position up to R). Both fillers evaluate such samples over positions 0 .. R.
     */
    void writeSample(int code, float[] localValues, float[] dst, int off, int sites) {
        for (int i = 0; i < sites; i++) {
            dst[off + i] = i < reach ? localValues[digit(code, i)] : localValues[0];
        }
    }

    /**
     * Where position {@code j <= R} of the sample of context {@code code} (level R) is recorded,
     * or -1 when an earlier context with the same prefix of length j records it: the row of that
     * prefix at level j (at level R: of the whole context).
     */
    int recordRow(int code, int j) {
        if (j == reach) {
            return row(j, code);
        }
        return firstWithPrefix(code, j) ? row(j, prefix(code, j)) : -1;
    }

    /** The context code of site j + 1 from site j's and the local index at j. */
    int next(int code, int index) {
        return (code * localSize + index) % contexts;
    }

    /** Where the row of site j's context {@code code} starts in {@link #values()}. */
    int row(int site, int code) {
        return (levelStart[Math.min(site, reach)] + code) * width;
    }

    /** The values, (level codes, width) rows: read at {@link #row} + the value's index. */
    float[] values() {
        return values;
    }
}
