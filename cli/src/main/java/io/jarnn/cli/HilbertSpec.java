package io.jarnn.cli;

import io.jarnn.core.HilbertSpace;

/**
 * Parses {@code --hilbert} values, {@code TYPE:LOCAL:N} with an optional {@code :CONSTRAINT}:
 * <ul>
 *   <li>{@code spin:1/2:100} or {@code spin:0.5:100}, {@code spin:1:20}: NetKet's {@code Spin(s, N)};</li>
 *   <li>{@code spin:1/2:20:sz=0}, {@code spin:1/2:5:sz=-1/2}: {@code Spin(s, N, total_sz)};</li>
 *   <li>{@code fock:3:20}: {@code Fock(n_max=3, N=20)};</li>
 *   <li>{@code fock:3:8:n=8}: {@code Fock(n_max=3, N=8, n_particles=8)};</li>
 *   <li>{@code values:-1,0,1:10}: the local values listed, in local-index order.</li>
 * </ul>
 */
final class HilbertSpec {
    static final String FORMS = "spin:1/2:100, spin:1:20, fock:3:20 or values:-1,0,1:10; a fixed total Sz or "
            + "particle number as spin:1/2:20:sz=0 or fock:3:8:n=8";

    private static final String SPIN = "a spin such as 1/2, 1 or 3/2";
    private static final String TOTAL_SZ = "a total Sz such as 0, -1, 1/2 or -3/2";

    private HilbertSpec() {
    }

    /** @throws IllegalArgumentException describing what is wrong with {@code spec} */
    static HilbertSpace parse(String spec) {
        String[] parts = spec.strip().split(":", -1);
        if (parts.length != 3 && parts.length != 4) {
            throw new IllegalArgumentException("expected TYPE:LOCAL:N such as " + FORMS + " but got '" + spec + "'");
        }
        int n = integer(parts[2], "the number of sites N", spec);
        String constraint = parts.length == 4 ? parts[3].strip() : null;
        try {
            return switch (parts[0]) {
                case "spin" -> constraint == null ? HilbertSpace.spin(fraction(parts[1], SPIN, spec), n)
                        : HilbertSpace.spin(fraction(parts[1], SPIN, spec), n,
                                fraction(total(constraint, "sz", spec), TOTAL_SZ, spec));
                case "fock" -> constraint == null ? HilbertSpace.fock(integer(parts[1], "n_max", spec), n)
                        : HilbertSpace.fock(integer(parts[1], "n_max", spec), n,
                                integer(total(constraint, "n", spec), "the particle number n", spec));
                case "values" -> {
                    if (constraint != null) {
                        throw new IllegalArgumentException("expected no constraint for a values space (only "
                                + "spin:...:sz=M and fock:...:n=K) but got '" + constraint + "' in '" + spec + "'");
                    }
                    yield HilbertSpace.ofLocalValues(n, values(parts[1], spec));
                }
                default -> throw new IllegalArgumentException("expected the type spin, fock or values but got '"
                        + parts[0] + "' in '" + spec + "'");
            };
        } catch (IllegalArgumentException e) {
            // HilbertSpace's own checks name its parameter but not the text it came from.
            throw e.getMessage().contains("'" + spec + "'") ? e
                    : new IllegalArgumentException(e.getMessage() + " in '" + spec + "'", e);
        }
    }

    /** The text after {@code key=} in a constraint such as {@code sz=0}. */
    private static String total(String constraint, String key, String spec) {
        if (!constraint.startsWith(key + "=")) {
            throw new IllegalArgumentException("expected TYPE:LOCAL:N:" + key + "=TOTAL (such as " + FORMS
                    + ") but got the constraint '" + constraint + "' in '" + spec + "'");
        }
        return constraint.substring(key.length() + 1);
    }

    /**
     * A multiple of 1/2 as written on the command line: {@code 1/2}, {@code -3/2} or a decimal
     * such as {@code 0.5} or {@code 1}; {@code what} is how the message names it, e.g.
     * "a spin such as 1/2, 1 or 3/2".
     */
    private static double fraction(String text, String what, String spec) {
        String t = text.strip();
        int slash = t.indexOf('/');
        try {
            if (slash < 0) {
                return Double.parseDouble(t);
            }
            double numerator = Integer.parseInt(t.substring(0, slash).strip());
            int denominator = Integer.parseInt(t.substring(slash + 1).strip());
            if (denominator != 0) {
                return numerator / denominator;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected " + what + " but got '" + text + "' in '" + spec + "'");
    }

    private static int integer(String text, String what, String spec) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer for " + what + " but got '" + text + "' in '"
                    + spec + "'");
        }
    }

    private static float[] values(String text, String spec) {
        String[] parts = text.split(",", -1);
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                values[i] = Float.parseFloat(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected comma-separated numbers for the local values but got '"
                        + parts[i] + "' in '" + spec + "'");
            }
        }
        return values;
    }
}
