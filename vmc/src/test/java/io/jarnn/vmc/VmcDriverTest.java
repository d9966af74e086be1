package io.jarnn.vmc;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.io.ModelFiles;
import io.jarnn.nn.ARNNDense;
import io.jarnn.nn.AutoregressiveModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver's contract: resumed runs, refused models, non-finite steps, listeners, threads. */
class VmcDriverTest {
    static final TestIsing ISING = new TestIsing(6, 1, 1, false);

    static AutoregressiveModel model(DType dtype, long seed) {
        return ARNNDense.builder(HilbertSpace.spin(0.5, 6)).layers(2).features(3).dtype(dtype).buildModel(seed);
    }

    static double[] flat(AutoregressiveModel m) {
        double[] out = new double[m.parameterCount()];
        ModelBridge.of(m, 1).readParameters(out);
        return out;
    }

    static Optimizer optimizer(String kind) {
        return kind.equals("adam") ? new Adam(0.02) : new Sgd(0.05);
    }

    static VmcDriver.Builder driver(AutoregressiveModel m, String kind, boolean sr) {
        return VmcDriver.builder(m, new TestLocalEnergies(ISING)).samples(96).seed(11).optimizer(optimizer(kind))
                .sr(sr ? new StochasticReconfiguration(0.01, StochasticReconfiguration.Form.AUTO) : null);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    void resumedRunContinuesTheTrajectoryBitForBit(DType dtype, @TempDir Path dir) throws IOException {
        for (String kind : new String[] {"adam", "sgd"}) {
            for (boolean sr : new boolean[] {true, false}) {
                int k = 3;
                int m = 4;
                VmcDriver straight = driver(model(dtype, 5), kind, sr).build();
                List<StepRecord> all = straight.run(k + m);

                Path ckpt = dir.resolve("run-" + kind + sr + ".npz");
                VmcDriver first = driver(model(dtype, 5), kind, sr).checkpoint(ckpt, k).build();
                List<StepRecord> before = first.run(k);
                assertTrue(Files.exists(VmcCheckpoint.statePath(ckpt)));
                VmcCheckpoint loaded = VmcCheckpoint.load(ckpt);
                assertEquals(k, loaded.step());
                assertEquals(11, loaded.seed());
                assertEquals(dtype, loaded.model().dtype());
                VmcDriver resumed = VmcDriver.builder(loaded.model(), new TestLocalEnergies(ISING)).samples(96)
                        .optimizer(optimizer(kind))
                        .sr(sr ? new StochasticReconfiguration(0.01, StochasticReconfiguration.Form.AUTO) : null)
                        .resume(loaded).build();
                List<StepRecord> after = resumed.run(m);
                List<StepRecord> pieced = new ArrayList<>(before);
                pieced.addAll(after);
                for (int s = 0; s < k + m; s++) {
                    assertEquals(s, pieced.get(s).step());
                    assertEquals(all.get(s).energy(), pieced.get(s).energy(), 0, dtype + " " + kind + " sr=" + sr
                            + ": energy of step " + s);
                    assertEquals(all.get(s).variance(), pieced.get(s).variance(), 0);
                }
                assertArrayEquals(flat(straight.model()), flat(resumed.model()), 0, dtype + " " + kind + " sr=" + sr);
                assertEquals(straight.optimizer().steps(), resumed.optimizer().steps());
                if (kind.equals("adam")) {
                    assertArrayEquals(straight.optimizer().state().get("v"), resumed.optimizer().state().get("v"), 0);
                }
            }
        }
    }

    @Test
    void resultsDoNotDependOnThreads() throws IOException {
        VmcDriver one = driver(model(DType.FLOAT32, 3).withThreads(1), "adam", true).build();
        VmcDriver two = driver(model(DType.FLOAT32, 3).withThreads(2), "adam", true).build();
        List<StepRecord> a = one.run(3);
        List<StepRecord> b = two.run(3);
        for (int s = 0; s < 3; s++) {
            assertEquals(a.get(s).energy(), b.get(s).energy(), 0);
        }
        assertArrayEquals(flat(one.model()), flat(two.model()), 0);
    }

    @Test
    void refusesAModelWhoseMachinePowIsNotTwo() {
        AutoregressiveModel m = ARNNDense.builder(HilbertSpace.spin(0.5, 6)).layers(2).features(3).machinePow(1f)
                .buildModel(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> driver(m, "sgd", false).build());
        assertTrue(e.getMessage().contains("machinePow 2"), e.getMessage());
    }

    /** An optimiser that behaves until step 2 and then blows the parameters up. */
    static final class Exploding implements Optimizer {
        final Sgd sgd = new Sgd(0.05);
        final double value;

        Exploding(double value) {
            this.value = value;
        }

        @Override public String name() { return "sgd"; }
        @Override public double learningRate() { return sgd.learningRate(); }
        @Override public long steps() { return sgd.steps(); }
        @Override public Map<String, double[]> state() { return sgd.state(); }
        @Override public void restore(long steps, Map<String, double[]> state) { sgd.restore(steps, state); }
        @Override public String describe() { return "exploding"; }

        @Override
        public void update(double[] g, double[] d) {
            boolean explode = sgd.steps() >= 2;
            sgd.update(g, d);
            if (explode) {
                d[1] = value;
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    void nonFiniteParametersStopTheRunAndKeepTheLastCheckpoint(DType dtype, @TempDir Path dir) throws IOException {
        Path ckpt = dir.resolve("run.npz");
        // float32: finite in double but beyond float32's range; float64: NaN
        Optimizer exploding = new Exploding(dtype == DType.FLOAT32 ? 1e39 : Double.NaN);
        VmcDriver d = VmcDriver.builder(model(dtype, 5), new TestLocalEnergies(ISING)).samples(64).seed(2)
                .optimizer(exploding).checkpoint(ckpt, 2).build();
        NonFiniteParametersException e = assertThrows(NonFiniteParametersException.class, () -> d.run(10));
        assertEquals(2, e.step());
        assertTrue(e.getMessage().startsWith("step 2: parameter 1 would become "), e.getMessage());
        assertTrue(e.getMessage().contains("(step 2), is intact"), e.getMessage());
        assertEquals(2, d.step());
        byte[] model = Files.readAllBytes(ckpt);
        assertEquals(2, VmcCheckpoint.load(ckpt).step());
        assertArrayEquals(flat(d.model()), flat(ModelFiles.load(ckpt)), 0);
        assertArrayEquals(model, Files.readAllBytes(ckpt));
    }

    @Test
    void aNonFiniteLocalEnergyNamesTheStepAndSample() {
        EnergyEstimator nanAtStep1 = new EnergyEstimator() {
            final TestLocalEnergies inner = new TestLocalEnergies(ISING);
            int calls;

            @Override
            public void localEnergies(AutoregressiveModel m, double[] c, int rows, double[] out) {
                inner.localEnergies(m, c, rows, out);
                if (calls++ == 1) {
                    out[5] = Double.NaN;
                }
            }
        };
        VmcDriver d = VmcDriver.builder(model(DType.FLOAT64, 1), nanAtStep1).samples(16).optimizer(new Sgd(0.01))
                .build();
        NonFiniteParametersException e = assertThrows(NonFiniteParametersException.class, () -> d.run(3));
        assertTrue(e.getMessage().startsWith("step 1: the local energy of sample 5 is NaN"), e.getMessage());
        assertEquals(1, d.step());
    }

    @Test
    void listenerSeesEveryStepAndCheckpointAndStopRequestsEndTheRunWithACheckpoint(@TempDir Path dir)
            throws IOException {
        Path ckpt = dir.resolve("m.npz");
        List<Long> steps = new ArrayList<>();
        List<Long> checkpoints = new ArrayList<>();
        VmcDriver[] holder = new VmcDriver[1];
        VmcDriver d = driver(model(DType.FLOAT32, 4), "adam", false).checkpoint(ckpt, 2).listener(new VmcListener() {
            @Override
            public void onStep(StepRecord r) {
                steps.add(r.step());
                assertTrue(r.standardError() > 0 && r.variance() > 0 && r.nanos() > 0);
                assertEquals(Math.sqrt(r.variance() / r.samples()), r.standardError(), 1e-15);
                if (r.step() == 2) {
                    holder[0].requestCheckpoint();
                }
                if (r.step() == 4) {
                    holder[0].requestStop();
                }
            }

            @Override
            public void onCheckpoint(long step, Path model) {
                checkpoints.add(step);
            }
        }).build();
        holder[0] = d;
        d.run(100);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), steps);
        assertEquals(List.of(2L, 3L, 4L, 5L), checkpoints);
        assertEquals(5, VmcCheckpoint.load(ckpt).step());
        assertNotEquals(0, Files.size(VmcCheckpoint.statePath(ckpt)));
    }

    @Test
    void aStateOfOtherParametersIsRefused(@TempDir Path dir) throws IOException {
        Path ckpt = dir.resolve("a.npz");
        VmcDriver d = driver(model(DType.FLOAT64, 4), "adam", false).checkpoint(ckpt, 0).build();
        d.run(2);
        ModelFiles.save(ckpt, model(DType.FLOAT64, 9));
        IOException e = assertThrows(IOException.class, () -> VmcCheckpoint.load(ckpt));
        assertTrue(e.getMessage().contains("parameters_sha256 differs"), e.getMessage());
        assertEquals(dir.resolve("a.vmc.npz"), VmcCheckpoint.statePath(ckpt));
    }

    @Test
    void aCheckpointOfAnotherOptimizerIsRefused(@TempDir Path dir) throws IOException {
        Path ckpt = dir.resolve("sgd.npz");
        driver(model(DType.FLOAT64, 4), "sgd", false).checkpoint(ckpt, 0).build().run(2);
        VmcCheckpoint loaded = VmcCheckpoint.load(ckpt);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> driver(loaded.model(), "adam", false).resume(loaded).build());
        assertTrue(e.getMessage().startsWith("optimizer: the checkpoint was written by 'sgd' but the run has 'adam'"),
                e.getMessage());
    }
}
