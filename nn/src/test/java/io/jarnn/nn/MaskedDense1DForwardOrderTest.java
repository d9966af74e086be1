package io.jarnn.nn;

import io.jarnn.core.Tensor;
import io.jarnn.kernels.Kernels;
import io.jarnn.kernels.ScalarKernels;
import io.jarnn.kernels.VectorKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link MaskedDense1D#forward} BITWISE against its definition written as one loop: every output
 * starts from its bias and takes one fused multiply-add per unmasked input, in ascending input
 * order, however the product is blocked. The later sites reach more inputs than
 * {@link Tuning#DENSE_REDUCTION_BLOCK}, so their reductions cross one block or two, each ending
 * in a short one; batches of whole and partial {@link Tuning#DENSE_COLUMN_BLOCK}s; 16, 5, 3, 2
 * and 1 output features (the kernels' 6-, 4-, 2- and 1-row tiles).
 */
class MaskedDense1DForwardOrderTest {
    private static final int SITES = 19;
    /** Inputs per site: the last sites reach more than twice DENSE_REDUCTION_BLOCK rows. */
    private static final int IN = 2 * Tuning.DENSE_REDUCTION_BLOCK / (SITES - 2) + 1;

    static List<Kernels> kernels() {
        return List.of(ScalarKernels.INSTANCE, VectorKernels.INSTANCE);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void forwardTakesTheDefinitionsFmaOrderAcrossReductionBlocks(Kernels kernels) {
        for (int out : new int[]{16, 5, 3, 2, 1}) {
            for (boolean exclusive : new boolean[]{true, false}) {
                for (int batch : new int[]{Tuning.DENSE_COLUMN_BLOCK, 2 * Tuning.DENSE_COLUMN_BLOCK + 7, 5}) {
                    check(kernels, out, exclusive, batch);
                }
            }
        }
    }

    private static void check(Kernels kernels, int out, boolean exclusive, int batch) {
        SplittableRandom random = new SplittableRandom(31L * out + batch + (exclusive ? 7 : 0));
        int rowIn = SITES * IN;
        int rowOut = SITES * out;
        float[] w = random(random, rowIn * rowOut);
        float[] b = random(random, rowOut);
        float[] x = random(random, batch * rowIn);
        MaskedDense1D layer = MaskedDense1D.fromNetKet(SITES, IN, out, exclusive, true,
                Tensor.copyOf(w, rowIn, rowOut), Tensor.copyOf(b, SITES, out), "layer/");
        float[] y = new float[batch * rowOut + Kernels.OVERREAD_PADDING];
        float[] scratch = new float[batch * Math.max(rowIn, rowOut) + Kernels.OVERREAD_PADDING];
        layer.forward(kernels, x, 0, batch, y, 0, scratch);
        for (int s = 0; s < batch; s++) {
            for (int j = 0; j < SITES; j++) {
                int reached = (exclusive ? j : j + 1) * IN;
                for (int c = 0; c < out; c++) {
                    int m = j * out + c;
                    float acc = b[m];
                    for (int k = 0; k < reached; k++) {
                        acc = Math.fma(w[k * rowOut + m], x[s * rowIn + k], acc);
                    }
                    float got = y[s * rowOut + m];
                    if (Float.floatToRawIntBits(acc) != Float.floatToRawIntBits(got)) {
                        fail(kernels.name() + ", out=" + out + (exclusive ? ", exclusive" : ", inclusive") + ", batch="
                                + batch + ": sample " + s + ", site " + j + ", channel " + c + ": expected " + acc
                                + " but got " + got);
                    }
                }
            }
        }
    }

    private static float[] random(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return a;
    }
}
