package io.jarnn.vmc;

import io.jarnn.vmc.StochasticReconfiguration.Form;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three SR forms (dense Cholesky, minSR n x n, CG) against each other and against a direct
 * dense LU solve of (S + lambda I) delta = F built entry by entry from the definitions, on random
 * Jacobians with P &lt; n, P ~ n and P &gt;&gt; n.
 */
class StochasticReconfigurationTest {

    @ParameterizedTest(name = "n={0} P={1} lambda={2}")
    @CsvSource({"80, 20, 0.01", "50, 50, 0.01", "40, 41, 0.001", "16, 300, 0.01", "30, 200, 0.1", "200, 150, 0.01",
            "130, 400, 0.01"})
    void everyFormSolvesTheSameSystem(int n, int p, double lambda) {
        SplittableRandom random = new SplittableRandom(n * 1000L + p);
        double[] o = new double[n * p];
        for (int i = 0; i < o.length; i++) {
            // columns of different scales and offsets, as a Jacobian's are
            o[i] = random.nextGaussian() * (1 + (i % p) % 7) + 0.3 * ((i % p) % 5);
        }
        double[] energies = new double[n];
        for (int b = 0; b < n; b++) {
            energies[b] = -3 + random.nextGaussian();
        }
        double[] reference = directSolve(o, n, p, energies, lambda);
        double scale = 0;
        for (double x : reference) {
            scale = Math.max(scale, Math.abs(x));
        }
        for (Form form : new Form[] {Form.DENSE, Form.MINSR, Form.CG}) {
            StochasticReconfiguration sr = new StochasticReconfiguration(lambda, form, 1e-14, 20 * p);
            double[] delta = new double[p];
            assertEquals(form, sr.solve(o.clone(), n, p, energies.clone(), delta));
            double worst = 0;
            int at = 0;
            for (int e = 0; e < p; e++) {
                double d = Math.abs(delta[e] - reference[e]);
                if (d > worst) {
                    worst = d;
                    at = e;
                }
            }
            assertTrue(worst <= 1e-8 * scale, form + " n=" + n + " P=" + p + ": delta[" + at + "] = " + delta[at]
                    + " but the direct solve gives " + reference[at] + " (|diff| " + worst + ", max|delta| " + scale
                    + (form == Form.CG ? ", " + sr.lastIterations() + " CG iterations" : "") + ")");
        }
    }

    /** S, F from the definitions (means over samples), then LU: the test's independent reference. */
    static double[] directSolve(double[] o, int n, int p, double[] energies, double lambda) {
        double[] mo = new double[p];
        double me = 0;
        for (int b = 0; b < n; b++) {
            me += energies[b] / n;
            for (int e = 0; e < p; e++) {
                mo[e] += o[b * p + e] / n;
            }
        }
        DMatrixRMaj s = new DMatrixRMaj(p, p);
        DMatrixRMaj f = new DMatrixRMaj(p, 1);
        for (int i = 0; i < p; i++) {
            double fi = 0;
            for (int b = 0; b < n; b++) {
                fi += (energies[b] - me) * o[b * p + i];
            }
            f.set(i, 0, 2 * fi / n);
            for (int j = 0; j < p; j++) {
                double oo = 0;
                for (int b = 0; b < n; b++) {
                    oo += o[b * p + i] * o[b * p + j];
                }
                s.set(i, j, oo / n - mo[i] * mo[j] + (i == j ? lambda : 0));
            }
        }
        DMatrixRMaj x = new DMatrixRMaj(p, 1);
        if (!CommonOps_DDRM.solve(s, f, x)) {
            throw new IllegalStateException("LU failed");
        }
        return x.data;
    }

