package io.jarnn.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.Serial;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The short way of running a job of one task per partition: its results, its call site, its kept RDD. */
class PartitionJobsTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
    }

    /** Partition k's result, the first partition finishing last. */
    private static final class SlowFirst extends PartitionJobs.Task<String> {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        String call(int part) {
            if (part == 0) {
                try {
                    Thread.sleep(400);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return "part " + part;
        }
    }

    @Test
    void resultsComeBackInPartitionOrderWhateverOrderTheTasksFinish() {
        List<String> results = PartitionJobs.run(spark.sparkContext(), 3, new SlowFirst(), String.class, "test job");
        assertEquals(List.of("part 0", "part 1", "part 2"), results);
    }

    @Test
    void theJobShowsItsCallSiteAndTheCallersOwnIsKept() throws InterruptedException {
        SparkContext sc = spark.sparkContext();
        ConcurrentLinkedQueue<Properties> starts = new ConcurrentLinkedQueue<>();
        SparkListener listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                starts.add(start.properties());
            }
        };
        sc.addSparkListener(listener);
        sc.setCallSite("the caller's call site");
        try {
            PartitionJobs.run(sc, 2, new SlowFirst(), String.class, "jarnn test job 7");
            assertEquals("the caller's call site", sc.getLocalProperty("callSite.short"));
            assertEquals(null, sc.getLocalProperty("callSite.long"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (starts.stream().noneMatch(p -> "jarnn test job 7".equals(p.getProperty("callSite.short")))
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(starts.stream().anyMatch(p -> "jarnn test job 7".equals(p.getProperty("callSite.short"))
                            && "jarnn test job 7".equals(p.getProperty("callSite.long"))),
                    "no job started with the given call site");
        } finally {
            sc.clearCallSite();
            sc.removeSparkListener(listener);
        }
    }

    @Test
    void theIndexRddIsMadeOncePerPartitionCount() {
        SparkContext sc = spark.sparkContext();
        assertSame(PartitionJobs.indices(sc, 4), PartitionJobs.indices(sc, 4));
        assertEquals(4, PartitionJobs.indices(sc, 4).getNumPartitions());
        assertEquals(5, PartitionJobs.indices(sc, 5).getNumPartitions());
        var before = PartitionJobs.indices(sc, 4);
        PartitionJobs.forget(sc); // what the context's end does
        org.junit.jupiter.api.Assertions.assertNotSame(before, PartitionJobs.indices(sc, 4),
                "a context's index RDDs are dropped when it ends");
    }
}
