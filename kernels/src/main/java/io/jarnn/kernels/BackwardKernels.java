package io.jarnn.kernels;

/**
 * The element-wise and reduction steps of backpropagation through an ARNN, beside the forward
 * {@link Kernels}: selu', the backward of the machine-power log-normalisation (general and with
 * the gather of each site's chosen state, the latter also for logits stored as columns), bias
 * gradients and the transposes between the layouts of the backward passes. The matrix products of the
 * backward passes (dX = dY W^T, dW = X^T dY of the masked dense layer and of the causal
 * convolution) are {@link Kernels#accumulateTaps} calls in other layouts, and so carry its fixed
 * fused multiply-add order and its bitwise equality between the implementations.
 *
 * <p>A separate interface rather than more methods on {@link Kernels}: code that only evaluates
 * and samples keeps its narrow interface, and {@link KernelCompleteness} checks each interface's
 * methods against its own equivalence cases. {@link ScalarKernels} and {@link VectorKernels}
 * implement both; {@link Kernels#backward()} gives the one that goes with a forward kernel set.
 *
 * <p>As in {@link Kernels}: raw arrays, offsets and explicit sizes; outputs belong to the caller;
 * nothing allocates; every sum has a fixed order per output element (stated per method), so
 * results never depend on blocking or threads.
 */
public interface BackwardKernels {

    /** The implementation selected for this JVM, the same choice as {@link Kernels#active()}. */
    static BackwardKernels active() {
        return Kernels.active().backward();
    }

    /** A short description, e.g. {@code "vector(512-bit, 16 lanes)"} or {@code "scalar"}. */
    String name();

    /**
     * The selu backward from the selu's own output: with {@code a = selu(z)},
     * <pre>
     *   dz[i] = dy[i] * (a[i] > 0 ? scale : a[i] + scale * alpha)
     * </pre>
     * for {@code i < n}, since {@code selu'(z) = scale} for z > 0 and
     * {@code scale * alpha * e^z = selu(z) + scale * alpha} otherwise (z = 0 takes the second
     * branch, as jax's {@code where(x > 0, ...)} does); a > 0 exactly when z > 0, so z is not
     * needed. {@code dz} may be the same range as {@code dy}.
     */
    void seluBackward(float[] a, int aOff, float[] dy, int dyOff, float[] dz, int dzOff, int n);

    /**
     * The backward of {@link Kernels#logNormalizeRows}: for each of {@code rows} contiguous rows
     * of {@code cols} logits x, cotangent c, with {@code P = softmax(p * x)} of the row,
     * <pre>
     *   dx[k] = c[k] - P[k] * sum_j c[j]
     * </pre>
     * computed as {@code e[k] = exp(p * (x[k] - max x))}, {@code s = sum_k e[k]},
     * {@code C = sum_j c[j]} (both sums in ascending order), {@code q = C / s},
     * {@code dx[k] = c[k] - e[k] * q}. {@code dx} must not overlap {@code x} or {@code c}.
     */
    void logNormalizeRowsBackward(float[] x, int xOff, float[] c, int cOff, float[] dx, int dxOff,
                                  int rows, int cols, float machinePow);

    /**
     * The backward of {@link Kernels#logNormalizeRows} followed by the gather of one chosen
     * entry per row: the cotangent of row r is {@code w * onehot(chosen[chosenOff + r])} with
     * {@code w = weights[weightsOff + r / rowsPerWeight]} (the weight of a configuration, shared by
     * its N site rows), so
     * <pre>
     *   dx[k] = (k == chosen ? w : 0) - e[k] * q,   q = w / s
     * </pre>
     * with e and s as in {@link #logNormalizeRowsBackward}. {@code dx} must not overlap {@code x}.
     */
    void logNormalizeRowsBackwardChosen(float[] x, int xOff, int[] chosen, int chosenOff,
                                        float[] weights, int weightsOff, int rowsPerWeight,
                                        float[] dx, int dxOff, int rows, int cols, float machinePow);

    /**
     * {@link #logNormalizeRowsBackwardChosen} of distributions stored as columns, as
     * {@link Kernels#logNormalizeColumns} is {@link Kernels#logNormalizeRows}'s: x is (rows, cols)
     * with rows {@code xRowStride} apart, rows = local states and cols = positions (a planar
     * sample) or samples (a feature-major site); column j's chosen state is
     * {@code chosen[chosenOff + j]} (a local index, exact in a float) and its weight
     * {@code weights[weightsOff + j * weightsStride]} ({@code weightsStride} 0: one weight for
     * every column, or 1); dx is written (rows, cols), rows {@code dxRowStride} apart. Every
     * element takes the operations {@link #logNormalizeRowsBackwardChosen} of the same
     * implementation applies to the transposed block, in the same order: bitwise equal to it.
     * {@code dx} must not overlap {@code x}.
     */
    void logNormalizeColumnsBackwardChosen(float[] x, int xOff, int xRowStride, float[] chosen, int chosenOff,
                                           float[] weights, int weightsOff, int weightsStride,
                                           float[] dx, int dxOff, int dxRowStride, int rows, int cols,
                                           float machinePow);

    /**
     * {@code dst[dstOff + c * dstRowStride + r] = src[srcOff + r * srcRowStride + c]} for
     * {@code r < rows}, {@code c < cols}: the switch between the layouts of the backward passes
     * (planar rows to rows of features, feature-major blocks to sample rows). A copy, so exact
     * in either implementation. {@code dst} must not overlap {@code src}.
     */
    void transpose(float[] src, int srcOff, int srcRowStride, int rows, int cols,
                   float[] dst, int dstOff, int dstRowStride);

    /**
     * Column sums accumulated into {@code out}, the bias gradient:
     * {@code out[outOff + c] += x[xOff + r * rowStride + c]} for {@code r < rows} in ascending r,
     * one rounded addition each, for {@code c < cols}. {@code out} must not overlap {@code x}.
     */
    void accumulateColumnSums(float[] x, int xOff, int rowStride, int rows, int cols, float[] out, int outOff);
}
