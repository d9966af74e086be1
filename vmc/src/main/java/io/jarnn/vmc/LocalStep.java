package io.jarnn.vmc;

import io.jarnn.nn.AutoregressiveModel;

/**
 * {@link VmcDriver}'s step on this machine: samples, local energies ({@link EnergyEstimator}),
 * then the Jacobian and the SR solve, or without SR the logPsi gradient with weights
 * 2 (E_loc - Ebar) / n. Holds the {@link ModelBridge} and the step's buffers, sized on the first
 * step and reused (one instance per driver): the samples, the Jacobian and the local energies
 * pass from one part to the next in place, with no copy (float64 models; a float32 model's
 * samples and Jacobian are widened to double once).
 */
final class LocalStep implements StepStrategy {
    private final EnergyEstimator energies;
    private ModelBridge bridge;
    private double[] localEnergies;
    private double[] weights;

    LocalStep(EnergyEstimator energies) {
        if (energies == null) {
            throw new IllegalArgumentException("energies: expected an energy estimator but got null");
        }
        this.energies = energies;
    }

    @Override
    public StepEstimate estimate(AutoregressiveModel model, long step, long stepSeed, int samples,
                                 StochasticReconfiguration sr, double[] direction) {
        int p = direction.length;
        size(model, samples);
        long t0 = System.nanoTime();
        bridge.sample(stepSeed);
        long t1 = System.nanoTime();
        energies.localEnergies(bridge.model(), bridge.configurations, samples, localEnergies);
        for (int b = 0; b < samples; b++) {
            if (!Double.isFinite(localEnergies[b])) {
                return StepEstimate.nonFinite(b, localEnergies[b], t1 - t0, System.nanoTime() - t1);
            }
        }
        SampleStatistics energy = SampleStatistics.of(localEnergies, samples);
        double mean = energy.mean();
        long t2 = System.nanoTime();
        double[] jacobian = null;
        if (sr != null) {
            jacobian = bridge.jacobian();
        } else {
            for (int b = 0; b < samples; b++) {
                weights[b] = 2 * (localEnergies[b] - mean) / samples;
            }
            bridge.gradient(weights, direction);
        }
        long t3 = System.nanoTime();
        StochasticReconfiguration.Form form = null;
        int iterations = 0;
        if (sr != null) {
            form = sr.solve(jacobian, samples, p, localEnergies, direction);
            iterations = sr.lastIterations();
        }
        long t4 = System.nanoTime();
        return new StepEstimate(mean, energy.variance(), form, iterations, t1 - t0, t2 - t1, t3 - t2, t4 - t3, -1, 0);
    }

    /** The bridge on {@code model} and buffers for {@code samples} (made on the first step, or when a size changes). */
    private void size(AutoregressiveModel model, int samples) {
        if (bridge == null || bridge.batch != samples || bridge.parameters != model.parameterCount()) {
            bridge = ModelBridge.of(model, samples);
            localEnergies = new double[samples];
            weights = new double[samples];
        } else {
            bridge.setModel(model);
        }
    }
}
