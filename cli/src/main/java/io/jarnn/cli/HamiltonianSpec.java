package io.jarnn.cli;

import io.jarnn.core.HilbertSpace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code --hamiltonian} value, {@code NAME:KEY=VALUE,...}; the lattice comes from
 * {@code --lattice}, and with it the Hilbert space ({@link #hilbert}):
 * <ul>
 *   <li>{@code ising:J=1,h=1}: the transverse-field Ising model on spin-1/2,
 *       {@code H = -J sum_<ij> Z_i Z_j - h sum_i X_i};</li>
 *   <li>{@code heisenberg:J=1}, {@code heisenberg:J=1,marshall} and {@code ...,sz=0}:
 *       {@code H = J sum_<ij> (X_i X_j + Y_i Y_j + Z_i Z_j)} on spin-1/2 (NetKet's Pauli-matrix
 *       convention), with Marshall's sign rule on the exchange elements if asked (which makes the
 *       ground state of a bipartite lattice positive), in the sector of total Sz {@code sz} (in units of
 *       hbar, so that each spin adds +-1/2) if given;</li>
 *   <li>{@code bose-hubbard:t=1,U=4,mu=1,nmax=3} and {@code ...,n=6}:
 *       {@code H = -t sum_<ij> (b_i^+ b_j + h.c.) + U/2 sum_i n_i (n_i - 1) - mu sum_i n_i} on
 *       Fock(nmax), with n particles in all if {@code n} is given;</li>
 *   <li>{@code pauli:0.5*XXI+ZZI-1.5*IIZ} (a sum of Pauli strings, one letter per site, a
 *       coefficient before each {@code *} or none for 1) or {@code pauli:FILE} (one term per line,
 *       {@code COEFFICIENT STRING}; blank lines and {@code #} comments ignored): spin-1/2.
 *       A string with an odd number of Y has imaginary elements and is refused.</li>
 * </ul>
 */
sealed interface HamiltonianSpec {
    String FORMS = "ising:J=1,h=1, heisenberg:J=1[,marshall][,sz=0], bose-hubbard:t=1,U=4,mu=1,nmax=3[,n=6], "
            + "pauli:FILE or pauli:0.5*XXI+ZZI";

    /** The Hilbert space of the model on {@code lattice}. */
    HilbertSpace hilbert(LatticeSpec lattice);

    /** The spec as the command line writes it, all parameters shown, e.g. {@code ising:J=1,h=1}. */
    String describe();

    /** Transverse-field Ising. */
    record Ising(double j, double h) implements HamiltonianSpec {
        @Override
        public HilbertSpace hilbert(LatticeSpec lattice) {
            return HilbertSpace.spin(0.5, lattice.sites());
        }

        @Override
        public String describe() {
            return "ising:J=" + number(j) + ",h=" + number(h);
        }
    }

    /** Heisenberg, with or without Marshall's sign rule; {@code totalSz} is null for no fixed total Sz. */
    record Heisenberg(double j, boolean marshall, Double totalSz) implements HamiltonianSpec {
        Heisenberg(double j, boolean marshall) {
            this(j, marshall, null);
        }

        @Override
        public HilbertSpace hilbert(LatticeSpec lattice) {
            return totalSz == null ? HilbertSpace.spin(0.5, lattice.sites())
                    : HilbertSpace.spin(0.5, lattice.sites(), totalSz);
        }

        @Override
        public String describe() {
            return "heisenberg:J=" + number(j) + (marshall ? ",marshall" : "") + (totalSz == null ? "" : ",sz=" + number(totalSz));
        }
    }

    /** Bose-Hubbard; {@code particles} is null for no fixed particle number. */
    record BoseHubbard(double t, double u, double mu, int nMax, Integer particles) implements HamiltonianSpec {
        @Override
        public HilbertSpace hilbert(LatticeSpec lattice) {
            return particles == null ? HilbertSpace.fock(nMax, lattice.sites())
                    : HilbertSpace.fock(nMax, lattice.sites(), particles);
        }

        @Override
        public String describe() {
            return "bose-hubbard:t=" + number(t) + ",U=" + number(u) + ",mu=" + number(mu) + ",nmax=" + nMax
                    + (particles == null ? "" : ",n=" + particles);
        }
    }

    /**
     * A sum of Pauli strings: {@code terms} as written inline, or read from {@code file} by
     * {@link #read()} (null when inline).
     */
    record Pauli(List<PauliTerm> terms, Path file) implements HamiltonianSpec {
        public Pauli {
            terms = List.copyOf(terms);
        }

        @Override
        public HilbertSpace hilbert(LatticeSpec lattice) {
            return HilbertSpace.spin(0.5, lattice.sites());
        }

        @Override
        public String describe() {
            return "pauli:" + (file != null ? file.toString() : String.join("+",
                    terms.stream().map(t -> number(t.coefficient()) + "*" + t.string()).toList()).replace("+-", "-"));
        }

        /** The terms, read from the file if there is one. */
        List<PauliTerm> read() throws IOException {
            if (file == null) {
                return terms;
            }
            List<PauliTerm> read = new ArrayList<>();
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).replaceFirst("#.*", "").strip();
                if (line.isEmpty()) {
                    continue;
                }
                String[] words = line.split("\\s+");
                try {
                    if (words.length != 2) {
                        throw new IllegalArgumentException("expected COEFFICIENT STRING such as 0.5 XXI but got '"
                                + line + "'");
                    }
                    read.add(PauliTerm.of(decimal(words[0], "a coefficient"), words[1]));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
                }
            }
            if (read.isEmpty()) {
                throw new IllegalArgumentException(file + ": expected at least one line COEFFICIENT STRING such as "
                        + "0.5 XXI but got none");
            }
            return read;
        }

        /** Every term has one letter per site of {@code lattice}. */
        /**
         * The terms in the site form of {@link io.jarnn.vmc.PauliStrings#parse}, which builds the
         * operator: {@code 0.5*XZI} becomes {@code 0.5 X0 Z1}, one letter per site, identities
         * dropped (an all-identity string keeps {@code I0}, a constant).
         */
        static String siteForm(List<PauliTerm> terms) {
            StringBuilder text = new StringBuilder();
            for (PauliTerm t : terms) {
                text.append(text.isEmpty() ? "" : "; ").append(Double.toString(t.coefficient()));
                String s = t.string();
                boolean any = false;
                for (int site = 0; site < s.length(); site++) {
                    if (s.charAt(site) != 'I') {
                        text.append(' ').append(s.charAt(site)).append(site);
                        any = true;
                    }
                }
                if (!any) {
                    text.append(" I0");
                }
            }
            return text.toString();
        }

        static void requireLength(List<PauliTerm> terms, LatticeSpec lattice) {
            for (PauliTerm t : terms) {
                if (t.string().length() != lattice.sites()) {
                    throw new IllegalArgumentException("expected Pauli strings of " + lattice.sites()
                            + " letters, one per site of " + lattice + ", but got '" + t.string() + "' ("
                            + t.string().length() + ")");
                }
            }
        }
    }

    /** {@code coefficient * P_0 P_1 ... P_{N-1}}, P in I, X, Y, Z, an even number of Y. */
    record PauliTerm(double coefficient, String string) {
        static PauliTerm of(double coefficient, String string) {
            if (!string.matches("[IXYZ]+")) {
                throw new IllegalArgumentException("expected a Pauli string of I, X, Y, Z such as XXI but got '"
                        + string + "'");
            }
            if (string.chars().filter(c -> c == 'Y').count() % 2 == 1) {
                throw new IllegalArgumentException("expected an even number of Y (an odd number makes the matrix "
                        + "elements imaginary) but got '" + string + "'");
            }
            return new PauliTerm(coefficient, string);
        }
    }

    /** @throws IllegalArgumentException "expected ... but got ..." naming the part of {@code spec} at fault */
    static HamiltonianSpec parse(String spec) {
        String text = spec.strip();
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon).strip();
        String rest = colon < 0 ? "" : text.substring(colon + 1).strip();
        try {
            return switch (name) {
                case "ising" -> {
                    Map<String, String> p = parameters(rest, Set.of("J", "h"), Set.of());
                    yield new Ising(decimal(p.getOrDefault("J", "1"), "J"), decimal(required(p, "h"), "h"));
                }
                case "heisenberg" -> {
                    Map<String, String> p = parameters(rest, Set.of("J", "sz"), Set.of("marshall"));
                    yield new Heisenberg(decimal(p.getOrDefault("J", "1"), "J"), p.containsKey("marshall"),
                            p.containsKey("sz") ? decimal(p.get("sz"), "sz") : null);
                }
                case "bose-hubbard" -> {
                    Map<String, String> p = parameters(rest, Set.of("t", "U", "mu", "nmax", "n"), Set.of());
                    int nMax = integer(required(p, "nmax"), "nmax", 1);
                    Integer n = p.containsKey("n") ? integer(p.get("n"), "n", 0) : null;
                    yield new BoseHubbard(decimal(p.getOrDefault("t", "1"), "t"), decimal(required(p, "U"), "U"),
                            decimal(p.getOrDefault("mu", "0"), "mu"), nMax, n);
                }
                case "pauli" -> pauli(rest);
                default -> throw new IllegalArgumentException("expected " + FORMS + " but got '" + spec + "'");
            };
        } catch (IllegalArgumentException e) {
            throw e.getMessage().contains("'" + spec + "'") ? e
                    : new IllegalArgumentException(e.getMessage() + " in '" + spec + "'", e);
        }
    }

    /** An inline sum: letters I X Y Z, digits, signs, '*', '.', 'e'. Anything else is a file name. */
    Pattern INLINE = Pattern.compile("[-+0-9.eE*IXYZ]*[IXYZ][-+0-9.eE*IXYZ]*");
    Pattern TERM = Pattern.compile("([-+]?)(?:([0-9.]+(?:[eE][-+]?[0-9]+)?)\\*)?([A-Za-z]+)");

    private static HamiltonianSpec pauli(String rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("expected pauli:FILE or a sum of Pauli strings such as "
                    + "pauli:0.5*XXI+ZZI but got nothing after 'pauli:'");
        }
        if (!INLINE.matcher(rest).matches()) {
            return new Pauli(List.of(), Path.of(rest));
        }
        List<PauliTerm> terms = new ArrayList<>();
        Matcher m = TERM.matcher(rest);
        int at = 0;
        while (at < rest.length()) {
            if (!m.find(at) || m.start() != at || (at > 0 && m.group(1).isEmpty())) {
                throw new IllegalArgumentException("expected a sum of terms such as 0.5*XXI+ZZI-1.5*IIZ but got '"
                        + rest + "' (at '" + rest.substring(at) + "')");
            }
            double c = m.group(2) == null ? 1 : decimal(m.group(2), "a coefficient");
            terms.add(PauliTerm.of(m.group(1).equals("-") ? -c : c, m.group(3)));
            at = m.end();
        }
        return new Pauli(terms, null);
    }

    private static Map<String, String> parameters(String text, Set<String> keys, Set<String> flags) {
        Map<String, String> values = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return values;
        }
        for (String part : text.split(",", -1)) {
            String p = part.strip();
            int eq = p.indexOf('=');
            String key = eq < 0 ? p : p.substring(0, eq).strip();
            boolean known = eq < 0 ? flags.contains(key) : keys.contains(key);
            if (!known) {
                List<String> expected = new ArrayList<>(keys.stream().sorted().map(k -> k + "=VALUE").toList());
                expected.addAll(flags.stream().sorted().toList());
                throw new IllegalArgumentException("expected " + String.join(", ", expected) + " but got '" + p + "'");
            }
            if (values.put(key, eq < 0 ? "" : p.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException("expected each parameter once but got " + key + " twice");
            }
        }
        return values;
    }

    private static String required(Map<String, String> p, String key) {
        String value = p.get(key);
        if (value == null) {
            throw new IllegalArgumentException("expected " + key + "=VALUE but got no " + key);
        }
        return value;
    }

    /** A finite plain decimal ({@code 1}, {@code -0.5}, {@code 1e-3}); no NaN, hex or suffixes. */
    static double decimal(String text, String what) {
        String t = text.strip();
        if (t.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
            double value = Double.parseDouble(t);
            if (Double.isFinite(value)) {
                return value;
            }
        }
        throw new IllegalArgumentException("expected a finite decimal number for " + what + " but got '" + text + "'");
    }

    private static int integer(String text, String what, int min) {
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected an integer >= " + min + " for " + what + " but got '" + text + "'");
    }

    /** {@code 1}, {@code 0.5}, {@code 1e-06}: the shortest text that reads back as the same double. */
    static String number(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? String.format(Locale.ROOT, "%d", (long) x) : Double.toString(x);
    }
}
