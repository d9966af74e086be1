package io.jarnn.nn;

import io.jarnn.core.Tensor;
import io.jarnn.kernels.BackwardKernels;
import io.jarnn.kernels.Kernels;
import io.jarnn.kernels.PlanarPanels;

import java.util.Arrays;

/**
 * NetKet's {@code MaskedConv1D}: a causal, dilated 1D convolution. With K the kernel size, d
 * the dilation and taps {@code K' = K - (exclusive ? 1 : 0)}:
 * <pre>
 *   y[t] = bias + sum_{k < K'} x[t - (K-1-k)*d] . kernel[k]      (x at negative t is zero)
 * </pre>
 * The inclusive layer's last tap is the current site; the exclusive layer's nearest tap is
 * {@code t - d}, not {@code t - 1} (NetKet's behaviour: with d > 1 the residue classes modulo d
 * never see each other). Kernel (K', in, out), bias (out).
 *
 * <p>No padded copy of the input is made: interior sites are one multi-tap product over the
 * sequence, and the first {@code (K-1)*d} sites skip the taps that fall before site 0.
 * {@link #forward} is row-major, vectorised along the output features (what the gradients
 * use). A model's full forward runs {@link #forwardPlanar} instead, every layer features by
 * positions and vectorised along the positions, with no transpose between layers (transposes
 * at every layer boundary had cost as much as the convolution). The per-site path is
 * feature-major, vectorised along the batch. Both take the kernel reordered (out, K', in).
 */
public final class MaskedConv1D extends MaskedLayer {
    private final MaskedConv1DSpec spec;
    private final int kernelSize;
    private final int dilation;
    private final int taps;
    /** The kernel (K', in, out) row-major, followed by {@link Kernels#OVERREAD_PADDING} unused floats. */
    private final float[] weights;
    /** The kernel reordered (out, K', in) for per-site evaluation, where outputs are the rows. */
    private final float[] weightsByOutput;
    /** {@link #weightsByOutput} packed for the register tiles of {@link Kernels#convolveFromBias}. */
    private final float[] panels;
    /**
     * The kernel with its taps reversed and each tap transposed, (K', out, in):
     * {@code [t, c, a] = kernel[K'-1-t, a, c]}, for the input gradient, a convolution that looks
     * forward.
     */
    private final float[] weightsReversed;
    private final float[] bias;

    private MaskedConv1D(MaskedConv1DSpec spec, float[] weights, float[] bias) {
        super(spec);
        this.spec = spec;
        this.kernelSize = spec.kernelSize();
        this.dilation = spec.dilation();
        this.taps = spec.taps();
        this.weights = Arrays.copyOf(weights, weights.length + Kernels.OVERREAD_PADDING);
        this.weightsByOutput = new float[weights.length];
        for (int t = 0; t < taps; t++) {
            for (int a = 0; a < in; a++) {
                for (int c = 0; c < out; c++) {
                    weightsByOutput[(c * taps + t) * in + a] = weights[(t * in + a) * out + c];
                }
            }
        }
        this.panels = PlanarPanels.pack(weightsByOutput, 0, taps * in, taps, in, out);
        this.weightsReversed = new float[weights.length];
        for (int t = 0; t < taps; t++) {
            for (int a = 0; a < in; a++) {
                for (int c = 0; c < out; c++) {
                    weightsReversed[((taps - 1 - t) * out + c) * in + a] = weights[(t * in + a) * out + c];
                }
            }
        }
        this.bias = bias;
    }

    /**
     * Builds the layer from parameters in NetKet's shapes: {@code kernel} (K', in, out) and
     * {@code bias} (out) (ignored, may be null, when {@code useBias} is false); all finite.
     */
    public static MaskedConv1D fromNetKet(int sites, int in, int out, int kernelSize, int dilation,
                                          boolean exclusive, boolean useBias, Tensor kernel, Tensor bias,
                                          String keyPrefix) {
        return fromNetKet(new MaskedConv1DSpec(sites, in, out, kernelSize, dilation, exclusive, useBias),
                kernel, bias, keyPrefix);
    }

