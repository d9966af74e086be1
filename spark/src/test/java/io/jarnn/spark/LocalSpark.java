package io.jarnn.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark session of the module's tests, started on first use and shared by every
 * test class (starting Spark takes seconds; CI has 2 cores). {@code local[2,3]}: two worker
 * threads, and a task may fail up to 3 times before its job fails, so that a retried task can
 * be tested.
 */
final class LocalSpark {
    static final String MASTER = "local[2,3]";

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        return SparkSessions.builder(MASTER, "jarnn-tests")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }
}
