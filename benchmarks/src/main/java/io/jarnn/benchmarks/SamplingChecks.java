package io.jarnn.benchmarks;

import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.DirectSampler;
import io.jarnn.nn.Samples;

/** Checks a sampling benchmark runs once before it is measured, so it cannot time garbage. */
final class SamplingChecks {
    private static final int CHECKED_SAMPLES = 4;
    /** Error allowed in a log-probability per 1000 sites (the sum over sites grows with N). */
    private static final double TOLERANCE_PER_1000_SITES = 1e-4; //f64: private static final double TOLERANCE_PER_1000_SITES = 1e-10;

    private SamplingChecks() {
    }

    /**
     * A few samples hold only local values and their log-probabilities equal
     * machinePow * logPsi of the full forward (within {@link #TOLERANCE_PER_1000_SITES}).
     */
    static void requireExactLogProbabilities(String benchmark, DirectSampler sampler, ARNN model) {
        Samples samples = sampler.withChunkSize(CHECKED_SAMPLES).sample(CHECKED_SAMPLES, 1, true);
        // Hilbert spaces check configurations in single precision, where every local value is exact.
        model.hilbert().requireConfigurations(benchmark + " samples", samples.configurations().toSinglePrecision());
        Tensor logPsi = model.logPsi(samples.configurations());
        double tolerance = TOLERANCE_PER_1000_SITES * Math.max(1, model.hilbert().size() / 1000.0);
        for (int r = 0; r < CHECKED_SAMPLES; r++) {
            SelfChecks.requireWithin(benchmark + " log p vs machinePow * logPsi", "sample " + r,
                    model.machinePow() * logPsi.get(r), samples.logProbabilities().get(r), tolerance);
        }
    }
}