    static MaskedConv1D fromNetKet(MaskedConv1DSpec spec, Tensor kernel, Tensor bias, String keyPrefix) {
        String kernelKey = keyPrefix + "kernel";
        ParameterChecks.requireShape(kernelKey, kernel, spec.kernelShape());
        ParameterChecks.requireAllFinite(kernelKey, kernel);
        float[] b = new float[spec.out()];
        if (spec.useBias()) {
            String biasKey = keyPrefix + "bias";
            ParameterChecks.requireShape(biasKey, bias, spec.biasShape());
            ParameterChecks.requireAllFinite(biasKey, bias);
            System.arraycopy(bias.array(), bias.offset(), b, 0, b.length);
        }
        return new MaskedConv1D(spec, kernel.toArray(), b);
    }

    @Override
    public MaskedConv1DSpec spec() {
        return spec;
    }

    public int kernelSize() {
        return kernelSize;
    }

    public int dilation() {
        return dilation;
    }

    /** Number of taps K' actually stored: K, or K - 1 for the exclusive layer. */
    public int taps() {
        return taps;
    }

    @Override
    public Tensor kernel() {
        return Tensor.wrap(Arrays.copyOf(weights, weightsByOutput.length), taps, in, out);
    }

    @Override
    public Tensor bias() {
        return Tensor.copyOf(bias, out);
    }

    /** Offset back from site t of tap k: (K-1-k)*d. */
    private int shift(int k) {
        return spec.shift(k);
    }

    /** First tap that does not fall before site 0 at site t (taps when none does). */
    private int firstTap(int t) {
        return spec.firstTap(t);
    }

    /**
     * Row-major, vectorised along the output features; scratch is not used. Not through the
     * planar layout of {@link #forwardPlanar} between two transposes, though its tiles are
     * faster: measured on a Zen 4 (thread CPU time, N = 1024, batch 256-1024), the 16 x 16
     * register transposes cost about 0.8 cycles per element each way against the 3 cycles of
     * fused multiply-adds an output of 16 features takes, and narrower layers transpose in
     * scalar code. Bitwise the same, the detour ran 37-46 GFLOP/s against 44-57 row-major at 16
     * features, 71 against 100 at 64, and up to 3x slower from 2 to 8 features (the planar tiles
     * alone, in L1: 85-90 GFLOP/s at 16).
     */
    @Override
    public void forward(Kernels kernels, float[] x, int xOff, int samples, float[] y, int yOff, float[] scratch) {
        int edge = Math.min(shift(0), sites);
        for (int s = 0; s < samples; s++) {
            int xs = xOff + s * sites * in;
            int ys = yOff + s * sites * out;
            Tile.rows(bias, y, ys, out, sites);
            for (int t = 0; t < edge; t++) {
                int k0 = firstTap(t);
                if (k0 < taps) {
                    kernels.accumulateTaps(x, xs + (t - shift(k0)) * in, in, dilation * in, taps - k0, in,
                            weights, k0 * in * out, in * out, out, y, ys + t * out, out, 1, out);
                }
            }
            int interior = sites - edge;
            if (interior > 0) {
                kernels.accumulateTaps(x, xs, in, dilation * in, taps, in, weights, 0, in * out, out,
                        y, ys + edge * out, out, interior, out);
            }
        }
    }

    /**
     * The forward in the planar layout of a convolutional model's full forward: per sample a
     * (features, positions) block with rows {@code stride >= N} floats apart, i.e.
     * {@code x[s, t, a] = x[xOff + (s * in + a) * stride + t]} and y likewise with {@code out}
     * (the floats between N and the stride are neither read for a result nor written).
     * Vectorised along the positions, so every layer fills whole vectors whatever its width
     * (one input feature in the first layer, localSize outputs in the last) and the
     * (out, K' x in) weights are the rows of a register-tiled product. Each element takes the
     * fused multiply-adds of {@link #forward}, in the same order: the results are bitwise equal.
     * Strides that are not a multiple of 4 KiB keep a sample's rows off one cache set.
     *
     * <p>Public for callers whose activations are already planar, and for the benchmarks, which
     * time the layer as a model runs it; x and y may be one array but their ranges must not
     * overlap.
     *
     * @throws IllegalArgumentException if {@code stride < N}, an offset or {@code samples} is
     *                                  negative, x or y is too short, or their ranges overlap
     */
    public void forwardPlanar(Kernels kernels, float[] x, int xOff, int samples, float[] y, int yOff, int stride) {
        if (stride < sites) {
            throw new IllegalArgumentException("stride: expected at least N = " + sites + " but got " + stride);
        }
        long xEnd = planarEnd("x", x, xOff, samples, in, stride);
        long yEnd = planarEnd("y", y, yOff, samples, out, stride);
        if (x == y && samples > 0 && xOff < yEnd && yOff < xEnd) {
            throw new IllegalArgumentException("y: expected a range not overlapping x's [" + xOff + ", " + xEnd
                    + ") but got [" + yOff + ", " + yEnd + ")");
        }
        for (int s = 0; s < samples; s++) {
            if (s + 1 < samples) {
                int next = xOff + (s + 1) * in * stride;
                warmLines(x, next, next + (in - 1) * stride + sites);
            }
            forwardPlanarPositions(kernels, x, xOff + s * in * stride, y, yOff + s * out * stride, stride, 0, sites);
        }
    }