    @Test
    void automaticFormTakesTheCheapestByItsCostEstimate() {
        assertEquals(Form.DENSE, StochasticReconfiguration.automaticForm(1024, 930));
        assertEquals(Form.DENSE, StochasticReconfiguration.automaticForm(1024, 1024));
        assertEquals(Form.MINSR, StochasticReconfiguration.automaticForm(1024, 1025));
        assertEquals(Form.MINSR, StochasticReconfiguration.automaticForm(512, 100_000));
        assertEquals(Form.DENSE, StochasticReconfiguration.automaticForm(100_000, 1000));
        // both sides large: at the default tolerance 1e-10 CG's 180 iterations still cost more
        assertEquals(Form.DENSE, StochasticReconfiguration.automaticForm(2000, 2000));
        assertEquals(Form.DENSE, StochasticReconfiguration.automaticForm(1000, 1000));
        assertEquals(Form.CG, StochasticReconfiguration.automaticForm(100_000, StochasticReconfiguration.DIRECT_MAX + 1));
        assertEquals(Form.CG, StochasticReconfiguration.automaticForm(4096, 100_000));
        assertEquals(Form.CG, new StochasticReconfiguration(0.01, Form.CG).formFor(10, 5));
        // a looser CG tolerance takes fewer iterations: at 1e-2 (36) CG wins from about n = P = 1300,
        // at 1e-5 (90) not below DIRECT_MAX
        assertEquals(Form.CG, StochasticReconfiguration.automaticForm(2000, 2000, 1e-2));
        assertEquals(Form.DENSE, StochasticReconfiguration.automaticForm(1200, 1200, 1e-2));
        assertEquals(Form.CG, new StochasticReconfiguration(0.01, Form.AUTO, 1e-2, 0).formFor(2000, 2000));
        assertEquals(Form.DENSE, StochasticReconfiguration.automaticForm(2000, 2000, 1e-5));
        assertEquals(Form.DENSE, StochasticReconfiguration.automaticForm(1024, 930, 1e-5));
        assertEquals(Form.DENSE, new StochasticReconfiguration(0.01, Form.AUTO, 1e-10, 0).formFor(1024, 930));
    }

    @Test
    void centresTheJacobianInPlaceAndReusesItsBuffersAcrossSizes() {
        StochasticReconfiguration sr = new StochasticReconfiguration(0.05, Form.AUTO, 1e-14, 0);
        for (int[] np : new int[][] {{30, 10}, {10, 30}, {30, 10}}) {
            int n = np[0];
            int p = np[1];
            SplittableRandom random = new SplittableRandom(7);
            double[] o = new double[n * p];
            double[] en = new double[n];
            for (int i = 0; i < o.length; i++) {
                o[i] = random.nextGaussian() + 5;
            }
            for (int b = 0; b < n; b++) {
                en[b] = random.nextGaussian();
            }
            double[] ref = directSolve(o, n, p, en, 0.05);
            double[] delta = new double[p];
            sr.solve(o, n, p, en, delta);
            for (int e = 0; e < p; e++) {
                double colSum = 0;
                for (int b = 0; b < n; b++) {
                    colSum += o[b * p + e];
                }
                assertEquals(0, colSum, 1e-10, "column " + e + " of the centred Jacobian");
                assertEquals(ref[e], delta[e], 1e-9 * (1 + Math.abs(ref[e])), "delta[" + e + "] n=" + n + " P=" + p);
            }
        }
    }

    /**
     * The Gram product equals, bit for bit, one fused multiply-add chain per entry over the rows
     * in ascending order, on 1 and 3 threads, on shapes that cut its tiles (columns not a
     * multiple of the panel, several depth slices), on its upper block triangle (the diagonal
     * panels whole) with the padding zero; the public {@code gram} gives both triangles.
     */
    @ParameterizedTest(name = "rows={0} cols={1}")
    @CsvSource({"257, 600", "600, 67", "3, 5", "513, 300"})
    void gramIsOneFixedFmaChainPerEntryOnAnyThreadCount(int rows, int cols) {
        SplittableRandom random = new SplittableRandom(rows * 31L + cols);
        double[] a = new double[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextGaussian();
        }
        double[] packed = new double[GramProduct.packedLength(rows, cols)];
        java.util.Arrays.fill(packed, Double.NaN);
        GramProduct.pack(a, 0, cols, rows, cols, false, packed);
        int ld = GramProduct.padded(cols);
        for (int threads : new int[] {1, 3}) {
            double[] g = new double[ld * ld];
            new GramProduct().upper(packed, packed, rows, cols, g, 0, ld, threads);
            for (int i = 0; i < ld; i++) {
                for (int j = i / GramProduct.PANEL * GramProduct.PANEL; j < ld; j++) {
                    double chain = 0;
                    for (int b = 0; i < cols && j < cols && b < rows; b++) {
                        chain = Math.fma(a[b * cols + i], a[b * cols + j], chain);
                    }
                    assertEquals(0, Double.compare(chain, g[i * ld + j]), "g[" + i + ", " + j + "], " + threads
                            + " threads: " + g[i * ld + j] + ", the chain " + chain);
                }
            }
        }
        double[] full = new double[cols * cols];
        StochasticReconfiguration.gram(a, rows, cols, full);
        for (int i = 0; i < cols; i++) {
            for (int j = i; j < cols; j++) {
                double chain = 0;
                for (int b = 0; b < rows; b++) {
                    chain = Math.fma(a[b * cols + i], a[b * cols + j], chain);
                }
                assertEquals(chain, full[i * cols + j], 0, "gram[" + i + ", " + j + "]");
                assertEquals(chain, full[j * cols + i], 0, "gram[" + j + ", " + i + "] (mirror)");
            }
        }
    }

