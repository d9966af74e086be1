package io.jarnn.nn;

import io.jarnn.core.Tensor;
import io.jarnn.kernels.BackwardKernels;
import io.jarnn.kernels.Kernels;

import java.util.Arrays;

/**
 * NetKet's {@code MaskedDense1D}: {@code y[b, j, :] = sum_{i < j} x[b, i, :] . W[i, j] + bias[j, :]}
 * ({@code i <= j} when inclusive), with W the (N*in, N*out) kernel viewed as N x N blocks of
 * (in, out).
 *
 * <p>Only the unmasked, block upper-triangular part is stored: for every output site j a
 * contiguous panel holding, for each of its {@code out} columns, the {@code K_j} kernel rows
 * that reach it ({@code K_j = j*in} exclusive, {@code (j+1)*in} inclusive) — about half of
 * NetKet's memory. Panels are stored transposed, (out, K_j), because the products run
 * feature-major: {@code Y^T[j] += panel_j . X^T[0:K_j]}, vectorised along the batch, so a layer
 * of any width (4 features, or the localSize outputs of the last layer) fills whole vectors.
 * Masked entries cost neither memory nor multiplications, and whatever a loaded kernel held
 * in them has no effect.
 */
public final class MaskedDense1D extends MaskedLayer {
    private final MaskedDense1DSpec spec;
    private final float[] panels;
    private final int[] panelOffsets;
    private final float[] bias;

    private MaskedDense1D(MaskedDense1DSpec spec, float[] panels, int[] panelOffsets, float[] bias) {
        super(spec);
        this.spec = spec;
        this.panels = panels;
        this.panelOffsets = panelOffsets;
        this.bias = bias;
    }

    /**
     * Builds the layer from parameters in NetKet's shapes: {@code kernel} (N*in, N*out) and
     * {@code bias} (N, out) (ignored, may be null, when {@code useBias} is false). Masked kernel
     * entries are ignored, even NaN; used entries must be finite.
     *
     * @param keyPrefix prefix of the parameter keys in error messages, e.g. {@code "_layers_0/"}
     */
    public static MaskedDense1D fromNetKet(int sites, int in, int out, boolean exclusive, boolean useBias,
                                           Tensor kernel, Tensor bias, String keyPrefix) {
        return fromNetKet(new MaskedDense1DSpec(sites, in, out, exclusive, useBias), kernel, bias, keyPrefix);
    }