    /** Floats in a 64-byte cache line. */
    private static final int FLOATS_PER_LINE = 16; //f64:    private static final int FLOATS_PER_LINE = 8;
    /** Runs {@link #warmLines} reads side by side. */
    private static final int WARM_RUNS = 8;
    /**
     * Where {@link #warmLines} leaves what it read, so that the reads are not dropped as dead
     * code. Never read; threads racing to write it are harmless.
     */
    private static int warmedBits;

    /**
     * Reads one float of every cache line of {@code a[from, to)}, to bring the next sample's
     * input into L2 (1 MiB; a sample at 16 features is 65 KiB) before the kernels read it. Java
     * has no prefetch instruction, and the kernels' own first reads of a sample streaming from
     * memory are a poor one: their tiles read 16 input rows (4 KiB apart) a few lines at a time
     * between long runs of multiply-adds, so few of them are in flight at a time (the hardware
     * prefetchers, which stop at 4 KiB pages, evidently do not make up for it). These reads are independent and back to back, in
     * {@link #WARM_RUNS} interleaved runs (one core's reads from memory here: 15-17 GB/s as one
     * run, 20-25 GB/s as two to eight). Measured on a Zen 4 (thread CPU time, the hidden f = 16
     * layer's forwardPlanar over 1024 samples, 128 MiB in and out, busy host): 50.6 GFLOP/s
     * without, 55.5 with (medians of 40 alternating calls; the same layer in cache, batch 4:
     * 87-99); with the kernels' whole-row sweeps as well, 65.5-71.1 (best of 10, three
     * alternating rounds) against 52.0-60.9 before both. Spreading the reads between the
     * kernels' tiles (8-64 lines per tile) did not help (45-59), nor did warming the next
     * sample's output too. Not in the row-major {@link #forward}: its products, which load about
     * one value per multiply-add, run 55-65 GFLOP/s even in cache, and it measured no faster
     * with the reads. Results are unchanged: nothing is written.
     */
    private static void warmLines(float[] a, int from, int to) {
        int part = ((to - from + WARM_RUNS - 1) / WARM_RUNS + FLOATS_PER_LINE - 1) / FLOATS_PER_LINE * FLOATS_PER_LINE;
        // Lines that every run still has, read side by side; the indices are linear in i, so
        // the loop runs without a range check per read (a clamped index, min(index, to - 1),
        // kept one per read). Then each run's lines past them, those before to.
        int whole = Math.max(0, Math.min(part, to - from - (WARM_RUNS - 1) * part));
        int bits = 0;
        for (int i = 0; i < whole; i += FLOATS_PER_LINE) {
            for (int r = 0; r < WARM_RUNS; r++) {
                bits ^= Float.floatToRawIntBits(a[from + r * part + i]);
            }
        }
        for (int r = 0; r < WARM_RUNS; r++) {
            int runEnd = Math.min(to, from + (r + 1) * part);
            for (int i = from + r * part + whole; i < runEnd; i += FLOATS_PER_LINE) {
                bits ^= Float.floatToRawIntBits(a[i]);
            }
        }
        warmedBits = bits;
    }

