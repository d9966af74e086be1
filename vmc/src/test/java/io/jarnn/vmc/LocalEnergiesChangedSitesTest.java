package io.jarnn.vmc;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ARNNConv2D;
import io.jarnn.nn.ARNNDense;
import io.jarnn.nn.AutoregressiveModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LocalEnergies.Evaluation#CHANGED_SITES} against {@link LocalEnergies.Evaluation#FULL_FORWARD}
 * on sampled configurations: transverse-field Ising, Heisenberg (Marshall sign, Sz = 0 sector),
 * Pauli strings, Bose–Hubbard (fixed N and not) and a raising operator on spin-1; dense, conv1d
 * (with windows shorter than the chain) and conv2d models; float32 and float64. The tolerance
 * is {@link io.jarnn.nn.ConnectedLogPsi}'s on each log-ratio r, carried to E_loc as
 * {@code tol (1 + |logPsi|) sum_k |H_k| exp(r_k)}.
 */
class LocalEnergiesChangedSitesTest {

    @Test
    void changedSitesAgreeWithTheFullForward() {
        HilbertSpace chain = HilbertSpace.spin(0.5, 16);
        HilbertSpace square = HilbertSpace.spin(0.5, 16);
        HilbertSpace sz = HilbertSpace.spin(0.5, 12, 0);
        HilbertSpace bosons = HilbertSpace.fock(3, 8);
        HilbertSpace fixed = HilbertSpace.fock(3, 8, 8);
        HilbertSpace spinOne = HilbertSpace.spin(1, 9);
        for (DType dtype : DType.values()) {
            List<Case> cases = new ArrayList<>();
            for (AutoregressiveModel m : models(chain, dtype, true)) {
                cases.add(new Case(new TransverseFieldIsing(chain, Lattice.chain(16, false), 1, 0.8), m));
                cases.add(new Case(PauliStrings.parse(chain, "-1 Z0 Z1 + 0.5 X2 X9 - 0.3 Y1 Y15; 0.7 X0 Y3 Z4 Y5; 0.2 X7 X8; 0.4 X15"),
                        m));
                cases.add(new Case(new Heisenberg(chain, Lattice.chain(16, true), 1, true), m));
            }
            for (AutoregressiveModel m : models(square, dtype, false)) {
                cases.add(new Case(new TransverseFieldIsing(square, Lattice.square(4, true), 1, 2), m));
            }
            for (AutoregressiveModel m : models(sz, dtype, true)) {
                cases.add(new Case(new Heisenberg(sz, Lattice.chain(12, false), 0.7, true), m));
            }
            for (AutoregressiveModel m : models(bosons, dtype, true)) {
                cases.add(new Case(new BoseHubbard(bosons, Lattice.chain(8, true), 1, 4, 1), m));
            }
            for (AutoregressiveModel m : models(fixed, dtype, true)) {
                cases.add(new Case(new BoseHubbard(fixed, Lattice.chain(8, false), 1, 2, 0.3), m));
            }
            for (AutoregressiveModel m : models(spinOne, dtype, true)) {
                cases.add(new Case(raising(spinOne), m));
            }
            for (Case c : cases) {
                check(c.operator(), c.model(), dtype == DType.FLOAT64 ? 1e-10 : 1e-4);
            }
        }
    }

    private record Case(Operator operator, AutoregressiveModel model) {
    }

    /** A dense model, a conv1d whose reach (2 + 2 = 4 sites) is shorter than the chain, and a conv2d on squares. */
    private static List<AutoregressiveModel> models(HilbertSpace h, DType dtype, boolean oneDimensional) {
        List<AutoregressiveModel> list = new ArrayList<>();
        list.add(ARNNDense.builder(h).layers(2).features(4).dtype(dtype).buildModel(3));
        if (oneDimensional) {
            list.add(ARNNConv1D.builder(h).layers(2).features(5).kernelSize(3).dtype(dtype).buildModel(4));
            list.add(ARNNConv1D.builder(h).layers(3).features(4).kernelSize(2).dilation(2).dtype(dtype).buildModel(5));
        } else {
            list.add(ARNNConv2D.builder(h).layers(2).features(4).kernelSize(2, 3).dtype(dtype).buildModel(6));
        }
        return list;
    }