    /**
     * gramUpper gives the bits of gram's upper triangle, row by row, with a scratch reused from a
     * larger product and left dirty (NaN where it is not rewritten before use would show), and
     * refuses short buffers by name.
     */
    @ParameterizedTest(name = "rows={0} cols={1}")
    @CsvSource({"512, 626", "257, 600", "3, 5", "24, 48", "0, 7"})
    void gramUpperIsGramsUpperTriangleWithReusedScratch(int rows, int cols) {
        SplittableRandom random = new SplittableRandom(rows * 17L + cols);
        double[] a = new double[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextGaussian();
        }
        double[] full = new double[cols * cols];
        StochasticReconfiguration.gram(a, rows, cols, full);
        double[] scratch = new double[StochasticReconfiguration.gramScratchLength(rows + 30, cols + 30)];
        java.util.Arrays.fill(scratch, Double.NaN);
        double[] triangle = new double[cols * (cols + 1) / 2];
        for (int call = 0; call < 2; call++) { // the second call on the first's leftovers
            java.util.Arrays.fill(triangle, Double.NaN);
            StochasticReconfiguration.gramUpper(a, rows, cols, scratch, triangle);
            int k = 0;
            for (int i = 0; i < cols; i++) {
                for (int j = i; j < cols; j++, k++) {
                    assertEquals(0, Double.compare(full[i * cols + j], triangle[k]), "call " + call + ", s[" + i
                            + ", " + j + "]: gram " + full[i * cols + j] + ", gramUpper " + triangle[k]);
                }
            }
        }
        int needed = StochasticReconfiguration.gramScratchLength(rows, cols);
        IllegalArgumentException shortScratch = assertThrows(IllegalArgumentException.class,
                () -> StochasticReconfiguration.gramUpper(a, rows, cols, new double[needed - 1], triangle));
        assertTrue(shortScratch.getMessage().contains("scratch") && shortScratch.getMessage().contains("" + needed),
                shortScratch.getMessage());
        IllegalArgumentException shortTriangle = assertThrows(IllegalArgumentException.class,
                () -> StochasticReconfiguration.gramUpper(a, rows, cols, scratch, new double[triangle.length - 1]));
        assertTrue(shortTriangle.getMessage().contains("triangle"), shortTriangle.getMessage());
        IllegalArgumentException shortA = assertThrows(IllegalArgumentException.class,
                () -> StochasticReconfiguration.gramUpper(a, rows + 1, cols, scratch, triangle));
        assertTrue(shortA.getMessage().contains("rows " + (rows + 1)), shortA.getMessage());
    }