    /** End of the planar range {@code samples} samples of {@code rows} rows take from {@code off}, checked against the array. */
    private long planarEnd(String name, float[] a, int off, int samples, int rows, int stride) {
        if (off < 0 || samples < 0) {
            throw new IllegalArgumentException(name + ": expected a non-negative offset and sample count but got offset "
                    + off + ", " + samples + " samples");
        }
        long end = samples == 0 ? off : off + ((long) samples * rows - 1) * stride + sites;
        if (end > a.length) {
            throw new IllegalArgumentException(name + ": expected at least " + end + " floats (" + samples + " samples of "
                    + rows + " rows, stride " + stride + ", from " + off + ") but got " + a.length);
        }
        return end;
    }

    /**
     * {@link #forwardPlanar} of one sample restricted to the positions {@code [from, to)}: those
     * positions of every output row are set (bias, then the taps), and x is read only at
     * positions before {@code to}. A causal layer's positions can so run in blocks, every layer
     * of a model on one block before the next block (the planar forward's wavefront, whose
     * working set stays in L1). Each element takes exactly the operations of
     * {@link #forwardPlanar}, so any split of the positions gives the same bits.
     */
    void forwardPlanarPositions(Kernels kernels, float[] x, int xOff, float[] y, int yOff, int stride, int from, int to) {
        int edge = Math.min(shift(0), sites);
        int first = Math.max(from, edge);
        if (first < to) {
            // Positions every tap reaches: bias and taps in one kernel call.
            kernels.convolveFromBias(weightsByOutput, 0, taps * in, panels, taps, in, bias, 0,
                    x, xOff + first - shift(0), stride, dilation, y, yOff + first, stride, out, to - first);
        }
        int edgeEnd = Math.min(to, edge);
        if (from < edgeEnd) {
            for (int c = 0; c < out; c++) {
                Arrays.fill(y, yOff + c * stride + from, yOff + c * stride + edgeEnd, bias[c]);
            }
        }
        for (int t = from; t < edgeEnd; t++) {
            int k0 = firstTap(t);
            if (k0 < taps) {
                kernels.accumulateTaps(weightsByOutput, k0 * in, taps * in, in, taps - k0, in,
                        x, xOff + t - shift(k0), dilation, stride, y, yOff + t, stride, out, 1);
            }
        }
    }

    @Override
    public void readParameters(float[] dst, int off) {
        int stored = weightsByOutput.length;
        System.arraycopy(weights, 0, dst, off, stored);
        if (useBias) {
            System.arraycopy(bias, 0, dst, off + stored, out);
        }
    }

    @Override
    MaskedConv1D withParameters(float[] src, int off, int flatBase) {
        ParameterChecks.requireFiniteFlat(src, off, parameterCount(), flatBase);
        int stored = weightsByOutput.length;
        float[] b = new float[out];
        if (useBias) {
            System.arraycopy(src, off + stored, b, 0, out);
        }
        return new MaskedConv1D(spec, Arrays.copyOfRange(src, off, off + stored), b);
    }

    /**
     * {@code dx[u] = sum_{k < K'} dy[u + (K-1-k) d] . kernel[k]^T}, dy beyond the last site taken
     * as zero: the forward's mirror image, a convolution looking forward with the reversed,
     * transposed kernel. Its taps, in ascending order, read {@code u + s0, u + s0 + d, ...} with
     * {@code s0 = (K - K') d} (0, or d for the exclusive layer); interior sites are one product
     * over the sequence and the last {@code (K-1) d} sites skip the taps that fall past site
     * N - 1, as the forward's first sites skip those before site 0.
     */
    @Override
    public void backwardInput(Kernels kernels, float[] dy, int dyOff, int samples, float[] dx, int dxOff) {
        int s0 = (kernelSize - taps) * dilation;
        int interior = Math.max(0, sites - (kernelSize - 1) * dilation);
        for (int s = 0; s < samples; s++) {
            int dxs = dxOff + s * sites * in;
            int dys = dyOff + s * sites * out;
            Arrays.fill(dx, dxs, dxs + sites * in, 0f);
            if (interior > 0) {
                kernels.accumulateTaps(dy, dys + s0 * out, out, dilation * out, taps, out, weightsReversed, 0,
                        out * in, in, dx, dxs, in, interior, in);
            }
            for (int u = interior; u < sites; u++) {
                int room = sites - 1 - u - s0;
                int count = room < 0 ? 0 : Math.min(taps, room / dilation + 1);
                if (count > 0) {
                    kernels.accumulateTaps(dy, dys + (u + s0) * out, out, dilation * out, count, out,
                            weightsReversed, 0, out * in, in, dx, dxs + u * in, in, 1, in);
                }
            }
        }
    }

