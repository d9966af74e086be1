package io.jarnn.benchmarks;

import io.jarnn.core.Tensor;
import io.jarnn.kernels.ScalarKernels;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.Workspace;

/**
 * A float32 model with a random batch of configurations (converted to the model's precision), a
 * caller-owned output and workspace: what the allocation-free
 * {@code conditionalsLogPsi(inputs, out, workspace)} needs. The constructor checks the model once
 * (vector against scalar on a few samples, rows of the conditionals summing to one, the flop
 * count against the library's).
 */
final class ModelFixture {
    private static final int CHECKED_SAMPLES = 3;
    /** selu and the normalisation round differently in the two kernels: close agreement, not bitwise. */
    private static final double VECTOR_SCALAR_TOLERANCE = 1e-4; //f64: private static final double VECTOR_SCALAR_TOLERANCE = 1e-12;
    /** exp(machinePow * logPsi) summed in double over a row of the conditionals. */
    private static final double ROW_SUM_TOLERANCE = 1e-4; //f64: private static final double ROW_SUM_TOLERANCE = 1e-12;

    final ARNN model;
    final Tensor inputs;
    final Tensor out;
    final Workspace workspace;

    ModelFixture(String benchmark, ARNN model, int batch, long usefulFlopsPerOp) {
        SelfChecks.requireVectorKernels(model.kernels(), benchmark);
        this.model = model;
        this.inputs = model.hilbert().randomConfigurations(batch, 42); //f64: this.inputs = model.hilbert().randomConfigurations(batch, 42).toDoublePrecision();
        this.out = Tensor.zeros(batch, model.hilbert().size(), model.hilbert().localSize());
        this.workspace = model.newWorkspace();
        SelfChecks.requireFlops(benchmark, usefulFlopsPerOp, 2L * batch * model.multiplyAddsPerSample());

        forward();
        SelfChecks.requireRowsSumToOne(benchmark, out, model.machinePow(), ROW_SUM_TOLERANCE);
        int checked = Math.min(CHECKED_SAMPLES, batch);
        Tensor reference = model.withKernels(ScalarKernels.INSTANCE).withThreads(1)
                .conditionalsLogPsi(inputs.slice(0, checked));
        SelfChecks.requireClose(benchmark + " vector vs scalar logPsi conditionals", reference,
                out.slice(0, checked), VECTOR_SCALAR_TOLERANCE);
    }

    void forward() {
        model.conditionalsLogPsi(inputs, out, workspace);
    }
}
