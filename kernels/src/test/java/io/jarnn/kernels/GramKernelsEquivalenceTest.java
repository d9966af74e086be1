package io.jarnn.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link VectorGramKernels#accumulateTransposedProduct} must be BITWISE equal to the scalar
 * reference, which fixes one fused multiply-add per depth row in ascending order for every
 * output element: the register blocking may change nothing. Both register blocks run at every
 * vector width ({@link VectorGramKernels#accumulate}: 8 rows x 3 vectors, AVX-512's, and 6 rows
 * x 2 vectors, AVX2's), each with its tails (1 x 8 vectors for calls of fewer rows than a block,
 * single rows across the block's vectors, 8 x 1 and 1 x 1 vectors, scalar columns past the last
 * vector), as does the selected one through the public method. Shapes straddle both row blocks
 * and one, two and three vectors of the running species; operands sit at offsets inside guarded
 * arrays with strides wider than the rows they hold, and nothing outside the output may change.
 */
class GramKernelsEquivalenceTest {
    private static final int LANES = VectorLanes.FLOATS.length();
    /**
     * Around the 6- and 8-row blocks: remainders, one and two blocks, two blocks and a remainder
     * (24: four 6-row or three 8-row blocks, a packed panel's rows).
     */
    private static final int[] ROWS = {1, 2, 5, 6, 7, 8, 9, 12, 13, 16, 17, 24};
    /**
     * Around one, two, three and eight vectors (the 2- and 3-vector blocks, the 1-vector blocks,
     * the scalar tail; single rows' 8-vector blocks and what is left after them).
     */
    private static final int[] COLS = IntStream.of(1, 2, LANES - 1, LANES, LANES + 1, 2 * LANES - 1, 2 * LANES,
            2 * LANES + 1, 2 * LANES + 3, 3 * LANES - 1, 3 * LANES, 3 * LANES + 1, 4 * LANES + 2, 5 * LANES + 1, 6 * LANES,
            7 * LANES + 5, 8 * LANES, 8 * LANES + 1, 11 * LANES + 3, 16 * LANES + 2 * LANES - 1)
            .filter(n -> n > 0).distinct().sorted().toArray();
    private static final int[] DEPTHS = {0, 1, 5, 33};

    /** The implementations compared with the scalar reference. */
    enum Variant {
        /** The public method: the block {@link VectorGramKernels#EIGHT_BY_THREE} selects for this width. */
        SELECTED,
        EIGHT_BY_THREE,
        SIX_BY_TWO;

        void run(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, int depth,
                 float[] c, int cOff, int cStride, int rows, int cols) {
            switch (this) {
                case SELECTED -> VectorGramKernels.INSTANCE.accumulateTransposedProduct(a, aOff, aStride, b, bOff, bStride,
                        depth, c, cOff, cStride, rows, cols);
                case EIGHT_BY_THREE -> VectorGramKernels.accumulate(true, a, aOff, aStride, b, bOff, bStride, depth,
                        c, cOff, cStride, rows, cols);
                case SIX_BY_TWO -> VectorGramKernels.accumulate(false, a, aOff, aStride, b, bOff, bStride, depth,
                        c, cOff, cStride, rows, cols);
            }
        }
    }

    static List<Object[]> shapes() {
        List<Object[]> list = new ArrayList<>();
        for (Variant variant : Variant.values()) {
            for (int depth : DEPTHS) {
                for (int rows : ROWS) {
                    for (int cols : COLS) {
                        list.add(new Object[] {variant, depth, rows, cols});
                    }
                }
            }
        }
        return list;
    }

    @ParameterizedTest(name = "{0}: depth {1}, rows {2}, cols {3}")
    @MethodSource("shapes")
    void vectorIsBitwiseTheScalarReference(Variant variant, int depth, int rows, int cols) {
        assertEquivalent(variant, depth, rows, cols, depth * 1009L + rows * 31L + cols);
    }

    @Test
    void largeShapesAreBitwiseEqualToo() {
        for (Variant variant : Variant.values()) {
            assertEquivalent(variant, 257, 24, 24, 1);
            assertEquivalent(variant, 130, 40, 3 * LANES * 3 + 7, 2);
            assertEquivalent(variant, 129, 29, 2 * LANES * 5 + LANES + 3, 3);
        }
    }

    /** The kernels of the interface are the one method these cases call. */
    @Test
    void everyGramKernelHasACase() {
        assertEquals(Set.of("accumulateTransposedProduct"), KernelCompleteness.kernelMethods(GramKernels.class));
    }

    /** A 2 x 2 result of depth 2 at offsets, by hand: C += A^T B from C's current values. */
    @Test
    void computesTheDocumentedSumFromTheCurrentValues() {
        // A (depth 2, rows 2) at offset 1, stride 3; B (depth 2, cols 2) at offset 2, stride 4.
        float[] a = {9, 1, 2, 9, 3, 4, 9};
        float[] b = {9, 9, 5, 6, 9, 9, 7, 8};
        for (GramKernels k : List.<GramKernels>of(ScalarGramKernels.INSTANCE, VectorGramKernels.INSTANCE)) {
            float[] c = {-1, 0.5f, 0.25f, -1, -1, 1, 2, -1};
            k.accumulateTransposedProduct(a, 1, 3, b, 2, 4, 2, c, 1, 4, 2, 2);
            // c[r][j] += a[0][r] b[0][j] + a[1][r] b[1][j]; A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]]
            assertArrayEquals(new float[] {-1, 0.5f + 1 * 5 + 3 * 7, 0.25f + 1 * 6 + 3 * 8, -1,
                    -1, 1 + 2 * 5 + 4 * 7, 2 + 2 * 6 + 4 * 8, -1}, c, 0, k.name());
        }
    }

    /**
     * One call on random operands at offsets, with strides wider than their rows, into an output
     * whose row stride leaves a gap, all surrounded by guards: the vector result must be the
     * scalar one bit for bit, and every element outside the output must keep its value.
     */
    private static void assertEquivalent(Variant variant, int depth, int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int aOff = 3;
        int aStride = rows + 2;
        int bOff = 5;
        int bStride = cols + 3;
        int cOff = 7;
        int cStride = cols + 4;
        float[] a = fill(random, aOff + Math.max(depth, 1) * aStride + 4);
        float[] b = fill(random, bOff + Math.max(depth, 1) * bStride + 4);
        float[] c = fill(random, cOff + rows * cStride + 4);
        float[] scalar = c.clone();
        float[] vector = c.clone();
        ScalarGramKernels.INSTANCE.accumulateTransposedProduct(a, aOff, aStride, b, bOff, bStride, depth,
                scalar, cOff, cStride, rows, cols);
        variant.run(a, aOff, aStride, b, bOff, bStride, depth, vector, cOff, cStride, rows, cols);
        String shape = variant + ": depth " + depth + ", rows " + rows + ", cols " + cols + " (" + LANES + " lanes)";
        for (int i = 0; i < c.length; i++) {
            int rel = i - cOff;
            boolean inside = rel >= 0 && rel / cStride < rows && rel % cStride < cols;
            assertEquals(0, Float.compare(scalar[i], vector[i]),
                    shape + ": c[" + i + "] vector " + vector[i] + ", scalar " + scalar[i]);
            if (!inside) {
                assertEquals(0, Float.compare(c[i], scalar[i]),
                        shape + ": c[" + i + "] outside the output changed");
            } else if (depth > 0) {
                // The scalar reference is the documented chain.
                int r = rel / cStride;
                int j = rel % cStride;
                float chain = c[i];
                for (int k = 0; k < depth; k++) {
                    chain = Math.fma(a[aOff + k * aStride + r], b[bOff + k * bStride + j], chain);
                }
                assertEquals(0, Float.compare(chain, scalar[i]), shape + ": c[" + i + "] " + scalar[i] + ", the chain " + chain);
            }
        }
    }

    private static float[] fill(SplittableRandom random, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) random.nextGaussian(); //f64: x[i] = random.nextGaussian();
        }
        return x;
    }
}
