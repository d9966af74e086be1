package io.jarnn.benchmarks;

import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.GradientWorkspace;

/**
 * What the gradient benchmarks measure: {@code sum_b logPsi(sigma_b) / batch} of a random batch
 * through the allocation-free flat {@code logPsiGradient(inputs, weights, grad, off, workspace)}
 * on one thread. The constructor checks the vector kernels are in use, the flop count against
 * {@link GradientFlops}, and that the gradient is the same bits on two threads.
 */
final class GradientFixture {
    private final ARNN model;
    private final Tensor sigma;
    private final Tensor weights;
    private final float[] grad;
    private final GradientWorkspace workspace;

    GradientFixture(String benchmark, ARNNConfig config, int batch, long usefulFlopsPerOp) {
        model = ARNN.initialise(config, 12).withThreads(1);
        SelfChecks.requireVectorKernels(model.kernels(), benchmark);
        SelfChecks.requireFlops(benchmark, usefulFlopsPerOp, usefulFlopsPerOp(model.config(), batch));
        sigma = model.hilbert().randomConfigurations(batch, 3);
        weights = Tensor.zeros(batch);
        for (int b = 0; b < batch; b++) {
            weights.array()[b] = 1f / batch;
        }
        grad = new float[model.parameterCount()];
        workspace = model.newGradientWorkspace();
        gradient();
        float[] two = new float[grad.length];
        model.withThreads(2).logPsiGradient(sigma, weights, two, 0, model.newGradientWorkspace());
        SelfChecks.requireBitwiseEqual(benchmark + ": gradient on 1 and 2 threads", grad, two, grad.length);
    }

    /** Flops per op of the gradient of {@code config}'s model over {@code batch} samples. */
    static long usefulFlopsPerOp(ARNNConfig config, int batch) {
        return 2L * batch * GradientFlops.multiplyAddsPerSample(config);
    }

    float[] gradient() {
        model.logPsiGradient(sigma, weights, grad, 0, workspace);
        return grad;
    }
}
