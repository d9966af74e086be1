package io.jarnn.kernels;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PlanarPanels}: the row blocks the register tiles of {@link Kernels#convolveFromBias}
 * run, and the packed layout they read. (That the tiles read the panels right is
 * {@link ConvolveFromBiasEquivalenceTest}'s: the scalar reference reads w.)
 */
class PlanarPanelsTest {

    private static List<Integer> heights(int rows) {
        List<Integer> heights = new ArrayList<>();
        for (int r = 0; r < rows; ) {
            int h = PlanarPanels.blockHeight(rows, r);
            heights.add(h);
            r += h;
        }
        return heights;
    }

    @Test
    void blocksCoverTheRowsInSixesFoursAndTwosWithAtMostOneRowLeft() {
        for (int rows = 1; rows <= 70; rows++) {
            List<Integer> heights = heights(rows);
            assertEquals(rows, heights.stream().mapToInt(Integer::intValue).sum(), rows + " rows: " + heights);
            for (int b = 0; b < heights.size(); b++) {
                int h = heights.get(b);
                assertTrue(h == 6 || h == 4 || h == 2 || (h == 1 && b == heights.size() - 1),
                        rows + " rows: a block of " + h + " in " + heights);
                assertTrue(b == 0 || h <= heights.get(b - 1), rows + " rows: heights must not grow: " + heights);
            }
        }
    }

    @Test
    void theLayersRowCountsGetTheirTiles() {
        assertEquals(List.of(6, 6, 4), heights(16), "a hidden layer of 16 features");
        assertEquals(List.of(6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 4), heights(64), "64 features");
        assertEquals(List.of(2), heights(2), "a last layer of two local states");
        assertEquals(List.of(4, 4), heights(8), "8 rows: two fours, not a six and a two");
        assertEquals(List.of(4, 4, 1), heights(9), "9 rows: two fours and one row left");
        assertEquals(List.of(6, 1), heights(7));
        assertEquals(List.of(2, 1), heights(3));
        assertEquals(List.of(1), heights(1));
    }

    @Test
    void eachStepsWeightsOfABlockLieSideBySide() {
        int taps = 3;
        int in = 5;
        int steps = taps * in;
        int wOff = 3;
        int wRowStride = steps + 2;
        for (int rows : new int[] {1, 2, 3, 7, 9, 16, 17}) {
            float[] w = new float[wOff + rows * wRowStride];
            for (int i = 0; i < w.length; i++) {
                w[i] = i;
            }
            float[] panels = PlanarPanels.pack(w, wOff, wRowStride, taps, in, rows);
            assertEquals(rows * steps, panels.length, rows + " rows");
            float[] expected = new float[rows * steps];
            for (int block = 0; block < rows; ) {
                int h = PlanarPanels.blockHeight(rows, block);
                for (int s = 0; s < steps; s++) {
                    for (int i = 0; i < h; i++) {
                        expected[block * steps + s * h + i] = w[wOff + (block + i) * wRowStride + s];
                    }
                }
                block += h;
            }
            assertArrayEquals(expected, panels, rows + " rows");
        }
    }

    @Test
    void packRejectsArgumentsThatDoNotFitW() {
        float[] w = new float[10];
        IllegalArgumentException shortW = assertThrows(IllegalArgumentException.class,
                () -> PlanarPanels.pack(w, 1, 5, 1, 5, 2));
        assertTrue(shortW.getMessage().startsWith("w:"), shortW.getMessage());
        IllegalArgumentException overlapping = assertThrows(IllegalArgumentException.class,
                () -> PlanarPanels.pack(w, 0, 4, 1, 5, 2));
        assertTrue(overlapping.getMessage().startsWith("wOff, wRowStride:"), overlapping.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> PlanarPanels.pack(w, 0, 5, -1, 5, 2));
        assertTrue(negative.getMessage().startsWith("taps, in, rows:"), negative.getMessage());
    }

    @Test
    void convolveFromBiasRejectsPanelsOfFewerWeights() {
        int rows = 6;
        int cols = 64;
        float[] w = new float[rows * 3];
        float[] bias = new float[rows];
        float[] x = new float[3 * cols + 2];
        float[] y = new float[rows * cols];
        float[] panels = PlanarPanels.pack(w, 0, 3, 1, 3, rows - 1);
        for (Kernels k : List.<Kernels>of(ScalarKernels.INSTANCE, VectorKernels.INSTANCE)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> k.convolveFromBias(w, 0, 3, panels, 1, 3, bias, 0, x, 0, cols, 1, y, 0, cols, rows, cols));
            assertTrue(e.getMessage().startsWith("panels:"), k.name() + ": " + e.getMessage());
        }
    }
}