    private static void check(Operator op, AutoregressiveModel model, double tol) {
        int rows = 300; // more than one changed-sites chunk (256 rows)
        int n = op.hilbert().size();
        Tensor sigma = op.hilbert().randomConfigurations(rows, 17);
        double[] x = new double[rows * n];
        for (int e = 0; e < x.length; e++) {
            x[e] = sigma.getDouble(e);
        }
        LocalEnergies changed = new LocalEnergies(op, model, rows);
        LocalEnergies full = new LocalEnergies(op, model, rows, LocalEnergies.Evaluation.FULL_FORWARD);
        assertEquals(LocalEnergies.Evaluation.CHANGED_SITES, changed.evaluation(), "the default");
        double[] eChanged = new double[rows];
        double[] eFull = new double[rows];
        double[] lpChanged = new double[rows];
        double[] lpFull = new double[rows];
        changed.compute(x, 0, rows, eChanged, 0, lpChanged, 0);
        full.compute(x, 0, rows, eFull, 0, lpFull, 0);
        // sum_k |H_k| psi(sigma'_k)/psi(sigma), by one full logPsi over every slot (unused ones are sigma)
        Connections connections = new Connections(op, rows);
        op.connected(x, 0, rows, connections);
        int slots = connections.maxConnections();
        Tensor all = Tensor.zeros(rows * slots, n);
        for (int b = 0; b < rows; b++) {
            for (int k = 0; k < slots; k++) {
                for (int i = 0; i < n; i++) {
                    all.set((float) (k < connections.count(b) ? connections.configurations()[(b * slots + k) * n + i]
                            : x[b * n + i]), b * slots + k, i);
                }
            }
        }
        NdArray lpAll = model.logPsi(all);
        for (int b = 0; b < rows; b++) {
            String what = op.describe() + ", " + model + ", row " + b;
            double lp = lpFull[b];
            assertEquals(lp, lpChanged[b], tol * (1 + Math.abs(lp)), what + ": logPsi");
            double scale = 0;
            for (int k = 0; k < connections.count(b); k++) {
                scale += Math.abs(connections.elements()[b * slots + k]) * Math.exp(lpAll.getDouble(b * slots + k) - lp);
            }
            assertEquals(eFull[b], eChanged[b], tol * (1 + Math.abs(lp)) * scale, what + ": E_loc");
        }
        assertTrue(changed.chunkRows() < rows, "several chunks: " + changed.chunkRows());
    }

    /** The diagonal 0.5 plus 0.3 times the raising of each site below its top local state: a non-Pauli operator on spin-1. */
    static Operator raising(HilbertSpace hi) {
        return new Operator() {
            @Override
            public HilbertSpace hilbert() {
                return hi;
            }

            @Override
            public int maxConnections() {
                return hi.size() + 1;
            }

            @Override
            public void connected(double[] sigma, int off, int rows, Connections out) {
                out.requireFits(this, rows);
                int n = hi.size();
                int slots = n + 1;
                for (int b = 0; b < rows; b++) {
                    int count = 0;
                    System.arraycopy(sigma, off + b * n, out.configurations(), b * slots * n, n);
                    out.elements()[b * slots] = 0.5;
                    count++;
                    for (int i = 0; i < n; i++) {
                        int k = hi.localIndex((float) sigma[off + b * n + i]);
                        if (k + 1 < hi.localSize()) {
                            int at = (b * slots + count) * n;
                            System.arraycopy(sigma, off + b * n, out.configurations(), at, n);
                            out.configurations()[at + i] = hi.localValues()[k + 1];
                            out.elements()[b * slots + count] = 0.3;
                            count++;
                        }
                    }
                    out.setCount(b, count);
                }
            }

            @Override
            public String describe() {
                return "0.5 + 0.3 sum_i S+_i";
            }
        };
    }
}