    /**
     * {@code dkernel[k, a, c] += sum_s sum_{t >= shift_k} x[s, t - shift_k, a] dy[s, t, c]}: the
     * input transposed once into scratch, (in, samples*N), then per tap one product whose
     * reduction runs over the samples (as its taps) and the N - shift_k positions each sees, in
     * ascending order; the bias gradient is the column sums of dy over samples and sites.
     */
    @Override
    public void backwardParameters(Kernels kernels, BackwardKernels backward, float[] x, int xOff,
                                   float[] dy, int dyOff, int samples, float[] grad, int gradOff, float[] scratch) {
        int positions = samples * sites;
        Transpose.of(backward, x, xOff, positions, in, scratch, 0);
        accumulateParameterGradient(kernels, backward, scratch, 0, positions, sites, dy, dyOff, samples, grad, gradOff);
    }

    // ---------------------------------------------------------------- planar backward

    /**
     * The kernel reversed and ordered by input feature, (in, K', out):
     * {@code [a, t, c] = kernel[K'-1-t, a, c]}, the rows of the planar input gradient. Built on
     * first use (a model that is only evaluated never pays for it); racing builders produce
     * identical arrays, published through the volatile field, so the layer stays thread-safe.
     */
    private volatile float[] weightsReversedByInput;

    private float[] weightsReversedByInput() {
        float[] r = weightsReversedByInput;
        if (r == null) {
            r = new float[taps * in * out];
            for (int t = 0; t < taps; t++) {
                for (int a = 0; a < in; a++) {
                    for (int c = 0; c < out; c++) {
                        r[(a * taps + t) * out + c] = weights[((taps - 1 - t) * in + a) * out + c];
                    }
                }
            }
            weightsReversedByInput = r;
        }
        return r;
    }

    /**
     * The input gradient in the planar layout of {@link #forwardPlanar} (dy (out, stride) and dx
     * (in, stride) per sample; dx's positions overwritten, its gaps untouched):
     * {@code dx[a, u] = sum_t sum_c kernel[K'-1-t, a, c] dy[c, u + s0 + t d]}, vectorised along
     * the positions with the (in, K' x out) reversed weights as the rows of a register-tiled
     * product. Interior sites are one product; the last {@code (K-1) d} take only the taps that
     * stay before site N. Each element takes its fused multiply-adds in ascending (t, c) from 0,
     * the order of the row-major {@link #backwardInput}: the two are bitwise equal.
     */
    void backwardInputPlanar(Kernels kernels, float[] dy, int dyOff, int samples, float[] dx, int dxOff, int stride) {
        float[] wr = weightsReversedByInput();
        int s0 = (kernelSize - taps) * dilation;
        int interior = Math.max(0, sites - (kernelSize - 1) * dilation);
        for (int s = 0; s < samples; s++) {
            int dxs = dxOff + s * in * stride;
            int dys = dyOff + s * out * stride;
            for (int a = 0; a < in; a++) {
                Arrays.fill(dx, dxs + a * stride, dxs + a * stride + sites, 0f);
            }
            if (interior > 0) {
                kernels.accumulateTaps(wr, 0, taps * out, out, taps, out, dy, dys + s0, dilation, stride,
                        dx, dxs, stride, in, interior);
            }
            for (int u = interior; u < sites; u++) {
                int room = sites - 1 - u - s0;
                int count = room < 0 ? 0 : Math.min(taps, room / dilation + 1);
                if (count > 0) {
                    kernels.accumulateTaps(wr, 0, taps * out, out, count, out, dy, dys + u + s0, dilation, stride,
                            dx, dxs + u, stride, in, 1);
                }
            }
        }
    }

