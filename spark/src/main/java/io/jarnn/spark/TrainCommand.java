package io.jarnn.spark;

import io.jarnn.cli.Hamiltonians;
import io.jarnn.cli.TrainingInterrupt;
import io.jarnn.io.ModelFiles;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.vmc.Adam;
import io.jarnn.vmc.Optimizer;
import io.jarnn.vmc.Sgd;
import io.jarnn.vmc.StepRecord;
import io.jarnn.vmc.StochasticReconfiguration;
import io.jarnn.vmc.VmcCheckpoint;
import io.jarnn.vmc.VmcDriver;
import io.jarnn.vmc.VmcListener;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code jarnn-spark train}: VMC steps as Spark jobs ({@link DistributedVmc}), with the options
 * of {@code jarnn train} that apply to a run on a cluster. The model to start from is a file
 * ({@code jarnn init} makes one); a state file beside it ({@code MODEL.vmc.npz}, written by a
 * checkpoint of either trainer) resumes that run.
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = {
        "variational Monte Carlo with each step's sampling, local energies and sums as a Spark job",
        "",
        "Step s draws the samples 'jarnn train' draws on one machine (seed, step), the partitions compute their"
                + " local energies and share of the energy, gradient and SR sums, and the driver merges the shares in a"
                + " fixed order, solves and updates. The same --partitions gives the same run; against 'jarnn train' a"
                + " step differs only in the order of its sums. Checkpoints are those of 'jarnn train'."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "FILE.npz", required = true,
            description = {"the model to start from (jarnn init writes one);", "with FILE.vmc.npz beside it: resume"})
    Path modelFile;

    @Option(names = "--hamiltonian", paramLabel = "H", required = true,
            description = "e.g. ising:J=1,h=1, heisenberg:J=1[,marshall], bose-hubbard:..., pauli:... (as jarnn train)")
    String hamiltonian;

    @Option(names = "--lattice", paramLabel = "L", required = true, description = "chain:N:open|periodic or square:L:open|periodic")
    String lattice;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "1024", description = "exact samples per step (default ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--steps", paramLabel = "S", defaultValue = "300", description = "optimisation steps (default ${DEFAULT-VALUE})")
    long steps;

    @Option(names = "--optimizer", paramLabel = "sgd|adam|sr", defaultValue = "sr",
            description = "plain gradient, Adam, or SGD on the SR direction (default ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--lr", paramLabel = "ETA", defaultValue = "0.05", description = "learning rate (default ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--diag-shift", paramLabel = "EPS", defaultValue = "0.01",
            description = "sr: added to the diagonal of S (default ${DEFAULT-VALUE})")
    double diagShift;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of the samples (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "MODEL.npz", required = true,
            description = "where to write the trained model and its state (required)")
    Path out;

    @Option(names = "--checkpoint-every", paramLabel = "K", defaultValue = "0",
            description = "also save model and state to --out every K steps (default ${DEFAULT-VALUE}: at the end only)")
    int checkpointEvery;

    @CommandLine.Mixin
    SparkMain.JobOptions job = new SparkMain.JobOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        requireAtLeast("--samples", samples, 2);
        requireAtLeast("--steps", steps, 1);
        requireAtLeast("--checkpoint-every", checkpointEvery, 0);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("--lr: expected a finite number > 0 but got " + learningRate);
        }
        Optimizer update = switch (optimizer) {
            case "sgd", "sr" -> new Sgd(learningRate);
            case "adam" -> new Adam(learningRate);
            default -> throw new IllegalArgumentException("--optimizer: expected sgd, adam or sr but got '" + optimizer + "'");
        };
        StochasticReconfiguration sr = optimizer.equals("sr")
                ? new StochasticReconfiguration(diagShift, StochasticReconfiguration.Form.AUTO) : null;
        String h = hamiltonian;
        String l = lattice;
        OperatorSource source = () -> {
            try {
                return Hamiltonians.operator(h, l);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        String system = Hamiltonians.describe(h, l); // a bad --hamiltonian or --lattice fails here, on the driver
        if (!Files.isRegularFile(modelFile)) {
            throw new java.nio.file.NoSuchFileException(modelFile.toString(), null, "no such model file");
        }
        Path state = VmcCheckpoint.statePath(modelFile);
        VmcCheckpoint resumed = Files.exists(state) ? VmcCheckpoint.load(modelFile) : null;
        AutoregressiveModel model = resumed != null ? resumed.model() : ModelFiles.load(modelFile);
        SparkSession spark = job.session("jarnn train");
        PrintWriter print = spec.commandLine().getOut();
        VmcListener listener = new VmcListener() {
            @Override
            public void onStep(StepRecord r) {
                print.printf(Locale.ROOT, "step %5d  E = %.6f ± %.6f  (%.2f s)%n", r.step() + 1, r.energy(),
                        r.standardError(), r.seconds());
            }

            @Override
            public void onCheckpoint(long step, Path model) {
                print.printf(Locale.ROOT, "checkpoint: %s after step %d%n", model, step);
            }
        };
        VmcDriver.Builder builder = VmcDriver.builder(model, DistributedVmc.on(spark, source)
                        .withPartitions(job.partitions))
                .samples(samples).seed(seed).optimizer(update).sr(sr).checkpoint(out, checkpointEvery)
                .listener(listener);
        if (resumed != null) {
            builder.resume(resumed);
        }
        VmcDriver run = builder.build();
        print.printf(Locale.ROOT, "%s, %s, %,d samples/step, %d steps from step %d, %s on %s%n", system,
                model.dtype(), samples, steps, run.step(), optimizer, spark.sparkContext().master());
        print.flush();
        // Ctrl-C or SIGTERM: the step in progress (its Spark job) finishes, the checkpoint is written,
        // and the command exits with the signal's status, as jarnn train does.
        try (TrainingInterrupt interrupt = new TrainingInterrupt(System.err, "jarnn spark train")) {
            interrupt.attach(run, out.toString());
            run.run(steps);
            if (interrupt.stopped()) {
                print.printf(Locale.ROOT, "stopped by a signal after step %d%n", run.step());
            }
            print.printf(Locale.ROOT, "wrote %s (and its state %s) after step %d%n", out, VmcCheckpoint.statePath(out),
                    run.step());
            print.flush();
            return interrupt.exitStatus(SparkMain.OK);
        }
    }

    private static void requireAtLeast(String option, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(option + ": expected >= " + min + " but got " + value);
        }
    }
}
