package io.jarnn.kernels;

/**
 * The weights of {@link Kernels#convolveFromBias} packed for its register tiles, built once per
 * layer: the rows go in blocks of the tiles' heights ({@link #blockHeight}: six, four, two, and a
 * last row alone), and a block of h rows starting at row r holds, from {@code r * taps * in},
 * each (tap, input) step's h weights side by side:
 * <pre>
 *   panels[r * taps * in + s * h + i] = w[wOff + (r + i) * wRowStride + s]    for s < taps * in, i < h
 * </pre>
 * Why: a tile's step broadcasts its h weights from one pointer at consecutive addresses, which
 * then moves by h, instead of from h rows {@code wRowStride} apart, each its own address
 * register (or a reload from the stack) and address computation in the inner loop. The values
 * and their order in each row's reduction are the same: the results are bitwise those from w.
 */
public final class PlanarPanels {
    private PlanarPanels() {
    }

    /**
     * Height of the row block starting at row {@code r} of {@code rows}, the blocks starting at
     * row 0: sixes, then one or two fours, then one two, then a last row of height 1 if one is
     * left. Sixteen rows (a hidden layer of 16 features) go as 6 + 6 + 4; 8 and 9 rows as 4 + 4
     * (+ 1), not a six and two or three rows on their own; the two outputs of a last layer of
     * spins 1/2 as one block of two.
     */
    public static int blockHeight(int rows, int r) {
        int sixes = rows / 6;
        int fours = rows % 6 >= 4 ? 1 : 0;
        if (sixes > 0 && rows % 6 >= 2 && rows % 6 <= 3) {
            sixes--;
            fours = 2;
        }
        int twos = (rows - 6 * sixes - 4 * fours) / 2;
        return r < 6 * sixes ? 6 : r < 6 * sixes + 4 * fours ? 4 : r < 6 * sixes + 4 * fours + 2 * twos ? 2 : 1;
    }

    /**
     * The panels of {@code rows} rows of {@code taps * in} weights, row r's at
     * {@code w[wOff + r * wRowStride, + taps * in)}: {@code rows * taps * in} floats.
     *
     * @throws IllegalArgumentException if a count is negative, {@code wOff} is negative, a row is
     *                                  longer than {@code wRowStride} (with more than one row) or
     *                                  w is too short
     */
    public static float[] pack(float[] w, int wOff, int wRowStride, int taps, int in, int rows) {
        if (taps < 0 || in < 0 || rows < 0) {
            throw new IllegalArgumentException("taps, in, rows: expected non-negative counts but got " + taps + ", "
                    + in + ", " + rows);
        }
        int steps = Math.multiplyExact(taps, in);
        if (wOff < 0 || (rows > 1 && wRowStride < steps)) {
            throw new IllegalArgumentException("wOff, wRowStride: expected an offset >= 0 and rows of at least "
                    + steps + " floats apart but got " + wOff + ", " + wRowStride);
        }
        long end = rows == 0 ? wOff : wOff + (long) (rows - 1) * wRowStride + steps;
        if (end > w.length) {
            throw new IllegalArgumentException("w: expected at least " + end + " floats but got " + w.length);
        }
        float[] panels = new float[Math.multiplyExact(rows, steps)];
        for (int r = 0; r < rows; ) {
            int h = blockHeight(rows, r);
            for (int i = 0; i < h; i++) {
                for (int s = 0; s < steps; s++) {
                    panels[r * steps + s * h + i] = w[wOff + (r + i) * wRowStride + s];
                }
            }
            r += h;
        }
        return panels;
    }

    /** Checks a {@link Kernels#convolveFromBias} call's panels: at least {@code rows * taps * in} floats. */
    static void require(float[] panels, int rows, int taps, int in) {
        if (panels.length < (long) rows * taps * in) {
            throw new IllegalArgumentException("panels: expected the " + rows + " x " + taps + " x " + in
                    + " weights packed by PlanarPanels.pack but got " + panels.length + " floats");
        }
    }
}
