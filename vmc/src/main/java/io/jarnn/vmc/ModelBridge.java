package io.jarnn.vmc;

import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNN64;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.nn.GradientWorkspace;
import io.jarnn.nn.GradientWorkspace64;

/**
 * What the driver does with a model, in double whatever the model's precision: read its flat
 * parameters, sample, and evaluate the logPsi Jacobian or gradient (the update is
 * {@link ParameterUpdate}'s). One implementation
 * per precision; each owns the buffers of its precision (configurations, Jacobian, scratch),
 * sized once for a batch and reused every step; a float64 model samples into
 * {@link #configurations} and writes its Jacobian into the array {@link #jacobian()} returns,
 * with no copy. Not thread-safe (one per driver). Public for the spark module, whose tasks do
 * the same with a row range of the samples ({@link #sample(long, long, int)}).
 *
 * <p>Parameters: a float32 model's flat vector widens exactly to double.
 */
public abstract sealed class ModelBridge permits ModelBridge.F32, ModelBridge.F64 {
    final int batch;
    final int sites;
    final int parameters;
    /** The samples of the last {@link #sample} call, (batch, N) local values in double. */
    final double[] configurations;
    /** The Jacobian's (batch, P) array, made on the first {@link #jacobian()} (a driver without SR never needs it). */
    double[] jacobian;

    private ModelBridge(AutoregressiveModel model, int batch) {
        this.batch = batch;
        this.sites = model.hilbert().size();
        this.parameters = model.parameterCount();
        this.configurations = new double[Math.multiplyExact(batch, sites)];
    }

    /** A bridge of {@code batch} samples for models shaped as {@code model}. */
    public static ModelBridge of(AutoregressiveModel model, int batch) {
        return switch (model) {
            case ARNN m -> new F32(m, batch);
            case ARNN64 m -> new F64(m, batch);
        };
    }

    public abstract AutoregressiveModel model();

    /** Replaces the model (same configuration and shapes), e.g. after a step. */
    public abstract void setModel(AutoregressiveModel model);

    /** The array {@link #sample} writes: (batch, N) local values in double. */
    public double[] configurations() {
        return configurations;
    }

    /** The flat parameters widened to double into {@code dst[0 .. P)}. */
    abstract void readParameters(double[] dst);

    /** Draws {@code batch} samples of {@code seed}'s sequence into {@link #configurations}. */
    void sample(long seed) {
        sample(seed, 0, 0);
    }

    /**
     * Draws rows {@code firstRow .. firstRow + batch - 1} of {@code seed}'s sequence, cut into
     * chunks of {@code chunkSize} rows (0: the sampler's own), into {@link #configurations}.
     */
    public abstract void sample(long seed, long firstRow, int chunkSize);

    /**
     * The logPsi Jacobian of the last samples, (batch, P) row-major in double: an array of this
     * bridge, the same every call, rewritten by the next call (the SR solve may centre it in place).
     */
    public abstract double[] jacobian();

    /** {@code sum_b weights[b] d logPsi(sample b) / d theta} of the last samples into {@code out[0 .. P)}. */
    abstract void gradient(double[] weights, double[] out);

    static final class F32 extends ModelBridge {
        private ARNN model;
        private final Tensor samples;
        private Tensor jacobianFloat;
        private final Tensor weights;
        private final float[] flat;
        private final GradientWorkspace workspace;

        F32(ARNN model, int batch) {
            super(model, batch);
            this.model = model;
            this.samples = Tensor.zeros(batch, sites);
            this.weights = Tensor.zeros(batch);
            this.flat = new float[parameters];
            this.workspace = model.newGradientWorkspace();
        }

        @Override
        public AutoregressiveModel model() {
            return model;
        }

        @Override
        public void setModel(AutoregressiveModel model) {
            this.model = (ARNN) model;
        }

        @Override
        void readParameters(double[] dst) {
            model.flatParameters(flat, 0);
            for (int e = 0; e < parameters; e++) {
                dst[e] = flat[e];
            }
        }

        @Override
        public void sample(long seed, long firstRow, int chunkSize) {
            (chunkSize == 0 ? model.sampler() : model.sampler().withChunkSize(chunkSize))
                    .sample(seed, firstRow, samples, null);
            float[] a = samples.array();
            for (int i = 0; i < configurations.length; i++) {
                configurations[i] = a[i];
            }
        }

        @Override
        public double[] jacobian() {
            if (jacobian == null) {
                jacobianFloat = Tensor.zeros(batch, parameters);
                jacobian = new double[Math.multiplyExact(batch, parameters)];
            }
            model.logPsiJacobian(samples, jacobianFloat, workspace);
            float[] a = jacobianFloat.array();
            for (int i = 0; i < jacobian.length; i++) {
                jacobian[i] = a[i];
            }
            return jacobian;
        }

        @Override
        void gradient(double[] w, double[] out) {
            float[] a = weights.array();
            for (int b = 0; b < batch; b++) {
                a[b] = (float) w[b];
            }
            model.logPsiGradient(samples, weights, flat, 0, workspace);
            for (int e = 0; e < parameters; e++) {
                out[e] = flat[e];
            }
        }
    }

    static final class F64 extends ModelBridge {
        private ARNN64 model;
        /** A view of {@link #configurations}: the sampler writes the driver's array directly. */
        private final Tensor64 samples;
        /** A view of {@link #jacobian}, null before the first {@link #jacobian()}. */
        private Tensor64 jacobianTensor;
        private final Tensor64 weights;
        private final GradientWorkspace64 workspace;

        F64(ARNN64 model, int batch) {
            super(model, batch);
            this.model = model;
            this.samples = Tensor64.wrap(configurations, batch, sites);
            this.weights = Tensor64.zeros(batch);
            this.workspace = model.newGradientWorkspace();
        }

        @Override
        public AutoregressiveModel model() {
            return model;
        }

        @Override
        public void setModel(AutoregressiveModel model) {
            this.model = (ARNN64) model;
        }

        @Override
        void readParameters(double[] dst) {
            model.flatParameters(dst, 0);
        }

        @Override
        public void sample(long seed, long firstRow, int chunkSize) {
            (chunkSize == 0 ? model.sampler() : model.sampler().withChunkSize(chunkSize))
                    .sample(seed, firstRow, samples, null);
        }

        @Override
        public double[] jacobian() {
            if (jacobian == null) {
                jacobian = new double[Math.multiplyExact(batch, parameters)];
                jacobianTensor = Tensor64.wrap(jacobian, batch, parameters);
            }
            model.logPsiJacobian(samples, jacobianTensor, workspace);
            return jacobian;
        }

        @Override
        void gradient(double[] w, double[] out) {
            System.arraycopy(w, 0, weights.array(), weights.offset(), batch);
            model.logPsiGradient(samples, weights, out, 0, workspace);
        }
    }
}