    /**
     * The blocked Cholesky solve against LU, across several blocks, reading the upper triangle
     * only (NaN below it and in the padding); a matrix that is not positive definite is refused.
     */
    @ParameterizedTest(name = "size={0}")
    @CsvSource({"1", "47", "48", "49", "200"})
    void blockedCholeskySolvesAndRefusesIndefiniteMatrices(int size) {
        SplittableRandom random = new SplittableRandom(size);
        int rows = size + 5;
        double[] b = new double[rows * size];
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextGaussian();
        }
        double[] a = new double[size * size];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double s = i == j ? 0.1 : 0;
                for (int r = 0; r < rows; r++) {
                    s += b[r * size + i] * b[r * size + j];
                }
                a[i * size + j] = s;
            }
        }
        double[] rhs = new double[size];
        for (int i = 0; i < size; i++) {
            rhs[i] = random.nextGaussian();
        }
        DMatrixRMaj x = new DMatrixRMaj(size, 1);
        assertTrue(CommonOps_DDRM.solve(new DMatrixRMaj(size, size, true, a), new DMatrixRMaj(size, 1, true, rhs), x));
        int ld = GramProduct.padded(size) + 3;
        BlockedCholesky cholesky = new BlockedCholesky();
        assertTrue(cholesky.factor(upperPadded(a, size, ld), size, ld, 1));
        double[] solved = rhs.clone();
        cholesky.solve(solved);
        for (int i = 0; i < size; i++) {
            assertEquals(x.data[i], solved[i], 1e-9 * (1 + Math.abs(x.data[i])), "x[" + i + "]");
        }
        double[] threaded = rhs.clone();
        BlockedCholesky other = new BlockedCholesky();
        assertTrue(other.factor(upperPadded(a, size, ld), size, ld, 3));
        other.solve(threaded);
        for (int i = 0; i < size; i++) {
            assertEquals(solved[i], threaded[i], 0, "x[" + i + "] on 3 threads");
        }
        // Every entry of U is the one fused multiply-add chain the class comment states, bit for
        // bit, whatever the blocks (sizes that end inside a block and inside a panel).
        for (int n : new int[] {size, 71, 130}) {
            double[] m = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    m[i * n + j] = a[(i % size) * size + j % size] + (i == j ? 1 : 0);
                }
            }
            double[] expected = referenceFactor(m, n);
            int ldn = GramProduct.padded(n);
            for (int threads : new int[] {1, 3}) {
                BlockedCholesky blocked = new BlockedCholesky();
                assertTrue(blocked.factor(upperPadded(m, n, ldn), n, ldn, threads));
                for (int i = 0; i < n; i++) {
                    for (int j = i; j < n; j++) {
                        assertEquals(0, Double.compare(expected[i * n + j], blocked.upper(i, j)), "U[" + i + ", " + j
                                + "] of size " + n + ", " + threads + " threads: " + blocked.upper(i, j) + ", expected "
                                + expected[i * n + j]);
                    }
                }
            }
        }
        double[] indefinite = a.clone();
        int last = size - 1;
        indefinite[last * size + last] = -1;
        assertTrue(!cholesky.factor(upperPadded(indefinite, size, ld), size, ld, 1), "a negative last pivot");
        assertThrows(IllegalArgumentException.class, () -> cholesky.factor(new double[size * size], size,
                GramProduct.padded(size) - 1, 1));
    }

    /** The upper triangle of the (size x size) a in a (padded(size) x ld) array, NaN elsewhere. */
    static double[] upperPadded(double[] a, int size, int ld) {
        double[] m = new double[GramProduct.padded(size) * ld];
        java.util.Arrays.fill(m, Double.NaN);
        for (int i = 0; i < size; i++) {
            for (int j = i; j < size; j++) {
                m[i * ld + j] = a[i * size + j];
            }
        }
        return m;
    }

    /**
     * U of a (A = U^T U) one entry at a time, row by row: U[i, j] = (a[i, j] + sum_{k < i}
     * (-U[k, i]) U[k, j], one fused multiply-add each in ascending k) / U[i, i], the diagonal's
     * square root.
     */
    static double[] referenceFactor(double[] a, int n) {
        double[] u = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = a[i * n + j];
                for (int k = 0; k < i; k++) {
                    s = Math.fma(-u[k * n + i], u[k * n + j], s);
                }
                u[i * n + j] = s;
            }
            double pivot = Math.sqrt(u[i * n + i]);
            u[i * n + i] = pivot;
            for (int j = i + 1; j < n; j++) {
                u[i * n + j] /= pivot;
            }
        }
        return u;
    }
}
