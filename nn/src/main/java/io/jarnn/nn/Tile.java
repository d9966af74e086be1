package io.jarnn.nn;

/** Replicating a row: the bias that starts every output row of a layer. */
final class Tile {
    private Tile() {
    }

    /**
     * {@code dst[dstOff + r * row.length + c] = row[c]} for {@code r < count}: one copy of the
     * row, then copies of the filled prefix doubling in length, so that a thousand short rows
     * cost about ten {@code System.arraycopy} calls rather than a thousand.
     */
    static void rows(float[] row, float[] dst, int dstOff, int rowLength, int count) {
        int total = rowLength * count;
        System.arraycopy(row, 0, dst, dstOff, rowLength);
        for (int filled = rowLength; filled < total; filled *= 2) {
            System.arraycopy(dst, dstOff, dst, dstOff + filled, Math.min(filled, total - filled));
        }
    }
}
