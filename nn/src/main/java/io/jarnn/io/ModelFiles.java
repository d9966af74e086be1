package io.jarnn.io;

import io.jarnn.core.DType;
import io.jarnn.core.Shapes;
import io.jarnn.core.npy.ArrayAdmission;
import io.jarnn.core.npy.NpzArchive;
import io.jarnn.core.npy.ReadLimits;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.nn.ParameterKeys;

import java.io.IOException;
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
        if (model == null) {
            throw new IllegalArgumentException("model: expected an ARNN but got null");
        }
        requireLoadable(model.config(), ReadLimits.DEFAULT);
        NpzArchive.write(path, model.parameters(), Map.of(CONFIG_ENTRY, ModelConfigJson.write(model.config())));
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
        ParameterAdmission admission = new ParameterAdmission(path, limits, null);
        NpzArchive archive = NpzArchive.read(path, limits, admission);
        return build(path, archive, admission.config.withDType(admission.fileDType()));
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
        ParameterAdmission admission = new ParameterAdmission(path, limits, config);
        NpzArchive archive = NpzArchive.read(path, limits, admission);
        return build(path, archive, config.withDType(admission.fileDType()));
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
        private final Path path;
        private final ReadLimits limits;
        private final ARNNConfig given;
        private ARNNConfig config;
        /** The dtype the configuration entry declares, if it has one and declares it. */
        private Optional<DType> declared = Optional.empty();
        private Map<String, int[]> shapes;
        /** The first admitted array's key and dtype, which every later one must share. */
        private String firstKey;
        private DType firstDType;

        ParameterAdmission(Path path, ReadLimits limits, ARNNConfig given) {
            this.path = path;
            this.limits = limits;
            this.given = given;
        }

        @Override
        public void texts(SequencedMap<String, String> texts, SequencedSet<String> arrayKeys) throws IOException {
            String json = texts.get(CONFIG_ENTRY);
            if (given == null) {
                if (json == null) {
                    throw new ModelFileException(path.toString(), "expected a jarnn model file with a '" + CONFIG_ENTRY
                            + "' entry but it has none (arrays " + arrayKeys + "); a plain NetKet parameter file needs its configuration given "
                            + "separately (ModelFiles.loadParameters, or jarnn init --params)");
                }
                config = config(path, json, limits);
                declared = declaredDType(path, json);
            } else {
                if (json != null) {
                    ARNNConfig stored = config(path, json, limits);
                    if (!stored.equals(given.withDType(stored.dtype()))) {
                        throw new ModelFileException(path.toString(), "its " + CONFIG_ENTRY + " describes " + stored
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
                throw new ModelFileException(path.toString(), key + ": expected " + declared.get().label()
                        + " parameters (" + declared.get().npyDescr() + ") as the " + CONFIG_ENTRY
                        + " declares, but the file stores " + dtype.label() + " (" + dtype.npyDescr() + ")");
            }
            if (firstDType == null) {
                firstKey = key;
                firstDType = dtype;
            } else if (firstDType != dtype) {
                throw new ModelFileException(path.toString(), key + ": expected " + firstDType.label()
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
                throw new ModelFileException(path.toString(), key + ": unexpected parameter for this model (expected keys "
                        + new TreeSet<>(shapes.keySet()) + ")" + exportHint(key));
            }
            if (!Arrays.equals(expected, shape)) {
                throw new ModelFileException(path.toString(), key + ": expected shape " + Shapes.format(expected)
                        + " but the file declares " + Shapes.format(shape) + " (refused before reading its data)");
            }
        }
    }

    /** Parses the configuration entry and checks that it is loadable under {@code limits}. */
    private static ARNNConfig config(Path path, String json, ReadLimits limits) throws ModelFileException {
        String source = path + ", " + CONFIG_ENTRY;
        try {
            ARNNConfig config = ModelConfigJson.read(json);
            requireElementsFit(config, limits);
            return config;
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(source, e.getMessage(), e);
        }
    }

    private static Optional<DType> declaredDType(Path path, String json) throws ModelFileException {
        try {
            return ModelConfigJson.declaredDType(json);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(path + ", " + CONFIG_ENTRY, e.getMessage(), e);
        }
    }

    private static AutoregressiveModel build(Path path, NpzArchive archive, ARNNConfig config)
            throws ModelFileException {
        try {
            return AutoregressiveModel.fromParameters(config, archive.storedArrays());
        } catch (IllegalArgumentException e) {
            String hint = archive.keys().stream().map(ModelFiles::exportHint).filter(h -> !h.isEmpty()).findFirst()
                    .orElse("");
            throw new ModelFileException(path.toString(), e.getMessage() + hint, e);
        }
    }

    /** What went wrong in a NetKet export whose keys start with 'params/'; empty for other keys. */
    private static String exportHint(String key) {
        return key.startsWith("params/")
                ? " (the keys start with 'params/': export variables['params'], not the whole variables dict)" : "";
    }
}
