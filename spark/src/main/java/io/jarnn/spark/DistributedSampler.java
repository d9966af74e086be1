package io.jarnn.spark;

import io.jarnn.core.DType;
import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.nn.DirectSampler;
import io.jarnn.nn.ExactSampler;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Exact samples of a model drawn by a Spark job: the n rows are cut into contiguous ranges of
 * whole sampler chunks ({@link RowRanges}), one task per range, and each task regenerates its
 * range from (seed, first row) with the model's own sampler,
 * {@code sampler.sample(seed, firstRow, ...)}. Every sampler chunk draws from a random stream
 * that depends on the seed and the chunk's index alone, so the union of the ranges is, bit for
 * bit, what one {@code model.sampler().sample(n, seed, true)} gives on one machine: for any
 * number of partitions, executors or cores, and when Spark re-runs a failed or slow task (the
 * retry draws the same rows again).
 *
 * <p>The model travels as its {@code .npz} bytes in a broadcast ({@link ModelBytes}), made once
 * per sampler (on its first job) and shared by its jobs and by the samplers derived from it with
 * {@code with...}. An executor reads the model once and keeps its samplers
 * ({@link ExecutorModels}), so a task's cost beyond drawing its rows is Spark's own (launch,
 * closure, result). Each task samples on the cores Spark gives it ({@code spark.task.cpus}).
 */
public final class DistributedSampler {
    /** Default cap on one task's configurations (rows x sites): 64 MiB of float32 per task. */
    static final long MAX_ELEMENTS_PER_TASK = 1L << 24;

    private final SparkSession spark;
    private final ModelBytes model;
    private final int chunkSize;
    private final int partitions;
    private final TaskHook hook;
    private final ModelBroadcast broadcast;

    private DistributedSampler(SparkSession spark, ModelBytes model, int chunkSize, int partitions, TaskHook hook,
                               ModelBroadcast broadcast) {
        this.spark = spark;
        this.model = model;
        this.chunkSize = chunkSize;
        this.partitions = partitions;
        this.hook = hook;
        this.broadcast = broadcast;
    }

    /** A sampler of {@code model} on {@code spark}, with the single-machine sampler's chunk size. */
    public static DistributedSampler of(SparkSession spark, AutoregressiveModel model) {
        return of(spark, ModelBytes.of(model));
    }

    /** A sampler of the model in {@code model} (e.g. {@link ModelBytes#read} of a model file). */
    public static DistributedSampler of(SparkSession spark, ModelBytes model) {
        if (spark == null) {
            throw new IllegalArgumentException("spark: expected a SparkSession but got null");
        }
        if (model == null) {
            throw new IllegalArgumentException("model: expected a model but got null");
        }
        return new DistributedSampler(spark, model, DirectSampler.DEFAULT_CHUNK_SIZE, 0, TaskHook.NONE,
                new ModelBroadcast(spark, model));
    }

