package io.jarnn.spark;

import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.vmc.EnergyEstimator;
import io.jarnn.vmc.ModelBridge;
import io.jarnn.vmc.StochasticReconfiguration;

/**
 * The buffers of one VMC step task of {@code rows} samples of one model shape under one
 * Hamiltonian: the samples and the logPsi Jacobian in double (the local driver's
 * {@link ModelBridge}, which holds them with the model's scratch, in either precision), their
 * local energies, the scratch of the Jacobian's Gram product and the local-energy estimator's
 * buffers. A step's model is new every step but its shape is not, so an executor keeps these
 * between steps ({@link StepWorkspaces}) instead of allocating about 10 MB of fresh memory per
 * task (the demo's share), which local mode's driver and executors share with the driver's own
 * allocations (young collections, and fresh pages are slow to touch on VMs).
 *
 * <p>Every buffer is overwritten in full by the computation that fills it, so a reused workspace
 * gives the bits of a fresh one. Not thread-safe: one task at a time borrows it. Nothing a task
 * returns may point into it (the result is serialised after the task has given it back).
 */
final class StepWorkspace {
    final int rows;
    /** Their local energies. */
    final double[] energies;
    /** Keeps its {@code LocalEnergies} across models of this shape (see {@link EnergyEstimator#of}). */
    private final EnergyEstimator energyEstimator;
    private final ModelBridge bridge;
    private final int parameters;
    private double[] gramScratch;

    private StepWorkspace(AutoregressiveModel model, int rows, EnergyEstimator energyEstimator) {
        this.rows = rows;
        this.energies = new double[rows];
        this.energyEstimator = energyEstimator;
        this.bridge = ModelBridge.of(model, rows);
        this.parameters = model.parameterCount();
    }

    /** A workspace for tasks of {@code rows} samples of models shaped as {@code model}. */
    static StepWorkspace of(AutoregressiveModel model, int rows, EnergyEstimator energyEstimator) {
        return new StepWorkspace(model, rows, energyEstimator);
    }

    /** Draws the rows {@code first ..} of {@code seed}'s samples of {@code model}, in chunks of {@code chunkSize}. */
    void sample(AutoregressiveModel model, int chunkSize, long seed, long first) {
        bridge.setModel(model);
        bridge.sample(seed, first, chunkSize);
    }

    /** The local energies of the last samples into {@link #energies}. */
    void localEnergies(AutoregressiveModel model) {
        energyEstimator.localEnergies(model, bridge.configurations(), rows, energies);
    }

    /** The logPsi Jacobian (rows, P) of the last samples: this workspace's array, rewritten by the next call. */
    double[] jacobian() {
        return bridge.jacobian();
    }

    /**
     * The scratch of the share's Gram product ({@link StepMoments#of},
     * {@link StochasticReconfiguration#gramScratchLength}): a packed copy of the Jacobian and the
     * padded product, this workspace's own (6 MB for the demo's share, which a fresh allocation
     * per task would zero and page in every step).
     */
    double[] gramScratch() {
        if (gramScratch == null) {
            gramScratch = new double[StochasticReconfiguration.gramScratchLength(rows, parameters)];
        }
        return gramScratch;
    }
}
