package io.jarnn.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serial;
import java.io.Serializable;

/**
 * How one job's tasks get a model that changes every job (a VMC step's). Spark already sends
 * each stage's tasks their closure as one broadcast, so a small model rides in the closure
 * ({@link #INLINE_LIMIT} bytes or less: no second broadcast to write, register, fetch and
 * destroy per step); a larger one gets a broadcast of its own, fetched once per executor
 * rather than deserialised with every task's closure. Either way each executor JVM reads the
 * model once ({@link ExecutorModels}).
 */
abstract sealed class ModelShipment implements Serializable, AutoCloseable
        permits ModelShipment.Inline, ModelShipment.Broadcasted {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Largest model file carried in the tasks' closure. */
    static final int INLINE_LIMIT = 1 << 20;

    /**
     * The model's shipment for one job on {@code jsc}, in the closure if its file is at most
     * {@code inlineLimit} bytes: closed (a broadcast destroyed) after the job.
     */
    static ModelShipment of(JavaSparkContext jsc, ModelBytes model, int inlineLimit) {
        return model.size() <= inlineLimit ? new Inline(model) : new Broadcasted(jsc.broadcast(model));
    }

    /** The model's bytes on the executor. */
    abstract ModelBytes model();

    /** Frees what the shipment holds on the cluster (driver side, after the job). */
    @Override
    public abstract void close();

    static final class Inline extends ModelShipment {
        @Serial
        private static final long serialVersionUID = 1L;
        private final ModelBytes model;

        Inline(ModelBytes model) {
            this.model = model;
        }

        @Override
        ModelBytes model() {
            return model;
        }

        @Override
        public void close() {
        }
    }

    static final class Broadcasted extends ModelShipment {
        @Serial
        private static final long serialVersionUID = 1L;
        private final Broadcast<ModelBytes> broadcast;

        Broadcasted(Broadcast<ModelBytes> broadcast) {
            this.broadcast = broadcast;
        }

        @Override
        ModelBytes model() {
            return broadcast.value();
        }

        @Override
        public void close() {
            broadcast.destroy();
        }
    }
}
