package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A warm full forward into a caller-owned output and workspace allocates nothing per sample or
 * per site, on the vector kernels: in particular no vector boxed because C2 left a helper that
 * returns one un-inlined (the feature-major dense path and the planar conv path both normalise
 * with {@code logNormalizeColumns}, whose vector loops only run from 16 samples or positions).
 */
class ForwardAllocationTest {
    /**
     * Nothing at all: on one thread the forward runs its chunks without a capturing lambda and
     * checks the output's shape without a varargs array (it allocated 32-64 bytes per call
     * through those; one boxed vector per row or site would be kilobytes).
     */
    private static final long LIMIT = 1;

    @Test
    void aWarmForwardAllocatesNothingPerSampleOrSite() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        HilbertSpace dense = HilbertSpace.spin(0.5, 10);
        HilbertSpace conv = HilbertSpace.spin(0.5, 40);
        List<ARNN> models = List.of(
                Build.model(ARNNDense.builder(dense).layers(2).features(4).bias(true).machinePow(2f), 21),
                Build.model(ARNNConv1D.builder(conv).layers(2).features(4).kernelSize(3).bias(true).machinePow(2f), 22));
        for (ARNN m : models) {
            ARNN model = m.withThreads(1);
            for (int batch : new int[]{64, 37}) {
                Tensor inputs = Build.randomConfigurations(model.hilbert(), batch, 5);
                Tensor out = Tensor.zeros(batch, model.hilbert().size(), model.hilbert().localSize());
                Workspace workspace = model.newWorkspace();
                // Until C2 has compiled the kernels the Vector API boxes every vector: repeat
                // until warm (bounded by a time, see WarmUpDeadline), then require a call that
                // allocates nothing.
                long allocated = Long.MAX_VALUE;
                WarmUpDeadline deadline = WarmUpDeadline.start();
                while (deadline.notPassed() && allocated >= LIMIT) {
                    long before = threads.getCurrentThreadAllocatedBytes();
                    model.conditionalsLogPsi(inputs, out, workspace);
                    allocated = threads.getCurrentThreadAllocatedBytes() - before;
                }
                assertTrue(allocated < LIMIT, model + ", batch " + batch + ": " + allocated
                        + " bytes allocated by a warm forward");
            }
        }
    }
}
