package io.jarnn.spark;

import io.jarnn.core.DType;
import io.jarnn.core.NdArray;
import io.jarnn.nn.AutoregressiveModel;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The spark-submit-able entry point of jarnn's Spark jobs:
 * <pre>
 *   spark-submit --class io.jarnn.spark.SparkMain jarnn-spark.jar sample model.npz --samples 1000000 --out dir
 *   ./jarnn spark sample model.npz --samples 1000000 --out dir --master local[*]
 * </pre>
 * Subcommands {@code sample}, {@code evaluate} and {@code train}. Exit status 0 on success, 1
 * when a job fails, 2 for a command line that cannot be run; errors are one line on stderr
 * starting with {@code jarnn-spark: } ({@code --debug} adds the stack trace).
 */
@Command(name = "jarnn-spark", mixinStandardHelpOptions = true, versionProvider = SparkMain.Version.class,
        description = {"jarnn's exact sampling, evaluation and VMC training as Apache Spark jobs.", "",
                "Run through spark-submit (--class io.jarnn.spark.SparkMain jarnn-spark.jar), which sets the master,"
                        + " or with --master (./jarnn spark ... runs it with Spark's jars from Maven's cache).",
                "Executors need the Vector API module: spark-submit adds --add-modules=jdk.incubator.vector"
                        + " itself (Spark 4.2's default JVM options)."},
        subcommands = {SparkMain.Sample.class, SparkMain.Evaluate.class, TrainCommand.class,
                CommandLine.HelpCommand.class})
public final class SparkMain implements Runnable {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;

