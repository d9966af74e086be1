package io.jarnn.properties;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.SplittableRandom;

/**
 * Generated shapes and memory layouts for the kernel equivalence properties: sizes that straddle
 * the lane count (up to 40 columns: one and two AVX-512 vectors plus a tail), non-zero offsets,
 * row strides wider than the row, overlapping input windows as the convolution uses them.
 */
final class KernelCases {
    private KernelCases() {
    }

    /** One {@code accumulateTaps} call: dimensions, layout and the seed of its contents. */
    record Taps(int rows, int out, int in, int taps, Layout layout, long seed) {
        int xLength() {
            return layout.xOff + (rows - 1) * layout.xRowStride + (taps - 1) * layout.tapStride + in;
        }

        int wRowStride() {
            return out + layout.wPad;
        }

        /** Packed taps (in rows of w each) or, for wTapShift > 0, taps that many columns apart (overlapping). */
        int wTapStride() {
            return layout.wTapShift == 0 ? in * wRowStride() : layout.wTapShift;
        }

        int wLength() {
            return layout.wOff + (taps - 1) * wTapStride() + (in - 1) * wRowStride() + out;
        }

        int yRowStride() {
            return out + layout.yPad;
        }

        int yLength() {
            return layout.yOff + (rows - 1) * yRowStride() + out + layout.yPad;
        }

        @Override
        public String toString() {
            return "accumulateTaps(rows=" + rows + ", out=" + out + ", in=" + in + ", taps=" + taps + ", " + layout
                    + ", seed=" + seed + ")";
        }
    }

    /** Offsets and strides of one call; {@code xRowStride} may be smaller than a window (overlap). */
    record Layout(int xOff, int xRowStride, int tapStride, int wOff, int wPad, int wTapShift, int yOff, int yPad) {
        @Override
        public String toString() {
            return "xOff=" + xOff + ", xRowStride=" + xRowStride + ", tapStride=" + tapStride + ", wOff=" + wOff
                    + ", wRowStride=out+" + wPad + ", wTapStride=" + (wTapShift == 0 ? "in*wRowStride" : wTapShift)
                    + ", yOff=" + yOff + ", yRowStride=out+" + yPad;
        }
    }

    /** An elementwise call over n values: offsets, in place or not, and the magnitude of the values. */
    record Elementwise(int n, int srcOff, int dstOff, boolean inPlace, float magnitude, long seed) {
        @Override
        public String toString() {
            return "selu(n=" + n + ", srcOff=" + srcOff + ", dstOff=" + (inPlace ? srcOff + " (in place)" : dstOff)
                    + ", values in +-" + magnitude + ", seed=" + seed + ")";
        }
    }

    /** A row-normalisation call: rows x cols logits of the given magnitude, machinePow p. */
    record RowBlock(int rows, int cols, float machinePow, float magnitude, int xOff, int outOff, long seed) {
        @Override
        public String toString() {
            return "rows=" + rows + ", cols=" + cols + ", machinePow=" + machinePow + ", logits in +-" + magnitude
                    + ", xOff=" + xOff + ", outOff=" + outOff + ", seed=" + seed;
        }
    }

    static Arbitrary<Taps> taps() {
        Arbitrary<Layout> layouts = Combinators.combine(
                        Arbitraries.integers().between(0, 7),
                        Arbitraries.integers().between(1, 64),
                        Arbitraries.integers().between(0, 24),
                        Arbitraries.integers().between(0, 7),
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 7),
                        Arbitraries.integers().between(0, 5))
                .as(Layout::new);
        return Combinators.combine(
                        Arbitraries.integers().between(1, 40),
                        Arbitraries.integers().between(1, 40),
                        Arbitraries.integers().between(1, 12),
                        Arbitraries.integers().between(1, 5),
                        layouts,
                        Arbitraries.longs())
                .as(Taps::new);
    }

    static Arbitrary<Elementwise> elementwise() {
        return Combinators.combine(
                        Arbitraries.oneOf(Arbitraries.integers().between(1, 70), Arbitraries.of(1021)),
                        Arbitraries.integers().between(0, 7),
                        Arbitraries.integers().between(0, 7),
                        Arbitraries.of(false, true),
                        Arbitraries.of(1f, 20f, 100f),
                        Arbitraries.longs())
                .as(Elementwise::new);
    }

    static Arbitrary<RowBlock> rowBlocks() {
        return Combinators.combine(
                        Arbitraries.integers().between(1, 40),
                        Arbitraries.integers().between(1, 20),
                        ArbitraryModels.machinePows(),
                        Arbitraries.of(1f, 10f, 80f),
                        Arbitraries.integers().between(0, 7),
                        Arbitraries.integers().between(0, 7),
                        Arbitraries.longs())
                .as(RowBlock::new);
    }

    /** {@code length} floats uniform in [-magnitude, magnitude], reproducible from {@code seed}. */
    static float[] values(int length, float magnitude, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = (float) random.nextDouble(-magnitude, magnitude);
        }
        return a;
    }
}
