package io.jarnn.cli;

import io.jarnn.core.Tensor;
import io.jarnn.core.npy.Npy;
import io.jarnn.core.npy.NpyFormatException;
import io.jarnn.io.ModelFiles;
import io.jarnn.nn.ARNN;

import java.io.IOException;
import java.nio.file.Path;

/** Loading what the model commands share: the MODEL argument, {@code --threads}, input configurations. */
final class Models {
    static final Option THREADS = Option.value("--threads", "T",
            "threads to use (default: all " + Runtime.getRuntime().availableProcessors() + " processors);\n"
                    + "results do not depend on it");

    private Models() {
    }

    /** What {@code logpsi} and {@code conditionals} share: MODEL, {@code --inputs} read and checked, {@code --out}. */
    record Evaluation(ARNN model, Path inputsFile, Tensor inputs, Path outFile) {
    }

    /**
     * Checks {@code --out} (a writable .npy, not the inputs) before any work, then loads the
     * model and the inputs.
     */
    static Evaluation evaluation(Args args) throws IOException {
        Path inputsFile = args.requiredPath("--inputs");
        Path outFile = OutputPaths.requireWritable(args, "--out", args.requiredPath("--out"), ".npy");
        OutputPaths.requireDistinct(args, "--inputs", inputsFile, "--out", outFile);
        ARNN model = load(args);
        return new Evaluation(model, inputsFile, inputs(model, inputsFile), outFile);
    }

    /** The model file given as positional 0, on {@code --threads} threads. */
    static ARNN load(Args args) throws IOException {
        ARNN model = ModelFiles.load(args.positionalPath(0));
        int threads = args.integer("--threads", model.threads(), 1);
        return model.withThreads(threads);
    }

    /**
     * The (batch, N) configurations in a {@code .npy} file, checked against the model's space:
     * the shape, and that every element is one of its local values.
     */
    static Tensor inputs(ARNN model, Path file) throws IOException {
        Tensor inputs;
        try {
            inputs = Npy.read(file);
        } catch (NpyFormatException e) {
            if (e.getMessage().contains("zip archive")) {
                // A model or parameter file passed by mistake; the library's hint names a Java class.
                throw new CommandFailure(file + ": expected a .npy array of configurations (numpy.save) but it is a "
                        + "zip archive (.npz)", e);
            }
            throw e;
        }
        try {
            model.hilbert().requireConfigurations(file.toString(), inputs);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage()
                    + (inputs.rank() == 1 && inputs.dim(0) == model.hilbert().size()
                    ? " (one configuration? reshape it to (1, " + model.hilbert().size() + "))" : ""), e);
        }
        return inputs;
    }
}