    static MaskedDense1D fromNetKet(MaskedDense1DSpec spec, Tensor kernel, Tensor bias, String keyPrefix) {
        int sites = spec.sites();
        int out = spec.out();
        String kernelKey = keyPrefix + "kernel";
        ParameterChecks.requireShape(kernelKey, kernel, spec.kernelShape());
        int[] offsets = panelOffsets(spec);
        float[] panels = new float[offsets[sites]];
        float[] k = kernel.array();
        int ko = kernel.offset();
        int cols = sites * out;
        for (int j = 0; j < sites; j++) {
            int rows = spec.panelRows(j);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < out; c++) {
                    int flat = r * cols + j * out + c;
                    ParameterChecks.requireFinite(kernelKey, kernel, flat);
                    panels[offsets[j] + c * rows + r] = k[ko + flat];
                }
            }
        }
        float[] b = new float[sites * out];
        if (spec.useBias()) {
            String biasKey = keyPrefix + "bias";
            ParameterChecks.requireShape(biasKey, bias, spec.biasShape());
            ParameterChecks.requireAllFinite(biasKey, bias);
            System.arraycopy(bias.array(), bias.offset(), b, 0, b.length);
        }
        return new MaskedDense1D(spec, panels, offsets, b);
    }

    @Override
    public MaskedDense1DSpec spec() {
        return spec;
    }

    /** Start of each output site's panel in {@code panels}; entry N is the total (the spec checked it fits). */
    private static int[] panelOffsets(MaskedDense1DSpec spec) {
        int sites = spec.sites();
        int[] offsets = new int[sites + 1];
        for (int j = 0; j < sites; j++) {
            offsets[j + 1] = offsets[j] + spec.panelRows(j) * spec.out();
        }
        return offsets;
    }

    @Override
    public Tensor kernel() {
        Tensor full = Tensor.zeros(sites * in, sites * out);
        float[] k = full.array();
        int cols = sites * out;
        for (int j = 0; j < sites; j++) {
            int rows = spec.panelRows(j);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < out; c++) {
                    k[r * cols + j * out + c] = panels[panelOffsets[j] + c * rows + r];
                }
            }
        }
        return full;
    }

    @Override
    public Tensor bias() {
        return Tensor.copyOf(bias, sites, out);
    }

    @Override
    public void forward(Kernels kernels, float[] x, int xOff, int samples, float[] y, int yOff, float[] scratch) {
        // Feature-major, one block of up to DENSE_COLUMN_BLOCK samples at a time, each block
        // stored contiguously: scratch holds X^T of the block, (N*in, cols), at b0*N*in and y
        // receives Y^T, (N*out, cols), at b0*N*out. Contiguous blocks matter: rows of a
        // whole-batch X^T would sit one page apart at batch 1024 and thrash the TLB.
        BackwardKernels transposes = kernels.backward();
        int rowIn = sites * in;
        int rowOut = sites * out;
        for (int b0 = 0; b0 < samples; b0 += Tuning.DENSE_COLUMN_BLOCK) {
            int cols = Math.min(Tuning.DENSE_COLUMN_BLOCK, samples - b0);
            int xt = b0 * rowIn;
            int yt = yOff + b0 * rowOut;
            Transpose.of(transposes, x, xOff + b0 * rowIn, cols, rowIn, scratch, xt);
            forwardFeatureMajor(kernels, scratch, xt, cols, y, yt);
        }
        // Only now back to row-major through scratch: every X^T block is dead, and Y^T blocks
        // (wider than X^T blocks when out > in) can no longer overwrite one still to be read.
        for (int b0 = 0; b0 < samples; b0 += Tuning.DENSE_COLUMN_BLOCK) {
            int cols = Math.min(Tuning.DENSE_COLUMN_BLOCK, samples - b0);
            Transpose.of(transposes, y, yOff + b0 * rowOut, rowOut, cols, scratch, b0 * rowOut);
        }
        System.arraycopy(scratch, 0, y, yOff, samples * rowOut);
    }

    /**
     * The forward of one block of {@code cols} samples, feature-major: x^T (N*in, cols) at
     * {@code xOff}, y^T (N*out, cols) at {@code yOff}, overwritten. {@link #forward} is this
     * between two transposes; a dense model's full forward stays feature-major from its first
     * layer to its last and transposes only its input and its logits.
     */
    void forwardFeatureMajor(Kernels kernels, float[] x, int xOff, int cols, float[] y, int yOff) {
        int rowOut = sites * out;
        for (int r = 0; r < rowOut; r++) {
            Arrays.fill(y, yOff + r * cols, yOff + (r + 1) * cols, bias[r]);
        }
        int group = panelGroup();
        if (group == 1) {
            for (int j = 0; j < sites; j++) {
                accumulateSite(kernels, j, x, xOff, cols, y, yOff + j * out * cols);
            }
            return;
        }
        // A narrow layer (fewer than six outputs per site: the last layer's localSize) by groups
        // of sites whose outputs make six rows, the tallest register tile, where one site's rows
        // would take a two- or three-row tile: stage s of a group adds the reduction steps
        // [K_{j-1}, K_j) (stage 0: [0, K_j)) of site j = first + s to the rows of sites j and
        // after. Each element takes its stages in ascending order, so its fused multiply-adds
        // stay in ascending k: the same bits as one product per site.
        Stages st = stages();
        for (int j = 0; j < sites; j++) {
            int from = stageFrom(j, group);
            int rows = (groupEnd(j, group) - j) * out;
            accumulateReduction(kernels, st.rows, st.offsets[j], spec.panelRows(j) - from, rows,
                    x, xOff + from * cols, cols, y, yOff + j * out * cols);
        }
    }

    /**
     * {@code y[c, b] += sum_{k < K_j} panel_j[c, k] * inputs[k, b]} for {@code c < out},
     * {@code b < cols}: inputs feature-major (N*in, cols) at {@code inputsOff}, y feature-major
     * (out, cols) at {@code yOff}.
     */
    private void accumulateSite(Kernels kernels, int j, float[] inputs, int inputsOff, int cols,
                                float[] y, int yOff) {
        accumulateReduction(kernels, panels, panelOffsets[j], spec.panelRows(j), out, inputs, inputsOff, cols,
                y, yOff);
    }

    /**
     * {@code y[r, b] += sum_{k < depth} a[aOff + r * depth + k] * inputs[inputsOff + k * cols + b]}
     * for {@code r < rows}, {@code b < cols}: weights a (rows, depth) row-major, inputs and y
     * feature-major.
     */
    private static void accumulateReduction(Kernels kernels, float[] a, int aOff, int depth, int rows,
                                            float[] inputs, int inputsOff, int cols, float[] y, int yOff) {
        // The reduction in blocks, each accumulated into y before the next: a block of the
        // inputs (Tuning.DENSE_REDUCTION_BLOCK rows of cols floats) stays in L2 while every
        // output row passes over it, where the whole reduction (up to N*in rows, 1 MiB) was
        // streamed once per four output rows. Each element of y still takes its fused
        // multiply-adds in ascending k: the same bits.
        for (int k0 = 0; k0 < depth; k0 += Tuning.DENSE_REDUCTION_BLOCK) {
            int kb = Math.min(Tuning.DENSE_REDUCTION_BLOCK, depth - k0);
            kernels.accumulateTaps(a, aOff + k0, depth, 0, 1, kb, inputs, inputsOff + k0 * cols, 0, cols,
                    y, yOff, cols, rows, cols);
        }
    }

    /**
     * A narrow layer's panels regrouped for {@link #forwardFeatureMajor}: per site j, its stage,
     * the (rows of sites j to the group's last) x (steps K_{j-1} to K_j; 0 to K_j for a group's
     * first site) entries of those sites' panels, row-major, at {@code offsets[j]}. The same
     * entries as the panels, so as much memory again; built on first use and published like
     * {@link #kernelRows}.
     */
    private volatile Stages stages;

    /** {@link #stages}: the stages and where each starts (entry N: the total). */
    private record Stages(float[] rows, int[] offsets) {
    }

    /** Where site j's stage starts in the reduction: K_{j-1}, or 0 for the first site of its group. */
    private int stageFrom(int j, int group) {
        return j % group == 0 ? 0 : spec.panelRows(j - 1);
    }

    /** One past the last site of site j's group of {@code group} sites. */
    private int groupEnd(int j, int group) {
        return Math.min(j - j % group + group, sites);
    }

    private Stages stages() {
        Stages st = stages;
        if (st == null) {
            int group = panelGroup();
            int[] offsets = new int[sites + 1];
            for (int j = 0; j < sites; j++) {
                offsets[j + 1] = offsets[j] + (groupEnd(j, group) - j) * out * (spec.panelRows(j) - stageFrom(j, group));
            }
            float[] rows = new float[offsets[sites]];
            for (int j = 0; j < sites; j++) {
                int from = stageFrom(j, group);
                int depth = spec.panelRows(j) - from;
                for (int i = j; i < groupEnd(j, group); i++) {
                    int k = spec.panelRows(i);
                    for (int c = 0; c < out; c++) {
                        System.arraycopy(panels, panelOffsets[i] + c * k + from, rows,
                                offsets[j] + ((i - j) * out + c) * depth, depth);
                    }
                }
            }
            st = new Stages(rows, offsets);
            stages = st;
        }
        return st;
    }

    @Override
    public void readParameters(float[] dst, int off) {
        int stored = panelOffsets[sites];
        System.arraycopy(panels, 0, dst, off, stored);
        if (useBias) {
            System.arraycopy(bias, 0, dst, off + stored, bias.length);
        }
    }

    @Override
    MaskedDense1D withParameters(float[] src, int off, int flatBase) {
        int stored = panelOffsets[sites];
        float[] p = Arrays.copyOfRange(src, off, off + stored);
        float[] b = new float[sites * out];
        if (useBias) {
            System.arraycopy(src, off + stored, b, 0, b.length);
        }
        ParameterChecks.requireFiniteFlat(src, off, parameterCount(), flatBase);
        return new MaskedDense1D(spec, p, panelOffsets, b);
    }

    /**
     * {@code dx[s, k] = sum_{j : K_j > k} sum_c dy[s, j, c] panel_j[c, k]}, row-major and with no
     * transpose: one product per output site j, {@code dX[:, 0:K_j] += dY[:, j, :] . panel_j}, the
     * sites in ascending order, so each element takes its fused multiply-adds in ascending (j, c).
     */
    @Override
    public void backwardInput(Kernels kernels, float[] dy, int dyOff, int samples, float[] dx, int dxOff) {
        int rowIn = sites * in;
        int rowOut = sites * out;
        Arrays.fill(dx, dxOff, dxOff + samples * rowIn, 0f);
        for (int j = 0; j < sites; j++) {
            int k = spec.panelRows(j);
            if (k > 0) {
                kernels.accumulateTaps(dy, dyOff + j * out, rowOut, 0, 1, out, panels, panelOffsets[j], 0, k,
                        dx, dxOff, rowIn, samples, k);
            }
        }
    }

    /**
     * {@code dPanel_j[c, k] += sum_s dY^T_j[c, s] X[s, k]}: dY transposed once into scratch,
     * (N*out, samples), then one product per site that reads the row-major layer input directly;
     * the bias gradient is the column sums of dY. Each element sums the samples in ascending order.
     */
    @Override
    public void backwardParameters(Kernels kernels, BackwardKernels backward, float[] x, int xOff,
                                   float[] dy, int dyOff, int samples, float[] grad, int gradOff, float[] scratch) {
        int rowIn = sites * in;
        int rowOut = sites * out;
        Transpose.of(backward, dy, dyOff, samples, rowOut, scratch, 0);
        for (int j = 0; j < sites; j++) {
            int k = spec.panelRows(j);
            if (k > 0) {
                kernels.accumulateTaps(scratch, j * out * samples, samples, 0, 1, samples, x, xOff, 0, rowIn,
                        grad, gradOff + panelOffsets[j], k, out, k);
            }
        }
        if (useBias) {
            backward.accumulateColumnSums(dy, dyOff, rowOut, samples, rowOut, grad, gradOff + panelOffsets[sites]);
        }
    }

    // ---------------------------------------------------------------- feature-major backward

    /**
     * The unmasked kernel by input rows, for the feature-major input gradient: for every input
     * site i a block of {@code in} rows, row k holding {@code W[k, m]} for the columns
     * {@code m >= first(i) * out} that k reaches ({@code first(i) = i + 1} exclusive, {@code i}
     * inclusive), i.e. {@code panel_j[c, k]} at {@code m = j * out + c}. The same entries as the
     * panels, ordered for a long reduction per input row. Built on first use (a model that is
     * only evaluated never pays for it); racing builders produce identical arrays, and the
     * volatile publication makes either one safe to share, so the layer stays thread-safe.
     */
    private volatile KernelRows kernelRows;

    /** {@link #kernelRows}: the rows and where each input site's block starts (entry N: the total). */
    private record KernelRows(float[] rows, int[] offsets) {
    }

    private KernelRows kernelRows() {
        KernelRows k = kernelRows;
        if (k == null) {
            int[] offsets = new int[sites + 1];
            for (int i = 0; i < sites; i++) {
                offsets[i + 1] = offsets[i] + in * reachedColumns(i);
            }
            float[] rows = new float[offsets[sites]];
            for (int i = 0; i < sites; i++) {
                int length = reachedColumns(i);
                int j0 = firstReachedSite(i);
                for (int a = 0; a < in; a++) {
                    int kIn = i * in + a;
                    for (int m = 0; m < length; m++) {
                        int j = j0 + m / out;
                        int c = m % out;
                        rows[offsets[i] + a * length + m] = panels[panelOffsets[j] + c * spec.panelRows(j) + kIn];
                    }
                }
            }
            k = new KernelRows(rows, offsets);
            kernelRows = k;
        }
        return k;
    }

    /** The first output site the inputs of site i reach: i + 1 exclusive, i inclusive. */
    private int firstReachedSite(int i) {
        return exclusive ? i + 1 : i;
    }

    /** Output columns (sites times features) the inputs of site i reach. */
    private int reachedColumns(int i) {
        return (sites - firstReachedSite(i)) * out;
    }

    /**
     * The input gradient feature-major: dy^T (N*out, cols) at {@code dyOff}, dx^T (N*in, cols) at
     * {@code dxOff}, overwritten. Per input site i one product over its reach,
     * {@code dX^T[i] = W[i rows, first(i)*out:] . dY^T[first(i)*out:]}, its accumulators held in
     * registers over a slice of {@link Tuning#DENSE_BACKWARD_REDUCTION_BLOCK} reduction rows (the
     * slice of dY^T stays in L2 for all of the site's input rows; the next slice continues the
     * sums). Each element {@code dx^T[k, b]} takes its fused
     * multiply-adds in ascending (j, c), from 0: the order of the row-major
     * {@link #backwardInput}, so the two are bitwise equal.
     */
    void backwardInputFeatureMajor(Kernels kernels, float[] dy, int dyOff, int cols, float[] dx, int dxOff) {
        backwardInputFeatureMajor(kernels, dy, dyOff, cols, dx, dxOff, null, 0);
    }

    /**
     * {@link #backwardInputFeatureMajor(Kernels, float[], int, int, float[], int) The same}, and
     * with {@code seluOutput} non-null the backward of the selu before this layer too:
     * {@code dx^T *= selu'} from the selu's output (this layer's input, feature-major (N*in, cols)
     * at {@code seluOff}), through {@link BackwardKernels#seluBackward}. Each site's rows (in x
     * cols floats) are zeroed just before its product and scaled just after it, while they are
     * in L1, rather than in two passes over the whole dx^T (a megabyte per block at N = 256,
     * 16 features, streamed through memory): the same operations on every element, the same bits.
     */
    void backwardInputFeatureMajor(Kernels kernels, float[] dy, int dyOff, int cols, float[] dx, int dxOff,
                                   float[] seluOutput, int seluOff) {
        KernelRows k = kernelRows();
        BackwardKernels backward = kernels.backward();
        int site = in * cols;
        for (int i = 0; i < sites; i++) {
            int length = reachedColumns(i);
            int from = dyOff + firstReachedSite(i) * out * cols;
            int to = dxOff + i * site;
            Arrays.fill(dx, to, to + site, 0f);
            for (int m0 = 0; m0 < length; m0 += Tuning.DENSE_BACKWARD_REDUCTION_BLOCK) {
                int slice = Math.min(Tuning.DENSE_BACKWARD_REDUCTION_BLOCK, length - m0);
                kernels.accumulateTaps(k.rows, k.offsets[i] + m0, length, 0, 1, slice,
                        dy, from + m0 * cols, 0, cols, dx, to, cols, in, cols);
            }
            if (seluOutput != null) {
                backward.seluBackward(seluOutput, seluOff + i * site, dx, to, dx, to, site);
            }
        }
    }

    /**
     * The parameter gradient from {@code blocks} blocks of {@code samples} samples each,
     * accumulated into {@code grad}: block t's dy^T is (N*out, samples) with rows
     * {@code dyRowStride} apart at {@code dyOff + t * dyBlockStride}, its layer input one row of
     * N*in per sample, rows {@code xRowStride} apart at {@code xOff + t * xBlockStride}.
     * {@code dPanel_j[c, k] += sum_t sum_b dY^T_t[j*out + c, b] X_t[b, k]}, the samples in
     * ascending order, block after block (the order of {@link #backwardParameters} over the
     * blocks' samples), and the bias gradient {@code dbias[r] += sum_t sum_b dY^T_t[r, b]} in the
     * same order, as products with {@code ones} ({@code fma(x, 1, acc)} is the rounded sum
     * {@code acc + x}; at least {@code samples} ones). One sample's Jacobian row is this with one
     * block of one sample at the offsets of its column and row.
     */
    void backwardParametersFeatureMajor(Kernels kernels, float[] x, int xOff, int xRowStride, int xBlockStride,
                                        float[] dy, int dyOff, int dyRowStride, int dyBlockStride, int blocks,
                                        int samples, float[] ones, float[] grad, int gradOff) {
        backwardParametersFeatureMajor(kernels, x, xOff, xRowStride, xBlockStride, Integer.MAX_VALUE, 0,
                dy, dyOff, dyRowStride, dyBlockStride, blocks, samples, ones, grad, gradOff);
    }

    /**
     * {@link #backwardParametersFeatureMajor(Kernels, float[], int, int, int, float[], int, int, int, int, int,
     * float[], float[], int) The same}, with each block's layer input stored in column slabs:
     * columns {@code [s * slabWidth, (s + 1) * slabWidth)} of every sample row in slab s at
     * {@code xOff + s * xSlabStride} (plus the block's offset), sample rows {@code xRowStride}
     * apart within it. With slabs of a few vectors' width ({@link Tuning#DENSE_GRADIENT_SLAB})
     * the product walks each block's input contiguously, rather than one short run per sample
     * a whole input row apart (a new page for every sample). One product per (site, slab), each
     * over all the blocks' samples: every element still sums the samples in ascending order, the
     * same bits as the row layout.
     */
    void backwardParametersFeatureMajor(Kernels kernels, float[] x, int xOff, int xRowStride, int xBlockStride,
                                        int slabWidth, int xSlabStride,
                                        float[] dy, int dyOff, int dyRowStride, int dyBlockStride, int blocks,
                                        int samples, float[] ones, float[] grad, int gradOff) {
        for (int j = 0; j < sites; j++) {
            backwardPanelFeatureMajor(kernels, j, x, xOff, xRowStride, xBlockStride, slabWidth, xSlabStride,
                    dy, dyOff, dyRowStride, dyBlockStride, blocks, samples, grad, gradOff + panelOffsets[j]);
        }
        if (useBias) {
            backwardBiasFeatureMajor(kernels, dy, dyOff, dyRowStride, dyBlockStride, blocks, samples, ones,
                    grad, gradOff + panelOffsets[sites]);
        }
    }

    /**
     * Site j's part of {@link #backwardParametersFeatureMajor(Kernels, float[], int, int, int, int, int, float[],
     * int, int, int, int, int, float[], float[], int)}: {@code dPanel_j} (out, K_j) accumulated at
     * {@code panelOff}, one product per slab. Lets a caller take the gradient panel by panel
     * into a small buffer that stays in cache.
     */
    void backwardPanelFeatureMajor(Kernels kernels, int j, float[] x, int xOff, int xRowStride, int xBlockStride,
                                   int slabWidth, int xSlabStride, float[] dy, int dyOff, int dyRowStride,
                                   int dyBlockStride, int blocks, int samples, float[] grad, int panelOff) {
        int k = spec.panelRows(j);
        for (int c0 = 0; c0 < k; c0 += slabWidth) {
            int width = Math.min(slabWidth, k - c0);
            accumulateColumnsFeatureMajor(kernels, j * out, out, c0, width, x, xOff, xRowStride, xBlockStride,
                    slabWidth, xSlabStride, dy, dyOff, dyRowStride, dyBlockStride, blocks, samples, grad,
                    panelOff + c0, k);
            if (k - c0 <= slabWidth) {
                break;
            }
        }
    }

    /**
     * {@code y[r, e] += sum_t sum_b dY^T_t[row0 + r, b] X_t[b, c0 + e]} for {@code r < rows},
     * {@code e < width}, y's rows {@code yRowStride} apart: a block of the parameter product
     * (rows of dY^T, i.e. (site, channel) pairs, times input columns; the columns within one
     * slab), block after block (the taps of one product) and each block's samples in ascending
     * order. (One product per block, to keep a block's slab in L1 across the row tiles, measured
     * no faster.)
     */
    void accumulateColumnsFeatureMajor(Kernels kernels, int row0, int rows, int c0, int width, float[] x, int xOff,
                                       int xRowStride, int xBlockStride, int slabWidth, int xSlabStride,
                                       float[] dy, int dyOff, int dyRowStride, int dyBlockStride, int blocks,
                                       int samples, float[] y, int yOff, int yRowStride) {
        int xAt = xOff + c0 / slabWidth * xSlabStride + c0 % slabWidth;
        kernels.accumulateTaps(dy, dyOff + row0 * dyRowStride, dyRowStride, dyBlockStride, blocks, samples,
                x, xAt, xBlockStride, xRowStride, y, yOff, yRowStride, rows, width);
    }

    /**
     * Sites per group of a narrow layer's parameter product ({@link Backprop}) and of its
     * forward ({@link #forwardFeatureMajor}): enough that a
     * group's output channels make six rows of dY^T, the tallest register tile (a last layer of
     * two outputs: three sites, where one site's two rows loaded four input vectors for eight
     * fused multiply-adds); one site for layers of six or more outputs.
     */
    int panelGroup() {
        return out >= 6 ? 1 : 6 / out;
    }

    /** Rows of site j's panel: {@code K_j}, the inputs that reach it. */
    int panelRows(int j) {
        return spec.panelRows(j);
    }

    /** The bias gradient of {@link #backwardParametersFeatureMajor}, (N, out) accumulated at {@code biasOff}. */
    void backwardBiasFeatureMajor(Kernels kernels, float[] dy, int dyOff, int dyRowStride, int dyBlockStride,
                                  int blocks, int samples, float[] ones, float[] grad, int biasOff) {
        kernels.accumulateTaps(dy, dyOff, dyRowStride, dyBlockStride, blocks, samples, ones, 0, 0, 1,
                grad, biasOff, 1, sites * out, 1);
    }

    /** Where site j's panel starts in this layer's flat parameters; j = N: the bias. */
    int panelOffset(int j) {
        return panelOffsets[j];
    }

    @Override
    LayerCache newCache(int batch) {
        return new DenseCache(batch);
    }

    /**
     * Keeps every input seen so far, feature-major (N*in, batch), so that site j is one product
     * of its weight panel with the first {@code rows(j)} cached rows: cost proportional to j.
     */
    private final class DenseCache implements LayerCache {
        private final int batch;
        private final float[] inputs;
        /** The layer whose parameters {@link #computeSite} uses ({@link #bind}). */
        private MaskedDense1D layer = MaskedDense1D.this;
        /** The saved inputs ({@link #saveBaseline}), null before. */
        private final InputSnapshot baseline = new InputSnapshot();

        DenseCache(int batch) {
            this.batch = batch;
            this.inputs = new float[Math.addExact(Math.multiplyExact(batch, sites * in), Kernels.OVERREAD_PADDING)];
        }

        @Override
        public void reset() {
            // Nothing to clear: site j reads only inputs of sites that were pushed before it.
        }

        @Override
        public void push(int position, float[] src, int srcOff, int featureStride, int sampleStride) {
            int to = position * in * batch;
            if (sampleStride == 1 && featureStride == batch) {
                System.arraycopy(src, srcOff, inputs, to, in * batch);
                return;
            }
            for (int a = 0; a < in; a++) {
                for (int b = 0; b < batch; b++) {
                    inputs[to + a * batch + b] = src[srcOff + a * featureStride + b * sampleStride];
                }
            }
        }

        @Override
        public void computeSite(Kernels kernels, int site, float[] y, int yOff) {
            for (int c = 0; c < out; c++) {
                Arrays.fill(y, yOff + c * batch, yOff + (c + 1) * batch, layer.bias[site * out + c]);
            }
            layer.accumulateSite(kernels, site, inputs, 0, batch, y, yOff);
        }
    
        @Override
        public void bind(MaskedLayer other) {
            if (!(other instanceof MaskedDense1D d) || !d.spec.equals(spec)) {
                throw new IllegalArgumentException("layer: expected a " + spec + " but got "
                        + (other == null ? "null" : other.spec()));
            }
            layer = d;
        }

        /** Every position is kept, so this cache serves as a history cache as it is. */
        @Override
        public void saveBaseline() {
            baseline.save(inputs);
        }

        @Override
        public void restoreBaseline(int position) {
            baseline.restore(inputs, position * in * batch, in * batch);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaskedDense1D d && d.spec.equals(spec) && Arrays.equals(d.panels, panels)
                && Arrays.equals(d.bias, bias);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(panels) * 31 + Arrays.hashCode(bias);
    }
}
