package io.jarnn.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * One model's broadcast, made on first use and then reused by every job that sends that model,
 * rather than one broadcast per job (each costs the driver a serialisation and a block, and each
 * executor a fetch). Spark removes it once this object is unreachable (its context cleaner).
 */
final class ModelBroadcast {
    private final SparkSession spark;
    private final ModelBytes model;
    private Broadcast<ModelBytes> broadcast;

    ModelBroadcast(SparkSession spark, ModelBytes model) {
        this.spark = spark;
        this.model = model;
    }

    synchronized Broadcast<ModelBytes> get() {
        if (broadcast == null) {
            broadcast = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model);
        }
        return broadcast;
    }
}
