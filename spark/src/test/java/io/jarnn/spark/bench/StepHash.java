package io.jarnn.spark.bench;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.spark.DistributedVmc;
import io.jarnn.spark.ModelBytes;
import io.jarnn.spark.OperatorSource;
import io.jarnn.spark.SparkSessions;
import io.jarnn.vmc.Lattice;
import io.jarnn.vmc.Sgd;
import io.jarnn.vmc.StepRecord;
import io.jarnn.vmc.StochasticReconfiguration;
import io.jarnn.vmc.TransverseFieldIsing;
import io.jarnn.vmc.VmcDriver;
import org.apache.spark.sql.SparkSession;

/**
 * The bits of a few {@link DistributedVmc} steps, to compare the jars before and after a change
 * that must not move them: for a float64 and a float32 ARNNConv1D on local[2] in 1, 2, 3 and 5
 * partitions, the SHA-256 of the model file after 4 SR steps and the 4 energies' bits. Run it on
 * both class paths (see {@link SparkOverhead}) and diff the lines starting with HASH.
 */
public final class StepHash {
    public static void main(String[] args) {
        int n = 20;
        OperatorSource ising = () -> new TransverseFieldIsing(HilbertSpace.spin(0.5, n), Lattice.chain(n, false), 1, 1);
        SparkSession spark = SparkSessions.builder("local[2]", "hash").getOrCreate();
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            for (int parts : new int[] {1, 2, 3, 5}) {
                var b = ARNNConv1D.builder(HilbertSpace.spin(0.5, n)).layers(3).features(8).kernelSize(7).dtype(dtype);
                AutoregressiveModel model = dtype == DType.FLOAT64 ? b.build64(1) : b.build(1);
                VmcDriver d = VmcDriver.builder(model, DistributedVmc.on(spark, ising).withPartitions(parts))
                        .samples(1000).seed(1).optimizer(new Sgd(0.1))
                        .sr(new StochasticReconfiguration(0.01, StochasticReconfiguration.Form.AUTO)).build();
                StringBuilder e = new StringBuilder();
                for (int s = 0; s < 4; s++) {
                    StepRecord r = d.runStep();
                    e.append(Long.toHexString(Double.doubleToLongBits(r.energy()))).append(' ');
                }
                System.out.println("HASH " + dtype + " parts " + parts + ": " + ModelBytes.of(d.model()).sha256()
                        + " energies " + e);
            }
        }
        spark.stop();
    }
}
