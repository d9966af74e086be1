package io.jarnn.nn;

import java.util.BitSet;
import java.util.List;

/**
 * Which input sites each output site of a stack of layers can depend on, computed from the
 * layers' definitions alone (NetKet's masks and zero padding), independently of the layers'
 * code: layer l's output at site s reads its input at the sites {@link #direct} lists, and the
 * receptive field composes these through the stack. For a 2D convolution the direct sites of
 * (r, c) are (r - (kh-1-i)*dh, c + (j - kw/2)*dw) over the unmasked (i, j) that land in the
 * image: the unmasked positions are the rows above the last kernel row, and in the last row the
 * columns j < kw/2 (exclusive) or j <= kw/2 (inclusive).
 */
final class ReceptiveField {
    private ReceptiveField() {
    }

    /** The input sites layer {@code spec}'s output at {@code site} reads directly. */
    static BitSet direct(LayerSpec spec, int site) {
        BitSet seen = new BitSet();
        switch (spec) {
            case MaskedDense1DSpec dense -> seen.set(0, dense.exclusive() ? site : site + 1);
            case MaskedConv1DSpec conv -> {
                int taps = conv.kernelSize() - (conv.exclusive() ? 1 : 0);
                for (int k = 0; k < taps; k++) {
                    int t = site - (conv.kernelSize() - 1 - k) * conv.dilation();
                    if (t >= 0) {
                        seen.set(t);
                    }
                }
            }
            case MaskedConv2DSpec conv -> {
                int side = (int) Math.round(Math.sqrt(conv.sites()));
                int kh = conv.kernelHeight();
                int kw = conv.kernelWidth();
                int r = site / side;
                int c = site % side;
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        boolean masked = i == kh - 1 && j >= kw / 2 + (conv.exclusive() ? 0 : 1);
                        int rr = r - (kh - 1 - i) * conv.dilationHeight();
                        int cc = c + (j - kw / 2) * conv.dilationWidth();
                        if (!masked && rr >= 0 && cc >= 0 && cc < side) {
                            seen.set(rr * side + cc);
                        }
                    }
                }
            }
        }
        return seen;
    }

    /** For every output site of the stack, the configuration sites it can depend on. */
    static BitSet[] of(List<LayerSpec> layers) {
        int n = layers.getFirst().sites();
        BitSet[] field = new BitSet[n];
        for (int s = 0; s < n; s++) {
            field[s] = direct(layers.getFirst(), s);
        }
        for (LayerSpec spec : layers.subList(1, layers.size())) {
            BitSet[] next = new BitSet[n];
            for (int s = 0; s < n; s++) {
                next[s] = new BitSet();
                BitSet reads = direct(spec, s);
                for (int t = reads.nextSetBit(0); t >= 0; t = reads.nextSetBit(t + 1)) {
                    next[s].or(field[t]);
                }
            }
            field = next;
        }
        return field;
    }
}
