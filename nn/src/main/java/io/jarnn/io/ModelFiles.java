package io.jarnn.io;

import io.jarnn.core.npy.NpzArchive;
import io.jarnn.core.npy.ReadLimits;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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

    /** Writes {@code model} (parameters and configuration) to {@code path}, replacing it atomically. */
    public static void save(Path path, ARNN model) throws IOException {
        Objects.requireNonNull(path, "path");
        if (model == null) {
            throw new IllegalArgumentException("model: expected an ARNN but got null");
        }
        NpzArchive.write(path, model.parameters(), Map.of(CONFIG_ENTRY, ModelConfigJson.write(model.config())));
    }

    /** {@link #load(Path, ReadLimits)} with {@link ReadLimits#DEFAULT}. */
    public static ARNN load(Path path) throws IOException {
        return load(path, ReadLimits.DEFAULT);
    }

    /**
     * The model saved in {@code path} by {@link #save}: its configuration entry and exactly the
     * parameters that configuration needs, in NetKet's shapes (float64 arrays are rounded to
     * float32).
     */
    public static ARNN load(Path path, ReadLimits limits) throws IOException {
        NpzArchive archive = NpzArchive.read(path, limits);
        Optional<String> json = archive.text(CONFIG_ENTRY);
        if (json.isEmpty()) {
            throw new ModelFileException(path.toString(), "expected a jarnn model file with a '" + CONFIG_ENTRY
                    + "' entry but it has none (arrays " + archive.keys() + "); a plain NetKet parameter file needs "
                    + "its configuration given separately (ModelFiles.loadParameters, or jarnn init --params)");
        }
        return build(path, archive, config(path, json.get(), limits));
    }

    /** {@link #loadParameters(Path, ARNNConfig, ReadLimits)} with {@link ReadLimits#DEFAULT}. */
    public static ARNN loadParameters(Path path, ARNNConfig config) throws IOException {
        return loadParameters(path, config, ReadLimits.DEFAULT);
    }

    /**
     * A model of {@code config} with the parameters in {@code path}, e.g. a NetKet export.
     * Every key and shape is checked against {@code config}. If the archive also holds a
     * configuration entry (a jarnn model file), it must describe the same configuration.
     */
    public static ARNN loadParameters(Path path, ARNNConfig config, ReadLimits limits) throws IOException {
        if (config == null) {
            throw new IllegalArgumentException("config: expected a model configuration but got null");
        }
        NpzArchive archive = NpzArchive.read(path, limits);
        Optional<String> json = archive.text(CONFIG_ENTRY);
        if (json.isPresent()) {
            ARNNConfig stored = config(path, json.get(), limits);
            if (!stored.equals(config)) {
                throw new ModelFileException(path.toString(), "its " + CONFIG_ENTRY + " describes " + stored
                        + " but the given configuration is " + config);
            }
        }
        return build(path, archive, config);
    }

    /**
     * Parses the configuration entry and bounds the model it describes: one sample's activations
     * (N times the widest layer) may need at most {@link ReadLimits#maxElements()} floats, so a
     * hostile configuration (a conv1d model's parameters do not depend on N) cannot make a
     * later forward pass allocate without bound.
     */
    private static ARNNConfig config(Path path, String json, ReadLimits limits) throws ModelFileException {
        String source = path + ", " + CONFIG_ENTRY;
        ARNNConfig config;
        try {
            config = ModelConfigJson.read(json);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(source, e.getMessage(), e);
        }
        int widest = 1;
        for (int f : config.features()) {
            widest = Math.max(widest, f);
        }
        long perSample = (long) config.hilbert().size() * widest;
        if (perSample > limits.maxElements()) {
            throw new ModelFileException(source, "hilbert.N: expected at most " + limits.maxElements()
                    + " activations per sample (ReadLimits.maxElements) but N=" + config.hilbert().size()
                    + " sites times " + widest + " features is " + perSample);
        }
        return config;
    }

    private static ARNN build(Path path, NpzArchive archive, ARNNConfig config) throws ModelFileException {
        try {
            return ARNN.fromParameters(config, archive.arrays());
        } catch (IllegalArgumentException e) {
            String hint = archive.keys().stream().anyMatch(k -> k.startsWith("params/"))
                    ? " (the keys start with 'params/': export variables['params'], not the whole variables dict)"
                    : "";
            throw new ModelFileException(path.toString(), e.getMessage() + hint, e);
        }
    }
}
