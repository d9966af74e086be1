package io.jarnn.vmc;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ARNNDense;
import io.jarnn.nn.AutoregressiveModel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Local energies against brute force over the whole space, in both precisions. */
class LocalEnergiesTest {

    static AutoregressiveModel dense(HilbertSpace hi, DType dtype, long seed) {
        return ARNNDense.builder(hi).layers(2).features(4).dtype(dtype).buildModel(seed);
    }

    /** E_loc(s) = sum_t H[s, t] psi(t) / psi(s) with H dense and psi from one logPsi call over the space. */
    static double[] bruteForce(Operator op, AutoregressiveModel model, double[] psiOut) {
        double[][] h = ExactDiagonalization.denseMatrix(op);
        Tensor all = op.hilbert().allConfigurations();
        NdArray lp = model.logPsi(all);
        int dim = h.length;
        double[] psi = psiOut;
        for (int s = 0; s < dim; s++) {
            psi[s] = Math.exp(lp.getDouble(s));
        }
        double[] e = new double[dim];
        for (int s = 0; s < dim; s++) {
            double sum = 0;
            for (int t = 0; t < dim; t++) {
                sum += h[s][t] * psi[t];
            }
            e[s] = sum / psi[s];
        }
        return e;
    }

    static void check(Operator op, AutoregressiveModel model, double tolerance) {
        Tensor all = op.hilbert().allConfigurations();
        int dim = all.dim(0);
        double[] psi = new double[dim];
        double[] expected = bruteForce(op, model, psi);
        LocalEnergies le = new LocalEnergies(op, model, dim);
        double[] actual = le.compute(all);
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int s = 0; s < dim; s++) {
            assertEquals(expected[s], actual[s], tolerance * Math.max(1, scale),
                    op.describe() + " " + model.dtype() + " configuration " + s);
        }
        // The variational energy sum_s P(s) E_loc(s) is <psi|H|psi> / <psi|psi>.
        double[][] h = ExactDiagonalization.denseMatrix(op);
        double num = 0;
        double norm = 0;
        double mean = 0;
        for (int s = 0; s < dim; s++) {
            norm += psi[s] * psi[s];
            for (int t = 0; t < dim; t++) {
                num += psi[s] * h[s][t] * psi[t];
            }
        }
        for (int s = 0; s < dim; s++) {
            mean += psi[s] * psi[s] / norm * actual[s];
        }
        assertEquals(num / norm, mean, tolerance * Math.max(1, scale), op.describe() + " variational energy");
        assertEquals(1.0, norm, model.dtype() == DType.FLOAT64 ? 1e-12 : 1e-5, "the model is normalised");
    }

    @Test
    void isingHeisenbergBoseHubbardAgainstBruteForce() {
        for (DType dtype : DType.values()) {
            double tol = dtype == DType.FLOAT64 ? 1e-12 : 1e-5;
            HilbertSpace spins = HilbertSpace.spin(0.5, 6);
            check(new TransverseFieldIsing(spins, Lattice.chain(6, true), 1, 0.9), dense(spins, dtype, 3), tol);
            check(new Heisenberg(spins, Lattice.chain(6, false), 1, true), dense(spins, dtype, 4), tol);
            HilbertSpace sector = HilbertSpace.spin(0.5, 6, 0);
            check(new Heisenberg(sector, Lattice.chain(6, true), 0.7, false), dense(sector, dtype, 5), tol);
            check(PauliStrings.parse(spins, "-1 Z0 Z1 + 0.5 X2 X4 - 0.3 Y1 Y5; 0.7 X0 Y3 Z4 Y5; 0.2"),
                    dense(spins, dtype, 8), tol);
            HilbertSpace bosons = HilbertSpace.fock(2, 4);
            check(new BoseHubbard(bosons, Lattice.chain(4, true), 1, 2, 0.3), dense(bosons, dtype, 6), tol);
            HilbertSpace fixed = HilbertSpace.fock(3, 4, 4);
            check(new BoseHubbard(fixed, Lattice.chain(4, true), 1, 2, 0.3), dense(fixed, dtype, 7), tol);
        }
    }

    @Test
    void chunksAndOffsetsGiveTheSameNumbers() {
        HilbertSpace hi = HilbertSpace.spin(0.5, 12);
        Operator op = new TransverseFieldIsing(hi, Lattice.chain(12, true), 1, 1);
        AutoregressiveModel model = ARNNConv1D.builder(hi).layers(2).features(4).kernelSize(3).dtype(DType.FLOAT64)
                .buildModel(9);
        int batch = 700; // more than one chunk (8192 / 13 = 630 rows)
        Tensor sigma = hi.randomConfigurations(batch, 11);
        LocalEnergies le = new LocalEnergies(op, model, batch);
        assertTrue(le.chunkRows() < batch, "chunkRows " + le.chunkRows());
        double[] whole = le.compute(sigma);
        double[] values = new double[3 + batch * 12];
        for (int i = 0; i < batch * 12; i++) {
            values[3 + i] = sigma.getFlat(i);
        }
        double[] shifted = new double[batch + 5];
        double[] logPsi = new double[batch + 2];
        le.compute(values, 3, batch, shifted, 5, logPsi, 2);
        NdArray lp = model.logPsi(sigma);
        for (int b = 0; b < batch; b++) {
            assertEquals(whole[b], shifted[5 + b], 0.0, "row " + b);
            assertEquals(lp.getDouble(b), logPsi[2 + b], 1e-12, "logPsi of row " + b);
        }
        // the NdArray overload (float32 and float64 tensors), into caller-owned arrays: the same values
        double[] viaTensor = new double[batch];
        double[] lpTensor = new double[batch];
        le.compute(sigma, viaTensor, lpTensor);
        double[] viaTensor64 = new double[batch];
        le.compute(sigma.toDoublePrecision(), viaTensor64, null);
        for (int b = 0; b < batch; b++) {
            assertEquals(whole[b], viaTensor[b], 0.0, "row " + b + " from a Tensor");
            assertEquals(whole[b], viaTensor64[b], 0.0, "row " + b + " from a Tensor64");
            assertEquals(logPsi[2 + b], lpTensor[b], 0.0, "logPsi of row " + b + " from a Tensor");
        }
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> new LocalEnergies(op, model, 10).compute(sigma));
        assertTrue(tooMany.getMessage().startsWith("sigma: expected at most 10 rows"), tooMany.getMessage());
        // one row at a time through a small buffer: the same values
        LocalEnergies one = new LocalEnergies(op, model, 1);
        double[] e = new double[1];
        for (int b = 0; b < batch; b += 97) {
            one.compute(values, 3 + b * 12, 1, e, 0, null, 0);
            assertEquals(whole[b], e[0], 1e-12 * Math.abs(whole[b]) + 1e-12, "row " + b + " alone");
        }
    }

    @Test
    void aReusedObjectAllocatesNothingPerRow() {
        HilbertSpace hi = HilbertSpace.spin(0.5, 10);
        Operator op = new Heisenberg(hi, Lattice.chain(10, true), 1, true);
        for (DType dtype : DType.values()) {
            AutoregressiveModel model = dense(hi, dtype, 21).withThreads(1);
            int batch = 64;
            double[] sigma = new double[batch * 10];
            Tensor t = hi.randomConfigurations(batch, 5);
            for (int i = 0; i < sigma.length; i++) {
                sigma[i] = t.getFlat(i);
            }
            LocalEnergies le = new LocalEnergies(op, model, batch);
            double[] e = new double[batch];
            double[] lp = new double[batch];
            // Before the JIT compiles the kernels the Vector API boxes (the model allocates then, not this
            // class): repeat until warm, and require a call with no per-row allocation.
            long allocated = Long.MAX_VALUE;
            for (WarmUpDeadline warm = WarmUpDeadline.start(); warm.notPassed() && allocated >= 1024; ) {
                long before = allocatedBytes();
                le.compute(sigma, 0, batch, e, 0, lp, 0);
                allocated = allocatedBytes() - before;
            }
            // two tensor views and the model's per-call bookkeeping (184 bytes when warm); one object per row
            // would be at least 64 * 16 bytes
            assertTrue(allocated < 1024, dtype + ": " + allocated + " bytes allocated by a reused LocalEnergies for "
                    + batch + " rows");
        }
    }

    /**
     * The next VMC step's model (same configuration, new parameters) takes over a LocalEnergies:
     * bit for bit the numbers of a fresh one on that model, in both evaluations and precisions;
     * a model of another configuration is refused. {@link EnergyEstimator#of} hands each new
     * model to the one it keeps: once warm, a call with another model of the run allocates
     * nothing (no buffers made again per step).
     */
    @Test
    void aNewModelOfTheSameConfigurationTakesOverTheBuffers() {
        HilbertSpace hi = HilbertSpace.spin(0.5, 12);
        Operator op = new TransverseFieldIsing(hi, Lattice.chain(12, false), 1, 1);
        int batch = 40;
        double[] sigma = new double[batch * 12];
        Tensor t = hi.randomConfigurations(batch, 3);
        for (int i = 0; i < sigma.length; i++) {
            sigma[i] = t.getFlat(i);
        }
        for (DType dtype : DType.values()) {
            ARNNConv1D.Builder builder = ARNNConv1D.builder(hi).layers(3).features(4).kernelSize(3).dtype(dtype);
            AutoregressiveModel first = builder.buildModel(1).withThreads(1);
            AutoregressiveModel second = builder.buildModel(2).withThreads(1);
            for (LocalEnergies.Evaluation evaluation : LocalEnergies.Evaluation.values()) {
                LocalEnergies le = new LocalEnergies(op, first, batch, evaluation);
                double[] e = new double[batch];
                le.compute(sigma, 0, batch, e, 0, null, 0);
                le.setModel(second);
                assertTrue(le.model() == second, "the new model is the one evaluated");
                le.compute(sigma, 0, batch, e, 0, null, 0);
                double[] fresh = new double[batch];
                new LocalEnergies(op, second, batch, evaluation).compute(sigma, 0, batch, fresh, 0, null, 0);
                for (int b = 0; b < batch; b++) {
                    assertEquals(fresh[b], e[b], 0.0, dtype + ", " + evaluation + ": row " + b);
                }
                AutoregressiveModel wider = ARNNConv1D.builder(hi).layers(3).features(5).kernelSize(3).dtype(dtype)
                        .buildModel(1);
                IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> le.setModel(wider));
                assertTrue(other.getMessage().startsWith("model: expected a model of configuration"), other.getMessage());
            }
            EnergyEstimator estimator = EnergyEstimator.of(op);
            double[] e = new double[batch];
            long allocated = Long.MAX_VALUE;
            boolean useFirst = true;
            for (WarmUpDeadline warm = WarmUpDeadline.start(); warm.notPassed() && allocated >= 1024; ) {
                long before = allocatedBytes();
                estimator.localEnergies(useFirst ? first : second, sigma, batch, e);
                useFirst = !useFirst;
                allocated = allocatedBytes() - before;
            }
            assertTrue(allocated < 1024, dtype + ": " + allocated + " bytes allocated by a call with the other model");
        }
    }

    /**
     * This thread's allocated bytes (com.sun.management.ThreadMXBean), by reflection: the test
     * compiles inside module io.jarnn.vmc, which does not read java.management. Looked up once,
     * so a reading allocates only its boxed result and argument array.
     */
    private static final Object THREAD_BEAN;
    private static final java.lang.reflect.Method ALLOCATED_BYTES;

    static {
        try {
            THREAD_BEAN = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                    .invoke(null);
            ALLOCATED_BYTES = Class.forName("com.sun.management.ThreadMXBean")
                    .getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static long allocatedBytes() {
        try {
            return (long) ALLOCATED_BYTES.invoke(THREAD_BEAN);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read the allocated bytes of this thread", e);
        }
    }

    /** A test operator that leaves the sector: diagonal 1 and X_0 (element 5). */
    static Operator flipFirstSite(HilbertSpace hi) {
        return new Operator() {
            @Override
            public HilbertSpace hilbert() {
                return hi;
            }

            @Override
            public int maxConnections() {
                return 2;
            }

            @Override
            public void connected(double[] sigma, int off, int rows, Connections out) {
                out.requireFits(this, rows);
                int n = hi.size();
                for (int b = 0; b < rows; b++) {
                    System.arraycopy(sigma, off + b * n, out.configurations(), 2 * b * n, n);
                    System.arraycopy(sigma, off + b * n, out.configurations(), (2 * b + 1) * n, n);
                    out.configurations()[(2 * b + 1) * n] = -sigma[off + b * n];
                    out.elements()[2 * b] = 1;
                    out.elements()[2 * b + 1] = 5;
                    out.setCount(b, 2);
                }
            }

            @Override
            public String describe() {
                return "1 + 5 X0";
            }
        };
    }

    @Test
    void connectionsOutsideTheSectorContributeNothing() {
        for (DType dtype : DType.values()) {
            HilbertSpace hi = HilbertSpace.spin(0.5, 4, 0);
            AutoregressiveModel model = dense(hi, dtype, 12);
            Tensor all = hi.allConfigurations();
            // the flipped configurations are outside total_sz = 0: the model gives them logPsi = -inf
            Tensor flipped = all.copy();
            for (int b = 0; b < all.dim(0); b++) {
                flipped.set(-all.get(b, 0), b, 0);
            }
            NdArray lp = model.logPsi(flipped);
            for (int b = 0; b < all.dim(0); b++) {
                assertEquals(Double.NEGATIVE_INFINITY, lp.getDouble(b), "logPsi outside the sector, row " + b);
            }
            double[] e = new LocalEnergies(flipFirstSite(hi), model, 8).compute(all);
            for (int b = 0; b < e.length; b++) {
                assertEquals(1.0, e[b], 0.0, dtype + " row " + b);
            }
        }
    }

    @Test
    void badInput() {
        HilbertSpace hi = HilbertSpace.spin(0.5, 4);
        Operator op = new TransverseFieldIsing(hi, Lattice.chain(4, true), 1, 1);
        AutoregressiveModel pow1 = ARNNDense.builder(hi).layers(1).machinePow(1f).buildModel(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LocalEnergies(op, pow1, 4));
        assertTrue(e.getMessage().startsWith("model: expected machinePow = 2"), e.getMessage());
        AutoregressiveModel other = dense(HilbertSpace.spin(0.5, 5), DType.FLOAT32, 1);
        e = assertThrows(IllegalArgumentException.class, () -> new LocalEnergies(op, other, 4));
        assertTrue(e.getMessage().startsWith("model: expected a model on the operator's space"), e.getMessage());
        AutoregressiveModel sector = dense(HilbertSpace.spin(0.5, 4, 0), DType.FLOAT32, 1);
        e = assertThrows(IllegalArgumentException.class, () -> new LocalEnergies(op, sector, 4));
        assertTrue(e.getMessage().startsWith("model: expected a model on the operator's space"), e.getMessage());
        LocalEnergies le = new LocalEnergies(op, dense(hi, DType.FLOAT32, 1), 2);
        e = assertThrows(IllegalArgumentException.class, () -> le.compute(new double[12], 0, 3, new double[3], 0, null, 0));
        assertTrue(e.getMessage().startsWith("rows: expected 0..2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> le.compute(new double[] {1, 1, 1, 0.5}, 0, 1, new double[1], 0, null, 0));
        assertTrue(e.getMessage().contains("element [0, 3] is 0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LocalEnergies(op, dense(hi, DType.FLOAT32, 1), 0));
        assertTrue(e.getMessage().startsWith("capacityRows: expected >= 1"), e.getMessage());
        // a configuration of the batch outside the model's sector has no local energy
        HilbertSpace sz = HilbertSpace.spin(0.5, 4, 0);
        LocalEnergies inSector = new LocalEnergies(new Heisenberg(sz, Lattice.chain(4, true), 1, false),
                dense(sz, DType.FLOAT64, 2), 1);
        e = assertThrows(IllegalArgumentException.class,
                () -> inSector.compute(new double[] {1, 1, 1, -1}, 0, 1, new double[1], 0, null, 0));
        assertTrue(e.getMessage().startsWith("sigma: row 0 has psi = 0"), e.getMessage());
    }
}
