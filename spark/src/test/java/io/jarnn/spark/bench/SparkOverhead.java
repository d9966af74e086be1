package io.jarnn.spark.bench;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.nn.ExactSampler;
import io.jarnn.spark.DistributedSampler;
import io.jarnn.spark.DistributedVmc;
import io.jarnn.spark.OperatorSource;
import io.jarnn.spark.SparkSessions;
import io.jarnn.vmc.Lattice;
import io.jarnn.vmc.Sgd;
import io.jarnn.vmc.StepRecord;
import io.jarnn.vmc.StochasticReconfiguration;
import io.jarnn.vmc.TransverseFieldIsing;
import io.jarnn.vmc.VmcDriver;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;
import org.apache.spark.sql.SparkSession;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where a Spark job's time goes, in one JVM (so that ratios hold on a loaded machine): the same
 * work run locally on one thread (wall and thread CPU) and as Spark jobs, with the tasks'
 * metrics summed by a listener (deserialisation, run, result serialisation, GC, wall from launch
 * to finish) and the driver's own CPU. Not a JMH benchmark: a breakdown for the overhead work
 * (issue 17). After {@code mvn -B package -DskipTests -pl spark -am}, with the JVM options
 * {@code io.jarnn.spark.JvmOptions} prints:
 * <pre>
 *   cp="spark/target/test-classes:spark/target/classes:$(cat spark/target/test-classpath.txt)"
 *   java $(java -cp "$cp" io.jarnn.spark.JvmOptions) -Xms2g -Xmx2g -cp "$cp" \
 *       io.jarnn.spark.bench.SparkOverhead sampling 'local[1]' 6      # or: vmc 'local[2]' 15 [WARMUP], jobs 'local[2]' 200 [parallelize|runJob]
 * </pre>
 * The sampling case is SparkSampling's (1024 samples in 4 tasks against one local sampler call on
 * one thread), the VMC case SparkVmcStep's, after WARMUP steps of each driver (default 10; Spark's
 * own per-job code takes hundreds of jobs to be compiled, so compare e.g. 150 with 600); each
 * prints two rounds, the second the steadier.
 */
public final class SparkOverhead {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Sums of the tasks' metrics since the last reset. */
    static final class Tasks extends SparkListener {
        final LongAdder tasks = new LongAdder();
        final LongAdder deserializeNanos = new LongAdder();
        final LongAdder deserializeCpuNanos = new LongAdder();
        final LongAdder runNanos = new LongAdder();
        final LongAdder runCpuNanos = new LongAdder();
        final LongAdder resultSerializationNanos = new LongAdder();
        final LongAdder gcNanos = new LongAdder();
        final LongAdder launchToFinishNanos = new LongAdder();
        final LongAdder resultBytes = new LongAdder();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            TaskMetrics m = end.taskMetrics();
            TaskInfo info = end.taskInfo();
            tasks.increment();
            deserializeNanos.add(m.executorDeserializeTime() * 1_000_000);
            deserializeCpuNanos.add(m.executorDeserializeCpuTime());
            runNanos.add(m.executorRunTime() * 1_000_000);
            runCpuNanos.add(m.executorCpuTime());
            resultSerializationNanos.add(m.resultSerializationTime() * 1_000_000);
            gcNanos.add(m.jvmGCTime() * 1_000_000);
            launchToFinishNanos.add((info.finishTime() - info.launchTime()) * 1_000_000);
            resultBytes.add(m.resultSize());
        }

        void reset() {
            for (LongAdder a : new LongAdder[] {tasks, deserializeNanos, deserializeCpuNanos, runNanos, runCpuNanos,
                    resultSerializationNanos, gcNanos, launchToFinishNanos, resultBytes}) {
                a.reset();
            }
        }

        void print(int jobs) {
            System.out.printf(Locale.ROOT, "  tasks/job %.1f; per job (ms): deserialise %.1f (cpu %.1f), run %.1f (cpu %.1f),"
                            + " result serialisation %.1f, gc %.1f, launch->finish %.1f, result %.0f B%n",
                    tasks.sum() / (double) jobs, ms(deserializeNanos, jobs), ms(deserializeCpuNanos, jobs),
                    ms(runNanos, jobs), ms(runCpuNanos, jobs), ms(resultSerializationNanos, jobs), ms(gcNanos, jobs),
                    ms(launchToFinishNanos, jobs), resultBytes.sum() / (double) jobs);
        }

