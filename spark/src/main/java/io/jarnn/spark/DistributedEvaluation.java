package io.jarnn.spark;

import io.jarnn.core.DType;
import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import io.jarnn.core.npy.Npy;
import io.jarnn.nn.AutoregressiveModel;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serial;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * logPsi (and the conditionals) of many configurations as a Spark job: of a Dataset's
 * configuration column, partition by partition, or of {@code .npy} shards (one task per shard).
 * The model travels as its {@code .npz} bytes in a broadcast ({@link ModelBytes}, one per
 * evaluation object, reused by its jobs); each row's
 * values are those of {@code model.logPsi} / {@code model.conditionals} on the batch the row is
 * evaluated in (a Dataset's rows in batches of {@link #BATCH} within a partition, a shard in one
 * call).
 */
public final class DistributedEvaluation {
    /** Rows of a Dataset partition evaluated in one model call. */
    public static final int BATCH = 4096;

    private final SparkSession spark;
    private final ModelBytes model;
    private final ModelBroadcast broadcast;

    private DistributedEvaluation(SparkSession spark, ModelBytes model) {
        this.spark = spark;
        this.model = model;
        this.broadcast = new ModelBroadcast(spark, model);
    }

    public static DistributedEvaluation of(SparkSession spark, AutoregressiveModel model) {
        return of(spark, ModelBytes.of(model));
    }

    public static DistributedEvaluation of(SparkSession spark, ModelBytes model) {
        if (spark == null) {
            throw new IllegalArgumentException("spark: expected a SparkSession but got null");
        }
        if (model == null) {
            throw new IllegalArgumentException("model: expected a model but got null");
        }
        return new DistributedEvaluation(spark, model);
    }

    /**
     * {@code input} with a column {@code log_psi} (the model's dtype) added, and with
     * {@code conditionals} also a column {@code conditionals}: (N, localSize) probabilities as an
     * array of arrays. {@code column} must be an array of float or double of length N (the
     * configurations of {@link DistributedSampler#sample} qualify); rows keep their partitions
     * and order.
     */
    public Dataset<Row> evaluate(Dataset<Row> input, String column, boolean conditionals) {
        if (input == null) {
            throw new IllegalArgumentException("input: expected a Dataset but got null");
        }
        StructType schema = input.schema();
        int index = columnIndex(schema, column);
        AutoregressiveModel m = model.model();
        DataType element = DistributedSampler.sparkType(m.dtype());
        StructType out = schema.add("log_psi", element, false);
        if (conditionals) {
            out = out.add("conditionals", DataTypes.createArrayType(DataTypes.createArrayType(element, false), false),
                    false);
        }
        JavaRDD<Row> rows = input.toJavaRDD().mapPartitions(new EvaluateRows(broadcast.get(), index, column,
                conditionals));
        return spark.createDataFrame(rows, out);
    }

    private int columnIndex(StructType schema, String column) {
        int sites = model.model().hilbert().size();
        StructField field;
        try {
            field = schema.apply(column);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("column: expected a column of configurations but the Dataset has no '"
                    + column + "' (its columns: " + String.join(", ", schema.fieldNames()) + ")");
        }
        if (!(field.dataType() instanceof ArrayType a)
                || !(a.elementType().equals(DataTypes.FloatType) || a.elementType().equals(DataTypes.DoubleType))) {
            throw new IllegalArgumentException("column: expected '" + column + "' to be an array of float or double"
                    + " (one configuration of " + sites + " sites per row) but it is " + field.dataType().simpleString());
        }
        return schema.fieldIndex(column);
    }

    /**
     * logPsi (and with {@code conditionals} the conditionals) of each shard file in
     * {@code shards}, in order, one task per shard; each shard is an (rows, N) {@code .npy} of
     * local values, read by the task (so the files must be where the executors can read them:
     * a shared file system, or local mode). Returns per shard [logPsi (rows,)] or [logPsi,
     * conditionals (rows, N, localSize)], in the model's dtype.
     */
    public JavaRDD<List<ArrayData>> evaluateShards(List<Path> shards, boolean conditionals) {
        if (shards == null || shards.isEmpty()) {
            throw new IllegalArgumentException("shards: expected at least one .npy file but got none");
        }
        List<String> paths = shards.stream().map(p -> p.toAbsolutePath().toString()).toList();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return jsc.parallelize(new ArrayList<>(paths), paths.size())
                .map(new EvaluateShard(broadcast.get(), conditionals));
    }

