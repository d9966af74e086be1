package io.jarnn.cli;

import io.jarnn.core.DType;
import io.jarnn.core.Tensor;
import io.jarnn.core.npy.Npy;
import io.jarnn.core.npy.NpyFormatException;
import io.jarnn.io.ModelFiles;
import io.jarnn.nn.ARNN;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;

/** Loading what the model commands share: the MODEL argument, {@code --threads}, input configurations. */
final class Models {
    private Models() {
    }

    /** What {@code logpsi} and {@code conditionals} share: MODEL, {@code --inputs} read and checked, {@code --out}. */
    record Evaluation(ARNN model, Path inputsFile, Tensor inputs, Path outFile) {
    }

    /**
     * Checks {@code --out} (a writable .npy, neither the inputs nor the model, under any name)
     * before any work, then loads the model and the inputs.
     */
    static Evaluation evaluation(CommandSpec command, Path modelFile, Path inputsFile, Path outFile,
                                 ThreadsOption threads) throws IOException {
        OutputPaths.requireWritable(command, "--out", outFile, ".npy");
        OutputPaths.requireDistinct(command, "--inputs", inputsFile, "--out", outFile);
        OutputPaths.requireDistinct(command, "MODEL", modelFile, "--out", outFile);
        ARNN model = load(modelFile, threads);
        return new Evaluation(model, inputsFile, inputs(model, inputsFile), outFile);
    }

    /** The model in {@code file}, in float32 (the commands compute in float32), on {@code --threads} threads. */
    static ARNN load(Path file, ThreadsOption threads) throws IOException {
        return threads.apply(ModelFiles.load(file, DType.FLOAT32).toSinglePrecision());
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
