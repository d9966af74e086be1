package io.jarnn.kernels;

/**
 * One call of one kernel, with its shape and memory layout, that can hold {@link VectorKernels}
 * to {@link ScalarKernels}: the unit tests enumerate cases, the property suite generates them,
 * and both check them through this one method, with the same tolerances.
 */
public interface KernelCase {

    /** The {@link Kernels} method this case calls, e.g. {@code "selu"}. */
    String kernel();

    /**
     * Fills the inputs from {@code seed}, runs the call through {@code scalar} and
     * {@code vector} and asserts that they agree (bitwise or within the case's tolerance), that
     * the scalar result matches the definition, and that nothing outside the output changed.
     */
    void check(Kernels scalar, Kernels vector, long seed);

    /** {@link #check} with the two real implementations. */
    default void assertEquivalent(long seed) {
        check(ScalarKernels.INSTANCE, VectorKernels.INSTANCE, seed);
    }
}
