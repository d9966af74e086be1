package io.jarnn.vmc;

import io.jarnn.nn.AutoregressiveModel;

/**
 * Where a {@link VmcDriver} step's work is done: drawing the samples, their local energies and
 * the direction the optimiser takes. The driver keeps everything else (the run loop, the
 * optimiser update, checkpoints, listeners, {@link VmcDriver#requestStop()}), so every strategy
 * runs the same loop: {@link #local(EnergyEstimator)} on this machine, or another place, such as
 * the spark module's Spark jobs ({@code DistributedVmc}).
 *
 * <p>A strategy may hold buffers sized on its first step, so an instance serves one driver.
 */
public interface StepStrategy {

    /** The strategy of a driver on this machine, local energies by {@code energies}. */
    static StepStrategy local(EnergyEstimator energies) {
        return new LocalStep(energies);
    }

    /**
     * Called once when the driver is built, with the run's first model: throws an
     * {@link IllegalArgumentException} naming the argument if this strategy cannot serve it
     * (an operator on another Hilbert space, say), before any step.
     */
    default void requireCompatible(AutoregressiveModel model) {
    }

    /**
     * One step's statistics and direction: {@code samples} exact samples of {@code model} drawn
     * with {@code stepSeed} (the driver's {@link VmcDriver#stepSeed}), their local energies, and in
     * {@code direction} (P) the direction the optimiser is given: the SR solution of
     * (S + shift I) d = F with {@code sr}, else F = 2 &lt;(E_loc - Ebar) O&gt;. A non-finite local
     * energy is reported in the estimate ({@link StepEstimate#nonFiniteSample()}), the direction
     * left unspecified; the driver then stops.
     */
    StepEstimate estimate(AutoregressiveModel model, long step, long stepSeed, int samples,
                          StochasticReconfiguration sr, double[] direction);
}
