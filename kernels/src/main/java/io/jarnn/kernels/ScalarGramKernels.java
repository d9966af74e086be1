package io.jarnn.kernels;

/** Plain-Java reference of {@link GramKernels}: the definition {@link VectorGramKernels} is held to. */
public final class ScalarGramKernels implements GramKernels {
    public static final ScalarGramKernels INSTANCE = new ScalarGramKernels();

    private ScalarGramKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void accumulateTransposedProduct(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                                            int depth, float[] c, int cOff, int cRowStride, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                int ci = cOff + r * cRowStride + j;
                float acc = c[ci];
                for (int k = 0; k < depth; k++) {
                    acc = Math.fma(a[aOff + k * aStride + r], b[bOff + k * bStride + j], acc);
                }
                c[ci] = acc;
            }
        }
    }
}
