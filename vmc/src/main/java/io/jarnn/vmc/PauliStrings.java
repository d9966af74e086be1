package io.jarnn.vmc;

import io.jarnn.core.HilbertSpace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real sum of Pauli strings on spin 1/2, {@code H = sum_t c_t P_t}, read from a small text
 * form, as NetKet's {@code PauliStrings} (Pauli matrices; local value +1, NetKet's local index 0,
 * is Z's +1 eigenstate, so {@code Z_i} is the value {@code sigma_i} on a configuration).
 *
 * <h2>Text form</h2>
 * <pre>
 *   -1.0 Z0 Z1
 *   -0.5 X3 ; 0.25 Y0 Y1 + 0.25 X0 X1 - 2 Z2
 * </pre>
 * Terms are separated by newlines, by {@code ;}, or by a {@code +} or {@code -} standing alone
 * between spaces (a lone {@code -} negates the term after it). A term is an optional real
 * coefficient (default 1; any Java {@code double} literal: {@code 0.5}, {@code -2}, {@code 1e-3})
 * followed by factors {@code X<site>}, {@code Y<site>}, {@code Z<site>} or {@code I<site>}
 * (upper or lower case), separated by spaces, optionally by {@code *}. Factors on the same site
 * multiply in the order written ({@code X0 Y0 Y1 X1 = (i Z0)(-i Z1) = Z0 Z1}). A term with no
 * factor is a constant. Every term must be a real symmetric matrix, so that the sum is: its
 * factors must multiply to +1 or -1 times a Pauli string (Hermitian; {@code X0 Y0 = i Z0} is an
 * error naming the term), and that string must hold an even number of Y (real, since
 * {@code Y = i X Z}: {@code 0.5 Y0} is an error, {@code Y0 Y1 = -(XZ)_0 (XZ)_1} is fine). Its sites
 * must be {@code 0 .. N-1}.
 *
 * <h2>Rows</h2>
 * Terms are grouped by the set of sites they flip (X or Y there), in order of first appearance;
 * the group that flips nothing is the diagonal. For a configuration the group's element is
 * {@code sum_t c_t s_t prod_{k in Z or Y sites of t} sigma_k} (with {@code s_t = +-1} the term's
 * phase), and a group whose element is exactly 0 there is omitted (so {@code X0 X1 + Y0 Y1}
 * connects antiparallel spins only, as in {@link Heisenberg}). Only unconstrained spaces are
 * taken: a Pauli string does not in general keep total_sz. Immutable.
 */
public final class PauliStrings implements Operator {
    private final HilbertSpace hilbert;
    private final String text;
    private final int termCount;
    /** Non-diagonal groups: the sites each flips. Group 0 is the diagonal (flips nothing). */
    private final int[][] flips;
    /** Per group, per term: coefficient (with its sign) and the sites whose value multiplies it. */
    private final double[][] coefficients;
    private final int[][][] zSites;

    private PauliStrings(HilbertSpace hilbert, String text, int termCount, int[][] flips, double[][] coefficients,
                         int[][][] zSites) {
        this.hilbert = hilbert;
        this.text = text;
        this.termCount = termCount;
        this.flips = flips;
        this.coefficients = coefficients;
        this.zSites = zSites;
    }

