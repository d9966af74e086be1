package io.jarnn.io;

import io.jarnn.core.Shapes;
import io.jarnn.core.npy.ArrayAdmission;
import io.jarnn.core.npy.NpzArchive;
import io.jarnn.core.npy.ReadLimits;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.ParameterKeys;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
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
    public static void save(Path path, ARNN model) throws IOException {
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
     * later forward pass). Call it before initialising a model to be saved: the same limits
     * hold at creation as at loading. Long arithmetic throughout.
     */
    public static void requireLoadable(ARNNConfig config, ReadLimits limits) {
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
        }
    }

    /** {@link #load(Path, ReadLimits)} with {@link ReadLimits#DEFAULT}. */
    public static ARNN load(Path path) throws IOException {
        return load(path, ReadLimits.DEFAULT);
    }

    /**
     * The model saved in {@code path} by {@link #save}: its configuration entry and exactly the
     * parameters that configuration needs, in NetKet's shapes (float64 arrays are rounded to
     * float32). The configuration is read first and every array's declared shape checked
     * against it before the array's data is read, so a file cannot make the reader inflate more
     * than the model needs.
     */
    public static ARNN load(Path path, ReadLimits limits) throws IOException {
        ParameterAdmission admission = new ParameterAdmission(path, limits, null);
        return build(path, NpzArchive.read(path, limits, admission), admission.config);
    }

    /** {@link #loadParameters(Path, ARNNConfig, ReadLimits)} with {@link ReadLimits#DEFAULT}. */
    public static ARNN loadParameters(Path path, ARNNConfig config) throws IOException {
        return loadParameters(path, config, ReadLimits.DEFAULT);
    }

    /**
     * A model of {@code config} with the parameters in {@code path}, e.g. a NetKet export.
     * Every key and shape is checked against {@code config}, shapes before the data is read. If
     * the archive also holds a configuration entry (a jarnn model file), it must describe the
     * same configuration.
     */
    public static ARNN loadParameters(Path path, ARNNConfig config, ReadLimits limits) throws IOException {
        if (config == null) {
            throw new IllegalArgumentException("config: expected a model configuration but got null");
        }
        ParameterAdmission admission = new ParameterAdmission(path, limits, config);
        return build(path, NpzArchive.read(path, limits, admission), config);
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
        private Map<String, int[]> shapes;

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
            } else {
                if (json != null) {
                    ARNNConfig stored = config(path, json, limits);
                    if (!stored.equals(given)) {
                        throw new ModelFileException(path.toString(), "its " + CONFIG_ENTRY + " describes " + stored
                                + " but the given configuration is " + given);
                    }
                }
                config = given;
            }
            shapes = ParameterKeys.shapes(config);
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
            requireLoadable(config, limits);
            return config;
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(source, e.getMessage(), e);
        }
    }

    private static ARNN build(Path path, NpzArchive archive, ARNNConfig config) throws ModelFileException {
        try {
            return ARNN.fromParameters(config, archive.arrays());
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
