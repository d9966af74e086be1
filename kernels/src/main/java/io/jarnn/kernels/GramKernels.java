package io.jarnn.kernels;

/**
 * The product of a matrix's transpose with another, {@code C += A^T B}, for Gram matrices and
 * symmetric rank-k updates (stochastic reconfiguration's S = Obar^T Obar and the trailing updates
 * of its Cholesky factorisation): both operands are read along their depth rows, so a caller
 * that packs a matrix into panels of a few columns, stored depth row after depth row, feeds the
 * kernel contiguous rows for either side and never transposes.
 *
 * <p>A separate interface rather than more methods on {@link Kernels}: the layers never call it,
 * and its two implementations, {@link ScalarGramKernels} (the definition) and
 * {@link VectorGramKernels}, are held to each other bit for bit by {@code GramKernelsEquivalenceTest}.
 * As in {@link Kernels}: raw arrays, offsets and strides, outputs owned by the caller, nothing
 * allocated, one fixed order of operations per output element.
 */
public interface GramKernels {

    /** The implementation selected for this JVM: vector or scalar as {@link Kernels#active()}. */
    static GramKernels active() {
        return KernelSelection.Active.CHOICE.useVector() ? VectorGramKernels.INSTANCE : ScalarGramKernels.INSTANCE;
    }

    /** A short description, e.g. {@code "vector(512-bit, 16 lanes)"} or {@code "scalar"}. */
    String name();

    /**
     * {@code C += A^T B}, accumulated into c:
     * <pre>
     *   c[cOff + r*cRowStride + j] += sum_{k < depth} a[aOff + k*aStride + r] * b[bOff + k*bStride + j]
     *   for r &lt; rows, j &lt; cols
     * </pre>
     * A is (depth, rows) and B (depth, cols), each stored by depth rows {@code aStride} and
     * {@code bStride} apart. Each c element is updated by one fused multiply-add per k, in
     * ascending k, starting from its current value, so the result is bitwise independent of how
     * a caller blocks rows, columns or the depth (a depth split into consecutive calls gives the
     * same bits). {@code c} must not overlap {@code a} or {@code b}.
     */
    void accumulateTransposedProduct(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, int depth,
                                     float[] c, int cOff, int cRowStride, int rows, int cols);
}