    /** Parses {@code text} (see the class comment) into an operator on {@code hilbert}. */
    public static PauliStrings parse(HilbertSpace hilbert, String text) {
        OperatorChecks.requireNonNull("hilbert", hilbert, "a spin-1/2 space");
        OperatorChecks.requireNonNull("text", text, "Pauli strings such as '-1.0 Z0 Z1; -0.5 X0'");
        if (!hilbert.kind().equals("spin") || hilbert.localSize() != 2 || hilbert.isConstrained()) {
            throw new IllegalArgumentException("hilbert: expected an unconstrained spin-1/2 space for Pauli strings but got "
                    + hilbert);
        }
        int n = hilbert.size();
        List<String> terms = splitTerms(text);
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("text: expected at least one term such as '-1.0 Z0 Z1' but got '" + text
                    + "'");
        }
        // key: flip sites as a string; value: list of (coefficient, zSites)
        Map<String, List<Object[]>> groups = new LinkedHashMap<>();
        Map<String, int[]> groupFlips = new LinkedHashMap<>();
        groups.put("", new ArrayList<>());
        groupFlips.put("", new int[0]);
        for (String term : terms) {
            Object[] parsed = parseTerm(term, n);
            int[] flip = (int[]) parsed[2];
            String key = java.util.Arrays.toString(flip);
            if (flip.length == 0) {
                key = "";
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(parsed);
            groupFlips.putIfAbsent(key, flip);
        }
        int g = groups.size();
        int[][] flips = new int[g][];
        double[][] coefficients = new double[g][];
        int[][][] zSites = new int[g][][];
        int i = 0;
        for (Map.Entry<String, List<Object[]>> e : groups.entrySet()) {
            flips[i] = groupFlips.get(e.getKey());
            List<Object[]> list = e.getValue();
            coefficients[i] = new double[list.size()];
            zSites[i] = new int[list.size()][];
            for (int t = 0; t < list.size(); t++) {
                coefficients[i][t] = (double) list.get(t)[0];
                zSites[i][t] = (int[]) list.get(t)[1];
            }
            i++;
        }
        return new PauliStrings(hilbert, String.join("; ", terms), terms.size(), flips, coefficients, zSites);
    }

    /** Terms with a lone '-' folded into their text as a leading "-1 *" factor. */
    private static List<String> splitTerms(String text) {
        List<String> terms = new ArrayList<>();
        for (String line : text.split("[\\n;]")) {
            StringBuilder current = new StringBuilder();
            boolean negate = false;
            for (String token : line.trim().split("\\s+")) {
                if (token.isEmpty()) {
                    continue;
                }
                if (token.equals("+") || token.equals("-")) {
                    if (!current.isEmpty()) {
                        terms.add((negate ? "- " : "") + current.toString().trim());
                    } else if (negate) {
                        throw new IllegalArgumentException("text: expected a term after '-' but got '" + token
                                + "' in line '" + line.trim() + "'");
                    }
                    current.setLength(0);
                    negate = token.equals("-");
                    continue;
                }
                current.append(token).append(' ');
            }
            if (!current.isEmpty()) {
                terms.add((negate ? "- " : "") + current.toString().trim());
            } else if (negate) {
                throw new IllegalArgumentException("text: expected a term after '-' in line '" + line.trim() + "'");
            }
        }
        return terms;
    }

