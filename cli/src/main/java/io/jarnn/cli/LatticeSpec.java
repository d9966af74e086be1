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