    /**
     * The parameter gradient with the layer input in the planar layout (per sample (in, stride)
     * at {@code xOff}) and dy row-major, (samples, N, out) at {@code dyOff}, accumulated into
     * {@code grad}: the products of {@link #backwardParameters} on the planar rows directly, in
     * the same order (bitwise equal to it). One sample's Jacobian row is this with
     * {@code samples = 1}.
     */
    void backwardParametersPlanar(Kernels kernels, BackwardKernels backward, float[] x, int xOff, int stride,
                                  float[] dy, int dyOff, int samples, float[] grad, int gradOff) {
        accumulateParameterGradient(kernels, backward, x, xOff, stride, in * stride, dy, dyOff, samples, grad, gradOff);
    }

    /**
     * Whether {@link #backwardParametersPlanarTapColumns} pays here: when the taps' output
     * columns side by side ({@code K' * out}) fill fewer vectors of {@code lanes} than one product
     * per tap does (a last layer of localSize outputs: its 2 columns used 2 lanes of 16 per fused
     * multiply-add, three times over). Either path gives the same bits.
     */
    boolean tapColumnsPay(int lanes) {
        return sites >= Tuning.CONV_TAP_COLUMNS_MIN_SITES
                && (taps * out + lanes - 1) / lanes < taps * ((out + lanes - 1) / lanes);
    }

    /** Columns of {@link #backwardParametersPlanarTapColumns}'s shifted output gradient: every tap's, and the bias's when no tap is unshifted. */
    int tapColumnsWidth() {
        return taps * out + (useBias && shift(taps - 1) != 0 ? out : 0);
    }

    /**
     * {@link #backwardParametersPlanar} of one sample with all taps in one product, from the
     * output gradient in the planar layout (dy (out, stride) at {@code dyOff}): dy goes once to
     * {@code shifted}, row u holding {@code dy[c, u + shift_k]} at column {@code k * out + c} for
     * every tap k ({@link #tapColumnsWidth} columns, rows up to N; a bias block of shift 0 when
     * no tap has it), and {@code dkernel[k, a, c] += sum_u x[a, u] shifted[u, k*out + c]} is one
     * product over the positions all taps share (then a short one per tap for the last
     * positions only the nearer taps reach), accumulated in {@code tile} ((in, K' x out), the
     * gradient's entries gathered and scattered back). Each element continues its sum from its
     * value in {@code grad} over the same positions in ascending order: bitwise
     * {@link #backwardParametersPlanar}. Buffers: {@code shifted} N times the width floats,
     * {@code tile} in times K' x out, each with {@link Kernels#OVERREAD_PADDING} more.
     */
    void backwardParametersPlanarTapColumns(Kernels kernels, BackwardKernels backward, float[] x, int xOff,
                                            int stride, float[] dy, int dyOff, float[] shifted, float[] tile,
                                            float[] grad, int gradOff) {
        int width = tapColumnsWidth();
        int columns = taps * out;
        for (int k = 0; k < taps; k++) {
            int length = sites - shift(k);
            if (length > 0) {
                backward.transpose(dy, dyOff + shift(k), stride, out, length, shifted, k * out, width);
            }
        }
        if (width > columns) {
            backward.transpose(dy, dyOff, stride, out, sites, shifted, columns, width);
        }
        for (int k = 0; k < taps; k++) {
            for (int a = 0; a < in; a++) {
                for (int c = 0; c < out; c++) {
                    tile[a * columns + k * out + c] = grad[gradOff + (k * in + a) * out + c];
                }
            }
        }
        // Positions every tap reaches, then each tap's last ones (up to N - 1 - shift_k).
        int common = Math.max(0, sites - shift(0));
        if (common > 0) {
            kernels.accumulateTaps(x, xOff, stride, 0, 1, common, shifted, 0, 0, width, tile, 0, columns, in, columns);
        }
        for (int k = 0; k < taps; k++) {
            int end = sites - shift(k);
            if (end > common) {
                kernels.accumulateTaps(x, xOff + common, stride, 0, 1, end - common, shifted, common * width + k * out,
                        0, width, tile, k * out, columns, in, out);
            }
        }
        for (int k = 0; k < taps; k++) {
            for (int a = 0; a < in; a++) {
                for (int c = 0; c < out; c++) {
                    grad[gradOff + (k * in + a) * out + c] = tile[a * columns + k * out + c];
                }
            }
        }
        if (useBias) {
            int unshifted = width > columns ? columns : (taps - 1) * out;
            backward.accumulateColumnSums(shifted, unshifted, width, sites, out, grad, gradOff + weightsByOutput.length);
        }
    }

