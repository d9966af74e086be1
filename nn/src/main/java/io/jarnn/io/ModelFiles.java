package io.jarnn.io;

import io.jarnn.core.DType;
import io.jarnn.core.Shapes;
import io.jarnn.core.npy.ArrayAdmission;
import io.jarnn.core.npy.NpzArchive;
import io.jarnn.core.npy.ReadLimits;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.nn.ParameterKeys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.SequencedSet;
import java.util.TreeSet;

/**
 * Saves and loads whole models as one {@code .npz} file: the parameters under NetKet's names
 * and shapes ({@code _layers_0/kernel}, {@code _layers_0/bias}, ...; what
 * {@code numpy.savez(path, **flatten_dict(params, sep="/"))} writes from NetKet), plus a text
 * entry {@value #CONFIG_ENTRY} with the configuration (see {@link ModelConfigJson}). NumPy reads
 * the file as it is ({@code np.load} returns the configuration entry as bytes).
 *
 * <p>A plain NetKet parameter file has no configuration entry; load it with
 * {@link #loadParameters(Path, ARNNConfig)} and the configuration it was trained with.
 *
 * <p>Precision: a model is saved in its dtype ({@code '<f4'} arrays and {@code "dtype":
 * "float32"}, or {@code '<f8'} and {@code "float64"}) and loaded in the dtype of the file, so a
 * float64 model comes back bit for bit and a NetKet float64 export loads as a float64 model
 * ({@link io.jarnn.nn.ARNN64}). The variants taking a {@link DType} convert explicitly (widening
 * exactly, narrowing to nearest). All parameters of one file must share one dtype, which must be
 * the one its configuration entry declares; a configuration entry without a dtype (files written
 * before float64 models) takes the parameters'.
 *
 * <p>Every problem is an {@link IOException} whose message starts with the file: an unreadable,
 * truncated, corrupt or hostile archive is an {@link io.jarnn.core.npy.NpyFormatException} (the
 * limits of {@link ReadLimits} bound what it can make the reader allocate); a readable archive
 * that does not describe a valid model is a {@link ModelFileException} naming the field or key.
 * Saving replaces the file atomically, so a crash never leaves a half-written model.
 *
 * <h2>In memory</h2>
 * {@link #toBytes} and {@link #save(OutputStream, AutoregressiveModel)} give the bytes of the
 * file {@link #save(Path, AutoregressiveModel)} writes, byte for byte; {@link #load(byte[], String)}
 * and {@link #load(InputStream, String)} read them back with the same checks and the same errors,
 * each message starting with the source the caller names (e.g. "the model broadcast of job 3")
 * where a file's would start with its path. A truncated or corrupt byte array is an
 * {@link io.jarnn.core.npy.NpyFormatException}, as a truncated file is.
 */
public final class ModelFiles {
    /** Name of the archive's configuration entry. */
    public static final String CONFIG_ENTRY = "jarnn-config.json";

    private ModelFiles() {
    }

    /**
     * Writes {@code model} (parameters and configuration) to {@code path}, replacing it
     * atomically. A model that {@link #load(Path)} would refuse (see {@link #requireLoadable})
     * is refused here, before the file is touched.
     */
    public static void save(Path path, AutoregressiveModel model) throws IOException {
        Objects.requireNonNull(path, "path");
        Map<String, String> texts = configEntry(model);
        NpzArchive.write(path, model.parameters(), texts);
    }

    /**
     * Writes the bytes of {@code model}'s file ({@link #save(Path, AutoregressiveModel)} writes the
     * same bytes) to {@code out}, which is flushed but not closed. A model that
     * {@link #load(Path)} would refuse is refused before anything is written.
     */
    public static void save(OutputStream out, AutoregressiveModel model) throws IOException {
        Objects.requireNonNull(out, "out");
        Map<String, String> texts = configEntry(model);
        NpzArchive.write(out, model.parameters(), texts);
    }

