package io.jarnn.kernels;

/**
 * The narrow interface every jarnn layer computes through. Two implementations:
 * {@link ScalarKernels}, written to be obviously right, and {@link VectorKernels}, holding all
 * of the {@code jdk.incubator.vector} code. {@link #active()} is chosen once per JVM.
 *
 * <p>Every kernel takes raw arrays, offsets and row strides (row-major {@code off + r * stride + c}),
 * write into caller-owned outputs and never allocate. Callers (layers) validate shapes and
 * throw {@link IllegalArgumentException}; inside kernels there are only {@code assert}s.
 *
 * <p>Every accumulation has a fixed order per output element (documented per method), so a
 * result never depends on how rows are blocked, chunked or spread over threads.
 */
public interface Kernels {

    /**
     * Elements a caller may leave unused after its buffers so that kernels can read (never
     * write) whole vectors past a partial last one: the column tail of
     * {@link #accumulateTaps} then needs masked stores only. Results do not depend on it; only
     * speed does. 64 elements cover any vector of up to 64 lanes.
     */
    int OVERREAD_PADDING = 64;

    /**
     * The implementation selected for this JVM (see {@link KernelSelection}: vector or scalar
     * in both precisions alike).
     *
     * @throws IllegalStateException on every call, if {@code -Djarnn.kernels} or
     *                               {@code -Djarnn.vectorBits} holds an invalid value
     */
    static Kernels active() {
        return KernelSelection.Active.CHOICE.useVector() ? VectorKernels.INSTANCE : ScalarKernels.INSTANCE;
    }

    /** A short description, e.g. {@code "vector(512-bit, 16 lanes)"} or {@code "scalar"}. */
    String name();

    /**
     * The backward kernels that go with these: the implementation itself when it also
     * implements {@link BackwardKernels} (both of jarnn's do), else the scalar reference. Not a
     * kernel (a default method, so no equivalence case is asked for it).
     */
    default BackwardKernels backward() {
        return this instanceof BackwardKernels b ? b : ScalarKernels.INSTANCE;
    }

    /**
     * Multi-tap matrix product, accumulated into {@code y}:
     * <pre>
     *   y[r, c] += sum_{t < taps} sum_{a < in} x[xOff + r*xRowStride + t*tapStride + a]
     *                                        * w[wOff + t*wTapStride + a*wRowStride + c]
     *   for r < rows, c < out;  y[r, c] = y[yOff + r*yRowStride + c]
     * </pre>
     * With {@code taps = 1} this is a GEMM ({@code Y += X W}); with taps spaced along x and w it
     * is a 1D convolution window, in either layout: row-major ({@code x} the inputs, taps
     * {@code d*in} apart) or feature-major ({@code x} the weights by output channel, {@code w}
     * the inputs (in, positions) with taps {@code d} columns apart). Each y element is updated
     * by one fused multiply-add per (t, a), in ascending t then a, starting from its current
     * value; so results are bitwise independent of row and column blocking.
     * {@code y} must not overlap {@code x} or {@code w}.
     */
    void accumulateTaps(float[] x, int xOff, int xRowStride, int tapStride, int taps, int in,
                        float[] w, int wOff, int wTapStride, int wRowStride,
                        float[] y, int yOff, int yRowStride, int rows, int out);

    /**
     * Rows of a convolution in the planar (features by positions) layout, started from their
     * bias:
     * <pre>
     *   y[r, j] = bias[biasOff + r] + sum_{t < taps} sum_{a < in} w[wOff + r*wRowStride + t*in + a]
     *                                                  * x[xOff + a*xRowStride + t*tapStride + j]
     *   for r < rows, j < cols;  y[r, j] = y[yOff + r*yRowStride + j]
     * </pre>
     * Each y element is the bias followed by one fused multiply-add per (t, a), in ascending t
     * then a: bitwise the rows set to their bias and then
     * {@code accumulateTaps(w, wOff, wRowStride, in, taps, in, x, xOff, tapStride, xRowStride, y, yOff, yRowStride, rows, cols)}.
     * Meant for the narrow layers of a convolutional model's planar forward (a first layer of
     * one input and two taps), whose reductions are too short to repay the round trip of y
     * through memory that {@link #accumulateTaps} makes; wider reductions may take exactly that
     * route. {@code y} must not overlap {@code w}, {@code panels}, {@code bias} or {@code x}.
     *
     * <p>{@code panels} are the same weights as
     * {@link PlanarPanels#pack PlanarPanels.pack(w, wOff, wRowStride, taps, in, rows)}, built once per layer: the
     * register tiles read them, the other paths (and the scalar reference, so that the
     * equivalence tests check the packing too) read w.
     *
     * @throws IllegalArgumentException if {@code panels} is shorter than {@code rows * taps * in}
     */
    void convolveFromBias(float[] w, int wOff, int wRowStride, float[] panels, int taps, int in, float[] bias,
                          int biasOff, float[] x, int xOff, int xRowStride, int tapStride,
                          float[] y, int yOff, int yRowStride, int rows, int cols);

    /**
     * {@code dst[dstOff + i] = selu(src[srcOff + i])} for {@code i < n}, where
     * {@code selu(x) = 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * expm1(x))}.
     * {@code src} and {@code dst} may be the same range.
     */
    void selu(float[] src, int srcOff, float[] dst, int dstOff, int n);

    /**
     * Per-row log-normalisation with machine power p, for each of {@code rows} contiguous rows of
     * {@code cols}: {@code out[k] = x[k] - (1/p) * logsumexp(p * x)}, computed stably as
     * {@code (x[k] - xMax) - log(sum_j exp(p * (x[j] - xMax))) / p}: nothing overflows, and
     * logits of +-80 keep rows summing to one to within rounding. {@code out} must not
     * overlap {@code x}.
     */
    void logNormalizeRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols, float machinePow);

    /**
     * Per-column probabilities: x and out are
     * (rows, cols) row-major with rows = local states and cols = samples, and for every column j
     * {@code out[k, j] = exp(p*x[k, j] - logsumexp_k(p*x[:, j]))}, computed stably (the column
     * maximum is subtracted before exp). Used by per-site evaluation, where a site's outputs for
     * a whole batch are stored feature-major. {@code out} must not overlap {@code x}.
     */
    void probabilityColumns(float[] x, int xOff, float[] out, int outOff, int rows, int cols, float machinePow);

    /**
     * {@link #logNormalizeRows} of distributions stored as columns: x is (rows, cols) with rows
     * {@code xRowStride} apart, rows = local states and cols = positions, and for every column j
     * {@code out[outOff + k*outRowStride + j] = x[k, j] - (1/p) * logsumexp_k(p * x[:, j])},
     * with every element computed by the very operations {@link #logNormalizeRows} applies to
     * the transposed block, in the same order: bitwise equal to it, in either implementation.
     * Used by the planar full forward of convolutional models, vectorised along the positions.
     * {@code out} must not overlap {@code x}.
     */
    void logNormalizeColumns(float[] x, int xOff, int xRowStride, float[] out, int outOff, int outRowStride,
                             int rows, int cols, float machinePow);
}
