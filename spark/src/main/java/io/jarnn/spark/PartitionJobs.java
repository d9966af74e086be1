package io.jarnn.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import scala.collection.Iterator;
import scala.collection.immutable.ArraySeq;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Jobs of one task per partition index whose results come back to the driver in partition
 * order, run the short way: {@code SparkContext.runJob} on a kept RDD of the indices 0..k-1, with
 * the task a plain serialisable class ({@link Task}) and the job's call site given.
 *
 * <p>Why not {@code jsc.parallelize(indices).map(f).collect()}: per job, that path runs Spark's
 * closure cleaner on three Scala closures (each reads and parses the class file of the class that
 * declared it, {@code RDD} and {@code SparkContext} among them, and serialises the closure once
 * more to check it), and takes seven stack traces for call sites and RDD scopes. Spark's per-job
 * code runs once per job, so in a run of a few hundred steps it stays in the interpreter or C1,
 * and that came to about 9 ms of driver CPU per VMC step (SparkOverhead, issue 17). A class
 * that is not a Scala closure is not cleaned, and call-site properties spare the stack walks;
 * the tasks, their retries and their results are Spark's as before.
 */
final class PartitionJobs {
    private static final String CALL_SITE_SHORT = "callSite.short";
    private static final String CALL_SITE_LONG = "callSite.long";
    /** The index RDDs of the current context, by partition count. */
    private static final Map<Integer, RDD<Integer>> INDICES = new HashMap<>();
    private static SparkContext indicesContext;

    private PartitionJobs() {
    }

    /** A task of a {@link #run} job: {@link #call} computes partition {@code part}'s result on an executor. */
    abstract static class Task<U> extends AbstractFunction2<TaskContext, Iterator<Integer>, U> implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        abstract U call(int part);

        @Override
        public final U apply(TaskContext context, Iterator<Integer> indices) {
            return call(context.partitionId());
        }
    }

    /**
     * Runs {@code task} on partitions 0 .. parts-1 of {@code sc} as one job labelled
     * {@code callSite} (Spark's UI and logs show it where they would show a call site) and returns
     * the results in partition order.
     */
    static <U> List<U> run(SparkContext sc, int parts, Task<U> task, Class<U> type, String callSite) {
        RDD<Integer> indices = indices(sc, parts);
        Object[] results = new Object[parts];
        String shortSite = sc.getLocalProperty(CALL_SITE_SHORT);
        String longSite = sc.getLocalProperty(CALL_SITE_LONG);
        sc.setLocalProperty(CALL_SITE_SHORT, callSite);
        sc.setLocalProperty(CALL_SITE_LONG, callSite);
        try {
            sc.runJob(indices, task, new ArraySeq.ofInt(IntStream.range(0, parts).toArray()),
                    new AbstractFunction2<Object, U, BoxedUnit>() {
                        @Override
                        public BoxedUnit apply(Object part, U result) {
                            results[(Integer) part] = result;
                            return BoxedUnit.UNIT;
                        }
                    }, ClassTag$.MODULE$.apply(type));
        } finally {
            sc.setLocalProperty(CALL_SITE_SHORT, shortSite);
            sc.setLocalProperty(CALL_SITE_LONG, longSite);
        }
        List<U> out = new ArrayList<>(parts);
        for (Object r : results) {
            out.add(type.cast(r));
        }
        return out;
    }

    /**
     * The RDD of the indices 0 .. parts-1, one per partition, made once per context and count and
     * dropped when the context stops (so that a stopped context is not kept alive here).
     */
    static synchronized RDD<Integer> indices(SparkContext sc, int parts) {
        if (indicesContext != sc) {
            INDICES.clear();
            indicesContext = sc;
            sc.addSparkListener(new SparkListener() {
                @Override
                public void onApplicationEnd(SparkListenerApplicationEnd end) {
                    forget(sc);
                }
            });
        }
        return INDICES.computeIfAbsent(parts, k -> {
            Integer[] values = new Integer[k];
            Arrays.setAll(values, i -> i);
            return JavaSparkContext.fromSparkContext(sc).parallelize(Arrays.asList(values), k).rdd();
        });
    }

    /** Drops the index RDDs of {@code sc} (its application ended). */
    static synchronized void forget(SparkContext sc) {
        if (indicesContext == sc) {
            INDICES.clear();
            indicesContext = null;
        }
    }
}