    /**
     * {@code dkernel[k, a, c] += sum_s sum_{t >= shift_k} x[s, a, t - shift_k] dy[s, t, c]}, x's
     * feature rows {@code rowStride} apart and its samples {@code sampleStride} apart, dy
     * row-major: per tap one product whose reduction runs over the samples (as its taps) and the
     * N - shift_k positions each sees, both ascending; then the bias gradient, the column sums
     * of dy over samples and sites.
     */
    private void accumulateParameterGradient(Kernels kernels, BackwardKernels backward, float[] x, int xOff,
                                             int rowStride, int sampleStride, float[] dy, int dyOff, int samples,
                                             float[] grad, int gradOff) {
        for (int k = 0; k < taps; k++) {
            int shift = shift(k);
            int length = sites - shift;
            if (length > 0) {
                kernels.accumulateTaps(x, xOff, rowStride, sampleStride, samples, length,
                        dy, dyOff + shift * out, sites * out, out, grad, gradOff + k * in * out, out, in, out);
            }
        }
        if (useBias) {
            backward.accumulateColumnSums(dy, dyOff, out, samples * sites, out, grad, gradOff + weightsByOutput.length);
        }
    }

    @Override
    LayerCache newCache(int batch) {
        return new WindowCache(this, batch, false);
    }

    /**
     * Every position kept in its own slot, never reused (see {@link WindowCache}), so a pass may
     * restart at any site after rewriting the sites from there on.
     */
    @Override
    LayerCache newHistoryCache(int batch) {
        return new WindowCache(this, batch, true);
    }

    /**
     * Keeps the receptive window (or, as a history cache, every position) of the whole batch,
     * feature-major. Sites are split by residue modulo d: the window of site t,
     * {@code t - (K-1)*d, ..., t - d, t}, lies entirely in t's residue class, where it is K
     * consecutive entries, so every window is one contiguous run of K slots of (in, batch)
     * floats, its taps exactly one slot apart: the site is a single
     * {@link Kernels#accumulateTaps} call on full batch vectors, with the weights ordered
     * (out, K', in). Per-site cost is independent of N.
     *
     * <p>The per-site cache keeps each class as a line of K - 1 + R slots (R = 8, or K if more):
     * entry q in slot {@code K - 1 + q mod R}, and the last K - 1 entries of each run of R copied
     * as well to the line's first K - 1 slots, where the next run's first windows find them
     * (before position 0 those slots hold zeros), so that a window never wraps: K - 1 block
     * copies per R pushes. A history cache keeps each class as a line without runs: K - 1 zero
     * slots (the entries before position 0, never written), then entry q in slot
     * {@code q + K - 1}, no copy. The outputs start from the bias inside
     * {@link Kernels#convolveFromBias}: the first layer's two-term reduction runs there in one
     * pass per output, with no round trip of y.
     */
    private static final class WindowCache implements LayerCache {
        /**
         * Pushes per run of a per-site cache's line, between two copies of K - 1 slots to its
         * front. The ring it replaced (K slots stored twice, every slot copied on each push)
         * copied 4 KiB per push of a 16-feature layer at batch 64, 3.7% of the sampler's time;
         * runs of 8 copy a quarter of that at K = 3 in a line of 10 slots (40 KiB), which stays
         * in L2 with the window being read in L1. Kernels of more taps run K pushes at a time
         * ({@link #run}): a run must be longer than the K - 1 entries its front holds, or a copy
         * would overwrite an entry the pushed position's own window still reads.
         */
        private static final int RUN = 8;
        private MaskedConv1D layer;
        private final int batch;
        private final int slot;
        private final int kernelSize;
        private final int dilation;
        private final boolean history;
        /** Pushes per run of a per-site line: RUN, or K if more. */
        private final int run;
        /** Slots per residue class: K - 1 + run for the per-site line, ceil(N/d) + K - 1 for the history line. */
        private final int classSlots;
        private final float[] rings;
        /** A history cache's saved slots ({@link #saveBaseline}). */
        private final InputSnapshot baseline = new InputSnapshot();

