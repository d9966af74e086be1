package io.jarnn.cli;

import java.util.Locale;

/**
 * A {@code --lattice} value: {@code chain:N:open|periodic} (N sites in a row) or
 * {@code square:L:open|periodic} (L x L sites, numbered row by row, so that site {@code x + L*y}
 * is column x of row y). The boundary is always written out: NetKet's graphs default to
 * periodic, a reader of a command line should not have to know that.
 *
 * @param kind     {@code chain} or {@code square}
 * @param length   sites per side: N for a chain, L for a square
 * @param periodic whether the last site of each row (column) is bonded to the first
 */
record LatticeSpec(Kind kind, int length, boolean periodic) {
    static final String FORMS = "chain:N:open|periodic or square:L:open|periodic (e.g. chain:20:open, square:4:periodic)";

    /** Most sites any lattice may have: far beyond what a VMC run on one machine can sample. */
    static final int MAX_SITES = 1 << 20;

    enum Kind {
        CHAIN, SQUARE;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Number of sites: N, or L * L. */
    int sites() {
        return kind == Kind.CHAIN ? length : length * length;
    }

    /**
     * Nearest-neighbour bonds {@code {i, j}} with i < j, each once: along the chain, or along
     * rows then along columns of the square. A periodic chain of 2 sites, or square of side 2,
     * would bond the same pair twice; it has its bond once.
     */
    int[][] bonds() {
        java.util.LinkedHashSet<Long> seen = new java.util.LinkedHashSet<>();
        java.util.List<int[]> bonds = new java.util.ArrayList<>();
        int rows = kind == Kind.CHAIN ? 1 : length;
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < length; x++) {
                int site = x + length * y;
                if (x + 1 < length || (periodic && length > 1)) {
                    add(bonds, seen, site, (x + 1) % length + length * y);
                }
                if (kind == Kind.SQUARE && (y + 1 < length || (periodic && length > 1))) {
                    add(bonds, seen, site, x + length * ((y + 1) % length));
                }
            }
        }
        return bonds.toArray(int[][]::new);
    }

    private static void add(java.util.List<int[]> bonds, java.util.Set<Long> seen, int a, int b) {
        int i = Math.min(a, b);
        int j = Math.max(a, b);
        if (i != j && seen.add(((long) i << 32) | j)) {
            bonds.add(new int[]{i, j});
        }
    }

    /** The spec as the command line writes it, e.g. {@code chain:20:open}. */
    @Override
    public String toString() {
        return kind.word() + ":" + length + ":" + (periodic ? "periodic" : "open");
    }

    /** @throws IllegalArgumentException "expected ... but got ..." */
    static LatticeSpec parse(String spec) {
        String[] parts = spec.strip().split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected " + FORMS + " but got '" + spec + "'");
        }
        Kind kind = switch (parts[0].strip()) {
            case "chain" -> Kind.CHAIN;
            case "square" -> Kind.SQUARE;
            default -> throw new IllegalArgumentException("expected the lattice chain or square (" + FORMS
                    + ") but got '" + parts[0] + "' in '" + spec + "'");
        };
        String size = kind == Kind.CHAIN ? "the number of sites N" : "the side L";
        int max = kind == Kind.CHAIN ? MAX_SITES : (int) Math.sqrt(MAX_SITES);
        int length;
        try {
            length = Integer.parseInt(parts[1].strip());
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length < 2 || length > max) {
            throw new IllegalArgumentException("expected an integer 2.." + max + " for " + size + " but got '"
                    + parts[1] + "' in '" + spec + "'");
        }
        boolean periodic = switch (parts[2].strip()) {
            case "open" -> false;
            case "periodic" -> true;
            default -> throw new IllegalArgumentException("expected the boundary open or periodic but got '"
                    + parts[2] + "' in '" + spec + "'");
        };
        return new LatticeSpec(kind, length, periodic);
    }
}
