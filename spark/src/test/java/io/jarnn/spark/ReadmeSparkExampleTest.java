package io.jarnn.spark;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.nn.ARNN64;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.vmc.Lattice;
import io.jarnn.vmc.Sgd;
import io.jarnn.vmc.StepRecord;
import io.jarnn.vmc.StochasticReconfiguration;
import io.jarnn.vmc.TransverseFieldIsing;
import io.jarnn.vmc.VmcDriver;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's Spark example, verbatim between the markers, so that what the README shows compiles and runs. */
class ReadmeSparkExampleTest {

    @Test
    void readmeSparkExampleRuns() {
        SparkSession spark = LocalSpark.session();
        // README-SPARK-BEGIN
        HilbertSpace hilbert = HilbertSpace.spin(0.5, 20);
        ARNN64 model = ARNNConv1D.builder(hilbert).layers(3).features(8).kernelSize(7)
                .dtype(DType.FLOAT64).build64(1);

        // Samples: bit for bit model.sampler().sample(10_000, 7, true), drawn by the executors.
        Dataset<Row> samples = DistributedSampler.of(spark, model).sample(10_000, 7);   // row, configuration, log_prob
        Dataset<Row> evaluated = DistributedEvaluation.of(spark, model)
                .evaluate(samples, "configuration", false);                       // + log_psi

        // VMC: the operator is rebuilt on each executor from a serialisable recipe.
        OperatorSource ising = () -> new TransverseFieldIsing(HilbertSpace.spin(0.5, 20),
                Lattice.chain(20, false), 1, 1);
        VmcDriver vmc = DistributedVmc.builder(spark, model, ising).samples(1024).seed(1)
                .optimizer(new Sgd(0.1)).sr(new StochasticReconfiguration(0.01, StochasticReconfiguration.Form.AUTO))
                .build();
        StepRecord step = vmc.runStep();                                           // vmc.model(): the updated model
        // README-SPARK-END
        assertEquals(10_000, evaluated.count());
        Row first = evaluated.orderBy("row").first();
        assertEquals(2 * first.getDouble(3), first.getDouble(2), 1e-9);
        assertTrue(step.energy() < 0);
    }

    @Test
    void readmeShowsThisExample() throws IOException {
        Path test = Path.of("src/test/java/io/jarnn/spark/ReadmeSparkExampleTest.java");
        List<String> lines = Files.readAllLines(test);
        int begin = lines.indexOf("        // README-SPARK-BEGIN");
        int end = lines.indexOf("        // README-SPARK-END");
        String block = String.join("\n", lines.subList(begin + 1, end).stream()
                .map(l -> l.length() >= 8 ? l.substring(8) : l.strip()).toList());
        String readme = Files.readString(Path.of("../README.md"));
        assertTrue(readme.contains("```java\n" + block + "\n```"), "README.md must show the Spark example verbatim:\n"
                + block);
    }
}
