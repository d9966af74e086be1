package io.jarnn.properties;

import io.jarnn.kernels.ConvolveFromBiasCase;
import io.jarnn.kernels.Kernels;
import io.jarnn.kernels.NormalisationCase;
import io.jarnn.kernels.SeluCase;
import io.jarnn.kernels.TapsCase;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.List;

import static org.quicktheories.generators.SourceDSL.integers;

/**
 * Generated kernel calls for the equivalence properties, as the cases of the kernels module's
 * test harness ({@link TapsCase}, {@link SeluCase}, {@link NormalisationCase}), which the unit
 * tests check with the same code and tolerances: sizes that straddle the lane count (up to 40
 * columns: one and two AVX-512 vectors plus a tail), non-zero offsets, row strides wider than the
 * row, overlapping input windows as the convolution uses them, tight and padded arrays.
 */
final class KernelCases {
    private KernelCases() {
    }

    private record Dims(int rows, int out, int in, int taps) {
    }

    /** x: offset, row stride (may be smaller than a window: overlap) and tap stride (0: all taps read one window). */
    private record XLayout(int xOff, int xRowStride, int tapStride) {
    }

    /** w and y: offsets and the padding of their rows; wTapShift > 0 puts taps that many columns apart (overlapping). */
    private record WyLayout(int wOff, int wPad, int wTapShift, int yOff, int yPad) {
    }

    static Gen<TapsCase> taps() {
        Gen<Dims> dims = integers().between(1, 40).zip(integers().between(1, 40), integers().between(1, 12),
                integers().between(1, 5), Dims::new);
        Gen<XLayout> x = integers().between(0, 7).zip(integers().between(1, 64), integers().between(0, 24),
                XLayout::new);
        Gen<WyLayout> wy = integers().between(0, 7).zip(integers().between(0, 5), integers().between(0, 3),
                integers().between(0, 7), integers().between(0, 5), WyLayout::new);
        // Tight arrays (masked tails), a little slack, or the layers' padding (whole-vector tails).
        Gen<Integer> slack = Generate.pick(List.of(0, 3, Kernels.OVERREAD_PADDING));
        return dims.zip(x, wy, slack, (d, xl, l, s) -> {
            int wRowStride = d.out() + l.wPad();
            int wTapStride = l.wTapShift() == 0 ? d.in() * wRowStride : l.wTapShift();
            return new TapsCase(d.rows(), d.out(), d.in(), d.taps(), xl.tapStride(), xl.xOff(), xl.xRowStride(),
                    l.wOff(), wTapStride, wRowStride, l.yOff(), d.out() + l.yPad(), s);
        });
    }

    /**
     * Planar convolution rows from their bias: 1..20 rows of 1..80 positions (one and four
     * AVX-512 vectors plus tails), 1..4 inputs and 1..3 taps (so both the short-reduction passes
     * and the tiles' path), taps 1..3 positions apart, tight or padded arrays.
     */
    static Gen<ConvolveFromBiasCase> convolveFromBias() {
        return integers().between(1, 20).zip(integers().between(1, 80), integers().between(1, 4),
                        integers().between(1, 3), (rows, cols, in, taps) -> new Dims(rows, cols, in, taps))
                .zip(integers().between(1, 3), Generate.pick(List.of(0, 3, Kernels.OVERREAD_PADDING)),
                        (d, tapStride, slack) -> ConvolveFromBiasCase.of(d.rows(), d.out(), d.in(), d.taps(),
                                tapStride, slack));
    }

    /** selu over 1..70 values or 1021, at offsets 0..7, apart or in place, values in +-1, 20 or 100. */
    static Gen<SeluCase> selu() {
        Gen<Integer> sizes = Gens.oneOf(List.of(integers().between(1, 70), Generate.constant(1021)));
        Gen<Integer> offsets = integers().between(0, 7);
        return sizes.zip(offsets, offsets, integers().between(0, 8), Generate.booleans(),
                (n, src, dst, slack, inPlace) -> new SeluCase(n, src, dst, slack, inPlace, 1f))
                .zip(Generate.pick(List.of(1f, 20f, 100f)),
                        (c, m) -> new SeluCase(c.n(), c.srcOff(), c.dstOff(), c.slack(), c.inPlace(), m));
    }

    /**
     * {@code kernel} over 1..40 distributions of 1..20 entries (rows of cols, or for
     * the column kernels columns of rows), logits in +-1, 10 or 80, any machinePow.
     */
    static Gen<NormalisationCase> normalisations(NormalisationCase.Kernel kernel) {
        boolean columns = kernel.byColumn();
        Gen<Integer> offsets = integers().between(0, 7);
        return integers().between(1, 40).zip(integers().between(1, 20), ArbitraryModels.machinePows(),
                        Generate.pick(List.of(1f, 10f, 80f)),
                        (count, size, p, magnitude) -> new NormalisationCase(kernel, columns ? size : count,
                                columns ? count : size, p, magnitude, 0, 0, 0))
                .zip(offsets, offsets, integers().between(0, 4), (c, xOff, outOff, slack) -> new NormalisationCase(
                        kernel, c.rows(), c.cols(), c.machinePow(), c.magnitude(), xOff, outOff, slack));
    }
}
