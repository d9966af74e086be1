package io.jarnn.nn;

import io.jarnn.core.Tensor;
import io.jarnn.kernels.BackwardKernels;
import io.jarnn.kernels.Kernels;

import java.util.Arrays;

/**
 * NetKet's {@code MaskedConv2D} (see {@link MaskedConv2DSpec} for the formula): the N = L x L
 * sites as an image in raster order, a (kh, kw) kernel with dilation (dh, dw) that sees the rows
 * above across its width and the current row only to the left (and the site itself, inclusive).
 * NetKet stores the whole kernel (kh, kw, in, out) and multiplies it by the mask at every call;
 * here only the unmasked positions (the taps) are kept, packed (taps, in, out), which is the
 * same thing: whatever NetKet's masked entries hold has no effect, and {@link #kernel()} gives
 * them as zeros.
 *
 * <p>Every product goes through {@link Kernels#accumulateTaps}: on one kernel row the taps of
 * an output row lie in one input row, {@code dw} sites apart, which is a dilated 1D window. The
 * columns whose window lies inside the image are one call per (output row, kernel row); the few
 * edge columns, whose window crosses NetKet's zero padding, skip the taps that fall outside it,
 * so no padded copy of the input is made. Each output element accumulates in the fixed order
 * (kernel row, kernel column, input feature), ascending. The per-site path keeps only the last
 * {@code (kh-1)*dh + 1} image rows, feature-major (see {@link RowsCache}).
 */
public final class MaskedConv2D extends MaskedLayer {
    private final MaskedConv2DSpec spec;
    private final int side;
    private final int kernelHeight;
    private final int dilationWidth;
    private final int taps;
    /** The taps' kernel (taps, in, out) row-major, followed by {@link Kernels#OVERREAD_PADDING} unused floats. */
    private final float[] weights;
    /** The taps' kernel reordered (out, taps, in) for per-site evaluation, where outputs are the rows. */
    private final float[] weightsByOutput;
    /**
     * For the input gradient: each kernel row's taps in reverse order, each transposed, (taps, out,
     * in): {@code [firstTapOfRow(i) + t, c, a] = kernel[(i, tapsInRow(i)-1-t), a, c]}.
     */
    private final float[] weightsReversed;
    private final float[] bias;

    private MaskedConv2D(MaskedConv2DSpec spec, float[] packed, float[] bias) {
        super(spec);
        this.spec = spec;
        this.side = spec.side();
        this.kernelHeight = spec.kernelHeight();
        this.dilationWidth = spec.dilationWidth();
        this.taps = spec.taps();
        int stored = taps * in * out;
        this.weights = Arrays.copyOf(packed, stored + Kernels.OVERREAD_PADDING);
        this.weightsByOutput = new float[stored + Kernels.OVERREAD_PADDING];
        this.weightsReversed = new float[stored + Kernels.OVERREAD_PADDING];
        for (int t = 0; t < taps; t++) {
            for (int a = 0; a < in; a++) {
                for (int c = 0; c < out; c++) {
                    weightsByOutput[(c * taps + t) * in + a] = packed[(t * in + a) * out + c];
                }
            }
        }
        for (int i = 0; i < kernelHeight; i++) {
            int first = spec.firstTapOfRow(i);
            int count = spec.tapsInRow(i);
            for (int t = 0; t < count; t++) {
                int source = first + count - 1 - t;
                for (int a = 0; a < in; a++) {
                    for (int c = 0; c < out; c++) {
                        weightsReversed[((first + t) * out + c) * in + a] = packed[(source * in + a) * out + c];
                    }
                }
            }
        }
        this.bias = bias;
    }

