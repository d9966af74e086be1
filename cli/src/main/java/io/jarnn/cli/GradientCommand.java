package io.jarnn.cli;

import io.jarnn.core.DType;
import io.jarnn.core.NdArray;
import io.jarnn.core.PrecisionConversion;
import io.jarnn.core.Shapes;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import io.jarnn.core.npy.AtomicFileSet;
import io.jarnn.core.npy.Npy;
import io.jarnn.core.npy.NpyFormatException;
import io.jarnn.core.npy.NpyStreamWriter;
import io.jarnn.core.npy.NpzArchive;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNN64;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.nn.ParameterLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/**
 * {@code jarnn gradient}: the gradient of {@code sum_b c_b logPsi(sigma_b)} in NetKet's names and
 * shapes ({@link AutoregressiveModel#logPsiGradient}) and, on request, the per-sample Jacobian in
 * flax's flattened order ({@code toNetKetJacobian(logPsiJacobian(...))}), in the model's dtype.
 *
 * <p>The Jacobian is computed and streamed a block of rows at a time, each block whole chunks of
 * the model's {@code chunkRows()}, so memory does not grow with the batch beyond the inputs and
 * every row is the one the library computes for the whole batch at once (a row depends only on
 * its chunk). With {@code --jacobian} the two files are one {@link AtomicFileSet} whose primary is
 * the gradient, as {@code sample} writes samples and log-probabilities.
 */
@Command(name = "gradient", description = {
        "gradient (and per-sample Jacobian) of logPsi in NetKet's layout",
        "",
        """
        Reads a (batch, sites) array of configurations (local state VALUES) and writes the \
        gradient of sum_b c_b logPsi(sigma_b) with respect to the parameters, c_b = 1 unless \
        --cotangent gives them (in NetKet: jax.vjp(logpsi, params)[1](c)). The .npz holds one \
        array per parameter, NetKet's names and shapes as flatten_dict(params, sep="/") gives \
        them (_layers_0/kernel, _layers_0/bias, ...); masked dense kernel entries are 0.""",
        "",
        """
        --jacobian also writes the per-sample Jacobian d logPsi(sigma_b) / d theta, (batch, P), \
        P the entries of NetKet's arrays (not weighted by --cotangent). Its columns are in flax's \
        flattened order, that of jax.flatten_util.ravel_pytree(params): keys sorted as strings \
        (_layers_10 before _layers_2, bias before kernel), each array in C order; masked dense \
        kernel entries are zero columns. So c @ J is the gradient raveled in that order.""",
        "",
        """
        Computes and writes in the model's dtype (float32 '<f4' or float64 '<f8'; see --dtype); \
        the results do not depend on --threads. Files are renamed into place only when complete \
        (the Jacobian is streamed, so memory does not grow with it). With --jacobian the two are a \
        set: the old gradient file is removed first, then the new Jacobian and gradient are \
        renamed into place, so a gradient file never sits next to another run's Jacobian; runs \
        writing the same --out take turns through a lock file, .FILE.npz.lock."""})
final class GradientCommand implements Callable<Integer> {
    /**
     * Bytes of Jacobian rows (in NetKet's layout) computed and written at a time, at most, unless
     * one chunk is more; the block's flat Jacobian, (rows, effective parameters), comes on top.
     */
    static final long JACOBIAN_BLOCK_BYTES = 128L << 20;
    /** Bytes of a .npy header and of a zip entry's headers, at most, for the space check. */
    private static final long ENTRY_OVERHEAD_BYTES = 512;

    @Parameters(index = "0", paramLabel = "MODEL", converter = Converters.FileName.class,
            description = "a model file written by jarnn init")
    Path modelFile;

    @Option(names = "--inputs", paramLabel = "FILE.npy", required = true, converter = Converters.FileName.class,
            description = "configurations, (batch, sites) (required)")
    Path inputsFile;

