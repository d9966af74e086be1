package io.jarnn.spark;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ARNNDense;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.nn.Samples;
import io.jarnn.nn.Samples64;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Distributed samples are, bit for bit, the samples of one local sampler call, whatever the
 * partitioning and when a task is retried.
 */
class DistributedSamplerTest {
    /** Not a multiple of the chunk size (64): the last chunk is partial, as on one machine. */
    private static final int N = 1000;
    private static final long SEED = 20261202L;

    private static SparkSession spark;
    private static AutoregressiveModel conv;
    private static AutoregressiveModel dense64;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
        HilbertSpace hilbert = HilbertSpace.spin(0.5, 12);
        conv = ARNNConv1D.builder(hilbert).layers(2).features(4).kernelSize(3).build(3);
        dense64 = ARNNDense.builder(hilbert).layers(2).features(4).dtype(DType.FLOAT64).build64(5);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void float32SamplesEqualOneLocalCallBitForBit(int partitions) {
        Samples local = conv.toSinglePrecision().sampler().sample(N, SEED, true);
        SampleBlocks blocks = SampleBlocks.collect(DistributedSampler.of(spark, conv).withPartitions(partitions)
                .blocks(N, SEED).collect());
        assertEquals(partitions, blocks.count());
        assertArrayEquals(local.configurations().array(), blocks.configurations32(N, 12));
        assertArrayEquals(local.logProbabilities().array(), blocks.logProbabilities32(N));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void float64SamplesEqualOneLocalCallBitForBit(int partitions) {
        Samples64 local = dense64.toDoublePrecision().sampler().sample(N, SEED, true);
        SampleBlocks blocks = SampleBlocks.collect(DistributedSampler.of(spark, dense64).withPartitions(partitions)
                .blocks(N, SEED).collect());
        assertArrayEquals(local.configurations().array(), blocks.configurations64(N, 12));
        assertArrayEquals(local.logProbabilities().array(), blocks.logProbabilities64(N));
    }

    /**
     * The executors keep their samplers between tasks and jobs (one pool per model, thread count
     * and chunk size): jobs of two chunk sizes on one model, twice each and interleaved, with one
     * broadcast per sampler, each equal to a fresh local sampler of its chunk size.
     */
    @Test
    void pooledSamplersAndOneBroadcastPerSamplerLeaveEveryJobsSamplesUnchanged() {
        DistributedSampler byDefault = DistributedSampler.of(spark, conv).withPartitions(2);
        DistributedSampler bySixteen = byDefault.withChunkSize(16);
        for (int round = 0; round < 2; round++) {
            for (DistributedSampler sampler : List.of(byDefault, bySixteen)) {
                long seed = SEED + round;
                Samples local = conv.toSinglePrecision().sampler().withChunkSize(sampler.chunkSize())
                        .sample(N, seed, true);
                SampleBlocks blocks = SampleBlocks.collect(sampler.blocks(N, seed).collect());
                assertArrayEquals(local.configurations().array(), blocks.configurations32(N, 12),
                        "chunk size " + sampler.chunkSize() + ", round " + round);
                assertArrayEquals(local.logProbabilities().array(), blocks.logProbabilities32(N));
            }
        }
        assertEquals(byDefault.broadcastId(), bySixteen.broadcastId(), "one broadcast for the model's jobs");
    }

    @Test
    void aTaskThatFailsOnceAndIsRetriedLeavesTheSamplesUnchanged() {
        Samples local = conv.toSinglePrecision().sampler().sample(N, SEED, true);
        TaskHook failFirstAttemptOfPartOne = context -> {
            if (context.partitionId() == 1 && context.attemptNumber() == 0) {
                throw new IllegalStateException("injected failure of the first attempt of partition 1");
            }
        };
        SampleBlocks blocks = SampleBlocks.collect(DistributedSampler.of(spark, conv).withPartitions(3)
                .withTaskHook(failFirstAttemptOfPartOne).blocks(N, SEED).collect());
        assertArrayEquals(local.configurations().array(), blocks.configurations32(N, 12));
        assertArrayEquals(local.logProbabilities().array(), blocks.logProbabilities32(N));
    }

    @Test
    void theDatasetHoldsOneRowPerSampleWithItsConfigurationAndLogProbability() {
        Samples local = conv.toSinglePrecision().sampler().sample(N, SEED, true);
        Dataset<Row> samples = DistributedSampler.of(spark, conv).withPartitions(2).sample(N, SEED);
        assertEquals(DistributedSampler.schema(DType.FLOAT32), samples.schema());
        List<Row> rows = samples.orderBy("row").collectAsList();
        assertEquals(N, rows.size());
        float[] expected = local.configurations().array();
        for (int r = 0; r < N; r++) {
            Row row = rows.get(r);
            assertEquals(r, row.getLong(0));
            List<Float> configuration = row.getList(1);
            float[] got = new float[configuration.size()];
            for (int i = 0; i < got.length; i++) {
                got[i] = configuration.get(i);
            }
            assertArrayEquals(Arrays.copyOfRange(expected, r * 12, (r + 1) * 12), got, "row " + r);
            assertEquals(local.logProbabilities().array()[r], row.getFloat(2), "row " + r);
        }
    }

    @Test
    void rangesStartOnChunkBoundariesAndOnlyTheLastEndsOnAPartialChunk() {
        RowRanges ranges = RowRanges.of(N, 64, 3); // 16 chunks: 5, 5, 6
        assertEquals(0, ranges.firstRow(0));
        assertEquals(320, ranges.firstRow(1));
        assertEquals(640, ranges.firstRow(2));
        assertEquals(360, ranges.rowCount(2));
        assertEquals(2, RowRanges.of(100, 64, 7).parts()); // never more parts than chunks
    }
}