    /** [coefficient with phase sign, zSites int[], flipSites int[]] of one term. */
    private static Object[] parseTerm(String term, int n) {
        String body = term;
        double sign = 1;
        if (body.startsWith("- ")) {
            sign = -1;
            body = body.substring(2);
        }
        String[] tokens = body.replace("*", " ").trim().split("\\s+");
        double coefficient = 1;
        int first = 0;
        if (!tokens[0].isEmpty() && !Character.isLetter(tokens[0].charAt(0))) {
            try {
                coefficient = Double.parseDouble(tokens[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("text: term '" + term + "': expected a real coefficient but got '"
                        + tokens[0] + "'");
            }
            if (!Double.isFinite(coefficient)) {
                throw new IllegalArgumentException("text: term '" + term + "': expected a finite coefficient but got '"
                        + tokens[0] + "'");
            }
            first = 1;
        }
        int[] pauli = new int[n]; // 0 I, 1 X, 2 Y, 3 Z per site
        int quarterTurns = 0; // phase i^quarterTurns from multiplying factors on one site
        for (int k = first; k < tokens.length; k++) {
            String tok = tokens[k];
            if (tok.isEmpty()) {
                continue;
            }
            int p = switch (Character.toUpperCase(tok.charAt(0))) {
                case 'I' -> 0;
                case 'X' -> 1;
                case 'Y' -> 2;
                case 'Z' -> 3;
                default -> throw new IllegalArgumentException("text: term '" + term + "': expected a factor X<site>, "
                        + "Y<site>, Z<site> or I<site> but got '" + tok + "'");
            };
            int site;
            try {
                site = Integer.parseInt(tok.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("text: term '" + term + "': expected a site number after '"
                        + tok.charAt(0) + "' but got '" + tok + "'");
            }
            if (site < 0 || site >= n) {
                throw new IllegalArgumentException("text: term '" + term + "': site " + site + " is outside the "
                        + "space's sites 0.." + (n - 1));
            }
            int a = pauli[site];
            if (a == 0 || p == 0) {
                pauli[site] = a + p;
            } else if (a == p) {
                pauli[site] = 0;
            } else {
                pauli[site] = 6 - a - p;
                boolean cyclic = (a == 1 && p == 2) || (a == 2 && p == 3) || (a == 3 && p == 1);
                quarterTurns += cyclic ? 1 : 3; // XY = iZ, YZ = iX, ZX = iY; reversed: -i
            }
        }
        if (quarterTurns % 2 != 0) {
            throw new IllegalArgumentException("text: term '" + term + "' is not Hermitian: its factors multiply to "
                    + (quarterTurns % 4 == 1 ? "i" : "-i") + " times a Pauli string (X Y = i Z, Y Z = i X, Z X = i Y)");
        }
        List<Integer> z = new ArrayList<>();
        List<Integer> flip = new ArrayList<>();
        int ys = 0;
        for (int s = 0; s < n; s++) {
            if (pauli[s] == 2) {
                ys++;
            }
            if (pauli[s] == 2 || pauli[s] == 3) {
                z.add(s);
            }
            if (pauli[s] == 1 || pauli[s] == 2) {
                flip.add(s);
            }
        }
        if (ys % 2 != 0) {
            throw new IllegalArgumentException("text: term '" + term + "' is not real: it has " + ys + " factor"
                    + (ys == 1 ? "" : "s") + " Y (an odd number), and Y = i X Z is imaginary");
        }
        // Y = i X Z on each Y site: i^ys = (-1)^(ys/2); the factors' own phase is (-1)^(quarterTurns/2)
        double phase = ((quarterTurns / 2 + ys / 2) % 2 == 0) ? 1 : -1;
        return new Object[] {sign * phase * coefficient, z.stream().mapToInt(Integer::intValue).toArray(),
            flip.stream().mapToInt(Integer::intValue).toArray()};
    }

    /** Number of terms parsed. */
    public int terms() {
        return termCount;
    }

    @Override
    public HilbertSpace hilbert() {
        return hilbert;
    }

    @Override
    public int maxConnections() {
        return flips.length;
    }

    @Override
    public void connected(double[] sigma, int off, int rows, Connections out) {
        int n = OperatorChecks.requireCall(this, sigma, off, rows, out);
        int slots = out.maxConnections();
        double[] conf = out.configurations();
        double[] el = out.elements();
        for (int b = 0; b < rows; b++) {
            int row = off + b * n;
            OperatorChecks.requireSpinRow(hilbert, sigma, row, b);
            int slot = b * slots;
            int count = 0;
            for (int g = 0; g < flips.length; g++) {
                double element = 0;
                double[] c = coefficients[g];
                for (int t = 0; t < c.length; t++) {
                    double v = c[t];
                    for (int site : zSites[g][t]) {
                        v *= sigma[row + site];
                    }
                    element += v;
                }
                if (element == 0 && g > 0) {
                    continue;
                }
                int s = slot + count++;
                System.arraycopy(sigma, row, conf, s * n, n);
                for (int site : flips[g]) {
                    conf[s * n + site] = -sigma[row + site];
                }
                el[s] = element;
            }
            out.setCount(b, count);
        }
    }

    @Override
    public String describe() {
        return "pauli:" + text;
    }

    @Override
    public String toString() {
        return describe();
    }
}