    /**
     * Builds the layer from parameters in NetKet's shapes: {@code kernel} (kh, kw, in, out), whose
     * unmasked entries must be finite (masked ones are ignored, whatever they hold), and
     * {@code bias} (out) (ignored, may be null, when the layer has none).
     */
    public static MaskedConv2D fromNetKet(MaskedConv2DSpec spec, Tensor kernel, Tensor bias, String keyPrefix) {
        String kernelKey = keyPrefix + "kernel";
        ParameterChecks.requireShape(kernelKey, kernel, spec.kernelShape());
        int in = spec.in();
        int out = spec.out();
        int block = in * out;
        float[] packed = new float[spec.taps() * block];
        for (int i = 0; i < spec.kernelHeight(); i++) {
            for (int j = 0; j < spec.tapsInRow(i); j++) {
                int from = (i * spec.kernelWidth() + j) * block;
                for (int e = 0; e < block; e++) {
                    ParameterChecks.requireFinite(kernelKey, kernel, from + e);
                }
                System.arraycopy(kernel.array(), kernel.offset() + from, packed, (spec.firstTapOfRow(i) + j) * block,
                        block);
            }
        }
        float[] b = new float[out];
        if (spec.useBias()) {
            String biasKey = keyPrefix + "bias";
            ParameterChecks.requireShape(biasKey, bias, spec.biasShape());
            ParameterChecks.requireAllFinite(biasKey, bias);
            System.arraycopy(bias.array(), bias.offset(), b, 0, out);
        }
        return new MaskedConv2D(spec, packed, b);
    }

    @Override
    public MaskedConv2DSpec spec() {
        return spec;
    }

    /** Number of unmasked kernel positions stored. */
    public int taps() {
        return taps;
    }

    @Override
    public Tensor kernel() {
        Tensor k = Tensor.zeros(spec.kernelShape());
        int block = in * out;
        for (int i = 0; i < kernelHeight; i++) {
            for (int j = 0; j < spec.tapsInRow(i); j++) {
                System.arraycopy(weights, (spec.firstTapOfRow(i) + j) * block, k.array(),
                        (i * spec.kernelWidth() + j) * block, block);
            }
        }
        return k;
    }

    @Override
    public Tensor bias() {
        return Tensor.copyOf(bias, out);
    }

    @Override
    public void forward(Kernels kernels, float[] x, int xOff, int samples, float[] y, int yOff, float[] scratch) {
        for (int s = 0; s < samples; s++) {
            int xs = xOff + s * sites * in;
            int ys = yOff + s * sites * out;
            Tile.rows(bias, y, ys, out, sites);
            for (int r = 0; r < side; r++) {
                for (int i = 0; i < kernelHeight; i++) {
                    int source = r - spec.rowShift(i);
                    if (source >= 0) {
                        rowWindow(kernels, x, xs + source * side * in, in, weights, spec.firstTapOfRow(i) * in * out,
                                in * out, out, y, ys + r * side * out, out, spec.tapsInRow(i), spec.columnOffset(0));
                    }
                }
            }
        }
    }

    /**
     * One kernel row over one image row: for every column c of the output row at {@code yRow},
     * {@code y[c] += sum_{t < count} x[c + first + t*dw] . w[t]} (x rows of {@code xWidth} floats,
     * the output rows of {@code yWidth}), skipping the taps whose column falls outside
     * {@code 0 .. L-1} (NetKet's zero padding). The columns that need no skipping are one call.
     */
    private void rowWindow(Kernels kernels, float[] x, int xRow, int xWidth, float[] w, int wOff, int wTapStride,
                           int wRowStride, float[] y, int yRow, int yWidth, int count, int first) {
        if (count == 0) {
            return;
        }
        int last = first + (count - 1) * dilationWidth;
        // Columns whose whole window is inside: c + first >= 0 and c + last <= L - 1.
        int innerFrom = Math.max(0, -first);
        int innerTo = Math.min(side - 1, side - 1 - last);
        for (int c = 0; c < side; c++) {
            if (c == innerFrom && innerFrom <= innerTo) {
                kernels.accumulateTaps(x, xRow + (c + first) * xWidth, xWidth, dilationWidth * xWidth, count, xWidth,
                        w, wOff, wTapStride, wRowStride, y, yRow + c * yWidth, yWidth, innerTo - innerFrom + 1, yWidth);
                c = innerTo;
                continue;
            }
            // Taps t with 0 <= c + first + t*dw <= L-1.
            int lo = c + first >= 0 ? 0 : Math.ceilDiv(-(c + first), dilationWidth);
            int hi = c + last <= side - 1 ? count - 1 : count - 1 - Math.ceilDiv(c + last - (side - 1), dilationWidth);
            if (lo <= hi) {
                kernels.accumulateTaps(x, xRow + (c + first + lo * dilationWidth) * xWidth, xWidth,
                        dilationWidth * xWidth, hi - lo + 1, xWidth, w, wOff + lo * wTapStride, wTapStride, wRowStride,
                        y, yRow + c * yWidth, yWidth, 1, yWidth);
            }
        }
    }