        WindowCache(MaskedConv1D layer, int batch, boolean history) {
            this.batch = batch;
            this.history = history;
            this.kernelSize = layer.kernelSize;
            this.dilation = layer.dilation;
            this.slot = Math.multiplyExact(batch, layer.in);
            int sites = layer.sites;
            this.run = Math.max(RUN, kernelSize);
            this.classSlots = Math.addExact(history ? (sites + dilation - 1) / dilation : run, kernelSize - 1);
            // Only residue classes of sites that exist: with d > N each site is its own class.
            int classes = Math.min(dilation, sites);
            this.rings = new float[Math.addExact(Math.multiplyExact(Math.multiplyExact(classes, classSlots), slot),
                    Kernels.OVERREAD_PADDING)];
            this.layer = layer;
        }

        @Override
        public void bind(MaskedLayer other) {
            if (!(other instanceof MaskedConv1D c) || !c.spec.equals(layer.spec)) {
                throw new IllegalArgumentException("layer: expected a " + layer.spec + " but got "
                        + (other == null ? "null" : other.spec()));
            }
            layer = c;
        }

        @Override
        public void reset() {
            if (!history) {
                // Sites before 0 are read as zeros, so the rings start zeroed.
                Arrays.fill(rings, 0f);
            }
            // A history line's leading K - 1 slots are never written, and every other slot a
            // site reads is pushed before it: nothing to clear.
        }

        /** Where position {@code position}'s slot starts (in a per-site line, its run's copy). */
        private int slotStart(int position) {
            int q = position / dilation;
            int entry = kernelSize - 1 + (history ? q : q % run);
            return ((position % dilation) * classSlots + entry) * slot;
        }

        @Override
        public void push(int position, float[] src, int srcOff, int featureStride, int sampleStride) {
            int first = slotStart(position);
            if (sampleStride == 1 && featureStride == batch) {
                System.arraycopy(src, srcOff, rings, first, slot);
            } else {
                int in = layer.in;
                for (int a = 0; a < in; a++) {
                    for (int b = 0; b < batch; b++) {
                        rings[first + a * batch + b] = src[srcOff + a * featureStride + b * sampleStride];
                    }
                }
            }
            copyToFront(position, first);
        }

        /** Selu from src straight into the slot: no pass of its own over the block. */
        @Override
        public void pushSelu(Kernels kernels, int position, float[] src, int srcOff, int features, int batch) {
            int first = slotStart(position);
            kernels.selu(src, srcOff, rings, first, slot);
            copyToFront(position, first);
        }

        /**
         * In a per-site line, the slot of one of the last K - 1 positions of a run (at
         * {@code first}) copied to the line's front, {@link #run} slots before it, where the next
         * run's windows read it.
         */
        private void copyToFront(int position, int first) {
            if (!history && (position / dilation) % run >= run - (kernelSize - 1)) {
                System.arraycopy(rings, first, rings, first - run * slot, slot);
            }
        }

        @Override
        public void computeSite(Kernels kernels, int site, float[] y, int yOff) {
            MaskedConv1D l = layer;
            // The window's first entry, q - (K-1): slot q of the history line (its K - 1 zero
            // slots shift the entries), or slot q mod run of the per-site line. Then
            // y[c, b] = bias[c] + sum_{t, a} W[t, a, c] * window[t][a, b], in ascending (t, a) order.
            int q = site / dilation;
            int entry = history ? q : q % run;
            int start = ((site % dilation) * classSlots + entry) * slot;
            kernels.convolveFromBias(l.weightsByOutput, 0, l.taps * l.in, l.panels, l.taps, l.in, l.bias, 0,
                    rings, start, batch, slot, y, yOff, batch, l.out, batch);
        }

        @Override
        public void saveBaseline() {
            requireHistory();
            baseline.save(rings);
        }

        @Override
        public void restoreBaseline(int position) {
            baseline.restore(rings, slotStart(position), slot);
        }

        private void requireHistory() {
            if (!history) {
                throw new IllegalStateException("a baseline needs a history cache (newHistoryCache)");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaskedConv1D c && c.spec.equals(spec) && Arrays.equals(c.weights, weights)
                && Arrays.equals(c.bias, bias);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(weights) * 31 + Arrays.hashCode(bias);
    }
}
