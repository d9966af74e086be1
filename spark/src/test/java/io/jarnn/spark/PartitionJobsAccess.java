package io.jarnn.spark;

import org.apache.spark.SparkContext;

import java.io.Serial;

/** {@link PartitionJobs} for the benchmarks' package (test scope): a job of empty tasks. */
public final class PartitionJobsAccess {
    private PartitionJobsAccess() {
    }

    private static final class Empty extends PartitionJobs.Task<Integer> {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        Integer call(int part) {
            return part;
        }
    }

    /** Runs one job of {@code parts} empty tasks; returns how many results came back. */
    public static int runEmpty(SparkContext sc, int parts) {
        return PartitionJobs.run(sc, parts, new Empty(), Integer.class, "jarnn empty job").size();
    }
}