    @Override
    public void readParameters(float[] dst, int off) {
        int stored = taps * in * out;
        System.arraycopy(weights, 0, dst, off, stored);
        if (useBias) {
            System.arraycopy(bias, 0, dst, off + stored, out);
        }
    }

    @Override
    MaskedConv2D withParameters(float[] src, int off, int flatBase) {
        ParameterChecks.requireFiniteFlat(src, off, parameterCount(), flatBase);
        int stored = taps * in * out;
        float[] b = new float[out];
        if (useBias) {
            System.arraycopy(src, off + stored, b, 0, out);
        }
        return new MaskedConv2D(spec, Arrays.copyOfRange(src, off, off + stored), b);
    }

    /**
     * {@code dx[u, v] = sum_{(i, j)} dy[u + (kh-1-i)*dh, v - (j - kw/2)*dw] . kernel[i, j]^T} over
     * the taps, dy outside the image taken as zero: the forward's mirror image. On kernel row i
     * the taps, reversed, read dy's row {@code u + (kh-1-i)*dh} at ascending columns
     * {@code v - columnOffset(count-1) + t*dw}, a 1D window again ({@link #rowWindow}).
     */
    @Override
    public void backwardInput(Kernels kernels, float[] dy, int dyOff, int samples, float[] dx, int dxOff) {
        for (int s = 0; s < samples; s++) {
            int dxs = dxOff + s * sites * in;
            int dys = dyOff + s * sites * out;
            Arrays.fill(dx, dxs, dxs + sites * in, 0f);
            for (int u = 0; u < side; u++) {
                for (int i = 0; i < kernelHeight; i++) {
                    int target = u + spec.rowShift(i);
                    int count = spec.tapsInRow(i);
                    if (target < side && count > 0) {
                        rowWindow(kernels, dy, dys + target * side * out, out, weightsReversed,
                                spec.firstTapOfRow(i) * out * in, out * in, in, dx, dxs + u * side * in, in, count,
                                -spec.columnOffset(count - 1));
                    }
                }
            }
        }
    }

    /**
     * {@code dkernel[tap (i, j), a, c] += sum_s sum_{(r, v)} x[s, r - (kh-1-i)*dh, v + (j - kw/2)*dw, a]
     * dy[s, r, v, c]} over the outputs whose tap reads inside the image (a rectangle): the input
     * transposed once into scratch, (in, samples*N), then per tap and sample one product whose
     * reduction runs over the rectangle's rows (as taps) and columns, ascending; samples
     * ascending. The bias gradient is the column sums of dy over samples and sites.
     */
    @Override
    public void backwardParameters(Kernels kernels, BackwardKernels backward, float[] x, int xOff,
                                   float[] dy, int dyOff, int samples, float[] grad, int gradOff, float[] scratch) {
        int positions = samples * sites;
        Transpose.of(backward, x, xOff, positions, in, scratch, 0);
        for (int i = 0; i < kernelHeight; i++) {
            int shift = spec.rowShift(i);
            int rows = side - shift;
            for (int j = 0; j < spec.tapsInRow(i); j++) {
                int offset = spec.columnOffset(j);
                int from = Math.max(0, -offset);
                int width = Math.min(side, side - offset) - from;
                if (rows <= 0 || width <= 0) {
                    continue;
                }
                int g = gradOff + (spec.firstTapOfRow(i) + j) * in * out;
                for (int s = 0; s < samples; s++) {
                    kernels.accumulateTaps(scratch, s * sites + from + offset, positions, side, rows, width,
                            dy, dyOff + (s * sites + shift * side + from) * out, side * out, out,
                            grad, g, out, in, out);
                }
            }
        }
        if (useBias) {
            backward.accumulateColumnSums(dy, dyOff, out, positions, out, grad, gradOff + taps * in * out);
        }
    }

    @Override
    LayerCache newCache(int batch) {
        return new RowsCache(batch, Math.min(spec.rowsKept(), side), false);
    }

    /** Every image row kept, so no site's slot is ever reused (see {@link MaskedLayer#newHistoryCache}). */
    @Override
    LayerCache newHistoryCache(int batch) {
        return new RowsCache(batch, side, true);
    }