    @Option(names = "--out", paramLabel = "FILE.npz", required = true, converter = Converters.FileName.class,
            description = {"where to write the gradient: NetKet's names and", "shapes, in the model's dtype (required)"})
    Path outFile;

    @Option(names = "--cotangent", paramLabel = "FILE.npy", converter = Converters.FileName.class,
            description = "the weights c_b, (batch,), finite (default: all 1)")
    Path cotangentFile;

    @Option(names = "--jacobian", paramLabel = "FILE.npy", converter = Converters.FileName.class,
            description = {"also write the Jacobian, (batch, P), columns in", "flax's ravel_pytree order"})
    Path jacobianFile;

    @Mixin
    DTypeOption dtype;

    @Mixin
    ThreadsOption threads;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    private final PrintStream out;
    /** See {@link #JACOBIAN_BLOCK_BYTES}; tests lower it to write the Jacobian in several blocks. */
    long jacobianBlockBytes = JACOBIAN_BLOCK_BYTES;
    /** Wraps each output stream; tests make it fail as a full disk would. */
    UnaryOperator<OutputStream> outputFilter = UnaryOperator.identity();

    GradientCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws IOException {
        OutputPaths.requireWritable(spec, "--out", outFile, ".npz");
        OutputPaths.requireDistinct(spec, "--inputs", inputsFile, "--out", outFile);
        OutputPaths.requireDistinct(spec, "MODEL", modelFile, "--out", outFile);
        if (cotangentFile != null) {
            OutputPaths.requireDistinct(spec, "--cotangent", cotangentFile, "--out", outFile);
        }
        if (jacobianFile != null) {
            OutputPaths.requireWritable(spec, "--jacobian", jacobianFile, ".npy");
            OutputPaths.requireDistinct(spec, "--out", outFile, "--jacobian", jacobianFile);
            OutputPaths.requireDistinct(spec, "--inputs", inputsFile, "--jacobian", jacobianFile);
            OutputPaths.requireDistinct(spec, "MODEL", modelFile, "--jacobian", jacobianFile);
            if (cotangentFile != null) {
                OutputPaths.requireDistinct(spec, "--cotangent", cotangentFile, "--jacobian", jacobianFile);
            }
        }
        AutoregressiveModel model = Models.load(modelFile, dtype, threads);
        Tensor inputs = Models.inputs(model.hilbert(), inputsFile);
        int batch = inputs.dim(0);
        NdArray weights = cotangentFile == null ? ones(model.dtype(), batch)
                : cotangent(cotangentFile, batch, inputsFile, model.dtype());
        ParameterLayout layout = model.parameterLayout();
        long entries = layout.flaxSize();
        Map<Path, Long> sizes = new LinkedHashMap<>();
        sizes.put(outFile, model.dtype().bytes() * entries + ENTRY_OVERHEAD_BYTES * (layout.keys().size() + 1));
        if (jacobianFile != null) {
            sizes.put(jacobianFile, ENTRY_OVERHEAD_BYTES + model.dtype().bytes() * entries * batch);
        }
        OutputPaths.requireSpace(sizes);

        Map<String, ? extends NdArray> gradient = model.logPsiGradient(inputs, weights);
        try (AtomicFileSet files = AtomicFileSet.of(outFile)) {
            if (jacobianFile != null) {
                NpyStreamWriter jacobian = new NpyStreamWriter(outputFilter.apply(files.create(jacobianFile)),
                        model.dtype(), batch, Math.toIntExact(entries));
                int block = blockRows(batch, chunkRows(model), entries, model.dtype().bytes(), jacobianBlockBytes);
                for (int first = 0; first < batch; first += block) {
                    Tensor rows = inputs.slice(first, Math.min(batch, first + block));
                    jacobian.write(toNetKetJacobian(model, model.logPsiJacobian(rows)));
                }
                jacobian.finish();
            }
            NpzArchive.write(outputFilter.apply(files.create(outFile)), gradient, Map.of());
            files.commit();
        }
        out.printf(Locale.ROOT, "wrote %s: %s, %d arrays in NetKet's names and shapes (%,d entries), the gradient of "
                        + "sum_b %slogPsi(sigma_b) over the %,d configurations of %s%s%n", outFile, model.dtype(),
                gradient.size(), entries, cotangentFile == null ? "" : "c_b ", batch, inputsFile,
                cotangentFile == null ? "" : ", c from " + cotangentFile);
        if (jacobianFile != null) {
            out.printf(Locale.ROOT, "wrote %s: %s (%d, %d), the Jacobian of logPsi, columns in flax's ravel_pytree "
                    + "order%n", jacobianFile, model.dtype(), batch, entries);
        }
        return Main.OK;
    }

