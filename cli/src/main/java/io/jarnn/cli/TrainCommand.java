package io.jarnn.cli;

import io.jarnn.core.DType;
import io.jarnn.core.npy.ReadLimits;
import io.jarnn.io.ModelFiles;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.vmc.NonFiniteParametersException;
import io.jarnn.vmc.VmcCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

/**
 * {@code jarnn train}: variational Monte Carlo for the ground state of a Hamiltonian on a lattice,
 * from a new model or a saved one, with a live progress line, a CSV log and an energy picture.
 */
@Command(name = "train", description = {
        "find a ground state by variational Monte Carlo",
        "",
        """
        Each step draws --samples exact samples of the model (no Markov chain), estimates the \
        energy <H> from their local energies, and moves the parameters along its gradient: plain \
        (sgd), with Adam's moments (adam), or preconditioned by stochastic reconfiguration (sr, \
        the quantum natural gradient, S + diag-shift * I). A new model is built from --kind, \
        --layers and --features (in float32, as init does, unless --dtype float64, the precision \
        stochastic reconfiguration is often run in); --model FILE.npz \
        continues from a saved one.""",
        "",
        """
        A progress line on stderr shows the step, E ± its standard error, the relative error \
        against the exact ground-state energy when that is computable (the Ising chain's \
        closed form, or Lanczos on at most 2^22 = 4,194,304 states), steps/s and the time left. At the end: the model (--out), the per-step CSV (--log: \
        step,energy,error,variance,relative_error,seconds) and the energy-vs-step PNG (--plot), \
        each written whole and atomically. Ctrl-C (or SIGTERM) ends the run after the step under \
        way, with the same outputs (exit status 130, or 143); --model continues it exactly as if \
        it had not stopped."""})
final class TrainCommand implements Callable<Integer> {
    /** The optimisers, by the names {@code --optimizer} takes. */
    enum OptimizerKind {
        SGD, ADAM, SR;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        static final class Converter implements ITypeConverter<OptimizerKind> {
            @Override
            public OptimizerKind convert(String text) {
                for (OptimizerKind k : values()) {
                    if (k.word().equals(text)) {
                        return k;
                    }
                }
                throw new TypeConversionException("expected sgd, adam or sr but got '" + text + "'");
            }
        }
    }

    /** What a run is asked to do, for {@link Physics.System#train}. */
    record Settings(int samples, int steps, OptimizerKind optimizer, double learningRate, double diagShift,
                    long seed) {
        String describe() {
            String opt = optimizer.word() + " (lr " + HamiltonianSpec.number(learningRate)
                    + (optimizer == OptimizerKind.SR ? ", diag shift " + HamiltonianSpec.number(diagShift) : "") + ")";
            return String.format(Locale.ROOT, "%,d samples/step, %,d steps, %s, seed %d", samples, steps, opt, seed);
        }
    }

    @Mixin
    SystemOptions system;

    @Option(names = "--model", paramLabel = "FILE.npz", converter = Converters.FileName.class,
            description = {"continue from this saved model", "(instead of --kind, --layers, --features)"})
    Path modelFile;

    @Option(names = "--kind", paramLabel = "dense|conv1d|conv2d", converter = InitCommand.Kind.Converter.class,
            description = {"a new ARNNDense, ARNNConv1D or ARNNConv2D", "(conv2d: a square lattice, row by row)"})
    InitCommand.Kind kind;

    @Option(names = "--layers", paramLabel = "L", converter = Converters.PositiveInt.class,
            description = "its number of layers")
    Integer layers;

    @Option(names = "--features", paramLabel = "F", converter = Converters.PositiveInt.class,
            description = "its hidden width")
    Integer features;

    @Option(names = "--kernel-size", paramLabel = "K|h,w", converter = ModelKinds.Ints.Converter.class,
            description = {ModelKinds.KERNEL_SIZE_1D, ModelKinds.KERNEL_SIZE_2D})
    ModelKinds.Ints kernelSize;

    @Option(names = "--dilation", paramLabel = "D|dh,dw", converter = ModelKinds.Ints.Converter.class,
            description = {ModelKinds.DILATION_1D, ModelKinds.DILATION_2D})
    ModelKinds.Ints dilation;