    /**
     * The same sampler with another sampler chunk size: as {@code ExactSampler.withChunkSize}, it
     * changes which random stream draws which row (the samples then equal those of a local
     * sampler with that chunk size).
     */
    public DistributedSampler withChunkSize(int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize: expected >= 1 but got " + chunkSize);
        }
        return new DistributedSampler(spark, model, chunkSize, partitions, hook, broadcast);
    }

    /**
     * The same sampler cutting a run into {@code partitions} tasks (0: automatic, the cluster's
     * default parallelism, more when a task's samples would exceed 2^24 values). Does not change
     * the samples.
     */
    public DistributedSampler withPartitions(int partitions) {
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions: expected >= 0 (0: automatic) but got " + partitions);
        }
        return new DistributedSampler(spark, model, chunkSize, partitions, hook, broadcast);
    }

    /** The same sampler running {@code hook} at the start of each task (tests inject failures). */
    DistributedSampler withTaskHook(TaskHook hook) {
        return new DistributedSampler(spark, model, chunkSize, partitions, hook, broadcast);
    }

    public AutoregressiveModel model() {
        return model.model();
    }

    public int chunkSize() {
        return chunkSize;
    }

    /** The id of the model's broadcast, made by the first job of this sampler or of one it was derived from (tests). */
    long broadcastId() {
        return broadcast.get().id();
    }

    /** How a run of {@code n} samples is cut into tasks. */
    public RowRanges ranges(long n) {
        int sites = model.model().hilbert().size();
        int parts = partitions;
        if (parts == 0) {
            long byMemory = (n * sites + MAX_ELEMENTS_PER_TASK - 1) / MAX_ELEMENTS_PER_TASK;
            parts = (int) Math.min(Integer.MAX_VALUE, Math.max(spark.sparkContext().defaultParallelism(), byMemory));
        }
        return RowRanges.of(n, chunkSize, parts);
    }

    /**
     * The samples of {@code seed} rows 0 .. n-1 as one {@link SampleBlock} per task, in row order
     * (partition k holds range k). Lazy: nothing runs until the RDD is used.
     */
    public JavaRDD<SampleBlock> blocks(long n, long seed) {
        RowRanges ranges = ranges(n);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> parts = new ArrayList<>(IntStream.range(0, ranges.parts()).boxed().toList());
        return jsc.parallelize(parts, ranges.parts()).map(new SampleRange(broadcast.get(), ranges, seed, hook));
    }

    /**
     * The samples as a Dataset with one row per sample: {@code row} (long, the sample's index),
     * {@code configuration} (array of the sites' local values) and {@code log_prob} (log p of the
     * sample, machinePow * logPsi), both in the model's dtype ({@link #schema}). Partition k holds
     * rows of range k, in order.
     */
    public Dataset<Row> sample(long n, long seed) {
        DType dtype = model.model().dtype();
        JavaRDD<Row> rows = blocks(n, seed).flatMap(block -> {
            List<Row> out = new ArrayList<>(block.rows());
            for (int r = 0; r < block.rows(); r++) {
                out.add(RowFactory.create(block.firstRow() + r, block.configuration(r), block.logProbability(r)));
            }
            return out.iterator();
        });
        return spark.createDataFrame(rows, schema(dtype));
    }

    /** The schema of {@link #sample}'s Dataset for a model of {@code dtype}. */
    public static StructType schema(DType dtype) {
        DataType element = sparkType(dtype);
        return new StructType()
                .add("row", DataTypes.LongType, false)
                .add("configuration", DataTypes.createArrayType(element, false), false)
                .add("log_prob", element, false);
    }

    static DataType sparkType(DType dtype) {
        return dtype == DType.FLOAT32 ? DataTypes.FloatType : DataTypes.DoubleType;
    }

    /** One task: regenerates its range of rows from (seed, first row). */
    private static final class SampleRange implements Function<Integer, SampleBlock> {
        @Serial
        private static final long serialVersionUID = 1L;

        private final Broadcast<ModelBytes> model;
        private final RowRanges ranges;
        private final long seed;
        private final TaskHook hook;

        SampleRange(Broadcast<ModelBytes> model, RowRanges ranges, long seed, TaskHook hook) {
            this.model = model;
            this.ranges = ranges;
            this.seed = seed;
            this.hook = hook;
        }

        @Override
        public SampleBlock call(Integer part) {
            Tasks.runHook(hook);
            ExecutorModels.Loaded loaded = model.value().loaded();
            AutoregressiveModel m = loaded.model();
            int threads = Tasks.threads();
            ExactSampler sampler = loaded.borrowSampler(threads, ranges.chunkSize());
            int rows = ranges.rowCount(part);
            int sites = m.hilbert().size();
            NdArray configurations = m.dtype() == DType.FLOAT32 ? Tensor.zeros(rows, sites) : Tensor64.zeros(rows, sites);
            NdArray logProbabilities = m.dtype() == DType.FLOAT32 ? Tensor.zeros(rows) : Tensor64.zeros(rows);
            sampler.sample(seed, ranges.firstRow(part), configurations, logProbabilities);
            loaded.returnSampler(threads, ranges.chunkSize(), sampler);
            return SampleBlock.of(ranges.firstRow(part), configurations, logProbabilities);
        }
    }
}