    /** One Dataset partition: rows in batches of {@link #BATCH}, each batch one model call. */
    private static final class EvaluateRows implements FlatMapFunction<Iterator<Row>, Row> {
        @Serial
        private static final long serialVersionUID = 1L;

        private final Broadcast<ModelBytes> model;
        private final int index;
        private final String column;
        private final boolean conditionals;

        EvaluateRows(Broadcast<ModelBytes> model, int index, String column, boolean conditionals) {
            this.model = model;
            this.index = index;
            this.column = column;
            this.conditionals = conditionals;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            AutoregressiveModel m = model.value().model().withThreads(Tasks.threads());
            int sites = m.hilbert().size();
            List<Row> out = new ArrayList<>();
            List<Row> batch = new ArrayList<>(BATCH);
            while (rows.hasNext()) {
                batch.add(rows.next());
                if (batch.size() == BATCH || !rows.hasNext()) {
                    NdArray x = configurations(batch, sites, m.dtype());
                    NdArray logPsi = m.logPsi(x);
                    NdArray p = conditionals ? m.conditionals(x) : null;
                    for (int b = 0; b < batch.size(); b++) {
                        Row r = batch.get(b);
                        Object[] values = new Object[r.length() + (conditionals ? 2 : 1)];
                        for (int i = 0; i < r.length(); i++) {
                            values[i] = r.get(i);
                        }
                        values[r.length()] = element(logPsi, b);
                        if (conditionals) {
                            values[r.length() + 1] = rowOfConditionals(p, b, sites);
                        }
                        out.add(RowFactory.create(values));
                    }
                    batch.clear();
                }
            }
            return out.iterator();
        }

        private NdArray configurations(List<Row> batch, int sites, DType dtype) {
            double[] x = new double[batch.size() * sites];
            for (int b = 0; b < batch.size(); b++) {
                List<Object> c = batch.get(b).getList(index);
                if (c == null || c.size() != sites) {
                    throw new IllegalArgumentException(column + ": expected a configuration of " + sites
                            + " sites but a row has " + (c == null ? "null" : c.size() + " values"));
                }
                for (int i = 0; i < sites; i++) {
                    x[b * sites + i] = ((Number) c.get(i)).doubleValue();
                }
            }
            return Tensor64.wrap(x, batch.size(), sites).to(dtype);
        }

        private static Object element(NdArray a, int i) {
            return switch (a) {
                case Tensor t -> t.array()[t.offset() + i];
                case Tensor64 t -> t.array()[t.offset() + i];
            };
        }

        /** Row b of (batch, N, localSize) conditionals as N arrays of localSize. */
        private static Object rowOfConditionals(NdArray p, int b, int sites) {
            int ls = p.shape()[2];
            Object[] perSite = new Object[sites];
            for (int i = 0; i < sites; i++) {
                int from = (b * sites + i) * ls;
                perSite[i] = switch (p) {
                    case Tensor t -> java.util.Arrays.copyOfRange(t.array(), t.offset() + from, t.offset() + from + ls);
                    case Tensor64 t -> java.util.Arrays.copyOfRange(t.array(), t.offset() + from, t.offset() + from + ls);
                };
            }
            return perSite;
        }
    }

    /** One shard file: read, evaluated in one model call. */
    private static final class EvaluateShard implements Function<String, List<ArrayData>> {
        @Serial
        private static final long serialVersionUID = 1L;

        private final Broadcast<ModelBytes> model;
        private final boolean conditionals;

        EvaluateShard(Broadcast<ModelBytes> model, boolean conditionals) {
            this.model = model;
            this.conditionals = conditionals;
        }

        @Override
        public List<ArrayData> call(String path) throws Exception {
            AutoregressiveModel m = model.value().model().withThreads(Tasks.threads());
            NdArray x = Npy.readArray(Path.of(path));
            int[] shape = x.shape();
            if (shape.length != 2 || shape[1] != m.hilbert().size()) {
                throw new IllegalArgumentException(path + ": expected configurations (rows, " + m.hilbert().size()
                        + ") but the array is " + java.util.Arrays.toString(shape));
            }
            List<ArrayData> out = new ArrayList<>();
            out.add(ArrayData.of(m.logPsi(x)));
            if (conditionals) {
                out.add(ArrayData.of(m.conditionals(x)));
            }
            return out;
        }
    }
}