        private static double ms(LongAdder nanos, int jobs) {
            return nanos.sum() / 1e6 / jobs;
        }
    }

    public static void main(String[] args) throws Exception {
        String what = args[0];
        String master = args[1];
        int jobs = Integer.parseInt(args[2]);
        SparkSession spark = SparkSessions.builder(master, "jarnn-overhead").getOrCreate();
        Tasks listener = new Tasks();
        spark.sparkContext().addSparkListener(listener);
        try {
            if (what.equals("sampling")) {
                sampling(spark, listener, jobs, args.length > 3 ? Integer.parseInt(args[3]) : 4);
            } else if (what.equals("jobs")) {
                emptyJobs(spark, jobs, args.length > 3 ? args[3] : "both");
            } else {
                vmc(spark, listener, jobs, args.length > 3 ? Integer.parseInt(args[3]) : 10);
            }
        } finally {
            spark.stop();
        }
    }

    private static void sampling(SparkSession spark, Tasks listener, int jobs, int partitions) throws Exception {
        int sites = 10_000;
        int samples = 1024;
        ARNN model = ARNNConv1D.builder(HilbertSpace.spin(0.5, sites)).layers(3).features(16).kernelSize(3).dilation(1)
                .bias(true).machinePow(2f).dtype(DType.FLOAT32).build(11);
        ExactSampler local = model.withThreads(1).sampler();
        Tensor x = Tensor.zeros(samples, sites);
        Tensor lp = Tensor.zeros(samples);
        DistributedSampler sampler = DistributedSampler.of(spark, model).withPartitions(partitions);
        long seed = 0;
        for (int w = 0; w < 3; w++) { // warm-up: JIT of both paths
            local.sample(seed++, 0, x, lp);
            sampler.blocks(samples, seed++).map(b -> (long) b.rows()).reduce(Long::sum);
        }
        for (int round = 0; round < 2; round++) {
            long wall = 0;
            long cpu = 0;
            Jvm localJvm0 = Jvm.now();
            for (int j = 0; j < jobs; j++) {
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                local.sample(seed++, 0, x, lp);
                wall += System.nanoTime() - t0;
                cpu += THREADS.getCurrentThreadCpuTime() - c0;
            }
            Jvm.now().printSince(localJvm0, jobs);
            System.out.printf(Locale.ROOT, "local sampler, 1 thread: %.1f ms/call (thread cpu %.1f ms)%n",
                    wall / 1e6 / jobs, cpu / 1e6 / jobs);
            Thread.sleep(300);
            listener.reset();
            wall = 0;
            cpu = 0;
            long processCpu0 = processCpu();
            Jvm jvm0 = Jvm.now();
            for (int j = 0; j < jobs; j++) {
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                sampler.blocks(samples, seed++).map(b -> (long) b.rows()).reduce(Long::sum);
                wall += System.nanoTime() - t0;
                cpu += THREADS.getCurrentThreadCpuTime() - c0;
            }
            long processCpu = processCpu() - processCpu0;
            Jvm jvm1 = Jvm.now();
            Thread.sleep(500);
            jvm1.printSince(jvm0, jobs);
            System.out.printf(Locale.ROOT, "spark %s, %d partitions: %.1f ms/job (%.2f jobs/s), driver thread cpu %.1f ms/job,"
                            + " process cpu %.1f ms/job%n", spark.sparkContext().master(), partitions, wall / 1e6 / jobs,
                    jobs / (wall / 1e9), cpu / 1e6 / jobs, processCpu / 1e6 / jobs);
            listener.print(jobs);
        }
    }

    /**
     * Spark's own cost of a job of two empty tasks, by the two ways of running one: the RDD API
     * ({@code parallelize(...).map(f).collect()}, what DistributedVmc did) and the way
     * DistributedVmc's steps run now ({@code SparkContext.runJob} on a kept index RDD, a task class
     * that is not a Scala closure, the call site given). Six rounds of {@code jobs} jobs each, so
     * that the fall of the cost as Spark's per-job code gets compiled shows; {@code which} picks
     * one way (a prefix) or "both".
     */
    private static void emptyJobs(SparkSession spark, int jobs, String which) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        org.apache.spark.api.java.JavaSparkContext jsc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(
                spark.sparkContext());
        for (String way : new String[] {"parallelize/map/collect", "runJob"}) {
            if (!which.equals("both") && !way.startsWith(which)) {
                continue; // one way per JVM, so that neither runs on Spark code the other compiled
            }
            for (int round = 0; round < 6; round++) {
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                for (int j = 0; j < jobs; j++) {
                    int results = way.equals("runJob")
                            ? io.jarnn.spark.PartitionJobsAccess.runEmpty(spark.sparkContext(), 2)
                            : jsc.parallelize(java.util.List.of(0, 1), 2).map(i -> i).collect().size();
                    if (results != 2) {
                        throw new IllegalStateException("expected 2 results but got " + results);
                    }
                }
                System.out.printf(Locale.ROOT, "%s, jobs %d-%d: %.2f ms/job wall, %.2f ms/job process cpu%n", way,
                        round * jobs, (round + 1) * jobs, (System.nanoTime() - t0) / 1e6 / jobs,
                        (os.getProcessCpuTime() - c0) / 1e6 / jobs);
            }
        }
    }

    private static void vmc(SparkSession spark, Tasks listener, int steps, int warmup) throws Exception {
        int n = 20;
        OperatorSource ising = () -> new TransverseFieldIsing(HilbertSpace.spin(0.5, n), Lattice.chain(n, false), 1, 1);
        AutoregressiveModel model = ARNNConv1D.builder(HilbertSpace.spin(0.5, n)).layers(3).features(8).kernelSize(7)
                .dtype(DType.FLOAT64).build64(1).withThreads(2);
        VmcDriver local = VmcDriver.builder(model, ising.create()).samples(1024).seed(1).optimizer(new Sgd(0.1))
                .sr(new StochasticReconfiguration(0.01, StochasticReconfiguration.Form.AUTO)).build();
        VmcDriver distributed = VmcDriver.builder(model, DistributedVmc.on(spark, ising).withPartitions(2))
                .samples(1024).seed(1).optimizer(new Sgd(0.1))
                .sr(new StochasticReconfiguration(0.01, StochasticReconfiguration.Form.AUTO)).build();
        for (int w = 0; w < warmup; w++) {
            local.runStep();
            distributed.runStep();
        }
        for (int round = 0; round < 2; round++) {
            long[] parts = new long[5];
            long cpu = 0;
            long localProcessCpu0 = processCpu();
            for (int s = 0; s < steps; s++) {
                long c0 = THREADS.getCurrentThreadCpuTime();
                StepRecord r = local.runStep();
                cpu += THREADS.getCurrentThreadCpuTime() - c0;
                parts[0] += r.nanos();
                parts[1] += r.samplingNanos();
                parts[2] += r.localEnergyNanos();
                parts[3] += r.gradientNanos();
                parts[4] += r.updateNanos();
            }
            long localProcessCpu = processCpu() - localProcessCpu0;
            System.out.printf(Locale.ROOT, "local step: %.1f ms (sample %.1f, eloc %.1f, jacobian %.1f, solve+update %.1f;"
                            + " driver thread cpu %.1f, process cpu %.1f)%n", parts[0] / 1e6 / steps, parts[1] / 1e6 / steps,
                    parts[2] / 1e6 / steps, parts[3] / 1e6 / steps, parts[4] / 1e6 / steps, cpu / 1e6 / steps,
                    localProcessCpu / 1e6 / steps);
            Thread.sleep(300);
            listener.reset();
            parts = new long[5];
            cpu = 0;
            long processCpu0 = processCpu();
            Jvm jvm0 = Jvm.now();
            for (int s = 0; s < steps; s++) {
                long c0 = THREADS.getCurrentThreadCpuTime();
                StepRecord r = distributed.runStep();
                cpu += THREADS.getCurrentThreadCpuTime() - c0;
                parts[0] += r.nanos();
                parts[1] += r.samplingNanos();
                parts[4] += r.updateNanos();
            }
            long processCpu = processCpu() - processCpu0;
            Jvm jvm1 = Jvm.now();
            Thread.sleep(500);
            jvm1.printSince(jvm0, steps);
            System.out.printf(Locale.ROOT, "spark step: %.1f ms (job %.1f, merge+solve+update %.1f; driver thread cpu %.1f,"
                            + " process cpu %.1f)%n", parts[0] / 1e6 / steps, parts[1] / 1e6 / steps,
                    parts[4] / 1e6 / steps, cpu / 1e6 / steps, processCpu / 1e6 / steps);
            listener.print(steps);
        }
    }

    /** JVM-wide counters: GC time and count, JIT time, bytes allocated by all threads, CPU by thread-name group. */
    static final class Jvm {
        long gcMillis;
        long gcCount;
        long jitMillis;
        long allocated;
        final java.util.Map<String, Long> cpuByGroup = new java.util.TreeMap<>();

        static Jvm now() {
            Jvm j = new Jvm();
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                j.gcMillis += Math.max(0, gc.getCollectionTime());
                j.gcCount += Math.max(0, gc.getCollectionCount());
            }
            j.jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            var threads = (com.sun.management.ThreadMXBean) THREADS;
            j.allocated = threads.getTotalThreadAllocatedBytes();
            for (var info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long c = THREADS.getThreadCpuTime(info.getThreadId());
                if (c > 0) {
                    j.cpuByGroup.merge(info.getThreadName().replaceAll("[0-9]+", "#"), c, Long::sum);
                }
            }
            return j;
        }

        void printSince(Jvm before, int jobs) {
            System.out.printf(Locale.ROOT, "  jvm per job: gc %.1f ms (%.2f collections), jit %.1f ms, allocated %.1f MB%n",
                    (gcMillis - before.gcMillis) / (double) jobs, (gcCount - before.gcCount) / (double) jobs,
                    (jitMillis - before.jitMillis) / (double) jobs, (allocated - before.allocated) / 1e6 / jobs);
            StringBuilder b = new StringBuilder("  java threads' cpu per job (ms):");
            for (var e : cpuByGroup.entrySet()) {
                double ms = (e.getValue() - before.cpuByGroup.getOrDefault(e.getKey(), 0L)) / 1e6 / jobs;
                if (ms >= 0.5) {
                    b.append(String.format(Locale.ROOT, " [%s] %.1f", e.getKey(), ms));
                }
            }
            System.out.println(b);
        }
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
