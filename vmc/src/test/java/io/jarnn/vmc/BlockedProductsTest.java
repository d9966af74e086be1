package io.jarnn.vmc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two levels of blocking of {@link GramProduct} (depth slices of {@link GramProduct#DEPTH},
 * groups of {@link GramProduct#GROUP} row panels) and the left-looking {@link BlockedCholesky}
 * (block rows of {@link BlockedCholesky#BLOCK}, sub-blocks of a panel, the forward substitution
 * on the way) keep the one chain of fused multiply-adds per entry, in ascending depth: bit for
 * bit against plain loops, on shapes that cross several slices, groups and block rows and end
 * inside a panel, on 1 and 3 threads.
 */
class BlockedProductsTest {

    /**
     * The general upper product: row panels restricted, offsets into panels that hold more depth
     * rows than are summed, a depth of several slices plus a partial one.
     */
    @ParameterizedTest(name = "depth={0} rowPanels={1} panels={2} threads={3}")
    @CsvSource({"600, 3, 11, 1", "600, 10, 11, 3", "257, 11, 11, 1", "17, 2, 5, 1"})
    void upperIsOneChainPerEntryInAscendingDepth(int depth, int rowPanels, int panels, int threads) {
        int p = GramProduct.PANEL;
        int extra = 7; // depth rows before and after the summed ones in every panel
        int panelLength = (depth + 2 * extra) * p;
        SplittableRandom random = new SplittableRandom(depth * 31L + rowPanels);
        double[] a = new double[rowPanels * panelLength + 5];
        double[] b = new double[panels * panelLength + 3];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextGaussian();
        }
        int ldc = panels * p + 2;
        double[] c = new double[rowPanels * p * ldc];
        for (int i = 0; i < c.length; i++) {
            c[i] = random.nextGaussian();
        }
        double[] expected = c.clone();
        int aOff = 5 + extra * p;
        int bOff = 3 + extra * p;
        for (int rp = 0; rp < rowPanels; rp++) {
            for (int q = rp; q < panels; q++) {
                for (int r = 0; r < p; r++) {
                    for (int j = 0; j < p; j++) {
                        int ci = (rp * p + r) * ldc + q * p + j;
                        double s = expected[ci];
                        for (int k = 0; k < depth; k++) {
                            s = Math.fma(a[aOff + rp * panelLength + k * p + r], b[bOff + q * panelLength + k * p + j], s);
                        }
                        expected[ci] = s;
                    }
                }
            }
        }
        new GramProduct().upper(a, aOff, panelLength, b, bOff, panelLength, depth, rowPanels, panels, c, 0, ldc, threads);
        for (int i = 0; i < c.length; i++) {
            assertEquals(0, Double.compare(expected[i], c[i]), "c[" + (i / ldc) + ", " + (i % ldc) + "] of depth " + depth
                    + ", " + rowPanels + " x " + panels + " panels, " + threads + " threads: " + c[i] + ", expected "
                    + expected[i]);
        }
    }

    /**
     * U of a Gram matrix bit for bit as the one-chain definition, for sizes across block rows
     * (192), sub-blocks (24) and panels, with the forward substitution done during the
     * factorisation giving the same bits as the separate one.
     */
    @ParameterizedTest(name = "size={0} threads={1}")
    @CsvSource({"193, 1", "409, 1", "409, 3", "600, 1"})
    void leftLookingFactorIsOneChainPerEntry(int size, int threads) {
        SplittableRandom random = new SplittableRandom(size);
        int rows = size + 9;
        double[] o = new double[rows * size];
        for (int i = 0; i < o.length; i++) {
            o[i] = random.nextGaussian();
        }
        double[] a = new double[size * size];
        StochasticReconfiguration.gram(o, rows, size, a);
        for (int i = 0; i < size; i++) {
            a[i * size + i] += 0.5;
        }
        double[] expected = StochasticReconfigurationTest.referenceFactor(a, size);
        int ld = GramProduct.padded(size) + 5;
        BlockedCholesky cholesky = new BlockedCholesky();
        assertTrue(cholesky.factor(StochasticReconfigurationTest.upperPadded(a, size, ld), size, ld, threads));
        for (int i = 0; i < size; i++) {
            for (int j = i; j < size; j++) {
                assertEquals(0, Double.compare(expected[i * size + j], cholesky.upper(i, j)), "U[" + i + ", " + j
                        + "] of size " + size + ", " + threads + " threads: " + cholesky.upper(i, j) + ", expected "
                        + expected[i * size + j]);
            }
        }
        double[] rhs = new double[size];
        for (int i = 0; i < size; i++) {
            rhs[i] = random.nextGaussian();
        }
        double[] separate = rhs.clone();
        cholesky.solve(separate);
        double[] fused = rhs.clone();
        BlockedCholesky other = new BlockedCholesky();
        assertTrue(other.factor(StochasticReconfigurationTest.upperPadded(a, size, ld), size, ld, threads, fused));
        other.backSubstitute(fused);
        for (int i = 0; i < size; i++) {
            assertEquals(0, Double.compare(separate[i], fused[i]), "x[" + i + "] of size " + size
                    + " with the forward substitution in the factorisation: " + fused[i] + ", expected " + separate[i]);
        }
    }
}
