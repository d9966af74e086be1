package io.jarnn.vmc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatticeTest {

    @Test
    void openAndPeriodicChains() {
        assertArrayEquals(new int[][] {{0, 1}, {1, 2}, {2, 3}}, Lattice.chain(4, false).bonds());
        assertArrayEquals(new int[][] {{0, 1}, {1, 2}, {2, 3}, {0, 3}}, Lattice.chain(4, true).bonds());
        assertEquals(0, Lattice.chain(1, false).bondCount());
    }

    @Test
    void smallPeriodicLatticesCountEachBondOnce() {
        assertArrayEquals(new int[][] {{0, 1}}, Lattice.chain(2, true).bonds());
        assertEquals(0, Lattice.chain(1, true).bondCount());
        assertArrayEquals(Lattice.square(2, false).bonds(), Lattice.square(2, true).bonds());
        assertEquals(4, Lattice.square(2, true).bondCount());
        assertEquals(0, Lattice.square(1, true).bondCount());
    }

    @Test
    void squareIsRowMajorRightThenDown() {
        Lattice open = Lattice.square(3, false);
        assertEquals(9, open.sites());
        assertArrayEquals(new int[][] {{0, 1}, {0, 3}, {1, 2}, {1, 4}, {2, 5}, {3, 4}, {3, 6}, {4, 5}, {4, 7}, {5, 8},
                {6, 7}, {7, 8}}, open.bonds());
        Lattice periodic = Lattice.square(3, true);
        assertEquals(18, periodic.bondCount());
        assertEquals(32, Lattice.square(4, true).bondCount());
        // site (row 1, column 2) = 5 wraps to (1, 0) = 3 and, from (2, 2) = 8, down to (0, 2) = 2
        assertTrue(java.util.Arrays.stream(periodic.bonds()).anyMatch(b -> b[0] == 3 && b[1] == 5));
        assertTrue(java.util.Arrays.stream(periodic.bonds()).anyMatch(b -> b[0] == 2 && b[1] == 8));
    }

    @Test
    void bipartiteness() {
        assertTrue(Lattice.chain(6, true).isBipartite());
        assertFalse(Lattice.chain(5, true).isBipartite());
        assertTrue(Lattice.chain(5, false).isBipartite());
        assertTrue(Lattice.square(4, true).isBipartite());
        assertFalse(Lattice.square(3, true).isBipartite());
        Lattice sq = Lattice.square(4, true);
        for (int s = 0; s < 16; s++) {
            assertEquals((s / 4 + s % 4) % 2, sq.sublattice(s), "sublattice of site " + s);
        }
        assertThrows(IllegalStateException.class, () -> Lattice.chain(3, true).sublattice(0));
    }

    @Test
    void badSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lattice.chain(0, true));
        assertTrue(e.getMessage().startsWith("n: expected at least 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Lattice.square(0, false));
        assertTrue(e.getMessage().startsWith("l: expected"), e.getMessage());
    }
}