    @Option(names = "--dtype", paramLabel = "float32|float64", converter = Converters.Precision.class,
            description = {"precision of the model (default: float32 for a new",
                    "model, as init; the file's with --model)"})
    DType dtype;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "1024", converter = Converters.PositiveInt.class,
            description = "exact samples per step (default ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--steps", paramLabel = "S", defaultValue = "300", converter = Converters.PositiveInt.class,
            description = "optimisation steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--optimizer", paramLabel = "sgd|adam|sr", defaultValue = "sr",
            converter = OptimizerKind.Converter.class,
            description = "update rule (default ${DEFAULT-VALUE})")
    OptimizerKind optimizer;

    @Option(names = "--lr", paramLabel = "ETA", defaultValue = "0.05", converter = Converters.PositiveDouble.class,
            description = "learning rate (default ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--diag-shift", paramLabel = "EPS", defaultValue = "0.01",
            converter = Converters.NonNegativeDouble.class,
            description = "sr: added to the diagonal of S (default ${DEFAULT-VALUE})")
    double diagShift;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", converter = Converters.Seed.class,
            description = {"seed of the new model's parameters and of the", "samples (default ${DEFAULT-VALUE})"})
    long seed;

    @Option(names = "--out", paramLabel = "MODEL.npz", required = true, converter = Converters.FileName.class,
            description = "where to write the trained model (required)")
    Path out;

    @Option(names = "--checkpoint-every", paramLabel = "K", defaultValue = "0", converter = Converters.NonNegativeInt.class,
            description = {"also save model and state to --out every K steps",
                    "(default ${DEFAULT-VALUE}: at the end only)"})
    int checkpointEvery;

    @Option(names = "--log", paramLabel = "FILE.csv", converter = Converters.FileName.class,
            description = "where to write the per-step CSV")
    Path log;

    @Option(names = "--plot", paramLabel = "FILE.png", converter = Converters.FileName.class,
            description = "where to draw energy against step (PNG)")
    Path plot;

    @Mixin
    ThreadsOption threads;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    private final PrintStream stdout;
    private final PrintStream err;
    /** Nanoseconds, for the progress line; tests replace it. */
    LongSupplier clock = java.lang.System::nanoTime;

    TrainCommand(PrintStream stdout, PrintStream err) {
        this.stdout = stdout;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        checkOutputs();
        Physics.System physics = Physics.of(spec, system);
        VmcCheckpoint resume = resumed();
        AutoregressiveModel model = resume != null ? resume.model()
                : modelFile != null ? Models.load(modelFile, dtypeOption())
                : AutoregressiveModel.initialise(newModel(physics), seed);
        model = threads.apply(model);
        if (model.config().machinePow() != 2f) {
            throw new CommandFailure((modelFile != null ? modelFile : out) + ": expected a model with machine_pow 2 "
                    + "(VMC samples |psi|^2) but it has " + model.config().machinePow());
        }
        Physics.requireSameSpace(modelFile != null ? modelFile : out, model, physics);
        Optional<Physics.ExactEnergy> exactEnergy = physics.exact(Physics.LANCZOS_LIMIT);
        double exact = exactEnergy.map(Physics.ExactEnergy::value).orElse(Double.NaN);
        int firstStep = resume == null ? 0 : Math.toIntExact(resume.step());
        Settings settings = new Settings(samples, steps, optimizer, learningRate, diagShift,
                resume == null ? seed : resume.seed());
        stdout.printf(Locale.ROOT, "training %s%n  on %s%n  %s%n", model, physics.describe(), settings.describe());
        if (resume != null) {
            stdout.printf(Locale.ROOT, "  continuing from step %d of %s (state: %s)%n", firstStep, modelFile,
                    VmcCheckpoint.statePath(modelFile));
        }
        stdout.printf(Locale.ROOT, "  exact energy: %s%n", exactEnergy.map(x -> String.format(Locale.ROOT, "%.10f (%s)",
                x.value(), x.method())).orElse("not computed (" + physics.dimensionText() + " states, more than "
                + Physics.LANCZOS_LIMIT_TEXT + ")"));
        stdout.flush();

        TrainingLog record = new TrainingLog(exact);
        long start = clock.getAsLong();
        int status;
        try (TrainingInterrupt interrupt = new TrainingInterrupt(err)) {
            try (TrainingProgress progress = new TrainingProgress(err, firstStep, firstStep + steps, clock,
                    ProgressBar.stderrIsTerminal())) {
                physics.train(model, resume, settings, out, checkpointEvery, (step, e) -> {
                    record.add(new TrainingLog.Row(step, e.mean(), e.error(), e.variance(),
                            (clock.getAsLong() - start) / 1e9));
                    progress.update(step, e.mean(), e.error(), record.relativeError(e.mean()));
                }, interrupt);
            } catch (NonFiniteParametersException e) {
                throw new CommandFailure(e.getMessage(), e);
            }
            double seconds = (clock.getAsLong() - start) / 1e9;

            List<String> written = new ArrayList<>(List.of(out + " (and " + VmcCheckpoint.statePath(out).getFileName()
                    + ", the optimiser's state, to continue with --model)"));
            if (log != null) {
                record.write(log);
                written.add(log.toString());
            }
            if (plot != null) {
                record.plot(plot, physics.describe());
                written.add(plot.toString());
            }
            if (interrupt.stopped()) {
                stdout.printf(Locale.ROOT, "stopped by a signal after step %d of %d%n",
                        record.rows().isEmpty() ? firstStep : record.rows().getLast().step(), firstStep + steps);
            }
            summary(record, seconds, exactEnergy.map(Physics.ExactEnergy::method).orElse(null), written);
            stdout.flush();
            status = interrupt.exitStatus(Main.OK);
        }
        return status;
    }

    /**
     * The checkpoint to continue from: {@code --model}'s model with the VMC state beside it, if
     * there is one (a model from {@code init}, or from elsewhere, has none: training starts anew
     * from its parameters).
     */
    private VmcCheckpoint resumed() throws IOException {
        if (modelFile == null || !Files.exists(VmcCheckpoint.statePath(modelFile))) {
            return null;
        }
        VmcCheckpoint checkpoint = VmcCheckpoint.load(modelFile);
        if (given("--seed") && seed != checkpoint.seed()) {
            throw usage("--seed: the run continued from " + VmcCheckpoint.statePath(modelFile) + " has seed "
                    + checkpoint.seed() + " (its samples continue that sequence); leave --seed out or give "
                    + checkpoint.seed());
        }
        if (!checkpoint.optimizer().equals(optimizer == OptimizerKind.ADAM ? "adam" : "sgd")) {
            throw usage("--optimizer: the run continued from " + VmcCheckpoint.statePath(modelFile) + " used "
                    + checkpoint.optimizer() + " but got " + optimizer.word());
        }
        if (dtype != null && dtype != checkpoint.model().dtype()) {
            throw usage("--dtype: the run continued from " + modelFile + " is in " + checkpoint.model().dtype()
                    + " but got " + dtype);
        }
        return checkpoint;
    }

    private void summary(TrainingLog record, double seconds, String exactMethod, List<String> written) {
        List<TrainingLog.Row> rows = record.rows();
        if (rows.isEmpty()) { // stopped before its first step
            stdout.println("no step done; wrote " + String.join(", ", written));
            return;
        }
        TrainingLog.Row last = rows.getLast();
        stdout.printf(Locale.ROOT, "%,d steps in %.1f s (%.1f steps/s)%n", rows.size(), seconds, rows.size() / seconds);
        stdout.printf(Locale.ROOT, "energy at step %d: %s%n", last.step(), EnergyFormat.plusMinus(last.energy(),
                last.error()));
        if (exactMethod != null) {
            stdout.printf(Locale.ROOT, "exact energy: %.10f (%s); relative error %.2e%n", record.exact(),
                    exactMethod, record.relativeError(last.energy()));
        }
        stdout.println("wrote " + String.join(", ", written));
    }

    private DTypeOption dtypeOption() {
        DTypeOption option = new DTypeOption();
        option.dtype = dtype;
        return option;
    }

    /** Usage errors before any work: output names, clashes, a new model's flags or --model, not both. */
    private void checkOutputs() {
        OutputPaths.requireWritable(spec, "--out", out, ".npz");
        if (log != null) {
            OutputPaths.requireWritable(spec, "--log", log, ".csv");
            OutputPaths.requireDistinct(spec, "--out", out, "--log", log);
        }
        if (plot != null) {
            OutputPaths.requireWritable(spec, "--plot", plot, ".png");
            OutputPaths.requireDistinct(spec, "--out", out, "--plot", plot);
            if (log != null) {
                OutputPaths.requireDistinct(spec, "--log", log, "--plot", plot);
            }
        }
        if (modelFile != null) {
            // --out may be --model itself: the model is replaced atomically, only at the end.
            for (String flag : new String[]{"--kind", "--layers", "--features", "--kernel-size", "--dilation"}) {
                if (given(flag)) {
                    throw usage("--model and " + flag + ": give one (the model is either saved or new)");
                }
            }
            for (Path output : new Path[]{log, plot}) {
                if (output != null && OutputPaths.sameFile(modelFile, output)) {
                    throw usage("--model and " + (output == log ? "--log" : "--plot")
                            + ": expected different files but both are '" + modelFile + "'");
                }
            }
        } else if (kind == null || layers == null || features == null) {
            List<String> missing = new ArrayList<>();
            if (kind == null) {
                missing.add("--kind dense|conv1d|conv2d");
            }
            if (layers == null) {
                missing.add("--layers L");
            }
            if (features == null) {
                missing.add("--features F");
            }
            throw usage("missing " + String.join(", ", missing) + " (for a new model; or continue from --model FILE.npz)");
        }
    }

    private ARNNConfig newModel(Physics.System physics) {
        ARNNConfig.Builder<?> builder = ModelKinds.builder(kind, physics.hilbert(), kernelSize, dilation, this::usage);
        builder.layers(layers).features(features).dtype(dtype != null ? dtype : DType.FLOAT32);
        try {
            ARNNConfig config = builder.config();
            ModelFiles.requireLoadable(config, ReadLimits.DEFAULT);
            return config;
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int colon = message.indexOf(':');
            String key = colon < 0 ? "" : message.substring(0, colon);
            String flag = ModelKinds.flagOf(key, k -> switch (k) {
                case "layers" -> "--layers";
                case "features" -> "--features";
                case "hilbert" -> "--lattice";
                default -> null;
            });
            throw usage(flag == null ? message : flag + message.substring(colon));
        }
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