    /**
     * Rows of Jacobian per block: whole chunks of {@code chunkRows} (so that each row is computed
     * as in one call over the whole batch), as many as fit {@code budgetBytes} of output but at
     * least one, no more rows than the batch, and no more chunks than one array holds
     * ({@link Integer#MAX_VALUE} entries). The budget is far above a chunk of most models, so a
     * block has chunks for every thread; a model whose chunk alone exceeds it computes a chunk at
     * a time.
     */
    static int blockRows(int batch, int chunkRows, long rowEntries, int entryBytes, long budgetBytes) {
        long chunkEntries = Math.max(1, chunkRows * rowEntries);
        long chunks = budgetBytes / (chunkEntries * entryBytes);
        chunks = Math.max(1, Math.min(chunks, Integer.MAX_VALUE / chunkEntries));
        return (int) Math.min(batch, chunks * chunkRows);
    }

    /** Rows per parallel chunk of {@code model}'s full forwards and backward passes. */
    private static int chunkRows(AutoregressiveModel model) {
        return switch (model) {
            case ARNN m -> m.chunkRows();
            case ARNN64 m -> m.chunkRows();
        };
    }

    private static NdArray toNetKetJacobian(AutoregressiveModel model, NdArray jacobian) {
        return switch (model) {
            case ARNN m -> m.toNetKetJacobian((Tensor) jacobian);
            case ARNN64 m -> m.toNetKetJacobian((Tensor64) jacobian);
        };
    }

    private static NdArray ones(DType dtype, int batch) {
        float[] ones = new float[batch];
        Arrays.fill(ones, 1f);
        return Tensor.wrap(ones, batch).to(dtype);
    }

    /**
     * The weights in {@code file}: a (batch,) {@code .npy} of any supported dtype, every element
     * finite and, for a float32 model, within float32 range; in {@code dtype}, rounded to
     * nearest when narrowed (a weight scales a sum; unlike a local value it need not be exact).
     */
    static NdArray cotangent(Path file, int batch, Path inputsFile, DType dtype) throws IOException {
        NdArray stored;
        try {
            stored = Npy.readArray(file);
        } catch (NpyFormatException e) {
            if (e.getMessage().contains("zip archive")) {
                throw new CommandFailure(file + ": expected a .npy array of weights (numpy.save) but it is a zip "
                        + "archive (.npz)", e);
            }
            throw e;
        }
        int[] shape = stored.shape();
        if (shape.length != 1 || shape[0] != batch) {
            throw new CommandFailure(file + ": expected shape (" + batch + ",), one weight per configuration of "
                    + inputsFile + ", but got " + Shapes.format(shape));
        }
        for (int i = 0; i < batch; i++) {
            double c = stored.getDouble(i);
            if (!Double.isFinite(c)) {
                throw new CommandFailure(file + ": element [" + i + "] is " + c + ", expected finite weights");
            }
            if (dtype == DType.FLOAT32 && PrecisionConversion.overflowsFloat32(c)) {
                throw new CommandFailure(file + ": element [" + i + "] is " + c + ", beyond float32 range (|c| <= "
                        + Float.MAX_VALUE + ") of the float32 model; scale the weights or use --dtype float64");
            }
        }
        return stored.to(dtype);
    }
}
