package io.jarnn.properties;


/**
 * Which output sites can structurally depend on one input site, derived from the layer
 * definitions in the semantics document (not from the code under test).
 *
 * <p>Dense: every later site. Conv1D: the exclusive first layer reaches offsets d, 2d, ...,
 * (K-1)d ahead, each inclusive layer 0, d, ..., (K-1)d, so the reachable offsets are the
 * multiples of d from d to layers*(K-1)*d: limited range, and with d > 1 one residue class
 * modulo d never sees another. Conv2D (sites r*L + c in raster order): output (r, c) reads input
 * (r - (kh-1-i)*dh, c + (j - kw/2)*dw) for every kernel position (i, j) inside the image except,
 * in the last kernel row i = kh-1, the columns j >= kw/2 (exclusive first layer) or j > kw/2
 * (inclusive): the rows above across the kernel, the current row to the left. Computed by
 * propagating the set layer by layer.
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
            reach = switch (spec.kind()) {
                case DENSE -> denseLayer(reach, layer);
                case CONV1D -> convLayer(reach, layer, spec);
                case CONV2D -> conv2dLayer(reach, layer, spec);
            };
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

    private static boolean[] conv2dLayer(boolean[] reach, int layer, ModelSpec spec) {
        int side = (int) Math.round(Math.sqrt(reach.length));
        int kh = spec.kernelSize();
        int kw = spec.kernelWidth();
        boolean[] next = new boolean[reach.length];
        for (int t = 0; t < reach.length; t++) {
            int r = t / side;
            int c = t % side;
            for (int i = 0; i < kh && !next[t]; i++) {
                for (int j = 0; j < kw && !next[t]; j++) {
                    boolean masked = i == kh - 1 && j >= kw / 2 + (layer == 0 ? 0 : 1);
                    int rr = r - (kh - 1 - i) * spec.dilation();
                    int cc = c + (j - kw / 2) * spec.dilationWidth();
                    next[t] = !masked && rr >= 0 && cc >= 0 && cc < side && reach[rr * side + cc];
                }
            }
        }
        return next;
    }
}
