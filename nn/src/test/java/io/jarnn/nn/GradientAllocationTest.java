package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A warm flat gradient and Jacobian into caller-owned arrays and workspace allocate nothing on
 * one thread with the vector kernels (GradientConsistencyTest checks the scalar ones): no vector
 * boxed because C2 left a kernel or a helper un-inlined, in any of the paths a benchmark-shaped
 * model takes (planar convolutions sample by sample with taps as columns, feature-major dense
 * chunks with full and partial blocks and narrow layers in site groups).
 */
class GradientAllocationTest {
    @Test
    void aWarmGradientAllocatesNothingOnOneThread() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<ARNN> models = List.of(
                Build.model(ARNNDense.builder(HilbertSpace.spin(0.5, 10)).layers(3).features(4).bias(true)
                        .machinePow(2f), 31),
                Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 130)).layers(3).features(4).kernelSize(3)
                        .bias(true).machinePow(2f), 32));
        for (ARNN m : models) {
            ARNN model = m.withThreads(1);
            GradientWorkspace workspace = model.newGradientWorkspace();
            int batch = workspace.chunkRows + workspace.blockRows + 37;
            Tensor sigma = Build.randomConfigurations(model.hilbert(), batch, 5);
            Tensor weights = Tensor.zeros(batch);
            java.util.Arrays.fill(weights.array(), 1f / batch);
            float[] grad = new float[model.parameterCount()];
            Tensor jacobian = Tensor.zeros(batch, model.parameterCount());
            // Until C2 has compiled the kernels the Vector API boxes every vector: repeat until
            // warm, then require a call that allocates nothing (a real per-call allocation never
            // goes away). On a loaded machine C2's queue can hold the kernels back for longer
            // than a fixed number of calls, so the bound is a time.
            long gradientBytes = Long.MAX_VALUE;
            long jacobianBytes = Long.MAX_VALUE;
            WarmUpDeadline deadline = WarmUpDeadline.start();
            while (deadline.notPassed() && (gradientBytes > 0 || jacobianBytes > 0)) {
                long before = threads.getCurrentThreadAllocatedBytes();
                model.logPsiGradient(sigma, weights, grad, 0, workspace);
                long between = threads.getCurrentThreadAllocatedBytes();
                model.logPsiJacobian(sigma, jacobian, workspace);
                long after = threads.getCurrentThreadAllocatedBytes();
                gradientBytes = Math.min(gradientBytes, between - before);
                jacobianBytes = Math.min(jacobianBytes, after - between);
            }
            assertTrue(gradientBytes == 0, model + ": " + gradientBytes + " bytes allocated by a warm gradient");
            assertTrue(jacobianBytes == 0, model + ": " + jacobianBytes + " bytes allocated by a warm Jacobian");
        }
    }
}
