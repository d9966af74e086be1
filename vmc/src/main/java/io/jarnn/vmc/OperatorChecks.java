package io.jarnn.vmc;

import io.jarnn.core.HilbertSpace;

/** Argument checks shared by the operators (package-private). */
final class OperatorChecks {
    private OperatorChecks() {
    }

    static void requireNonNull(String argument, Object value, String expected) {
        if (value == null) {
            throw new IllegalArgumentException(argument + ": expected " + expected + " but got null");
        }
    }

    static double requireFinite(String argument, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(argument + ": expected a finite number but got " + value);
        }
        return value;
    }

    /** Throws unless {@code hilbert} is spin 1/2 (local values +1, -1) on the lattice's sites. */
    static void requireSpinHalf(String operator, HilbertSpace hilbert, Lattice lattice) {
        requireNonNull("hilbert", hilbert, "a Hilbert space");
        requireNonNull("lattice", lattice, "a lattice");
        if (!hilbert.kind().equals("spin") || hilbert.localSize() != 2) {
            throw new IllegalArgumentException("hilbert: expected spin 1/2 for " + operator + " but got " + hilbert);
        }
        requireSites(hilbert, lattice);
    }

    static void requireSites(HilbertSpace hilbert, Lattice lattice) {
        if (hilbert.size() != lattice.sites()) {
            throw new IllegalArgumentException("lattice: expected " + hilbert.size() + " sites to match " + hilbert
                    + " but got " + lattice);
        }
    }

    /** Checks the call's arguments against the operator; returns N. */
    static int requireCall(Operator op, double[] sigma, int off, int rows, Connections out) {
        requireNonNull("sigma", sigma, "an array of configurations");
        requireNonNull("out", out, "Connections");
        int n = op.hilbert().size();
        if (rows < 0 || off < 0 || (long) off + (long) rows * n > sigma.length) {
            throw new IllegalArgumentException("sigma: expected " + rows + " rows of " + n + " values from offset "
                    + off + " but got an array of " + sigma.length);
        }
        out.requireFits(op, rows);
        return n;
    }

    /** Spin 1/2: throws unless every value of the row is +1 or -1. */
    static void requireSpinRow(HilbertSpace hilbert, double[] sigma, int row, int b) {
        int n = hilbert.size();
        for (int i = 0; i < n; i++) {
            double v = sigma[row + i];
            if (v != 1 && v != -1) {
                throw new IllegalArgumentException("sigma: element [" + b + ", " + i + "] is " + v
                        + ", expected one of [1.0, -1.0] (" + hilbert + ")");
            }
        }
    }
}
