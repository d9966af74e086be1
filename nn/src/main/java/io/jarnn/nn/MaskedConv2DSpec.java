package io.jarnn.nn;

/**
 * NetKet's {@code MaskedConv2D}: a masked 2D convolution over the N = L x L sites viewed as an
 * L x L image in row-major (raster) order, site {@code t = r * L + c}. Kernel (kh, kw), dilation
 * (dh, dw); with the input zero-padded by {@code (kh-1)*dh} rows on top, {@code (kw/2)*dw}
 * columns on the left and {@code ((kw-1)/2)*dw} on the right,
 * <pre>
 *   y[r, c] = bias + sum_{i < kh, j < kw, mask[i, j]} x[r - (kh-1-i)*dh, c + (j - kw/2)*dw] . kernel[i, j]
 * </pre>
 * where the mask zeroes the last kernel row (the current image row) from column
 * {@code kw/2 + (exclusive ? 0 : 1)} on: rows above are seen across the kernel's width, the
 * current row only to the left (and the site itself when inclusive). Kernel (kh, kw, in, out) in
 * NetKet's shape, masked entries included (they have no effect), bias (out).
 *
 * <p>The unmasked kernel positions, the layer's taps, are numbered in row-major order: all of
 * kernel rows {@code 0 .. kh-2}, then the first {@link #tapsInRow}{@code (kh-1)} of the last row.
 */
public record MaskedConv2DSpec(int sites, int in, int out, int kernelHeight, int kernelWidth, int dilationHeight,
                               int dilationWidth, boolean exclusive, boolean useBias) implements LayerSpec {

    public MaskedConv2DSpec {
        MaskedDense1DSpec.requireDims(sites, in, out);
        requireSquare(sites);
        requireKernelSize(kernelHeight, kernelWidth);
        if (dilationHeight < 1 || dilationWidth < 1) {
            throw new IllegalArgumentException("kernelDilation: expected (dh, dw) both >= 1 but got ("
                    + dilationHeight + ", " + dilationWidth + ")");
        }
    }

    /** The side L of an L x L lattice of {@code sites} sites; throws unless N is a perfect square. */
    static int requireSquare(int sites) {
        int side = (int) Math.round(Math.sqrt(sites));
        if (side * side != sites) {
            throw new IllegalArgumentException("sites: expected N = L * L (a 2D convolution views the N sites as an "
                    + "L x L image, row by row) but got N=" + sites + ", which is not a perfect square");
        }
        return side;
    }

    static void requireKernelSize(int kernelHeight, int kernelWidth) {
        if (kernelHeight < 1 || kernelWidth < 1 || (kernelHeight == 1 && kernelWidth == 1)) {
            throw new IllegalArgumentException("kernelSize: expected (h, w) both >= 1 and not (1, 1) (with (1, 1) the "
                    + "exclusive first layer would have no taps and the model would ignore its inputs) but got ("
                    + kernelHeight + ", " + kernelWidth + ")");
        }
    }

    /** The side L of the image. */
    public int side() {
        return (int) Math.round(Math.sqrt(sites));
    }

    /** Unmasked kernel positions in kernel row {@code i}: kw above the last row, kw/2 (+1 inclusive) in it. */
    public int tapsInRow(int i) {
        return i < kernelHeight - 1 ? kernelWidth : kernelWidth / 2 + (exclusive ? 0 : 1);
    }

    /** Number of unmasked kernel positions: {@code (kh-1)*kw + kw/2 + (exclusive ? 0 : 1)}. */
    public int taps() {
        return (kernelHeight - 1) * kernelWidth + tapsInRow(kernelHeight - 1);
    }

    /** Index of tap (i, 0) among the taps: every kernel row before i is whole. */
    int firstTapOfRow(int i) {
        return i * kernelWidth;
    }

    /** How many image rows above the output row kernel row {@code i} reads: (kh-1-i)*dh. */
    int rowShift(int i) {
        return (kernelHeight - 1 - i) * dilationHeight;
    }

    /** Column offset of kernel column {@code j} from the output column: (j - kw/2)*dw. */
    int columnOffset(int j) {
        return (j - kernelWidth / 2) * dilationWidth;
    }

    /** Zero columns NetKet pads on the left, (kw/2)*dw, and on the right, ((kw-1)/2)*dw. */
    int leftPadding() {
        return kernelWidth / 2 * dilationWidth;
    }

    int rightPadding() {
        return (kernelWidth - 1) / 2 * dilationWidth;
    }

    /** Image rows a per-site evaluation must keep: the current one and {@code (kh-1)*dh} above it. */
    int rowsKept() {
        return (kernelHeight - 1) * dilationHeight + 1;
    }

    /** Whether kernel position (i, j) is unmasked. */
    public boolean isUsed(int i, int j) {
        return j < tapsInRow(i);
    }

    @Override
    public String typeName() {
        return "MaskedConv2D";
    }

    @Override
    public int[] kernelShape() {
        return new int[]{kernelHeight, kernelWidth, in, out};
    }

    @Override
    public int[] biasShape() {
        return new int[]{out};
    }

    @Override
    public long usedKernelEntries() {
        return (long) taps() * in * out;
    }

    /** Per output site, the unmasked taps that land inside the image (padding reads excluded). */
    @Override
    public long multiplyAddsPerSample() {
        int side = side();
        long taps = 0;
        for (int i = 0; i < kernelHeight; i++) {
            long rows = Math.max(0, side - rowShift(i));
            long columns = 0;
            for (int j = 0; j < tapsInRow(i); j++) {
                columns += Math.max(0, side - Math.abs(columnOffset(j)));
            }
            taps += rows * columns;
        }
        return taps * in * out;
    }

    /** LeCun normal with flax's fan-in of a conv kernel, kh*kw*in (masked positions too), ... */
    @Override
    public int kernelFanIn() {
        return kernelHeight * kernelWidth * in;
    }

    /**
     * ... times NetKet's correction {@code sqrt(mask.size / mask.sum())} over the (kh, kw) mask,
     * so that the unmasked entries carry the variance the mask would otherwise thin out. Masked
     * entries are drawn too (NetKet draws, then masks), so the stream is consumed as NetKet's is.
     */
    @Override
    public double kernelInitScale() {
        return Math.sqrt((double) kernelHeight * kernelWidth / taps());
    }

    @Override
    public MaskedConv2DSpec onSites(int sites) {
        return new MaskedConv2DSpec(sites, in, out, kernelHeight, kernelWidth, dilationHeight, dilationWidth,
                exclusive, useBias);
    }
}
