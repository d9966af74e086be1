package io.jarnn.spark;

import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNN64;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.nn.GradientWorkspace;
import io.jarnn.nn.GradientWorkspace64;
import io.jarnn.vmc.EnergyEstimator;

/**
 * The buffers of one VMC step task of {@code rows} samples of one model shape under one
 * Hamiltonian: the samples, their local energies, the logPsi Jacobian and a matrix for its Gram product (with
 * the Jacobian's scratch and the local-energy estimator's). A step's model is new every step but
 * its shape is not, so an executor keeps these between steps ({@link StepWorkspaces}) instead of
 * allocating about 10 MB of fresh memory per task (the demo's share), which local mode's driver
 * and executors share with the driver's own allocations (young collections, and fresh pages are
 * slow to touch on VMs). The local driver keeps the same buffers in its {@code LocalStep}.
 *
 * <p>Every buffer is overwritten in full by the computation that fills it, so a reused workspace
 * gives the bits of a fresh one. Not thread-safe: one task at a time borrows it. Nothing a task
 * returns may point into it (the result is serialised after the task has given it back).
 */
abstract sealed class StepWorkspace permits StepWorkspace.F32, StepWorkspace.F64 {
    final int rows;
    final int parameters;
    /** The samples as local values in double, (rows, N). */
    final double[] configurations;
    /** Their local energies. */
    final double[] energies;
    /** The Jacobian (rows, P) in double, filled by {@link #jacobian}. */
    final double[] jacobian;
    /** Keeps its {@code LocalEnergies} across models of this shape (see {@link EnergyEstimator#of}). */
    final EnergyEstimator energyEstimator;
    private double[] gram;

    private StepWorkspace(AutoregressiveModel model, int rows, EnergyEstimator energyEstimator,
                          double[] configurations, double[] jacobian) {
        this.rows = rows;
        this.parameters = model.parameterCount();
        this.configurations = configurations;
        this.energies = new double[rows];
        this.jacobian = jacobian;
        this.energyEstimator = energyEstimator;
    }

    /** A workspace for tasks of {@code rows} samples of models shaped as {@code model}. */
    static StepWorkspace of(AutoregressiveModel model, int rows, EnergyEstimator energyEstimator) {
        return switch (model) {
            case ARNN m -> new F32(m, rows, energyEstimator);
            case ARNN64 m -> new F64(m, rows, energyEstimator);
        };
    }

    /** Draws the rows {@code first ..} of {@code seed}'s samples of {@code model} into {@link #configurations}. */
    abstract void sample(AutoregressiveModel model, int chunkSize, long seed, long first);

    /** The local energies of the last samples into {@link #energies}. */
    void localEnergies(AutoregressiveModel model) {
        energyEstimator.localEnergies(model, configurations, rows, energies);
    }

    /** The logPsi Jacobian of the last samples into {@link #jacobian}. */
    abstract void jacobian(AutoregressiveModel model);

    /** A P x P scratch matrix for the share's Gram product ({@link StepMoments#of}), this workspace's own. */
    double[] gramBuffer() {
        if (gram == null) {
            gram = new double[Math.multiplyExact(parameters, parameters)];
        }
        return gram;
    }

    static final class F32 extends StepWorkspace {
        private final Tensor samples;
        private final Tensor jacobianFloat;
        private final GradientWorkspace scratch;

        F32(ARNN model, int rows, EnergyEstimator energyEstimator) {
            super(model, rows, energyEstimator, new double[Math.multiplyExact(rows, model.hilbert().size())],
                    new double[Math.multiplyExact(rows, model.parameterCount())]);
            this.samples = Tensor.zeros(rows, model.hilbert().size());
            this.jacobianFloat = Tensor.zeros(rows, model.parameterCount());
            this.scratch = model.newGradientWorkspace();
        }

        @Override
        void sample(AutoregressiveModel model, int chunkSize, long seed, long first) {
            model.sampler().withChunkSize(chunkSize).sample(seed, first, samples, null);
            widen(samples.array(), configurations);
        }

        @Override
        void jacobian(AutoregressiveModel model) {
            ((ARNN) model).logPsiJacobian(samples, jacobianFloat, scratch);
            widen(jacobianFloat.array(), jacobian);
        }

        /** dst = src exactly (every float is a double). */
        private static void widen(float[] src, double[] dst) {
            for (int i = 0; i < dst.length; i++) {
                dst[i] = src[i];
            }
        }
    }

    static final class F64 extends StepWorkspace {
        /** Views of {@link #configurations} and {@link #jacobian}: the model writes them directly. */
        private final Tensor64 samples;
        private final Tensor64 jacobianTensor;
        private final GradientWorkspace64 scratch;

        F64(ARNN64 model, int rows, EnergyEstimator energyEstimator) {
            super(model, rows, energyEstimator, new double[Math.multiplyExact(rows, model.hilbert().size())],
                    new double[Math.multiplyExact(rows, model.parameterCount())]);
            this.samples = Tensor64.wrap(configurations, rows, model.hilbert().size());
            this.jacobianTensor = Tensor64.wrap(jacobian, rows, model.parameterCount());
            this.scratch = model.newGradientWorkspace();
        }

        @Override
        void sample(AutoregressiveModel model, int chunkSize, long seed, long first) {
            model.sampler().withChunkSize(chunkSize).sample(seed, first, samples, null);
        }

        @Override
        void jacobian(AutoregressiveModel model) {
            ((ARNN64) model).logPsiJacobian(samples, jacobianTensor, scratch);
        }
    }
}
