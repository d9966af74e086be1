package io.jarnn.properties;

import io.jarnn.properties.ModelSpec.Kind;

/**
 * Which output sites can structurally depend on one input site, derived from the layer
 * definitions in the semantics document (not from the code under test).
 *
 * <p>Dense: every later site. Conv1D: the exclusive first layer reaches offsets d, 2d, ...,
 * (K-1)d ahead, each inclusive layer 0, d, ..., (K-1)d, so the reachable offsets are the
 * multiples of d from d to layers*(K-1)*d: limited range, and with d > 1 one residue class
 * modulo d never sees another. Computed by propagating the set layer by layer.
 */
final class ReceptiveField {
    private ReceptiveField() {
    }

    /** {@code seen[i]} is true when output site i can depend on input site {@code site}. */
    static boolean[] outputsSeeing(ModelSpec spec, int site) {
        int n = spec.sites();
        boolean[] reach = new boolean[n];
        reach[site] = true;
        for (int layer = 0; layer < spec.layers(); layer++) {
            reach = spec.kind() == Kind.DENSE ? denseLayer(reach, layer) : convLayer(reach, layer, spec);
        }
        return reach;
    }

    private static boolean[] denseLayer(boolean[] reach, int layer) {
        boolean[] next = new boolean[reach.length];
        for (int j = 0; j < reach.length; j++) {
            for (int i = 0; i < reach.length && !next[j]; i++) {
                next[j] = reach[i] && DenseMask.used(layer, i, j);
            }
        }
        return next;
    }

    /** Output t reads input t - (K-1-k)*d for each tap k < K' (K' = K-1 in the exclusive first layer). */
    private static boolean[] convLayer(boolean[] reach, int layer, ModelSpec spec) {
        int k = spec.kernelSize();
        int d = spec.dilation();
        int taps = layer == 0 ? k - 1 : k;
        boolean[] next = new boolean[reach.length];
        for (int t = 0; t < reach.length; t++) {
            for (int tap = 0; tap < taps && !next[t]; tap++) {
                int source = t - (k - 1 - tap) * d;
                next[t] = source >= 0 && reach[source];
            }
        }
        return next;
    }
}
