package io.jarnn.vmc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A lattice as a list of undirected nearest-neighbour bonds between sites {@code 0 .. N-1}.
 *
 * <ul>
 *   <li>{@link #chain(int, boolean)}: bonds (i, i+1) for i = 0 .. N-2, and (N-1, 0) when periodic.</li>
 *   <li>{@link #square(int, boolean)}: an L x L grid, sites in row-major order
 *       ({@code site = row * L + column}); for each site first the bond to its right neighbour
 *       ({@code column + 1}), then the one below ({@code row + 1}), wrapping around when periodic.</li>
 * </ul>
 * Every bond is listed once, as (i, j) with i &lt; j, in the order of its first appearance above.
 * Small periodic lattices whose wrap-around bond coincides with a bond already listed (a
 * periodic chain of N = 2, a periodic square of L = 2) keep one copy of it, so periodic and
 * open coincide there; a wrap-around onto the site itself (chain N = 1, square L = 1) is
 * dropped. So a Hamiltonian summed over bonds never counts a pair twice. Immutable.
 */
public final class Lattice {
    private final String description;
    private final int sites;
    private final int[] bonds; // 2 * bondCount: i0, j0, i1, j1, ...
    /** Sublattice (0 or 1) of each site if bipartite; null otherwise. */
    private final int[] sublattice;

    private Lattice(String description, int sites, List<int[]> bondList) {
        this.description = description;
        this.sites = sites;
        this.bonds = new int[2 * bondList.size()];
        for (int b = 0; b < bondList.size(); b++) {
            bonds[2 * b] = bondList.get(b)[0];
            bonds[2 * b + 1] = bondList.get(b)[1];
        }
        this.sublattice = twoColouring();
    }

    /** A chain of {@code n} sites, open or periodic (see the class comment for small periodic chains). */
    public static Lattice chain(int n, boolean periodic) {
        if (n < 1) {
            throw new IllegalArgumentException("n: expected at least 1 site but got " + n);
        }
        Set<Long> seen = new LinkedHashSet<>();
        List<int[]> list = new ArrayList<>();
        for (int i = 0; i + 1 < n; i++) {
            add(seen, list, i, i + 1);
        }
        if (periodic) {
            add(seen, list, n - 1, 0);
        }
        return new Lattice("chain:" + n + ":" + (periodic ? "periodic" : "open"), n, list);
    }

    /** An {@code l} x {@code l} square lattice, row-major sites, open or periodic. */
    public static Lattice square(int l, boolean periodic) {
        if (l < 1 || l > 46340) {
            throw new IllegalArgumentException("l: expected a side of 1..46340 sites but got " + l);
        }
        Set<Long> seen = new LinkedHashSet<>();
        List<int[]> list = new ArrayList<>();
        for (int r = 0; r < l; r++) {
            for (int c = 0; c < l; c++) {
                int s = r * l + c;
                if (c + 1 < l) {
                    add(seen, list, s, s + 1);
                } else if (periodic) {
                    add(seen, list, s, r * l);
                }
                if (r + 1 < l) {
                    add(seen, list, s, s + l);
                } else if (periodic) {
                    add(seen, list, s, c);
                }
            }
        }
        return new Lattice("square:" + l + ":" + (periodic ? "periodic" : "open"), l * l, list);
    }

    private static void add(Set<Long> seen, List<int[]> list, int a, int b) {
        if (a == b) {
            return;
        }
        int i = Math.min(a, b);
        int j = Math.max(a, b);
        if (seen.add(((long) i << 32) | j)) {
            list.add(new int[] {i, j});
        }
    }

    /** Sublattice labels by breadth-first two-colouring, or null if some bond joins equal colours. */
    private int[] twoColouring() {
        List<List<Integer>> adjacency = new ArrayList<>(sites);
        for (int s = 0; s < sites; s++) {
            adjacency.add(new ArrayList<>());
        }
        for (int b = 0; b < bondCount(); b++) {
            adjacency.get(bonds[2 * b]).add(bonds[2 * b + 1]);
            adjacency.get(bonds[2 * b + 1]).add(bonds[2 * b]);
        }
        int[] colour = new int[sites];
        Arrays.fill(colour, -1);
        int[] queue = new int[sites];
        for (int start = 0; start < sites; start++) {
            if (colour[start] >= 0) {
                continue;
            }
            colour[start] = 0;
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            while (head < tail) {
                int s = queue[head++];
                for (int t : adjacency.get(s)) {
                    if (colour[t] < 0) {
                        colour[t] = 1 - colour[s];
                        queue[tail++] = t;
                    } else if (colour[t] == colour[s]) {
                        return null;
                    }
                }
            }
        }
        return colour;
    }

    /** Number of sites N. */
    public int sites() {
        return sites;
    }

    /** Number of distinct bonds. */
    public int bondCount() {
        return bonds.length / 2;
    }

    /** First site of bond {@code b} (the smaller index). */
    public int bondFrom(int b) {
        return bonds[2 * b];
    }

    /** Second site of bond {@code b} (the larger index). */
    public int bondTo(int b) {
        return bonds[2 * b + 1];
    }

    /** The bonds as a fresh (bondCount, 2) array. */
    public int[][] bonds() {
        int[][] out = new int[bondCount()][];
        for (int b = 0; b < out.length; b++) {
            out[b] = new int[] {bonds[2 * b], bonds[2 * b + 1]};
        }
        return out;
    }

    /** Whether the sites split into two sublattices with every bond between them (e.g. not an odd ring). */
    public boolean isBipartite() {
        return sublattice != null;
    }

    /**
     * The sublattice, 0 or 1, of {@code site} (site 0 of each connected piece is on sublattice
     * 0); an {@link IllegalStateException} when the lattice is not bipartite.
     */
    public int sublattice(int site) {
        if (sublattice == null) {
            throw new IllegalStateException(description + " is not bipartite");
        }
        if (site < 0 || site >= sites) {
            throw new IllegalArgumentException("site: expected 0.." + (sites - 1) + " but got " + site);
        }
        return sublattice[site];
    }

    /** In the command line's syntax: {@code chain:20:open}, {@code square:4:periodic}. */
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return description + " (" + sites + " sites, " + bondCount() + " bonds)";
    }
}