    @Override
    public void run() {
        throw new ParameterException(new CommandLine(this), "expected a command: sample, evaluate or train");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs {@code jarnn-spark args...}; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean debug = List.of(args).contains("--debug");
        CommandLine cli = new CommandLine(new SparkMain());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("jarnn-spark: " + e.getMessage());
            err.println("(jarnn-spark --help lists the commands; jarnn-spark help COMMAND shows one)");
            if (debug) {
                e.printStackTrace(err);
            }
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> fail(err, e, debug));
        try {
            return cli.execute(args);
        } catch (RuntimeException e) {
            return fail(err, e, debug);
        }
    }

    private static int fail(PrintStream err, Throwable e, boolean debug) {
        err.println("jarnn-spark: " + describe(e));
        if (debug) {
            e.printStackTrace(err);
        }
        return e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith("--")
                ? USAGE : FAILURE;
    }

    /** One line for an exception: the innermost jarnn message Spark wrapped, without Spark's stack text. */
    static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause.getMessage() == null || cause.getClass().getName().startsWith("org.apache.spark"))) {
            cause = cause.getCause();
        }
        if (cause instanceof NoSuchFileException f) {
            return f.getFile() + ": " + (f.getReason() == null ? "no such file" : f.getReason());
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Options every job command takes. */
    static final class JobOptions {
        @Option(names = "--master", paramLabel = "URL",
                description = {"Spark master: local[*], local[K], spark://HOST:PORT, yarn, k8s://...",
                        "(default: the one spark-submit set)"})
        String master;

        @Option(names = "--partitions", paramLabel = "P", defaultValue = "0",
                description = "Spark tasks to cut the job into (default 0: the cluster's default parallelism)")
        int partitions;

        @Option(names = "--debug", description = "print the stack trace of an error")
        boolean debug;

        SparkSession session(String appName) {
            if (partitions < 0) {
                throw new IllegalArgumentException("--partitions: expected >= 0 (0: automatic) but got " + partitions);
            }
            // spark-submit (and ./jarnn spark) pass the master as the system property spark.master.
            String url = master != null ? master : System.getProperty("spark.master");
            if (url == null) {
                throw new IllegalArgumentException("--master: expected a Spark master (local[*], spark://HOST:PORT, ...)"
                        + " or a run through spark-submit, which sets one, but got neither");
            }
            return SparkSessions.builder(url, appName).getOrCreate();
        }
    }

    @Command(name = "sample", mixinStandardHelpOptions = true, description = {
            "draw exact samples as a Spark job into a directory of .npy shards",
            "",
            "Each task draws a range of whole sampler chunks from (seed, first row), so the shards put together are"
                    + " bit for bit the samples of 'jarnn sample MODEL --samples N --seed S' on one machine, for any"
                    + " --partitions, executors or task retries. The directory gets samples-NNNNN.npy (rows, sites)"
                    + " and log_prob-NNNNN.npy (rows,) per partition, in the model's dtype, and manifest.json listing"
                    + " them in row order: np.concatenate([np.load(d / s['samples']) for s in m['shards']]).",
            "The shards are written by the driver as partitions arrive, to temporary files put in place together,"
                    + " the manifest last."})
    static final class Sample implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MODEL", description = "a model file (.npz) written by jarnn init or train")
        Path modelFile;

        @Option(names = "--samples", paramLabel = "N", required = true, description = "number of samples (required)")
        long samples;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "random seed (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--out", paramLabel = "DIR", required = true,
                description = "directory for the shards and manifest.json (created if missing; required)")
        Path out;

        @CommandLine.Mixin
        JobOptions job = new JobOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (samples < 1) {
                throw new ParameterException(spec.commandLine(), "--samples: expected >= 1 but got " + samples);
            }
            ModelBytes model = ModelBytes.read(modelFile);
            AutoregressiveModel m = model.model();
            SparkSession spark = job.session("jarnn sample");
            DistributedSampler sampler = DistributedSampler.of(spark, model).withPartitions(job.partitions);
            long start = System.nanoTime();
            Iterator<SampleBlock> blocks = sampler.blocks(samples, seed).toLocalIterator();
            Iterator<ShardDirectory.Shard> shards = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return blocks.hasNext();
                }

                @Override
                public ShardDirectory.Shard next() {
                    SampleBlock b = blocks.next();
                    return new ShardDirectory.Shard(b.firstRow(), b.rows(), List.of(b.configurations(),
                            b.logProbabilities()));
                }
            };
            int count = ShardDirectory.write(out, List.of("samples", "log_prob"), m.dtype(), List.of(
                    ShardDirectory.Field.text("model", modelFile.toString()),
                    ShardDirectory.Field.number("seed", seed),
                    ShardDirectory.Field.number("chunk_size", sampler.chunkSize()),
                    ShardDirectory.Field.number("sites", m.hilbert().size())), shards);
            double seconds = (System.nanoTime() - start) / 1e9;
            spec.commandLine().getErr().printf(Locale.ROOT, "sampled %,d configurations of %s in %.2f s: %,.0f samples/s (%d tasks on %s)%n",
                    samples, m.hilbert(), seconds, samples / seconds, count, spark.sparkContext().master());
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %d shards of samples and log_prob, %s (%d, %d), seed %d%n",
                    out, count, m.dtype(), samples, m.hilbert().size(), seed);
            return OK;
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true, description = {
            "logPsi (and conditionals) of a directory of .npy sample shards, as a Spark job",
            "",
            "Reads IN/samples-NNNNN.npy (as 'sample' writes them; each (rows, sites)), one task per shard, and writes"
                    + " OUT/log_psi-NNNNN.npy (rows,) and with --conditionals OUT/conditionals-NNNNN.npy"
                    + " (rows, sites, local states), in the model's dtype, with manifest.json. The executors read the"
                    + " shards themselves: IN must be on a file system they share (or run in local mode)."})
    static final class Evaluate implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MODEL", description = "a model file (.npz)")
        Path modelFile;

        @Option(names = "--in", paramLabel = "DIR", required = true, description = "a directory of samples-NNNNN.npy shards")
        Path in;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "directory for the results")
        Path out;

        @Option(names = "--conditionals", description = "also write the conditional probabilities")
        boolean conditionals;

        @CommandLine.Mixin
        JobOptions job = new JobOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("--out: expected a directory other than --in (its manifest.json"
                        + " would be replaced) but got " + out);
            }
            ModelBytes model = ModelBytes.read(modelFile);
            List<Path> shards = ShardDirectory.shards(in, "samples");
            SparkSession spark = job.session("jarnn evaluate");
            DType dtype = model.model().dtype();
            Iterator<List<ArrayData>> results = DistributedEvaluation.of(spark, model)
                    .evaluateShards(shards, conditionals).toLocalIterator();
            Iterator<ShardDirectory.Shard> out = new Iterator<>() {
                private long row;

                @Override
                public boolean hasNext() {
                    return results.hasNext();
                }

                @Override
                public ShardDirectory.Shard next() {
                    List<NdArray> arrays = new ArrayList<>();
                    for (ArrayData a : results.next()) {
                        arrays.add(a.array());
                    }
                    int rows = arrays.getFirst().shape()[0];
                    ShardDirectory.Shard s = new ShardDirectory.Shard(row, rows, arrays);
                    row += rows;
                    return s;
                }
            };
            List<String> names = conditionals ? List.of("log_psi", "conditionals") : List.of("log_psi");
            int count = ShardDirectory.write(this.out, names, dtype, List.of(
                    ShardDirectory.Field.text("model", modelFile.toString()),
                    ShardDirectory.Field.text("input", in.toString())), out);
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %d shards of %s, %s%n", this.out, count, String.join(" and ", names),
                    dtype);
            return OK;
        }
    }

    /** The version the jar's manifest carries. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SparkMain.class.getPackage().getImplementationVersion();
            return new String[]{"jarnn-spark " + (v == null ? "(development build)" : v)};
        }
    }
}