    /**
     * The text entry of {@code model}'s file, its configuration, once the model is known to be
     * one {@link #load(Path)} accepts: the check both savers make before writing anything.
     */
    private static Map<String, String> configEntry(AutoregressiveModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model: expected an ARNN but got null");
        }
        requireLoadable(model.config(), ReadLimits.DEFAULT);
        return Map.of(CONFIG_ENTRY, ModelConfigJson.write(model.config()));
    }

    /** The bytes of {@code model}'s file, as {@link #save(OutputStream, AutoregressiveModel)} writes them. */
    public static byte[] toBytes(AutoregressiveModel model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            save(out, model);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("a ByteArrayOutputStream does not throw", e);
        }
        return out.toByteArray();
    }

    /**
     * Throws an {@link IllegalArgumentException} naming the field unless a model file of
     * {@code config} can be loaded under {@code limits}: every parameter array holds at most
     * {@link ReadLimits#maxElements()} elements, and so does one sample's activations (N times
     * the widest layer; a conv1d model's parameters do not depend on N, so only this bounds a
     * later forward pass), and all parameters together take at most
     * {@link ReadLimits#maxTotalBytes()} bytes in the configuration's dtype (8 per float64
     * element, 4 per float32). Call it before initialising a model to be saved: the same limits
     * hold at creation as at loading. Long arithmetic throughout.
     */
    public static void requireLoadable(ARNNConfig config, ReadLimits limits) {
        long bytes = requireElementsFit(config, limits);
        if (bytes > limits.maxTotalBytes()) {
            throw new IllegalArgumentException("dtype: expected parameters of at most " + limits.maxTotalBytes()
                    + " bytes in total (ReadLimits.maxTotalBytes) but this configuration's take " + bytes
                    + " bytes in " + config.dtype());
        }
    }

    /**
     * The element limits of {@link #requireLoadable}; returns the parameters' bytes in the
     * configuration's dtype. Loading checks only these up front: the reader counts the bytes
     * an archive really inflates to against {@link ReadLimits#maxTotalBytes()} as it reads.
     */
    private static long requireElementsFit(ARNNConfig config, ReadLimits limits) {
        if (config == null) {
            throw new IllegalArgumentException("config: expected a model configuration but got null");
        }
        int widest = 1;
        for (int f : config.features()) {
            widest = Math.max(widest, f);
        }
        long perSample = (long) config.hilbert().size() * widest;
        if (perSample > limits.maxElements()) {
            throw new IllegalArgumentException("hilbert.N: expected at most " + limits.maxElements()
                    + " activations per sample (ReadLimits.maxElements) but N=" + config.hilbert().size()
                    + " sites times " + widest + " features is " + perSample);
        }
        long bytes = 0;
        for (Map.Entry<String, int[]> e : ParameterKeys.shapes(config).entrySet()) {
            long elements = 1;
            for (int d : e.getValue()) {
                elements *= d;
            }
            if (elements > limits.maxElements()) {
                throw new IllegalArgumentException(e.getKey() + ": expected at most " + limits.maxElements()
                        + " elements per array (ReadLimits.maxElements) but this configuration's is "
                        + Shapes.format(e.getValue()) + ", " + elements + " elements");
            }
            bytes += elements * config.dtype().bytes();
        }
        return bytes;
    }

    /** {@link #load(Path, ReadLimits)} with {@link ReadLimits#DEFAULT}. */
    public static AutoregressiveModel load(Path path) throws IOException {
        return load(path, ReadLimits.DEFAULT);
    }

    /** {@link #load(byte[], String, ReadLimits)} with {@link ReadLimits#DEFAULT}. */
    public static AutoregressiveModel load(byte[] bytes, String source) throws IOException {
        return load(bytes, source, ReadLimits.DEFAULT);
    }

    /**
     * The model whose file's bytes are {@code bytes} ({@link #toBytes}), in the file's dtype, with
     * the checks and errors of {@link #load(Path, ReadLimits)}; messages start with {@code source}.
     */
    public static AutoregressiveModel load(byte[] bytes, String source, ReadLimits limits) throws IOException {
        if (bytes == null) {
            throw new IllegalArgumentException("bytes: expected the bytes of a model file but got null");
        }
        requireSource(source);
        Objects.requireNonNull(limits, "limits");
        ParameterAdmission admission = new ParameterAdmission(source, limits, null);
        NpzArchive archive = NpzArchive.read(bytes, source, limits, admission);
        return build(source, archive, admission.config.withDType(admission.fileDType()));
    }

    /** {@link #load(InputStream, String, ReadLimits)} with {@link ReadLimits#DEFAULT}. */
    public static AutoregressiveModel load(InputStream in, String source) throws IOException {
        return load(in, source, ReadLimits.DEFAULT);
    }

    /**
     * The model whose file's bytes {@code in} holds, read to its end (not closed): as
     * {@link #load(byte[], String, ReadLimits)}. A stream longer than an archive within
     * {@code limits} can be is refused after reading that much.
     */
    public static AutoregressiveModel load(InputStream in, String source, ReadLimits limits) throws IOException {
        if (in == null) {
            throw new IllegalArgumentException("in: expected a stream of a model file but got null");
        }
        requireSource(source);
        Objects.requireNonNull(limits, "limits");
        // An archive holds its entries' bytes (at most maxTotalBytes) plus headers of at most ~64 KiB each.
        long most = Math.min(Integer.MAX_VALUE - 16L, limits.maxTotalBytes() + limits.maxEntries() * 65_600L + 65_600L);
        byte[] bytes = in.readNBytes((int) most);
        if (bytes.length == most && in.read() >= 0) {
            throw new io.jarnn.core.npy.NpyFormatException(source, "expected a model file of at most " + most
                    + " bytes (ReadLimits.maxTotalBytes and maxEntries) but the stream holds more");
        }
        return load(bytes, source, limits);
    }

    private static void requireSource(String source) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source: expected a name for the bytes (for error messages) but got "
                    + (source == null ? "null" : "'" + source + "'"));
        }
    }

    /** {@link #load(Path, ReadLimits, DType)} with {@link ReadLimits#DEFAULT}. */
    public static AutoregressiveModel load(Path path, DType dtype) throws IOException {
        return load(path, ReadLimits.DEFAULT, dtype);
    }

    /**
     * The model saved in {@code path} by {@link #save}, in the file's dtype: its configuration
     * entry and exactly the parameters that configuration needs, in NetKet's shapes. The
     * configuration is read first and every array's declared shape and dtype checked against
     * it before the array's data is read, so a file cannot make the reader inflate more than
     * the model needs.
     */
    public static AutoregressiveModel load(Path path, ReadLimits limits) throws IOException {
        ParameterAdmission admission = new ParameterAdmission(path.toString(), limits, null);
        NpzArchive archive = NpzArchive.read(path, limits, admission);
        return build(path.toString(), archive, admission.config.withDType(admission.fileDType()));
    }

    /**
     * As {@link #load(Path, ReadLimits)}, then converted to {@code dtype}: a float64 file read
     * as a float32 model (each parameter rounded to nearest) or the other way round (exact).
     */
    public static AutoregressiveModel load(Path path, ReadLimits limits, DType dtype) throws IOException {
        requireDType(dtype);
        return convert(path, load(path, limits), dtype);
    }

    /** {@link #loadParameters(Path, ARNNConfig, ReadLimits)} with {@link ReadLimits#DEFAULT}. */
    public static AutoregressiveModel loadParameters(Path path, ARNNConfig config) throws IOException {
        return loadParameters(path, config, ReadLimits.DEFAULT);
    }

    /**
     * A model of {@code config} with the parameters in {@code path}, e.g. a NetKet export, in
     * the parameters' dtype (a NetKet float64 export gives a float64 model whatever
     * {@code config.dtype()} says; {@link #loadParameters(Path, ARNNConfig, ReadLimits, DType)}
     * converts). Every key and shape is checked against {@code config}, shapes before the data
     * is read. If the archive also holds a configuration entry (a jarnn model file), it must
     * describe the same configuration apart from the dtype, which the parameters decide.
     */
    public static AutoregressiveModel loadParameters(Path path, ARNNConfig config, ReadLimits limits)
            throws IOException {
        if (config == null) {
            throw new IllegalArgumentException("config: expected a model configuration but got null");
        }
        ParameterAdmission admission = new ParameterAdmission(path.toString(), limits, config);
        NpzArchive archive = NpzArchive.read(path, limits, admission);
        return build(path.toString(), archive, config.withDType(admission.fileDType()));
    }

    /** As {@link #loadParameters(Path, ARNNConfig, ReadLimits)}, then converted to {@code dtype}. */
    public static AutoregressiveModel loadParameters(Path path, ARNNConfig config, ReadLimits limits, DType dtype)
            throws IOException {
        requireDType(dtype);
        return convert(path, loadParameters(path, config, limits), dtype);
    }

    private static void requireDType(DType dtype) {
        if (dtype == null) {
            throw new IllegalArgumentException("dtype: expected float32 or float64 but got null");
        }
    }

    private static AutoregressiveModel convert(Path path, AutoregressiveModel model, DType dtype)
            throws ModelFileException {
        try {
            return model.to(dtype);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(path.toString(), e.getMessage() + " (converting the file's "
                    + model.dtype() + " parameters to " + dtype + ")", e);
        }
    }

    /**
     * Takes the configuration from the archive's entry (or checks the entry against the given
     * one), then admits exactly that configuration's parameters in their NetKet shapes.
     */
    private static final class ParameterAdmission implements ArrayAdmission {
        private final String path;
        private final ReadLimits limits;
        private final ARNNConfig given;
        private ARNNConfig config;
        /** The dtype the configuration entry declares, if it has one and declares it. */
        private Optional<DType> declared = Optional.empty();
        private Map<String, int[]> shapes;
        /** The first admitted array's key and dtype, which every later one must share. */
        private String firstKey;
        private DType firstDType;

        ParameterAdmission(String path, ReadLimits limits, ARNNConfig given) {
            this.path = path;
            this.limits = limits;
            this.given = given;
        }

        @Override
        public void texts(SequencedMap<String, String> texts, SequencedSet<String> arrayKeys) throws IOException {
            String json = texts.get(CONFIG_ENTRY);
            if (given == null) {
                if (json == null) {
                    throw new ModelFileException(path, "expected a jarnn model file with a '" + CONFIG_ENTRY
                            + "' entry but it has none (arrays " + arrayKeys + "); a plain NetKet parameter file needs its configuration given "
                            + "separately (ModelFiles.loadParameters, or jarnn init --params)");
                }
                config = config(path, json, limits);
                declared = declaredDType(path, json);
            } else {
                if (json != null) {
                    ARNNConfig stored = config(path, json, limits);
                    if (!stored.equals(given.withDType(stored.dtype()))) {
                        throw new ModelFileException(path, "its " + CONFIG_ENTRY + " describes " + stored
                                + " but the given configuration is " + given);
                    }
                    declared = declaredDType(path, json);
                }
                config = given;
            }
            shapes = ParameterKeys.shapes(config);
        }

        @Override
        public void admit(String key, int[] shape, DType dtype) throws IOException {
            admit(key, shape);
            if (declared.isPresent() && declared.get() != dtype) {
                throw new ModelFileException(path, key + ": expected " + declared.get().label()
                        + " parameters (" + declared.get().npyDescr() + ") as the " + CONFIG_ENTRY
                        + " declares, but the file stores " + dtype.label() + " (" + dtype.npyDescr() + ")");
            }
            if (firstDType == null) {
                firstKey = key;
                firstDType = dtype;
            } else if (firstDType != dtype) {
                throw new ModelFileException(path, key + ": expected " + firstDType.label()
                        + " like " + firstKey + " (" + firstDType.npyDescr() + ") but it is stored as "
                        + dtype.label() + " (" + dtype.npyDescr() + "); all parameters of a model share one dtype");
            }
        }

        /** The parameters' dtype, or the configuration's when there are none to tell. */
        DType fileDType() {
            return firstDType != null ? firstDType : declared.orElse(config.dtype());
        }

        @Override
        public void admit(String key, int[] shape) throws IOException {
            int[] expected = shapes.get(key);
            if (expected == null) {
                throw new ModelFileException(path, key + ": unexpected parameter for this model (expected keys "
                        + new TreeSet<>(shapes.keySet()) + ")" + exportHint(key));
            }
            if (!Arrays.equals(expected, shape)) {
                throw new ModelFileException(path, key + ": expected shape " + Shapes.format(expected)
                        + " but the file declares " + Shapes.format(shape) + " (refused before reading its data)");
            }
        }
    }

    /** Parses the configuration entry and checks that it is loadable under {@code limits}. */
    private static ARNNConfig config(String path, String json, ReadLimits limits) throws ModelFileException {
        String source = path + ", " + CONFIG_ENTRY;
        try {
            ARNNConfig config = ModelConfigJson.read(json);
            requireElementsFit(config, limits);
            return config;
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(source, e.getMessage(), e);
        }
    }

    private static Optional<DType> declaredDType(String path, String json) throws ModelFileException {
        try {
            return ModelConfigJson.declaredDType(json);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(path + ", " + CONFIG_ENTRY, e.getMessage(), e);
        }
    }

    private static AutoregressiveModel build(String path, NpzArchive archive, ARNNConfig config)
            throws ModelFileException {
        try {
            return AutoregressiveModel.fromParameters(config, archive.storedArrays());
        } catch (IllegalArgumentException e) {
            String hint = archive.keys().stream().map(ModelFiles::exportHint).filter(h -> !h.isEmpty()).findFirst()
                    .orElse("");
            throw new ModelFileException(path, e.getMessage() + hint, e);
        }
    }

    /** What went wrong in a NetKet export whose keys start with 'params/'; empty for other keys. */
    private static String exportHint(String key) {
        return key.startsWith("params/")
                ? " (the keys start with 'params/': export variables['params'], not the whole variables dict)" : "";
    }
}
