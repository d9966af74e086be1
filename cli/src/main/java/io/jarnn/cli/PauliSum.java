package io.jarnn.cli;

import io.jarnn.core.HilbertSpace;
import io.jarnn.vmc.Connections;
import io.jarnn.vmc.Operator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code H = sum_k c_k P_k}, P_k a string of Pauli matrices, one per site, on spin 1/2 (local
 * value +1 is Z's +1 eigenstate, local index 0, as NetKet's {@code Spin(1/2)}); what
 * {@code --hamiltonian pauli:...} builds. Every string has an even number of Y, so every matrix
 * element is real (the parser refuses the others).
 *
 * <p>A string flips the sites where it has X or Y: {@code <sigma| P |sigma'>} is non-zero only
 * for {@code sigma'} = sigma with those sites flipped, and then equals
 * {@code prod_{Z, Y sites} sigma_i * (-1)^{nY/2}} ({@code <s|Z|s> = s}; {@code <s|Y|-s> = -i s},
 * and {@code (-i)^{nY} = (-1)^{nY/2}} for even nY). Terms with the same flipped sites share
 * one connection: a row is the diagonal (every string of I and Z), then one entry per distinct
 * set of flipped sites, in the order the terms first name it.
 */
final class PauliSum implements Operator {
    private final HilbertSpace hilbert;
    private final String description;
    /** Per group (distinct flip set; group 0 the diagonal): its sites to flip and its terms. */
    private final int[][] flips;
    private final double[][] coefficients;
    /** Per group and term: the sites whose sigma_i multiply the element (Z and Y). */
    private final int[][][] signSites;

    PauliSum(HilbertSpace hilbert, List<HamiltonianSpec.PauliTerm> terms, String description) {
        if (!hilbert.kind().equals("spin") || hilbert.localSize() != 2 || hilbert.isConstrained()) {
            throw new IllegalArgumentException("hilbert: expected unconstrained spin 1/2 for Pauli strings but got "
                    + hilbert);
        }
        this.hilbert = hilbert;
        this.description = description;
        Map<String, List<HamiltonianSpec.PauliTerm>> groups = new LinkedHashMap<>();
        groups.put(flipKey("I".repeat(hilbert.size())), new ArrayList<>());
        for (HamiltonianSpec.PauliTerm t : terms) {
            if (t.string().length() != hilbert.size()) {
                throw new IllegalArgumentException("terms: expected strings of " + hilbert.size() + " letters but got '"
                        + t.string() + "'");
            }
            groups.computeIfAbsent(flipKey(t.string()), k -> new ArrayList<>()).add(t);
        }
        int g = groups.size();
        flips = new int[g][];
        coefficients = new double[g][];
        signSites = new int[g][][];
        int k = 0;
        for (Map.Entry<String, List<HamiltonianSpec.PauliTerm>> e : groups.entrySet()) {
            flips[k] = sites(e.getKey(), "F");
            List<HamiltonianSpec.PauliTerm> group = e.getValue();
            coefficients[k] = new double[group.size()];
            signSites[k] = new int[group.size()][];
            for (int t = 0; t < group.size(); t++) {
                String s = group.get(t).string();
                long ys = s.chars().filter(c -> c == 'Y').count();
                coefficients[k][t] = group.get(t).coefficient() * ((ys / 2) % 2 == 0 ? 1 : -1);
                signSites[k][t] = sites(s.replace('Y', 'Z'), "Z");
            }
            k++;
        }
    }

    /** "F" where the string flips (X, Y), "-" elsewhere. */
    private static String flipKey(String string) {
        return string.replaceAll("[XY]", "F").replaceAll("[IZ]", "-");
    }

    private static int[] sites(String text, String letter) {
        return java.util.stream.IntStream.range(0, text.length()).filter(i -> text.charAt(i) == letter.charAt(0))
                .toArray();
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
        int n = hilbert.size();
        if (rows < 0 || off < 0 || (long) off + (long) rows * n > sigma.length) {
            throw new IllegalArgumentException("sigma: expected " + rows + " rows of " + n + " values from offset "
                    + off + " but got an array of " + sigma.length);
        }
        out.requireFits(this, rows);
        int slots = out.maxConnections();
        double[] conf = out.configurations();
        double[] el = out.elements();
        for (int b = 0; b < rows; b++) {
            int row = off + b * n;
            for (int i = 0; i < n; i++) {
                double v = sigma[row + i];
                if (v != 1 && v != -1) {
                    throw new IllegalArgumentException("sigma: element [" + b + ", " + i + "] is " + v
                            + ", expected one of [1.0, -1.0] (" + hilbert + ")");
                }
            }
            for (int g = 0; g < flips.length; g++) {
                int slot = b * slots + g;
                System.arraycopy(sigma, row, conf, slot * n, n);
                for (int i : flips[g]) {
                    conf[slot * n + i] = -sigma[row + i];
                }
                double element = 0;
                for (int t = 0; t < coefficients[g].length; t++) {
                    double sign = 1;
                    for (int i : signSites[g][t]) {
                        sign *= sigma[row + i];
                    }
                    element += coefficients[g][t] * sign;
                }
                el[slot] = element;
            }
            out.setCount(b, flips.length);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}
