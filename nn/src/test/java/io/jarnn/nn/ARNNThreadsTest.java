package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full forward splits the batch into chunks of {@link ARNN#chunkRows()} samples that are
 * fixed by the model's shape, never by the thread count, and shares no reduction across them;
 * so 1, 3 or 4 threads, or the default, give the same bits, ragged last chunk included.
 */
class ARNNThreadsTest {

    static List<ARNN> models() {
        HilbertSpace spins = HilbertSpace.spin(0.5, 10);
        return List.of(
                Build.model(ARNNDense.builder(spins).layers(3).features(8), 5),
                Build.model(ARNNConv1D.builder(spins).layers(3).features(6).kernelSize(3).dilation(2), 6),
                Build.model(ARNNConv2D.builder(HilbertSpace.spin(0.5, 36)).layers(3).features(6).kernelSize(3, 3), 8),
                // wide enough that a chunk holds fewer than the 64-sample maximum
                Build.model(ARNNConv1D.builder(HilbertSpace.spin(1, 40)).layers(2).features(160).kernelSize(2), 7));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void resultsAreBitwiseIdenticalForAnyThreadCount(ARNN model) {
        int chunk = model.chunkRows();
        int batch = 5 * chunk + chunk / 2 + 1; // five full chunks and a ragged sixth
        assertTrue(chunk >= 1 && batch % chunk != 0, "chunkRows " + chunk + ", batch " + batch);
        Tensor sigma = Build.randomConfigurations(model.hilbert(), batch, 123);

        Tensor single = model.withThreads(1).conditionalsLogPsi(sigma);
        Tensor singleLogPsi = model.withThreads(1).logPsi(sigma);
        for (ARNN other : List.of(model, model.withThreads(3), model.withThreads(4))) {
            String what = model + " with " + other.threads() + " threads, batch " + batch + " in chunks of " + chunk;
            Tensor cond = other.conditionalsLogPsi(sigma);
            assertEquals(0.0, single.maxAbsDifference(cond), what + ": max |difference| of conditionalsLogPsi");
            assertTrue(single.contentEquals(cond), what + ": conditionalsLogPsi bitwise");
            assertTrue(singleLogPsi.contentEquals(other.logPsi(sigma)), what + ": logPsi bitwise");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void callerOwnedWorkspaceGivesTheSameBitsOnEveryReuse(ARNN model) {
        ARNN four = model.withThreads(4);
        int batch = 3 * model.chunkRows() + 2;
        Tensor sigma = Build.randomConfigurations(model.hilbert(), batch, 321);
        Tensor expected = model.withThreads(1).conditionalsLogPsi(sigma);
        Tensor out = Tensor.zeros(batch, model.hilbert().size(), model.hilbert().localSize());
        // A workspace grows to the workers a call uses, so one made for a single thread serves four.
        for (Workspace workspace : List.of(four.newWorkspace(), model.withThreads(1).newWorkspace())) {
            for (int round = 0; round < 3; round++) {
                out.array()[round] = Float.NaN; // stale contents must be overwritten
                four.conditionalsLogPsi(sigma, out, workspace);
                assertTrue(expected.contentEquals(out), model + ": workspace round " + round + " differs");
            }
        }
    }
}
