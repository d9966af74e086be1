package io.jarnn.spark;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNDense;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** logPsi and conditionals of a Dataset's configurations, row by row those of the model. */
class DistributedEvaluationTest {
    private static final int N = 300;
    private static SparkSession spark;
    private static ARNN model;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
        model = ARNNDense.builder(HilbertSpace.spin(0.5, 6)).layers(2).features(3).build(4);
    }

    @Test
    void eachRowGetsTheModelsLogPsiAndConditionals() {
        Dataset<Row> samples = DistributedSampler.of(spark, model).withPartitions(3).sample(N, 1);
        List<Row> rows = DistributedEvaluation.of(spark, model).evaluate(samples, "configuration", true)
                .orderBy("row").collectAsList();
        assertEquals(N, rows.size());
        Tensor configurations = model.sampler().sample(N, 1, false).configurations();
        Tensor logPsi = model.logPsi(configurations);
        Tensor conditionals = model.conditionals(configurations);
        for (int r = 0; r < N; r++) {
            Row row = rows.get(r);
            assertEquals(logPsi.get(r), row.getFloat(3), 1e-6f, "row " + r);
            List<scala.collection.Seq<Float>> p = row.getList(4); // array<array<float>>: Scala sequences inside
            assertEquals(6, p.size());
            for (int i = 0; i < 6; i++) {
                for (int k = 0; k < 2; k++) {
                    assertEquals(conditionals.get(r, i, k), p.get(i).apply(k), 1e-6f, "row " + r + " site " + i);
                }
            }
        }
    }

    @Test
    void aMissingColumnIsNamed() {
        Dataset<Row> samples = DistributedSampler.of(spark, model).sample(10, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DistributedEvaluation.of(spark, model).evaluate(samples, "sigma", false));
        assertEquals("column: expected a column of configurations but the Dataset has no 'sigma' (its columns: row,"
                + " configuration, log_prob)", e.getMessage());
    }
}
