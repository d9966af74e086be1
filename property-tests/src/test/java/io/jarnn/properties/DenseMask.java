package io.jarnn.properties;

/** NetKet's MaskedDense1D mask, written out independently of the code under test. */
final class DenseMask {
    private DenseMask() {
    }

    /**
     * Whether input site {@code i} reaches output site {@code j} in layer {@code layer}: the first
     * layer is exclusive ({@code i < j}), every later one inclusive ({@code i <= j}).
     */
    static boolean used(int layer, int i, int j) {
        return layer == 0 ? i < j : i <= j;
    }
}
