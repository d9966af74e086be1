package io.jarnn.vmc;

import io.jarnn.core.DType;
import io.jarnn.nn.AutoregressiveModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver's loop around a {@link StepStrategy} that is not its own (as the spark module's
 * is): the same trajectory when the strategy computes what the local one does, and the loop's
 * duties (non-finite energies, stop requests, checkpoints, the compatibility check) kept by the
 * driver whatever the strategy.
 */
class StepStrategyTest {
    /** Delegates to the local strategy, recording what the driver asks; fails at {@code failAt} if >= 0. */
    private static final class Recording implements StepStrategy {
        final StepStrategy local = StepStrategy.local(new TestLocalEnergies(VmcDriverTest.ISING));
        final List<Long> steps = new ArrayList<>();
        final List<Long> seeds = new ArrayList<>();
        long failAt = -1;

        @Override
        public StepEstimate estimate(AutoregressiveModel model, long step, long stepSeed, int samples,
                                     StochasticReconfiguration sr, double[] direction) {
            steps.add(step);
            seeds.add(stepSeed);
            if (step == failAt) {
                return StepEstimate.nonFinite(17, Double.NaN, 1, 2);
            }
            return local.estimate(model, step, stepSeed, samples, sr, direction);
        }
    }

    private static VmcDriver.Builder driver(StepStrategy strategy) {
        return VmcDriver.builder(VmcDriverTest.model(DType.FLOAT64, 5), strategy).samples(96).seed(11)
                .optimizer(new Adam(0.02)).sr(new StochasticReconfiguration(0.01, StochasticReconfiguration.Form.AUTO));
    }

    @Test
    void anOutsideStrategyRunsTheSameTrajectoryAsTheLocalDriver() throws IOException {
        VmcDriver local = VmcDriverTest.driver(VmcDriverTest.model(DType.FLOAT64, 5), "adam", true).build();
        Recording recording = new Recording();
        VmcDriver outside = driver(recording).build();
        List<StepRecord> a = local.run(3);
        List<StepRecord> b = outside.run(3);
        for (int s = 0; s < 3; s++) {
            assertEquals(a.get(s).energy(), b.get(s).energy(), 0, "energy of step " + s);
            assertEquals(a.get(s).srForm(), b.get(s).srForm());
        }
        assertArrayEquals(VmcDriverTest.flat(local.model()), VmcDriverTest.flat(outside.model()), 0);
        assertEquals(List.of(0L, 1L, 2L), recording.steps);
        for (int s = 0; s < 3; s++) {
            assertEquals(VmcDriver.stepSeed(11, s), recording.seeds.get(s));
        }
    }

    @Test
    void aNonFiniteEnergyReportedByTheStrategyStopsTheRunWithTheLastGoodModel(@TempDir Path dir) throws IOException {
        Recording recording = new Recording();
        recording.failAt = 2;
        Path file = dir.resolve("run.npz");
        VmcDriver run = driver(recording).checkpoint(file, 1).build();
        NonFiniteParametersException e = assertThrows(NonFiniteParametersException.class, () -> run.run(5));
        assertEquals("step 2: the local energy of sample 17 is NaN; stopping with the model of step 2; the last"
                + " checkpoint, " + file + " (step 2), is intact", e.getMessage());
        assertEquals(2, run.step());
        assertEquals(2, VmcCheckpoint.load(file).step());
        assertArrayEquals(VmcDriverTest.flat(VmcCheckpoint.load(file).model()), VmcDriverTest.flat(run.model()), 0);
    }

    @Test
    void aStopRequestEndsTheRunAfterTheStepAndWritesTheFinalCheckpoint(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("run.npz");
        VmcDriver[] run = new VmcDriver[1];
        run[0] = driver(new Recording()).checkpoint(file, 0).listener(r -> {
            if (r.step() == 1) {
                run[0].requestStop(); // as TrainingInterrupt does on Ctrl-C
            }
        }).build();
        List<StepRecord> records = run[0].run(10);
        assertEquals(2, records.size());
        assertTrue(Files.exists(file));
        assertEquals(2, VmcCheckpoint.load(file).step());
    }

    @Test
    void theStrategyChecksTheModelWhenTheDriverIsBuilt() {
        IllegalArgumentException refusal = new IllegalArgumentException("hamiltonian: expected ... but got ...");
        AutoregressiveModel[] seen = new AutoregressiveModel[1];
        StepStrategy picky = new StepStrategy() {
            @Override
            public void requireCompatible(AutoregressiveModel model) {
                seen[0] = model;
                throw refusal;
            }

            @Override
            public StepEstimate estimate(AutoregressiveModel model, long step, long stepSeed, int samples,
                                         StochasticReconfiguration sr, double[] direction) {
                throw new AssertionError("no step may run");
            }
        };
        AutoregressiveModel model = VmcDriverTest.model(DType.FLOAT32, 3);
        VmcDriver.Builder builder = VmcDriver.builder(model, picky).optimizer(new Sgd(0.1));
        assertSame(refusal, assertThrows(IllegalArgumentException.class, builder::build));
        assertSame(model, seen[0]);
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VmcDriver.builder(VmcDriverTest.model(DType.FLOAT32, 3), (StepStrategy) null));
        assertTrue(e.getMessage().startsWith("strategy: expected"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StepStrategy.local(null));
        assertTrue(e.getMessage().startsWith("energies: expected"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StepEstimate.nonFinite(3, 1.0, 0, 0));
        assertFalse(e.getMessage().isEmpty());
    }
}