    /**
     * Keeps the last {@code (kh-1)*dh + 1} image rows of the whole batch, feature-major: a ring of
     * rows, each {@code leftPadding + L + rightPadding} slots of (in, batch) floats whose padding
     * slots stay zero (NetKet's zero padding, written once). Image row q lives in ring row
     * {@code q mod rowsKept}; rows before 0 are the zeroed ring itself. A site (r, c) is then one
     * {@link Kernels#accumulateTaps} call per kernel row on full batch vectors, its taps {@code dw}
     * slots apart starting at slot c of the row it reads, with the weights ordered (out, taps, in).
     * The current row's slots right of the site still hold an older row; the mask never reads
     * them. A push is one block copy; per-site cost is independent of L.
     */
    private final class RowsCache implements LayerCache {
        private final int batch;
        private final int slot;
        private final int rowFloats;
        private final int rowsKept;
        private final float[] rings;
        /** Whether every image row is kept (a history cache: no slot reused). */
        private final boolean history;
        /** The layer whose parameters {@link #computeSite} uses ({@link #bind}). */
        private MaskedConv2D layer = MaskedConv2D.this;
        /** A history cache's saved slots ({@link #saveBaseline}). */
        private final InputSnapshot baseline = new InputSnapshot();

        RowsCache(int batch, int rowsKept, boolean history) {
            this.history = history;
            this.batch = batch;
            this.slot = Math.multiplyExact(batch, in);
            this.rowFloats = Math.multiplyExact(spec.leftPadding() + side + spec.rightPadding(), slot);
            this.rowsKept = rowsKept;
            this.rings = new float[Math.addExact(Math.multiplyExact(rowsKept, rowFloats), Kernels.OVERREAD_PADDING)];
        }

        @Override
        public void reset() {
            Arrays.fill(rings, 0f);
        }

        @Override
        public void push(int position, float[] src, int srcOff, int featureStride, int sampleStride) {
            int first = slotStart(position);
            if (sampleStride == 1 && featureStride == batch) {
                System.arraycopy(src, srcOff, rings, first, slot);
            } else {
                for (int a = 0; a < in; a++) {
                    for (int b = 0; b < batch; b++) {
                        rings[first + a * batch + b] = src[srcOff + a * featureStride + b * sampleStride];
                    }
                }
            }
        }

        private int slotStart(int position) {
            return (position / side % rowsKept) * rowFloats + (spec.leftPadding() + position % side) * slot;
        }

        @Override
        public void computeSite(Kernels kernels, int site, float[] y, int yOff) {
            float[] bias = layer.bias;
            float[] weightsByOutput = layer.weightsByOutput;
            for (int c = 0; c < out; c++) {
                Arrays.fill(y, yOff + c * batch, yOff + (c + 1) * batch, bias[c]);
            }
            int r = site / side;
            int column = site % side;
            for (int i = 0; i < kernelHeight; i++) {
                int source = r - spec.rowShift(i);
                int count = spec.tapsInRow(i);
                if (source < 0 || count == 0) {
                    continue; // rows above the image are zero
                }
                // Slot leftPadding + column + columnOffset(0) = column: the window's first tap.
                int start = (source % rowsKept) * rowFloats + column * slot;
                kernels.accumulateTaps(weightsByOutput, spec.firstTapOfRow(i) * in, taps * in, in, count, in,
                        rings, start, dilationWidth * slot, batch, y, yOff, batch, out, batch);
            }
        }
    
        @Override
        public void bind(MaskedLayer other) {
            if (!(other instanceof MaskedConv2D c) || !c.spec.equals(spec)) {
                throw new IllegalArgumentException("layer: expected a " + spec + " but got "
                        + (other == null ? "null" : other.spec()));
            }
            layer = c;
        }

        @Override
        public void saveBaseline() {
            if (!history) {
                throw new IllegalStateException("a baseline needs a history cache (newHistoryCache)");
            }
            baseline.save(rings);
        }

        @Override
        public void restoreBaseline(int position) {
            baseline.restore(rings, slotStart(position), slot);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaskedConv2D c && c.spec.equals(spec) && Arrays.equals(c.weights, weights)
                && Arrays.equals(c.bias, bias);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(weights) * 31 + Arrays.hashCode(bias);
    }
}
