package io.jarnn.cli;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import io.jarnn.core.npy.Npy;
import io.jarnn.core.npy.NpyFormatException;
import io.jarnn.io.ModelFiles;
import io.jarnn.nn.AutoregressiveModel;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Loading what the model commands share: the MODEL argument in its precision (or that of
 * {@code --dtype}), {@code --threads}, input configurations.
 */
final class Models {
    private Models() {
    }

    /** What {@code logpsi} and {@code conditionals} share: MODEL, {@code --inputs} read and checked, {@code --out}. */
    record Evaluation(AutoregressiveModel model, Path inputsFile, Tensor inputs, Path outFile) {
    }

    /**
     * Checks {@code --out} (a writable .npy, neither the inputs nor the model, under any name)
     * before any work, then loads the model and the inputs.
     */
    static Evaluation evaluation(CommandSpec command, Path modelFile, Path inputsFile, Path outFile,
                                 DTypeOption dtype, ThreadsOption threads) throws IOException {
        OutputPaths.requireWritable(command, "--out", outFile, ".npy");
        OutputPaths.requireDistinct(command, "--inputs", inputsFile, "--out", outFile);
        OutputPaths.requireDistinct(command, "MODEL", modelFile, "--out", outFile);
        AutoregressiveModel model = load(modelFile, dtype, threads);
        return new Evaluation(model, inputsFile, inputs(model.hilbert(), inputsFile), outFile);
    }

    /**
     * The model in {@code file}, in the file's precision or converted to {@code --dtype}, on
     * {@code --threads} threads.
     */
    static AutoregressiveModel load(Path file, DTypeOption dtype, ThreadsOption threads) throws IOException {
        return threads.apply(load(file, dtype));
    }

    /** The model in {@code file}, in the file's precision or converted to {@code --dtype}. */
    static AutoregressiveModel load(Path file, DTypeOption dtype) throws IOException {
        AutoregressiveModel model = ModelFiles.load(file);
        if (dtype.dtype == null || dtype.dtype == model.dtype()) {
            return model;
        }
        try {
            return model.to(dtype.dtype);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(file + ": cannot convert its " + model.dtype() + " parameters to " + dtype.dtype
                    + " (--dtype " + dtype.dtype + "): " + e.getMessage(), e);
        }
    }

    /**
     * The (batch, N) configurations in a {@code .npy} file of any supported dtype, checked
     * against {@code hilbert}: the shape, and that every element is one of its local values.
     * They are returned in float32, which holds every local value exactly (a model of either
     * precision takes them; a float64 model widens them exactly); a float64 element that is not
     * a float32 number is no local value and is refused, never rounded onto one.
     */
    static Tensor inputs(HilbertSpace hilbert, Path file) throws IOException {
        NdArray stored;
        try {
            stored = Npy.readArray(file);
        } catch (NpyFormatException e) {
            if (e.getMessage().contains("zip archive")) {
                // A model or parameter file passed by mistake; the library's hint names a Java class.
                throw new CommandFailure(file + ": expected a .npy array of configurations (numpy.save) but it is a "
                        + "zip archive (.npz)", e);
            }
            throw e;
        }
        try {
            Tensor inputs = switch (stored) {
                case Tensor t -> t;
                case Tensor64 t -> exactlyFloat32(hilbert, file, t);
            };
            hilbert.requireConfigurations(file.toString(), inputs);
            return inputs;
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage()
                    + (stored.shape().length == 1 && stored.size() == hilbert.size()
                    ? " (one configuration? reshape it to (1, " + hilbert.size() + "))" : ""), e);
        }
    }

    /**
     * {@code array} in float32, refusing (once its shape is that of configurations, which
     * {@link HilbertSpace#requireConfigurations} reports otherwise) the first element that
     * float32 does not hold exactly: rounded, 1.0000000001 would pass for the local value 1.
     * NaN and infinities stay what they are, and are reported as not local values.
     */
    private static Tensor exactlyFloat32(HilbertSpace hilbert, Path file, Tensor64 array) {
        int sites = hilbert.size();
        boolean configurationShape = array.rank() == 2 && array.dim(1) == sites;
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            double v = array.getDouble(i);
            values[i] = (float) v;
            if (configurationShape && values[i] != v && !Double.isNaN(v)) {
                throw new IllegalArgumentException(file + ": element [" + (i / sites) + ", " + (i % sites) + "] is "
                        + v + " (float64), expected one of " + Arrays.toString(hilbert.localValues()) + " ("
                        + hilbert + "); it is not a float32 number, so no local value");
            }
        }
        return Tensor.wrap(values, array.shape());
    }
}
