package io.jarnn.benchmarks;

import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.DirectSampler;
import io.jarnn.nn.Samples;

/** Checks a sampling benchmark runs once before it is measured, so it cannot time garbage. */
final class SamplingChecks {
    private static final int CHECKED_SAMPLES = 4;

    private SamplingChecks() {
    }

    /**
     * A few samples hold only local values and their log-probabilities equal
     * machinePow * logPsi of the full forward (within 1e-4 per 1000 sites, as the sum grows).
     */
    static void requireExactLogProbabilities(String benchmark, DirectSampler sampler, ARNN model) {
        Samples samples = sampler.withChunkSize(CHECKED_SAMPLES).sample(CHECKED_SAMPLES, 1, true);
        model.hilbert().requireConfigurations(benchmark + " samples", samples.configurations());
        Tensor logPsi = model.logPsi(samples.configurations());
        double tolerance = 1e-4 * Math.max(1, model.hilbert().size() / 1000.0);
        for (int r = 0; r < CHECKED_SAMPLES; r++) {
            SelfChecks.requireWithin(benchmark + " log p vs machinePow * logPsi", "sample " + r,
                    model.machinePow() * logPsi.get(r), samples.logProbabilities().get(r), tolerance);
        }
    }
}
